#pragma once
// Steps more than one subcommand runs: build the warehouse, serve it.

#include <chrono>
#include <filesystem>
#include <string>

#include <functional>
#include <map>
#include <memory>

#include "config/config.hpp"
#include "db/database.hpp"
#include "pipeline/scheduler.hpp"
#include "util/error.hpp"
#include "warehouse/data_test.hpp"
#include "warehouse/model_runner.hpp"

namespace ampere::cli {

/// Points the raw_<source>.<table> views of `warehouse` at the latest snapshots of `data_dir`'s lake,
/// then builds the models `select` picks (all when empty; see warehouse::select_models) and runs their
/// tests, printing one line per model, each failed test with sample rows, and a total. An error when a
/// model did not build. Lays out each network whose nodes or edges changed as soon as its two marts are
/// built (pipeline::update_network_layout, a follow-up of the build), printing one line per network; an
/// error when a layout failed.
Expected<void> build_warehouse(db::Database& warehouse, const std::filesystem::path& data_dir,
                               const std::string& select = "", const warehouse::BuildOptions& options = {});

/// The build variables `config` implies: the configured sources and the freshness thresholds (the
/// status mart reads them).
std::map<std::string, std::string> build_variables(const Config& config);

/// Prints a failed data test and its sample rows.
void print_test_failure(const warehouse::DataTestFailure& failure);

/// Blocks SIGINT and SIGTERM in the calling thread and in every thread it starts afterwards, so that
/// serve_warehouse's waiting thread receives them. Call before opening a database: DuckDB starts its
/// worker threads then, and they inherit the signal mask.
void block_stop_signals();

/// The scheduler `ampere serve` runs beside the server.
struct ServeScheduler {
  pipeline::Scheduler* scheduler = nullptr;  ///< null: no scheduler (the demo); POST /api/v1/sync runs its own
  /// Set by serve_warehouse to drop the server's cached API answers; the scheduler calls it after a run.
  std::shared_ptr<std::function<void()>> data_changed;
  std::chrono::seconds stop_grace{60};  ///< on a stop signal, how long a run may take to reach a commit
  bool timed_runs = true;               ///< false: only runs triggered on demand
};

/// Serves `warehouse` (the data dir's) on bind:port until SIGINT or SIGTERM. Prints the dashboard URL
/// once /healthz answers. The API's options (rate limit, trusted proxy, CORS, admin token, Cache-Control
/// until the next scheduled sync) come from `config`; POST /api/v1/sync triggers the scheduler's job (or,
/// without one, an AdminSync). With a scheduler, starts its timed runs once serving and, on the signal,
/// stops accepting requests, lets the run in progress end after its current commit (waiting up to
/// `stop_grace`; past that the process exits anyway: every lake commit is atomic, so the next run carries
/// on) and exits. Returns the exit code.
int serve_warehouse(const std::filesystem::path& data_dir, db::Database& warehouse, const std::string& bind, int port,
                    const Config& config, const ServeScheduler& serving = {});

}  // namespace ampere::cli
