#include "cli/pipeline_steps.hpp"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/command_support.hpp"
#include "cli/serve_lock.hpp"
#include "http/server.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "server/app.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::cli {

Expected<void> build_warehouse(db::Database& warehouse, const std::filesystem::path& data_dir) {
  auto models = warehouse::embedded_models();
  if (!models) return tl::unexpected(models.error());
  auto connection = warehouse.connect();
  if (!connection) return tl::unexpected(connection.error());
  auto sources = warehouse::embedded_sources();
  if (!sources) return tl::unexpected(sources.error());
  if (auto ok = warehouse::check_model_sources(*models, *sources); !ok) return ok;
  if (auto ok = lake::attach_lake_views(*connection, lake::lake_root(data_dir)); !ok) return ok;
  if (auto ok = warehouse::ensure_source_views(*connection, *sources); !ok) return ok;
  auto report = warehouse::build_models(*connection, *models);
  if (!report) return tl::unexpected(report.error());
  for (const auto& m : report->models) {
    fmt::print("  built {:<32} {:>5} {:>9} rows  {:6.2f}s\n", m.name,
               m.materialization == warehouse::Materialization::table ? "table" : "view", m.rows, m.seconds);
  }
  fmt::print("build: {} models in {:.2f}s\n", report->models.size(), report->seconds);
  return {};
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

int serve_warehouse(const std::filesystem::path& data_dir, db::Database& warehouse, const std::string& bind, int port) {
  // The stop signals are blocked in every thread; one thread waits for them and stops the server.
  block_stop_signals();
  const sigset_t signals = stop_signal_set();

  server::App app(warehouse);
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
  auto served = server.serve();
  // Wake the signal thread if the server stopped on its own.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  if (!served) return report_error(served.error());
  fmt::print("ampere: stopped\n");
  return exit_ok;
}

}  // namespace ampere::cli
