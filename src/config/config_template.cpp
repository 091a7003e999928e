#include "config/config_template.hpp"

#include <fmt/format.h>

#include "config/config.hpp"
#include "config/config_keys.hpp"
#include "util/strings.hpp"

namespace ampere {

std::string config_template(const std::vector<std::string>& orgs, const std::vector<std::string>& packages) {
  std::string out =
      "# ampere configuration. Every key is listed with its default; `ampere config show` prints the\n"
      "# values in force and where each came from (default < this file < environment < flags).\n"
      "# The GitHub token is never read from this file: set GITHUB_TOKEN, or github.token_file.\n";
  std::string current_table;
  for (const auto& key : config_keys()) {
    const size_t dot = key.name.find('.');
    const std::string table = dot == std::string_view::npos ? "" : std::string(key.name.substr(0, dot));
    const std::string leaf(dot == std::string_view::npos ? key.name : key.name.substr(dot + 1));
    if (table != current_table) {
      out += fmt::format("\n[{}]\n", table);
      current_table = table;
    } else {
      out += "\n";
    }
    out += fmt::format("# {} (env {})\n", key.help, key.env);
    ConfigValue value;
    if (key.name == "github.orgs") {
      value = orgs;
    } else if (key.name == "pypi.packages") {
      value = packages;
    } else if (key.type == ConfigType::string_list) {
      value = std::vector<std::string>{};
    } else if (key.type == ConfigType::integer) {
      value = std::stoll(std::string(key.default_value));
    } else {
      value = std::string(key.default_value);
    }
    if (key.type == ConfigType::choice) out += fmt::format("# one of: {}\n", join(split(key.choices, '|'), ", "));
    out += fmt::format("{} = {}\n", leaf, format_config_value(value));
  }
  return out;
}

}  // namespace ampere
