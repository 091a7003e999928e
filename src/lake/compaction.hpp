#pragma once
// Compaction: rewrites a table's small data files into fewer larger ones in ONE commit that removes
// the old files and adds the new (dataChange=false: the rows are the same, only their files change).

#include <cstdint>
#include <optional>

#include "lake/delta_table.hpp"
#include "util/error.hpp"

namespace ampere::lake {

/// Files smaller than this are compacted.
inline constexpr int64_t kSmallFileBytes = int64_t{32} << 20;
/// Compacted files grow up to about this size.
inline constexpr int64_t kTargetFileBytes = int64_t{128} << 20;

/// What counts as small and how big the new files may get.
struct CompactOptions {
  int64_t small_file_bytes = kSmallFileBytes;
  int64_t target_file_bytes = kTargetFileBytes;
};

/// What a compaction did.
struct CompactReport {
  std::optional<int64_t> version;  ///< the commit, or nullopt when there was nothing to compact
  int64_t files_removed = 0;
  int64_t files_added = 0;
  int64_t bytes_removed = 0;
  int64_t bytes_added = 0;
};

/// Compacts the latest version of `table`: groups of two or more small files become one file each.
/// If a concurrent commit removed one of the files meanwhile, nothing is committed (a conflict error;
/// run it again). Appends that land meanwhile are kept.
Expected<CompactReport> compact(DeltaTable& table, const CompactOptions& options = {});

}  // namespace ampere::lake
