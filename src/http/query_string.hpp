#pragma once
// The query string of a URL ("a=1&b=x%20y") split into decoded name/value pairs. Strict: a malformed
// percent escape or a name that is not printable ASCII is an error, never a guess.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace ampere::http {

/// One decoded `name=value` pair, in the order the query string gave them.
using QueryParam = std::pair<std::string, std::string>;

/// Decodes "%41" and "+" (a space) in one component; an error for a truncated or non-hex escape.
Expected<std::string> percent_decode(std::string_view text);

/// Splits `query` (without the leading '?') at '&' and the first '=' of each piece, decoding both
/// sides. Empty pieces ("a=1&&b=2") are skipped; "flag" without '=' has an empty value. At most
/// `max_params` pairs and names of at most 64 bytes from [A-Za-z0-9_.-]; the error says which rule broke.
Expected<std::vector<QueryParam>> parse_query_string(std::string_view query, size_t max_params = 64);

}  // namespace ampere::http
