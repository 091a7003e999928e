#include "cli/pipeline_steps.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

#include "cli/admin_sync.hpp"
#include "cli/command.hpp"
#include "cli/command_support.hpp"
#include "cli/serve_lock.hpp"
#include "http/server.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "pipeline/network_layouts.hpp"
#include "server/app.hpp"
#include "warehouse/model_graph.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::cli {

namespace {

std::string_view status_word(warehouse::ModelStatus status) {
  switch (status) {
    case warehouse::ModelStatus::built:
      return "ok";
    case warehouse::ModelStatus::failed:
      return "FAILED";
    case warehouse::ModelStatus::tests_failed:
      return "TESTS FAILED";
    case warehouse::ModelStatus::skipped:
      return "SKIPPED";
  }
  return "?";
}

// One line for a network's layout.
void print_layout(const pipeline::NetworkLayoutReport& n) {
  if (n.missing_marts) {
    fmt::print("layout {:<10} skipped: its network marts are not built yet\n", n.network);
  } else if (n.recomputed) {
    fmt::print("layout {:<10} {:>7} nodes {:>8} edges {:>4} iterations {:6.2f}s{}\n", n.network, n.nodes, n.edges,
               n.iterations, n.seconds, n.warm_started ? " (from the previous layout)" : "");
  } else {
    fmt::print("layout {:<10} {:>7} nodes {:>8} edges unchanged\n", n.network, n.nodes, n.edges);
  }
}

}  // namespace

void print_test_failure(const warehouse::DataTestFailure& failure) {
  fmt::print("    test {} failed ({}:{}): {} failing row{}\n", failure.test.label(), failure.test.path,
             failure.test.line, failure.failing_rows, failure.failing_rows == 1 ? "" : "s");
  for (const auto& row : failure.sample) fmt::print("      {}\n", row);
}

std::map<std::string, std::string> build_variables(const Config& config) {
  std::string sources;
  if (!config.orgs.empty()) sources = "github";
  if (!config.pypi_packages.empty() || !config.pypi_dependencies.empty()) sources += sources.empty() ? "pypi" : ",pypi";
  std::map<std::string, std::string> variables{
      {"ampere_freshness_github_hours", std::to_string(config.freshness_github_hours)},
      {"ampere_freshness_pypi_hours", std::to_string(config.freshness_pypi_hours)}};
  // Nothing configured (yet): every source is listed, and missing.
  if (!sources.empty()) variables["ampere_configured_sources"] = sources;
  return variables;
}

namespace {

// Every model of `models` and its tests on `connection`, then the network layouts.
Expected<void> build_models_and_layouts(db::Connection& connection, const std::filesystem::path& data_dir,
                                        const std::vector<warehouse::Model>& all_models,
                                        const std::vector<warehouse::Model>& models,
                                        const std::vector<warehouse::DataTest>& tests,
                                        const warehouse::BuildOptions& options) {
  auto sources = warehouse::embedded_sources();
  if (!sources) return tl::unexpected(sources.error());
  if (auto ok = warehouse::check_model_sources(all_models, *sources); !ok) return ok;
  if (auto ok = lake::attach_lake_views(connection, lake::lake_root(data_dir)); !ok) return ok;
  if (auto ok = warehouse::ensure_source_views(connection, *sources); !ok) return ok;
  // Each network is laid out as soon as its two marts are built, while the build goes on.
  if (auto ok = pipeline::create_layout_tables(connection); !ok) return ok;
  const auto networks = pipeline::network_marts();
  std::vector<pipeline::NetworkLayoutReport> layouts(networks.size());
  warehouse::BuildOptions with_layouts = options;
  for (size_t i = 0; i < networks.size(); ++i) {
    with_layouts.follow_ups.push_back({"layout " + networks[i].network,
                                       {networks[i].nodes, networks[i].edges},
                                       [&layouts, &networks, i](db::Connection& c) -> Expected<void> {
                                         auto laid = pipeline::update_network_layout(c, networks[i].network);
                                         if (!laid) return tl::unexpected(laid.error());
                                         layouts[i] = std::move(*laid);
                                         return {};
                                       }});
  }
  auto report = warehouse::build_models(connection, models, tests, with_layouts);
  if (!report) return tl::unexpected(report.error());
  size_t test_count = 0;
  for (const auto& m : report->models) {
    test_count += m.tests;
    fmt::print("  {:<12} {:<32} {:>5} {:>9} rows {:>3} tests {:6.2f}s\n",
               m.unchanged ? std::string_view("unchanged") : status_word(m.status), m.name,
               warehouse::materialization_name(m.materialization), m.rows, m.tests, m.seconds);
    if (!m.error.empty() && m.failures.empty()) fmt::print("    {}\n", m.error);
    for (const auto& f : m.failures) print_test_failure(f);
  }
  fmt::print("build: {} models, {} tests in {:.2f}s\n", report->models.size(), test_count, report->seconds);
  std::string layout_error;
  for (size_t i = 0; i < report->follow_ups.size(); ++i) {
    const auto& f = report->follow_ups[i];
    if (f.ran && f.error.empty()) {
      print_layout(layouts[i]);
    } else {
      fmt::print("{} {}\n", f.name, f.ran ? "FAILED: " + f.error : f.error);
      if (f.ran && layout_error.empty()) layout_error = f.error;
    }
  }
  if (!report->ok()) {
    return fail(ErrorKind::invalid_input,
                "the build is incomplete: models above marked FAILED or TESTS FAILED kept their previous version, "
                "and the SKIPPED ones depend on them");
  }
  if (!layout_error.empty()) return fail(ErrorKind::internal, "network layouts: " + layout_error);
  return {};
}

}  // namespace

