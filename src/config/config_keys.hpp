#pragma once
// The one table of configuration keys (house rule 4): file key, environment variable, default, help.

#include <span>
#include <string_view>

namespace ampere {

/// The shape a key's value takes, which decides how file, environment and flag text are read.
enum class ConfigType {
  string,       ///< free text
  integer,      ///< whole number within [min, max]
  string_list,  ///< TOML array of strings; comma-separated in the environment and on the command line
  path,         ///< a file or folder; relative paths are taken from the config file's folder
  cron,         ///< a five-field cron expression, UTC
  choice,       ///< one of `choices`, separated by '|'
};

/// Extra rule every item of a string or string_list value must follow.
enum class ConfigItemRule {
  any,           ///< no rule
  github_login,  ///< a GitHub organization or user name
  package_name,  ///< a PyPI project name
};

/// One configuration key. `name` is its dotted TOML path ("server.port").
struct ConfigKey {
  std::string_view name;
  std::string_view env;  ///< environment variable that overrides the file
  ConfigType type;
  std::string_view default_value;  ///< as it would be written in the environment
  std::string_view help;           ///< one line, shown by `config show` and in `ampere init`'s template
  std::string_view choices = {};   ///< for ConfigType::choice: "a|b|c"
  long long min = 0;               ///< for ConfigType::integer
  long long max = 0;               ///< for ConfigType::integer
  ConfigItemRule rule = ConfigItemRule::any;
};

/// Every key ampere reads, in the order `config show` and `ampere init` present them.
std::span<const ConfigKey> config_keys();

/// The key with this dotted name, or nullptr.
const ConfigKey* find_config_key(std::string_view name);

}  // namespace ampere
