#include "config/config_keys.hpp"

#include <array>

namespace ampere {

namespace {

constexpr std::array keys = {
    // Top-level keys first: in TOML they must come before any [table].
    ConfigKey{"data_dir", "AMPERE_DATA_DIR", ConfigType::path, "data",
              "folder for the lake (raw Delta tables), the warehouse and run records"},
    ConfigKey{"github.orgs",
              "AMPERE_ORGS",
              ConfigType::string_list,
              "",
              "GitHub organizations (or users) to track, e.g. [\"mrpowers-io\"]",
              {},
              0,
              0,
              ConfigItemRule::github_login},
    ConfigKey{"github.token_file", "AMPERE_GITHUB_TOKEN_FILE", ConfigType::path, "",
              "file holding the GitHub token (mode 0600); GITHUB_TOKEN in the environment wins over it"},
    ConfigKey{"github.api_url", "AMPERE_GITHUB_API_URL", ConfigType::string, "https://api.github.com",
              "GitHub's API root: change it for GitHub Enterprise Server (https://HOST/api/v3) or a simulator"},
    ConfigKey{"pypi.packages",
              "AMPERE_PYPI_PACKAGES",
              ConfigType::string_list,
              "",
              "the organization's own PyPI packages whose downloads to track; \"package=repo\" names the org repo "
              "when it differs from the package name",
              {},
              0,
              0,
              ConfigItemRule::package_name},
    ConfigKey{"pypi.dependencies",
              "AMPERE_PYPI_DEPENDENCIES",
              ConfigType::string_list,
              "",
              "other packages to track for comparison, e.g. [\"pyspark\", \"deltalake\"]",
              {},
              0,
              0,
              ConfigItemRule::package_name},
    ConfigKey{"pypi.source", "AMPERE_PYPI_SOURCE", ConfigType::choice, "auto",
              "where downloads come from: bigquery, clickpy, or auto (bigquery when "
              "GOOGLE_APPLICATION_CREDENTIALS is set)",
              "auto|bigquery|clickpy"},
    ConfigKey{"pypi.clickpy_url", "AMPERE_CLICKPY_URL", ConfigType::string, "https://clickpy-clickhouse.clickhouse.com",
              "ClickPy's ClickHouse HTTP interface (or any ClickHouse holding its pypi database)"},
    ConfigKey{"pypi.clickpy_user", "AMPERE_CLICKPY_USER", ConfigType::string, "play",
              "the ClickHouse user for ClickPy (its anonymous user is play)"},
    ConfigKey{"pypi.window_days",
              "AMPERE_PYPI_WINDOW_DAYS",
              ConfigType::integer,
              "31",
              "most days of downloads one ClickPy query asks for; longer gaps are fetched in chunks of this",
              {},
              1,
              366},
    ConfigKey{"schedule.github", "AMPERE_SCHEDULE_GITHUB", ConfigType::cron, "0 0,6,12,18 * * *",
              "when `ampere serve` syncs GitHub (cron, UTC)"},
    ConfigKey{"schedule.pypi", "AMPERE_SCHEDULE_PYPI", ConfigType::cron, "0 10 * * *",
              "when `ampere serve` syncs PyPI downloads (cron, UTC)"},
    ConfigKey{"server.bind", "AMPERE_BIND", ConfigType::string, "127.0.0.1",
              "address the server listens on; loopback unless you mean to expose it"},
    ConfigKey{"server.port",
              "AMPERE_PORT",
              ConfigType::integer,
              "8080",
              "port the server listens on; 0 picks a free one (the URL is printed)",
              {},
              0,
              65535},
    ConfigKey{"server.rate_limit_per_minute",
              "AMPERE_RATE_LIMIT_PER_MINUTE",
              ConfigType::integer,
              "120",
              "API requests a minute each client may make (a token bucket per address); 0 turns the limit off",
              {},
              0,
              1000000},
    ConfigKey{"server.trusted_proxy", "AMPERE_TRUSTED_PROXY", ConfigType::choice, "false",
              "true only behind your own reverse proxy: clients are then told apart by X-Forwarded-For", "true|false"},
    ConfigKey{"server.cors_origins", "AMPERE_CORS_ORIGINS", ConfigType::string_list, "",
              "web origins allowed to call the API from a browser, e.g. [\"https://example.org\"]; \"*\" for any"},
};

}  // namespace

std::span<const ConfigKey> config_keys() {
  return keys;
}

const ConfigKey* find_config_key(std::string_view name) {
  for (const auto& key : keys) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

}  // namespace ampere
