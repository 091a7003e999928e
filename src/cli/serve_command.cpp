// `ampere serve`: the dashboard, the API and the scheduler that keeps the data fresh.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_jobs.hpp"
#include "cli/pipeline_steps.hpp"
#include "cli/serve_lock.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

Handler define_serve(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string data_dir;
    int port = 0;
    std::string bind;
    bool no_schedule = false;
    int stop_grace = 60;
  };
  auto o = std::make_shared<Options>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", o->data_dir, "data dir (default: data_dir in config)");
  CLI::Option* port_option = app.add_option("--port", o->port, "port (default: server.port in config, 8080)");
  CLI::Option* bind_option = app.add_option("--bind", o->bind, "address (default: server.bind in config, 127.0.0.1)");
  app.add_flag("--no-schedule", o->no_schedule, "no timed syncs and builds (runs triggered on demand still run)");
  app.add_option("--stop-grace", o->stop_grace,
                 "on SIGTERM, seconds to let a running sync reach its next commit before exiting (default 60)")
      ->check(CLI::Range(0, 3600));
  app.footer(
      "Unless --no-schedule, syncs and builds on the schedules in the config (UTC): job github at "
      "schedule.github, job downloads at schedule.pypi; a job that missed its time (or never ran) runs once "
      "at start. A failed run notifies notify.webhook_url / notify.smtp_url.");
  return [&global, o, data_dir_option, port_option, bind_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", o->data_dir);
    add_flag_override(flags, port_option, "server.port", std::to_string(o->port));
    add_flag_override(flags, bind_option, "server.bind", o->bind);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const Config& c = loaded->config;
    if (const auto other = find_server(c.data_dir)) {
      return report_error(Error{ErrorKind::conflict,
                                fmt::format("ampere serve (pid {}) already serves {} at http://{}:{}/; stop it first",
                                            other->pid, c.data_dir.string(), other->bind, other->port)});
    }
    block_stop_signals();
    auto warehouse = warehouse::open_warehouse(c.data_dir);
    if (!warehouse) return report_error(warehouse.error());
    auto jobs = pipeline_jobs(c, **warehouse);
    pipeline::JobRunner runner(std::move(jobs.assets), job_runner_options(c));
    auto notifier = std::make_shared<pipeline::Notifier>(notifier_settings(c));
    // After every run the server's cached API answers are dropped (set once the server exists).
    auto data_changed = std::make_shared<std::function<void()>>();
    auto options = scheduler_options(c, **warehouse, notifier);
    options.on_finished = [refresh = options.on_finished, data_changed](const pipeline::JobRun& run) {
      if (refresh) refresh(run);
      if (*data_changed) (*data_changed)();
    };
    pipeline::Scheduler scheduler(runner, std::move(jobs.jobs), std::move(options));
    // The scheduler also runs the jobs triggered on demand (`Scheduler::trigger`), with or without timed runs.
    for (const auto& job : {"github", "downloads"}) {
      if (o->no_schedule || !scheduler.has_schedule(job)) continue;
      fmt::print("schedule: job {} at \"{}\" (UTC)\n", job,
                 std::string_view(job) == "github" ? c.github_schedule.expression() : c.pypi_schedule.expression());
    }
    ServeScheduler serving{&scheduler, data_changed, std::chrono::seconds(o->stop_grace), !o->no_schedule};
    return serve_warehouse(c.data_dir, **warehouse, c.server_bind, c.server_port, c, serving);
  };
}

}  // namespace ampere::cli
