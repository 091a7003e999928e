#pragma once
// Small string helpers the standard library lacks.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ampere {

/// s without leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);

/// Splits s at every `separator`; empty pieces are kept.
std::vector<std::string> split(std::string_view s, char separator);

/// The pieces joined with `separator` between them.
std::string join(std::span<const std::string> pieces, std::string_view separator);

/// ASCII lower case.
std::string to_lower(std::string_view s);

/// Levenshtein distance: insertions, deletions and substitutions needed to turn a into b.
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` if it is close enough to be a plausible typo ("did you mean ...?").
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates);

}  // namespace ampere
