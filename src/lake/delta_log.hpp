#pragma once
// The _delta_log folder of one table: which versions and checkpoints it holds, reading a version's
// entry, and creating the next one with put-if-absent semantics so that racing writers cannot both win.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lake/delta_commit.hpp"
#include "util/error.hpp"

namespace ampere::lake {

/// A complete checkpoint found in the log: its version and its file(s) (several for multi-part ones).
struct CheckpointFiles {
  int64_t version = 0;
  std::vector<std::filesystem::path> parts;
};

/// What the log folder holds, sorted by version. Files of other shapes (temporaries, .crc) are ignored.
struct LogListing {
  std::vector<int64_t> commits;              ///< versions with a NNN.json entry
  std::vector<CheckpointFiles> checkpoints;  ///< complete checkpoints only
  /// The newest version the log knows, or -1 when it holds nothing.
  [[nodiscard]] int64_t latest() const;
};

/// The content of _delta_log/_last_checkpoint.
struct LastCheckpoint {
  int64_t version = 0;
  int64_t size = 0;  ///< number of actions (rows) in the checkpoint
  std::optional<int64_t> size_in_bytes;
  std::optional<int64_t> num_of_add_files;
  std::optional<int64_t> parts;  ///< the number of files of a multi-part checkpoint; absent for a classic one
};

/// The log folder of the table at `table_root`.
class DeltaLog {
 public:
  explicit DeltaLog(std::filesystem::path table_root);

  /// The table folder (data files live here).
  [[nodiscard]] const std::filesystem::path& table_root() const { return table_root_; }
  /// The table's _delta_log folder.
  [[nodiscard]] std::filesystem::path log_dir() const { return table_root_ / "_delta_log"; }
  /// _delta_log/NNNNNNNNNNNNNNNNNNNN.json
  [[nodiscard]] std::filesystem::path commit_path(int64_t version) const;
  /// _delta_log/NNNNNNNNNNNNNNNNNNNN.checkpoint.parquet (a classic, single-file checkpoint)
  [[nodiscard]] std::filesystem::path checkpoint_path(int64_t version) const;

  /// _delta_log/NNNNNNNNNNNNNNNNNNNN.checkpoint.PPPPPPPPPP.TTTTTTTTTT.parquet (part `part` of `parts`)
  [[nodiscard]] std::filesystem::path checkpoint_part_path(int64_t version, int64_t part, int64_t parts) const;

  /// The versions and checkpoints present. An absent log folder lists as empty.
  [[nodiscard]] Expected<LogListing> list() const;

  /// The end of the log from the checkpoint _last_checkpoint names, found without listing the folder
  /// (PROTOCOL.md, "Last Checkpoint File"): that checkpoint, the entries after it (probed one by one until
  /// one is missing) and the newest classic checkpoint among them if the hint is stale. nullopt when the
  /// hint is absent or unreadable, names a checkpoint that is not all there, or the entries after it
  /// have a hole: then only list() can tell the latest version (or name what is broken).
  [[nodiscard]] std::optional<LogListing> list_from_last_checkpoint() const;

  /// The actions of `version`; not_found when the entry is missing, protocol when it is corrupt (the
  /// message names the file, the version and the line).
  [[nodiscard]] Expected<DeltaCommit> read_commit(int64_t version) const;

  /// Creates the entry for `version`, only if no writer has: a conflict error when one already did.
  [[nodiscard]] Expected<void> write_commit(int64_t version, const DeltaCommit& commit) const;

  /// _last_checkpoint, or nullopt when absent or unreadable (it is only a hint).
  [[nodiscard]] std::optional<LastCheckpoint> read_last_checkpoint() const;

  /// Replaces _last_checkpoint atomically, unless it already names a newer checkpoint.
  [[nodiscard]] Expected<void> write_last_checkpoint(const LastCheckpoint& last) const;

 private:
  std::filesystem::path table_root_;
};

/// The zero-padded 20-digit file name stem of a version.
std::string version_stem(int64_t version);

}  // namespace ampere::lake
