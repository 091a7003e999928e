#pragma once
// Steps more than one subcommand runs: build the warehouse, serve it.

#include <filesystem>
#include <string>

#include "config/config.hpp"
#include "db/database.hpp"
#include "util/error.hpp"
#include "warehouse/data_test.hpp"

namespace ampere::cli {

/// Points the raw_<source>.<table> views of `warehouse` at the latest snapshots of `data_dir`'s lake,
/// then builds the models `select` picks (all when empty; see warehouse::select_models) and runs their
/// tests, printing one line per model, each failed test with sample rows, and a total. An error when a
/// model did not build. After a successful build, lays out the networks whose nodes or edges changed
/// (pipeline::update_network_layouts), printing one line per network.
Expected<void> build_warehouse(db::Database& warehouse, const std::filesystem::path& data_dir,
                               const std::string& select = "");

/// Prints a failed data test and its sample rows.
void print_test_failure(const warehouse::DataTestFailure& failure);

/// Blocks SIGINT and SIGTERM in the calling thread and in every thread it starts afterwards, so that
/// serve_warehouse's waiting thread receives them. Call before opening a database: DuckDB starts its
/// worker threads then, and they inherit the signal mask.
void block_stop_signals();

/// Serves `warehouse` (the data dir's) on bind:port until SIGINT or SIGTERM. Prints the dashboard URL
/// once /healthz answers. Returns the exit code.
/// The API's options (rate limit, trusted proxy, CORS, admin token, Cache-Control until the next
/// scheduled sync) come from `config`; POST /api/v1/sync runs an AdminSync.
int serve_warehouse(const std::filesystem::path& data_dir, db::Database& warehouse, const std::string& bind, int port,
                    const Config& config);

}  // namespace ampere::cli
