// `ampere run`: every configured sync and a build, once, as one recorded run; for cron users who do
// not run `ampere serve`. Failed syncs are retried with backoff; a failure notifies like a scheduled run.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_jobs.hpp"
#include "cli/pipeline_steps.hpp"
#include "cli/serve_lock.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

Handler define_run(CLI::App& app, const GlobalOptions& global) {
  auto data_dir = std::make_shared<std::string>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", *data_dir, "data dir (default: data_dir in config)");
  app.footer(
      "Syncs GitHub (github.orgs) and PyPI (pypi.packages, pypi.dependencies), whichever are configured, "
      "then builds the warehouse. A failed sync is retried (schedule.retries, schedule.retry_backoff_seconds); "
      "the build runs when at least one sync succeeded. The run is recorded (see `ampere status`) and a "
      "failure is sent to notify.webhook_url / notify.smtp_url when set.\n"
      "Exit codes: 0 every step succeeded, 1 something failed (the message says what), 2 bad configuration.");
  return [&global, data_dir, data_dir_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", *data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const Config& c = loaded->config;
    if (c.orgs.empty() && c.pypi_packages.empty() && c.pypi_dependencies.empty()) {
      return report_error(
          Error{ErrorKind::invalid_input, "nothing to sync: set github.orgs (`ampere init ORG`) and/or pypi.packages"});
    }
    if (const auto server = find_server(c.data_dir)) {
      return report_error(
          Error{ErrorKind::conflict,
                fmt::format("ampere serve (pid {}) holds {} and syncs it on its schedule; trigger a run there "
                            "(POST http://{}:{}/api/v1/sync) or stop it first",
                            server->pid, c.data_dir.string(), server->bind, server->port)});
    }
    auto warehouse = warehouse::open_warehouse(c.data_dir);
    if (!warehouse) return report_error(warehouse.error());
    auto jobs = pipeline_jobs(c, **warehouse);
    pipeline::JobRunner runner(std::move(jobs.assets), job_runner_options(c));
    auto notifier = std::make_shared<pipeline::Notifier>(notifier_settings(c));
    pipeline::Scheduler scheduler(runner, std::move(jobs.jobs), scheduler_options(c, **warehouse, notifier));
    auto run = scheduler.run("all");
    if (!run) return report_error(run.error());
    if (run->ok()) {
      fmt::print("run {}: succeeded\n", run->run_id);
      return exit_ok;
    }
    return report_error(Error{ErrorKind::network, fmt::format("run {} {}: {}", run->run_id, run->status, run->error)});
  };
}

}  // namespace ampere::cli
