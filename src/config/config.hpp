#pragma once
// The validated configuration every command runs with, and where each value came from.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/config_keys.hpp"
#include "util/cron.hpp"
#include "util/error.hpp"
#include "util/secret.hpp"

namespace ampere {

/// Validated settings. Built only by load_config, so every field holds an accepted value.
struct Config {
  std::vector<std::string> orgs;
  std::filesystem::path github_token_file;
  Secret github_token;  ///< from GITHUB_TOKEN, else from github_token_file; never printed
  std::string github_api_url;
  std::vector<std::string> pypi_packages;
  std::vector<std::string> pypi_dependencies;
  std::string pypi_source;
  std::string pypi_clickpy_url;
  std::string pypi_clickpy_user;
  int pypi_window_days = 0;
  std::string pypi_bigquery_project;
  int64_t pypi_bigquery_max_gib = 0;
  std::string pypi_bigquery_api_url;
  std::filesystem::path data_dir;
  CronSchedule github_schedule;
  CronSchedule pypi_schedule;
  int schedule_retries = 0;
  int schedule_retry_backoff_seconds = 0;
  int freshness_github_hours = 0;
  int freshness_pypi_hours = 0;
  std::string notify_webhook_url;
  std::string notify_smtp_url;
  std::string notify_smtp_user;
  Secret notify_smtp_password;  ///< from AMPERE_SMTP_PASSWORD only; never printed
  std::string notify_smtp_from;
  std::vector<std::string> notify_smtp_to;
  std::string notify_status_url;  ///< the status page's URL as failure messages link it (never empty)
  std::string server_bind;
  int server_port = 0;
  int server_rate_limit_per_minute = 120;
  int64_t server_memory_limit_mb = 64;
  bool server_trusted_proxy = false;
  std::vector<std::string> server_cors_origins;
  Secret admin_token;  ///< from AMPERE_ADMIN_TOKEN: allows POST /api/v1/sync; never printed
};

/// A key's value in one of the shapes ConfigType allows.
using ConfigValue = std::variant<std::string, long long, std::vector<std::string>>;

/// Where a value came from: "default", "ampere.toml:7", "env AMPERE_PORT", "flag --port".
struct ConfigOrigin {
  enum class Source { default_value, file, env, flag };
  Source source = Source::default_value;
  std::string detail;
};

/// One key's final value and origin, as `ampere config show` prints it.
struct ConfigSetting {
  const ConfigKey* key = nullptr;
  ConfigValue value;
  ConfigOrigin origin;
};

/// What load_config reads: an explicit file (or none), the environment, and command-line overrides.
struct ConfigInputs {
  /// --config; when empty, AMPERE_CONFIG, then ./ampere.toml if it exists.
  std::optional<std::filesystem::path> file;
  /// The process environment (tests pass their own).
  std::map<std::string, std::string> env;
  /// Flag overrides as {key name, value text, flag spelling}, e.g. {"server.port", "9000", "--port"}.
  struct Flag {
    std::string key;
    std::string value;
    std::string flag;
  };
  std::vector<Flag> flags;
};

/// The configuration plus its provenance.
struct LoadedConfig {
  Config config;
  std::vector<ConfigSetting> settings;        ///< one per key, in config_keys() order
  std::optional<std::filesystem::path> file;  ///< the file that was read, if any
  std::string token_origin;                   ///< "env GITHUB_TOKEN", "file <path>" or "not set"
};

/// Defaults < file < env < flags. Fails on a syntax error, an unknown key, a value of the wrong type
/// or outside its accepted values, naming the file, line, key and what is accepted.
Expected<LoadedConfig> load_config(const ConfigInputs& inputs);

/// Checks `text` as a value of key `key_name` given by `flag` (e.g. "ORG"), without loading anything else.
Expected<void> check_flag_value(std::string_view key_name, std::string_view text, std::string_view flag);

/// The process environment as a map, for ConfigInputs::env.
std::map<std::string, std::string> process_environment();

/// A value as TOML would write it: "text", 42, ["a", "b"].
std::string format_config_value(const ConfigValue& value);

}  // namespace ampere
