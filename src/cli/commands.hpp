#pragma once
// The define functions of the subcommands, one per *_command.cpp file, gathered in the table.

#include "cli/command.hpp"

namespace ampere::cli {

Handler define_init(CLI::App& app, const GlobalOptions& global);
Handler define_config(CLI::App& app, const GlobalOptions& global);
Handler define_sync(CLI::App& app, const GlobalOptions& global);
Handler define_build(CLI::App& app, const GlobalOptions& global);
Handler define_test(CLI::App& app, const GlobalOptions& global);
Handler define_serve(CLI::App& app, const GlobalOptions& global);
Handler define_demo(CLI::App& app, const GlobalOptions& global);
Handler define_run(CLI::App& app, const GlobalOptions& global);
Handler define_status(CLI::App& app, const GlobalOptions& global);
Handler define_lake(CLI::App& app, const GlobalOptions& global);
Handler define_simulator(CLI::App& app, const GlobalOptions& global);
Handler define_repos(CLI::App& app, const GlobalOptions& global);
Handler define_feed(CLI::App& app, const GlobalOptions& global);
Handler define_downloads(CLI::App& app, const GlobalOptions& global);
Handler define_issues(CLI::App& app, const GlobalOptions& global);

}  // namespace ampere::cli
