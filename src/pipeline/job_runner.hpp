#pragma once
// A job is a list of assets (steps: a GitHub sync, a PyPI sync, the build) run in order, each after the
// assets it depends on. One JobRunner runs one job at a time: a "running" run record first, then each
// asset (a failed sync retried with exponential backoff), then the final record (succeeded, failed or
// interrupted) with a row per asset and the requests, GraphQL points and rows the run cost. A stop
// request ends the job after the asset in progress: every asset commits atomically, so what it wrote
// stays and the next run carries on from there.

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::pipeline {

/// What one asset's step did and cost.
struct AssetOutcome {
  int64_t requests = 0;
  int64_t not_modified = 0;
  int64_t graphql_points = 0;
  int64_t rows_written = 0;
  std::string summary;  ///< one line for the run record, e.g. "3 orgs, 120 records"
};

/// What an asset's step may ask while it runs.
struct AssetContext {
  std::string run_id;                 ///< the job run it belongs to
  std::function<bool()> should_stop;  ///< true once a stop was requested: end at the next commit
};

/// One step of a job.
struct Asset {
  std::string name;                     ///< "github", "pypi", "build"
  std::vector<std::string> depends_on;  ///< runs when at least one of these succeeded (none: always)
  bool retry = false;                   ///< retried with backoff when it fails (syncs; not the build)
  std::function<Expected<AssetOutcome>(const AssetContext&)> run;
};

/// A named list of assets, run in this order.
struct Job {
  std::string name;  ///< "github", "downloads", "all"
  std::vector<std::string> assets;
};

/// How one asset of a run ended.
struct AssetRun {
  std::string asset;
  std::string
      status;  ///< succeeded, failed, interrupted (cut short by a stop), skipped (a dependency failed, or stopping)
  std::string error;
  int attempts = 0;
  double seconds = 0;
  AssetOutcome outcome;
};

/// How one job run ended.
struct JobRun {
  std::string kind = "run";  ///< the run record's kind: run (a job), build (`ampere build` alone)
  std::string run_id;
  std::string job;
  std::string status;  ///< running, succeeded, failed, interrupted
  std::string error;   ///< what failed, one line per failed asset
  Timestamp started_at{};
  Timestamp finished_at{};
  std::vector<AssetRun> assets;

  /// The run record's JSON payload (kind, source = the job name; none for a build).
  [[nodiscard]] nlohmann::json payload() const;
  /// Whether every asset succeeded.
  [[nodiscard]] bool ok() const { return status == "succeeded"; }
};

/// Settings and the outside world of a JobRunner (tests replace every function).
struct JobRunnerOptions {
  std::string kind = "run";                  ///< the kind its run records have
  int retries = 2;                           ///< extra attempts of a failed retryable asset
  std::chrono::seconds backoff{60};          ///< wait before the first retry, doubled for each next one
  std::function<Timestamp()> now = now_utc;  ///< the clock run records are stamped with
  /// Waits `duration`, returning early (false) when a stop is requested. Null: a real, interruptible wait.
  std::function<bool(std::chrono::seconds)> wait;
  /// Writes a run record (the run id and its JSON payload); an error is logged, not fatal.
  std::function<Expected<void>(const std::string& run_id, const std::string& payload)> record;
  /// Told about each asset's start and end, for logs.
  std::function<void(const JobRun&, const AssetRun&)> on_asset;
};

/// Runs jobs made of `assets`.
class JobRunner {
 public:
  JobRunner(std::vector<Asset> assets, JobRunnerOptions options);

  /// Runs `job` under `run_id` to the end (or to the first asset boundary after request_stop) and
  /// returns what happened. Fails only when the job names an asset that does not exist.
  Expected<JobRun> run(const Job& job, const std::string& run_id);

  /// Asks the job in progress to stop after its current asset's commit; no asset starts afterwards and
  /// backoff waits end at once.
  void request_stop();
  /// Whether request_stop was called.
  [[nodiscard]] bool stop_requested() const { return stop_.load(); }

  /// A new run id for `job` at `at`: "run-<job>-<UTC time>-<pid>".
  static std::string new_run_id(const std::string& job, Timestamp at);

 private:
  bool wait(std::chrono::seconds duration);
  void write_record(const JobRun& run);

  std::vector<Asset> assets_;
  JobRunnerOptions options_;
  std::atomic<bool> stop_{false};
};

}  // namespace ampere::pipeline
