#include "cli/cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "db/database.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

#ifndef AMPERE_VERSION
#define AMPERE_VERSION "0.0.0"
#endif

namespace ampere::cli {

namespace {

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& c : commands()) names.emplace_back(c.name);
  return names;
}

// Catches a mistyped subcommand before CLI11 does, to suggest the nearest one.
bool check_subcommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config") {
      ++i;
      continue;
    }
    if (arg.starts_with("-")) continue;
    const auto names = command_names();
    for (const auto& n : names) {
      if (n == arg) return true;
    }
    const auto suggestion = closest_match(arg, names);
    std::fprintf(stderr, "ampere: '%s' is not an ampere command.%s\nRun `ampere --help` to see all commands.\n",
                 std::string(arg).c_str(),
                 suggestion ? fmt::format(" Did you mean `ampere {}`?", *suggestion).c_str() : "");
    return false;
  }
  return true;
}

void configure_logging() {
  if (const char* level = std::getenv("AMPERE_LOG")) {
    log::Level parsed{};
    if (log::parse_level(level, parsed)) log::set_level(parsed);
  }
}

}  // namespace

int run(int argc, char** argv) {
  configure_logging();
  if (!check_subcommand(argc, argv)) return exit_usage;

  CLI::App app{
      "ampere: track and visualize engagement with a GitHub organization.\n"
      "Syncs GitHub and PyPI downloads into Delta tables, models them in DuckDB, and serves a\n"
      "dashboard, a JSON API and reports. Start with `ampere demo`, or `ampere init ORG`.",
      "ampere"};
  app.set_version_flag("--version",
                       fmt::format("ampere {} (DuckDB {})", AMPERE_VERSION, db::Database::library_version()));
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--config", global.config_file, "config file (default: $AMPERE_CONFIG, then ./ampere.toml)");

  std::map<const CLI::App*, Handler> handlers;
  for (const auto& command : commands()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.help));
    handlers[sub] = command.define(*sub, global);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    for (const CLI::App* sub : app.get_subcommands()) {
      if (const auto it = handlers.find(sub); it != handlers.end()) return it->second();
    }
    return exit_usage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ampere: %s\n", e.what());
    return exit_failure;
  }
}

}  // namespace ampere::cli
