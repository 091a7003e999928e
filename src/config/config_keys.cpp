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
    ConfigKey{"pypi.bigquery_project", "AMPERE_BIGQUERY_PROJECT", ConfigType::string, "",
              "the Google Cloud project BigQuery jobs run (and are billed) in; empty: the key file's project_id"},
    ConfigKey{"pypi.bigquery_max_gib",
              "AMPERE_BIGQUERY_MAX_GIB",
              ConfigType::integer,
              "50",
              "refuse a BigQuery query that would scan more than this many GiB (checked by a free dry run "
              "first); 0 turns the guard off",
              {},
              0,
              1'000'000},
    ConfigKey{"pypi.bigquery_api_url", "AMPERE_BIGQUERY_API_URL", ConfigType::string,
              "https://bigquery.googleapis.com/bigquery/v2",
              "BigQuery's REST root (change it only for a stand-in, e.g. `ampere simulator --bigquery-key`)"},
    ConfigKey{"schedule.github", "AMPERE_SCHEDULE_GITHUB", ConfigType::cron, "0 0,6,12,18 * * *",
              "when `ampere serve` syncs GitHub (cron, UTC)"},
    ConfigKey{"schedule.pypi", "AMPERE_SCHEDULE_PYPI", ConfigType::cron, "0 10 * * *",
              "when `ampere serve` syncs PyPI downloads (cron, UTC)"},
    ConfigKey{"schedule.retries",
              "AMPERE_SCHEDULE_RETRIES",
              ConfigType::integer,
              "2",
              "how many times a scheduled job retries a failed sync (waits 1, 2, 4... times retry_backoff_seconds)",
              {},
              0,
              10},
    ConfigKey{"schedule.retry_backoff_seconds",
              "AMPERE_SCHEDULE_RETRY_BACKOFF_SECONDS",
              ConfigType::integer,
              "60",
              "wait before a scheduled job's first retry of a failed sync; doubled for each further retry",
              {},
              0,
              86400},
    ConfigKey{"freshness.github_hours",
              "AMPERE_FRESHNESS_GITHUB_HOURS",
              ConfigType::integer,
              "8",
              "GitHub data older than this many hours (since the last successful sync) is stale",
              {},
              1,
              8760},
    ConfigKey{"freshness.pypi_hours",
              "AMPERE_FRESHNESS_PYPI_HOURS",
              ConfigType::integer,
              "36",
              "PyPI download data older than this many hours (since the last successful sync) is stale",
              {},
              1,
              8760},
    ConfigKey{"notify.webhook_url", "AMPERE_WEBHOOK_URL", ConfigType::string, "",
              "when a scheduled run fails, POST a JSON message ({\"text\": ...}, Slack-compatible) here"},
    ConfigKey{"notify.smtp_url", "AMPERE_SMTP_URL", ConfigType::string, "",
              "when a scheduled run fails, e-mail through this server, e.g. smtps://smtp.example.com:465; the "
              "password comes from AMPERE_SMTP_PASSWORD only"},
    ConfigKey{"notify.smtp_user", "AMPERE_SMTP_USER", ConfigType::string, "",
              "the SMTP login (empty: send without logging in)"},
    ConfigKey{"notify.smtp_from", "AMPERE_SMTP_FROM", ConfigType::string, "", "the failure e-mail's From address"},
    ConfigKey{"notify.smtp_to", "AMPERE_SMTP_TO", ConfigType::string_list, "",
              "who gets the failure e-mail, e.g. [\"ops@example.com\"]"},
    ConfigKey{"notify.status_url", "AMPERE_STATUS_URL", ConfigType::string, "",
              "the status page link put in failure messages (empty: http://<server.bind>:<server.port>/status)"},
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
