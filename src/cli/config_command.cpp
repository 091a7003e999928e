// `ampere config show`: every value in force and where it came from.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"

namespace ampere::cli {

namespace {

int show(const GlobalOptions& global) {
  auto loaded = load_config_for(global);
  if (!loaded) return report_error(loaded.error());
  fmt::print("config file: {}\n\n", loaded->file ? loaded->file->string() : "none (defaults and environment only)");
  size_t key_width = 0;
  size_t value_width = 0;
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& s : loaded->settings) {
    values.emplace_back(std::string(s.key->name), format_config_value(s.value));
    key_width = std::max(key_width, s.key->name.size());
    value_width = std::max(value_width, values.back().second.size());
  }
  const std::string token = loaded->config.github_token.describe();
  value_width = std::max(value_width, token.size());
  for (size_t i = 0; i < loaded->settings.size(); ++i) {
    const auto& s = loaded->settings[i];
    fmt::print("{:<{}}  {:<{}}  {}\n", values[i].first, key_width, values[i].second, value_width, s.origin.detail);
    fmt::print("{:<{}}  # {} (env {})\n", "", key_width, s.key->help, s.key->env);
  }
  fmt::print("{:<{}}  {:<{}}  {}\n", "github.token", key_width, token, value_width, loaded->token_origin);
  fmt::print("{:<{}}  # read only from GITHUB_TOKEN or github.token_file; never printed\n", "", key_width);
  return exit_ok;
}

}  // namespace

Handler define_config(CLI::App& app, const GlobalOptions& global) {
  app.require_subcommand(1);
  CLI::App* show_app = app.add_subcommand("show", "print every setting, its value and where it came from");
  return [show_app, &global] {
    if (show_app->parsed()) return show(global);
    return exit_usage;
  };
}

}  // namespace ampere::cli
