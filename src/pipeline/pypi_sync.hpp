#pragma once
// `ampere sync pypi`: brings download counts from a DownloadsSource into the lake, one window (a
// package and a run of days) at a time; packages missing the same days share one query (BigQuery bills
// the day partitions scanned, whatever the number of packages). Which days are missing comes from the
// query log in the lake (pypi.queries): the daily run fills everything after the first covered day through the newest
// day the source has (so a gap of any length, or a window that failed last time, is filled), a backfill also fills from
// --since. Gaps are fetched in chunks of the source's max_window_days.
//
// A query's rows go to pypi.downloads in one Delta commit, and only then is the window logged as ok;
// staging reads only rows of logged windows, so a crash or a failure between the two leaves nothing
// visible and the window is fetched again by the next run.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pypi/downloads_source.hpp"
#include "util/error.hpp"
#include "util/raw_record.hpp"

namespace ampere::pipeline {

/// Days the first sync of a package covers when no backfill asked for more.
inline constexpr int kPypiFirstSyncDays = 30;

/// A tracked package and the org repo it belongs to (empty: none, or the repo of the same name).
struct PypiPackage {
  std::string name;  ///< normalized (pypi::normalize_package_name)
  std::string repo_name;
};

/// What to sync into which data dir.
struct PypiSyncOptions {
  std::filesystem::path data_dir;
  std::vector<PypiPackage> packages;
  std::optional<pypi::Day> backfill_since;  ///< set by --backfill --since
  std::optional<pypi::Day> today;           ///< UTC today; nullopt: the clock's
};

/// One window the sync planned, and what became of it.
struct PypiWindow {
  pypi::DownloadWindow window;  ///< one package
  std::string repo_name;
  std::string outcome;  ///< "ok", "failed", or "" while planned
  std::string error;
  pypi::FetchStats stats;
};

/// What a sync did.
struct PypiSyncResult {
  std::string sync_id;
  std::string source;
  std::vector<PypiWindow> windows;
  pypi::CostEstimate cost;  ///< of all planned windows
  int64_t rows = 0;
  int64_t downloads = 0;
  int64_t failed = 0;  ///< windows that failed (left for the next run)
  double seconds = 0;
};

/// Told about the plan (before anything is fetched: the windows and their cost) and each window's end.
struct PypiSyncObserver {
  std::function<void(const std::vector<PypiWindow>&, const pypi::CostEstimate&)> on_plan;
  std::function<void(const PypiWindow&)> on_window;
};

/// The raw table of download rows (keys: package, day).
const RawTable& pypi_downloads_table();
/// The query log (keys: package, first_day): one row per window tried, outcome ok or failed.
const RawTable& pypi_queries_table();

/// Syncs `options.packages` from `source`. Windows that fail are logged as failed and left for the
/// next run; the sync carries on with the next package and reports the count in `failed`. Errors are
/// what stops the whole sync (the lake cannot be read or written, the source cannot say which days
/// it has).
Expected<PypiSyncResult> sync_pypi(pypi::DownloadsSource& source, const PypiSyncOptions& options,
                                   const PypiSyncObserver& observer = {});

}  // namespace ampere::pipeline
