#pragma once
// The per-file statistics of an add action (PROTOCOL.md, "Per-file Statistics"): a JSON text whose
// numRecords readers need for every file, and whose min/max/null counts they rarely need.

#include <cstdint>
#include <optional>
#include <string_view>

namespace ampere::lake {

/// The top-level "numRecords" of a stats JSON text, or nullopt when it is absent, not an integer, or the
/// text is not a JSON object. Scans the text instead of parsing it (a snapshot read does this for every
/// active file): nested objects are skipped, and the text after numRecords is not checked.
std::optional<int64_t> stats_num_records(std::string_view stats);

}  // namespace ampere::lake
