#pragma once
// Steps more than one subcommand runs: build the warehouse, serve it.

#include <filesystem>
#include <string>

#include "db/database.hpp"
#include "util/error.hpp"

namespace ampere::cli {

/// Builds every model into `warehouse`, printing one line per model and a total.
Expected<void> build_warehouse(db::Database& warehouse);

/// Serves `warehouse` (the data dir's) on bind:port until SIGINT or SIGTERM. Prints the dashboard URL
/// once /healthz answers. Returns the exit code.
int serve_warehouse(const std::filesystem::path& data_dir, db::Database& warehouse, const std::string& bind, int port);

}  // namespace ampere::cli
