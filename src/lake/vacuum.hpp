#pragma once
// Vacuum: deletes data files that no version within the retention period needs, and orphans (files
// never committed, e.g. left by a killed writer) older than the retention. Never a file that the
// latest version, or any version a reader may still time-travel to within the retention, references.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::lake {

/// Delta's default retention: 7 days.
inline constexpr std::chrono::hours kDefaultVacuumRetention{7 * 24};
/// Shorter retentions are refused: a writer may have written a data file it has not committed yet.
inline constexpr std::chrono::hours kMinVacuumRetention{1};

/// How far back versions stay readable, and the time "now" is (tests inject it).
struct VacuumOptions {
  std::chrono::hours retention = kDefaultVacuumRetention;
  std::optional<Timestamp> now;  ///< default: the current time
  bool dry_run = false;          ///< list what would be deleted, delete nothing
};

/// What a vacuum did (or would do, in a dry run).
struct VacuumReport {
  int64_t oldest_live_version = 0;             ///< versions from here on stay readable
  std::vector<std::filesystem::path> deleted;  ///< data files and stale temporaries, sorted
  int64_t bytes_deleted = 0;
  int64_t files_kept = 0;  ///< data files still referenced by a live version
};

/// Vacuums the table at `table_root`. The live versions are the latest, every version committed after
/// now - retention, and the one that was current at now - retention. A data file is deleted when no
/// live version references it and it was last written before now - retention.
Expected<VacuumReport> vacuum(db::Connection& connection, const std::filesystem::path& table_root,
                              const VacuumOptions& options = {});

}  // namespace ampere::lake
