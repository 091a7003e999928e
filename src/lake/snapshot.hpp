#pragma once
// The state of a Delta table at one version: protocol, metadata and the set of active data files,
// reconstructed from the newest checkpoint at or before that version plus the log entries after it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "db/connection.hpp"
#include "lake/delta_commit.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::lake {

/// Which version to read: the latest (neither set), a version number, or the version that was current
/// at a point in time (time travel).
struct ReadAt {
  std::optional<int64_t> version;
  std::optional<Timestamp> timestamp;
};

/// An active data file and the version whose entry (or checkpoint) added it.
struct ActiveFile {
  AddFile add;
  int64_t version = 0;
};

/// A table at one version.
struct Snapshot {
  std::filesystem::path table_root;
  int64_t version = -1;
  Protocol protocol;
  Metadata metadata;
  std::map<std::string, ActiveFile> files;       ///< by log path
  std::map<std::string, RemoveFile> tombstones;  ///< removed files, for vacuum and checkpoints
  std::map<std::string, Txn> txns;               ///< by appId
  int64_t checkpoint_version = -1;               ///< the checkpoint the read started from, -1 when none
  int64_t entries_read = 0;                      ///< JSON log entries replayed after it

  /// The file on disk for a path as written in the log (relative and URI-encoded, or absolute).
  [[nodiscard]] std::filesystem::path file_path(std::string_view log_path) const;
  /// Sum of the active files' sizes.
  [[nodiscard]] int64_t total_bytes() const;
  /// Sum of the active files' numRecords, or nullopt if some file has no statistics.
  [[nodiscard]] std::optional<int64_t> total_rows() const;
};

/// Applies one log entry's actions, as of `version`, following the protocol's reconciliation rules (the
/// actions are moved into the snapshot: pass an rvalue to spare copying them).
void apply_commit(Snapshot& snapshot, DeltaCommit commit, int64_t version);

/// Reads the table at `table_root` as of `at`. Checkpoints are read by our own Parquet reader, through
/// `connection` (DuckDB) when it cannot decode one. Errors name the table and version: no table (not_found), a version
/// that does not exist, a gap in the log ("versions are not contiguous"), a corrupt entry, or a protocol version or
/// reader feature this reader does not implement. Never writes anything.
Expected<Snapshot> load_snapshot(db::Connection& connection, const std::filesystem::path& table_root,
                                 const ReadAt& at = {});

/// Whether `table_root` holds a Delta table (a _delta_log with at least one entry or checkpoint).
bool is_delta_table(const std::filesystem::path& table_root);

}  // namespace ampere::lake
