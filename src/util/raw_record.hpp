#pragma once
// The shape of one raw row, shared by the producers (github/, pypi/, simulator/) and the stores
// (lake/, warehouse/): entity keys, when it was retrieved, by which sync, and the full payload.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/time.hpp"

namespace ampere {

/// A key value: GitHub keys are numeric ids; PyPI keys are names and dates.
using RawKey = std::variant<int64_t, std::string>;

/// Which raw table a record belongs to, and the names of its key columns (in order).
struct RawTable {
  std::string source;                    ///< "github" or "pypi"
  std::string name;                      ///< "repos", "stargazers", ...
  std::vector<std::string> key_columns;  ///< "repo_id", "user_id", ...
};

/// One fetched entity snapshot. The payload is the API's JSON text, untouched, so staging models can
/// extract any field later.
struct RawRecord {
  std::vector<RawKey> keys;  ///< one per RawTable::key_columns
  Timestamp retrieved_at;
  std::string sync_id;
  std::string payload;
};

}  // namespace ampere
