#pragma once
// The CLI is a table of subcommands: {name, help, define}. `define` declares the subcommand's flags on
// its CLI11 app and returns the handler to run once the command line is parsed.

#include <functional>
#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

namespace ampere::cli {

/// Options that every subcommand accepts.
struct GlobalOptions {
  std::string config_file;  ///< --config; empty: AMPERE_CONFIG, then ./ampere.toml
};

/// Runs a parsed subcommand; returns the process exit code.
using Handler = std::function<int()>;

/// One row of the subcommand table.
struct Command {
  std::string_view name;
  std::string_view help;
  std::function<Handler(CLI::App&, const GlobalOptions&)> define;
};

/// Every subcommand, in the order `ampere --help` lists them.
std::span<const Command> commands();

/// Exit codes shared by all commands.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

}  // namespace ampere::cli
