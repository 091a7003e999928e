#pragma once
// The pipeline's assets and jobs as the config defines them, for `ampere serve` (on a schedule) and
// `ampere run` (once):
//   assets: github (sync every org; when github.orgs is set), pypi (sync the packages; when
//           pypi.packages or pypi.dependencies is set), build (the warehouse; after either sync)
//   jobs:   github = github + build (schedule.github), downloads = pypi + build (schedule.pypi),
//           all = every sync + build (on demand: `ampere run`, POST /api/v1/sync)

#include <memory>
#include <vector>

#include "config/config.hpp"
#include "db/database.hpp"
#include "pipeline/job_runner.hpp"
#include "pipeline/notifier.hpp"
#include "pipeline/scheduler.hpp"

namespace ampere::cli {

/// The assets and jobs of `config`, building into `warehouse`.
struct PipelineJobs {
  std::vector<pipeline::Asset> assets;
  std::vector<pipeline::ScheduledJob> jobs;
};

/// Assets and jobs for `config`; jobs whose syncs are not configured are left out ("all" is always there).
PipelineJobs pipeline_jobs(const Config& config, db::Database& warehouse);

/// Retries and backoff from the config; run records (of `kind`: run, build) go to the data dir's lake.
pipeline::JobRunnerOptions job_runner_options(const Config& config, const std::string& kind = "run");

/// The notifier's settings from the config (webhook, SMTP, the status page link).
pipeline::NotifierSettings notifier_settings(const Config& config);

/// Scheduler options: catch-up from the lake's run records, failures to `notifier`, and after every run a
/// rebuild of the run and status marts so the final state shows.
pipeline::SchedulerOptions scheduler_options(const Config& config, db::Database& warehouse,
                                             std::shared_ptr<pipeline::Notifier> notifier);

/// Rebuilds stg_ampere__runs and everything downstream of it (runs, status), so a run's final record
/// shows at once. Errors are logged.
void refresh_run_marts(const Config& config, db::Database& warehouse);

}  // namespace ampere::cli
