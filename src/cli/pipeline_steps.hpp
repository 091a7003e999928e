#pragma once
// Steps more than one subcommand runs: build the warehouse, serve it.

#include <filesystem>
#include <string>

#include "db/database.hpp"
#include "util/error.hpp"

namespace ampere::cli {

/// Points the raw_<source>.<table> views of `warehouse` at the latest snapshots of `data_dir`'s lake,
/// then builds every model, printing one line per model and a total.
Expected<void> build_warehouse(db::Database& warehouse, const std::filesystem::path& data_dir);

/// Blocks SIGINT and SIGTERM in the calling thread and in every thread it starts afterwards, so that
/// serve_warehouse's waiting thread receives them. Call before opening a database: DuckDB starts its
/// worker threads then, and they inherit the signal mask.
void block_stop_signals();

/// Serves `warehouse` (the data dir's) on bind:port until SIGINT or SIGTERM. Prints the dashboard URL
/// once /healthz answers. Returns the exit code.
int serve_warehouse(const std::filesystem::path& data_dir, db::Database& warehouse, const std::string& bind, int port);

}  // namespace ampere::cli