Expected<void> build_warehouse(db::Database& warehouse, const std::filesystem::path& data_dir,
                               const std::string& select, const warehouse::BuildOptions& options) {
  auto all_models = warehouse::embedded_models();
  if (!all_models) return tl::unexpected(all_models.error());
  auto models = warehouse::select_models(*all_models, select);
  if (!models) return tl::unexpected(models.error());
  auto tests = warehouse::embedded_data_tests();
  if (!tests) return tl::unexpected(tests.error());
  auto connection = warehouse.connect();
  if (!connection) return tl::unexpected(connection.error());
  // A server answers queries within server.memory_limit_mb; a build needs more, and gives it back after.
  auto lift = warehouse.lift_memory_limit();
  if (!lift) return tl::unexpected(lift.error());
  // Independent models build two at a time, the second on another connection of the warehouse.
  warehouse::BuildOptions concurrent = options;
  concurrent.database = &warehouse;
  return build_models_and_layouts(*connection, data_dir, *all_models, *models, *tests, concurrent);
}

namespace {

sigset_t stop_signal_set() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void block_stop_signals() {
  const sigset_t signals = stop_signal_set();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int serve_warehouse(const std::filesystem::path& data_dir, db::Database& warehouse, const std::string& bind, int port,
                    const Config& config, const ServeScheduler& serving) {
  // The stop signals are blocked in every thread; one thread waits for them and stops the server.
  block_stop_signals();
  const sigset_t signals = stop_signal_set();

  // Answers are cached per build, so serving needs little of DuckDB's cache (builds lift the limit).
  if (auto ok = warehouse.set_memory_limit_mb(config.server_memory_limit_mb); !ok) return report_error(ok.error());

  // The admin sync is destroyed (its worker joined) before the App it tells about finished builds.
  AdminSync* admin_sync = nullptr;
  pipeline::Scheduler* scheduler = serving.scheduler;
  server::ApiOptions api;
  api.rate_limit_per_minute = config.server_rate_limit_per_minute;
  api.trusted_proxy = config.server_trusted_proxy;
  api.cors_origins = config.server_cors_origins;
  api.admin_token = config.admin_token;
  api.start_sync = [&admin_sync, scheduler](const std::string& job) -> Expected<std::string> {
    if (scheduler != nullptr) return scheduler->trigger(job);
    if (admin_sync == nullptr) return fail(ErrorKind::internal, "the server is still starting");
    return admin_sync->start(job);
  };
  api.next_build_at = [&config]() -> std::optional<Timestamp> {
    const Timestamp now = now_utc();
    return std::min(config.github_schedule.next_after(now), config.pypi_schedule.next_after(now));
  };
  server::App app(warehouse, std::move(api));
  AdminSync admin(config, warehouse, [&app] { app.data_changed(); });
  admin_sync = &admin;
  if (serving.data_changed) *serving.data_changed = [&app] { app.data_changed(); };
  http::Server server([&app](const http::Request& r) { return app.handle(r); });
  auto bound = server.bind(bind, port);
  if (!bound) return report_error(bound.error());
  auto lock = ServeLock::acquire(data_dir, bind, *bound);
  if (!lock) return report_error(lock.error());

  std::thread stopper([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
  });
  // Listening starts inside serve(); /healthz answers from then on.
  fmt::print("ampere is serving {} (Ctrl-C to stop)\ndashboard: http://{}:{}/\n", data_dir.string(), bind, *bound);
  std::fflush(stdout);
  if (scheduler != nullptr && serving.timed_runs) scheduler->start();
  auto served = server.serve();
  // Wake the signal thread if the server stopped on its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (scheduler != nullptr) {
    scheduler->stop();
    if (!scheduler->wait(std::chrono::steady_clock::now() + serving.stop_grace)) {
      // A sync is still between commits after the grace period. What it committed stays (each lake
      // commit is atomic and the warehouse rolls back an open transaction); its run shows as
      // interrupted and the next run carries on. Leave without waiting for it.
      fmt::print(
          "ampere: stopped while a run was still syncing; what it committed stays and the next run carries "
          "on\n");
      std::fflush(stdout);
      std::fflush(stderr);
      lock->release();
      std::_Exit(exit_ok);
    }
  }
  if (serving.data_changed) *serving.data_changed = nullptr;
  if (!served) return report_error(served.error());
  fmt::print("ampere: stopped\n");
  return exit_ok;
}

}  // namespace ampere::cli
