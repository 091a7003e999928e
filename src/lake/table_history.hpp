#pragma once
// A table's history: one line per version (when, which operation, what it added), as
// `ampere lake history` shows it, and the timestamp -> version lookup that time travel needs.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::lake {

/// One version of the table.
struct VersionInfo {
  int64_t version = 0;
  /// The commit's time: commitInfo.timestamp (else the entry's file time), made strictly increasing
  /// across versions as Delta readers do, so that time travel is well defined.
  Timestamp timestamp;
  std::string operation;              ///< "WRITE", "CREATE TABLE", "OPTIMIZE", ...; empty if unrecorded
  std::string mode;                   ///< operationParameters.mode ("Append", "Overwrite"), if any
  std::optional<int64_t> rows_added;  ///< records in files added with dataChange; nullopt without stats
  int64_t files_added = 0;
  int64_t files_removed = 0;
};

/// Every version whose log entry is present, oldest first. A corrupt entry is an error naming it.
Expected<std::vector<VersionInfo>> read_history(const std::filesystem::path& table_root);

/// The newest version committed at or before `t`; not_found (naming the first commit's time) when
/// `t` is before the table existed.
Expected<int64_t> version_at(const std::vector<VersionInfo>& history, Timestamp t,
                             const std::filesystem::path& table_root);

/// Milliseconds since the epoch, as the Delta log writes times.
int64_t to_millis(Timestamp t);
/// A Delta log time (milliseconds since the epoch) as a Timestamp.
Timestamp from_millis(int64_t millis);

}  // namespace ampere::lake
