#include <sys/stat.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "config/config.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

extern char** environ;

namespace ampere {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view default_config_file = "ampere.toml";
constexpr size_t max_github_login_length = 39;

std::vector<std::string> key_names() {
  std::vector<std::string> names;
  for (const auto& key : config_keys()) names.emplace_back(key.name);
  return names;
}

std::string accepted(const ConfigKey& key) {
  switch (key.type) {
    case ConfigType::integer:
      return fmt::format("a whole number from {} to {}", key.min, key.max);
    case ConfigType::string_list:
      return "a list of strings such as [\"a\", \"b\"] (comma-separated outside the file)";
    case ConfigType::choice: {
      const auto choices = split(key.choices, '|');
      return "one of " + join(choices, ", ");
    }
    case ConfigType::cron:
      return "a cron expression such as \"0 10 * * *\" (minute hour day month weekday, UTC)";
    case ConfigType::path:
      return "a path";
    case ConfigType::string:
      return "text";
  }
  return "text";
}

// Where a value was read from, as it appears at the start of an error message.
std::string where(const ConfigOrigin& origin) {
  switch (origin.source) {
    case ConfigOrigin::Source::default_value:
      return "built-in default";
    case ConfigOrigin::Source::file:
      return origin.detail;
    case ConfigOrigin::Source::env:
      return "environment variable " + origin.detail.substr(4);
    case ConfigOrigin::Source::flag:
      return "flag " + origin.detail.substr(5);
  }
  return origin.detail;
}

tl::unexpected<Error> invalid(const ConfigOrigin& origin, const ConfigKey& key, std::string_view problem) {
  return fail(ErrorKind::invalid_input,
              fmt::format("{}: {} {}; accepted: {}", where(origin), key.name, problem, accepted(key)));
}

bool is_github_login(std::string_view s) {
  if (s.empty() || s.size() > max_github_login_length || s.front() == '-' || s.back() == '-') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '-' && s[i - 1] == '-') return false;
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') return false;
  }
  return true;
}

bool is_package_name(std::string_view s) {
  if (s.empty() || std::isalnum(static_cast<unsigned char>(s.front())) == 0 ||
      std::isalnum(static_cast<unsigned char>(s.back())) == 0) {
    return false;
  }
  for (const char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// "package" or "package=repo" (the org repo it belongs to).
bool is_package_entry(std::string_view s) {
  const size_t eq = s.find('=');
  if (eq == std::string_view::npos) return is_package_name(s);
  return is_package_name(s.substr(0, eq)) && is_package_name(s.substr(eq + 1));
}

Expected<void> check_items(const ConfigKey& key, const ConfigOrigin& origin, const std::vector<std::string>& items) {
  for (const auto& item : items) {
    if (key.rule == ConfigItemRule::github_login && !is_github_login(item)) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("{}: {} has '{}', which is not a GitHub organization or user name (letters, digits "
                              "and single hyphens, at most 39 characters)",
                              where(origin), key.name, item));
    }
    if (key.rule == ConfigItemRule::package_name && !is_package_entry(item)) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("{}: {} has '{}', which is not a PyPI project name (letters, digits, '-', '_' "
                              "and '.', starting and ending with a letter or digit), optionally followed by =REPO",
                              where(origin), key.name, item));
    }
  }
  return {};
}

// Turns text from the environment, a flag or a default into a value of the key's type.
Expected<ConfigValue> parse_text(const ConfigKey& key, std::string_view text, const ConfigOrigin& origin) {
  switch (key.type) {
    case ConfigType::integer: {
      long long v = 0;
      const std::string_view t = trim(text);
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc{} || end != t.data() + t.size()) {
        return invalid(origin, key, fmt::format("is '{}', not a whole number", text));
      }
      return ConfigValue{v};
    }
    case ConfigType::string_list: {
      std::vector<std::string> items;
      for (const auto& piece : split(text, ',')) {
        if (!trim(piece).empty()) items.emplace_back(trim(piece));
      }
      return ConfigValue{items};
    }
    default:
      return ConfigValue{std::string(text)};
  }
}

// Reads a TOML node as a value of the key's type.
Expected<ConfigValue> parse_node(const ConfigKey& key, const toml::node& node, const ConfigOrigin& origin) {
  switch (key.type) {
    case ConfigType::integer:
      if (const auto v = node.value_exact<int64_t>()) return ConfigValue{static_cast<long long>(*v)};
      return invalid(origin, key, "is not a whole number");
    case ConfigType::string_list: {
      const toml::array* array = node.as_array();
      if (array == nullptr) return invalid(origin, key, "is not a list");
      std::vector<std::string> items;
      for (const auto& element : *array) {
        const auto s = element.value_exact<std::string>();
        if (!s) return invalid(origin, key, "has an element that is not a string");
        items.push_back(*s);
      }
      return ConfigValue{items};
    }
    default:
      if (const auto s = node.value_exact<std::string>()) return ConfigValue{*s};
      return invalid(origin, key, "is not a string");
  }
}

// Checks a value against the key's accepted values.
Expected<void> validate(const ConfigKey& key, const ConfigValue& value, const ConfigOrigin& origin) {
  switch (key.type) {
    case ConfigType::integer: {
      const long long v = std::get<long long>(value);
      if (v < key.min || v > key.max) return invalid(origin, key, fmt::format("is {}, out of range", v));
      return {};
    }
    case ConfigType::choice: {
      const auto& s = std::get<std::string>(value);
      const auto choices = split(key.choices, '|');
      for (const auto& c : choices) {
        if (c == s) return {};
      }
      const auto suggestion = closest_match(s, choices);
      return invalid(origin, key,
                     fmt::format("is '{}'{}", s, suggestion ? " (did you mean '" + *suggestion + "'?)" : ""));
    }
    case ConfigType::cron: {
      auto parsed = CronSchedule::parse(std::get<std::string>(value));
      if (!parsed) {
        return fail(ErrorKind::invalid_input,
                    fmt::format("{}: {}: {}", where(origin), key.name, parsed.error().message));
      }
      return {};
    }
    case ConfigType::string_list:
      return check_items(key, origin, std::get<std::vector<std::string>>(value));
    case ConfigType::path:
    case ConfigType::string:
      return {};
  }
  return {};
}

ConfigSetting& setting_for(std::vector<ConfigSetting>& settings, const ConfigKey& key) {
  for (auto& s : settings) {
    if (s.key == &key) return s;
  }
  std::abort();  // every key has a setting: load_config creates one per key first
}

std::optional<fs::path> choose_file(const ConfigInputs& inputs) {
  if (inputs.file) return inputs.file;
  if (const auto it = inputs.env.find("AMPERE_CONFIG"); it != inputs.env.end() && !it->second.empty()) {
    return fs::path(it->second);
  }
  if (fs::exists(default_config_file)) return fs::path(default_config_file);
  return std::nullopt;
}

// Reads every leaf of the TOML document into `settings`, refusing unknown keys and secrets.
Expected<void> read_table(const toml::table& table, const std::string& prefix, const fs::path& file,
                          std::vector<ConfigSetting>& settings) {
  for (const auto& [name, node] : table) {
    const std::string full = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
    const ConfigOrigin origin{ConfigOrigin::Source::file,
                              fmt::format("{}:{}", file.string(), node.source().begin.line)};
    if (const toml::table* sub = node.as_table(); sub != nullptr && find_config_key(full) == nullptr) {
      if (auto ok = read_table(*sub, full, file, settings); !ok) return ok;
      continue;
    }
    if (to_lower(full).find("token") != std::string::npos && full != "github.token_file") {
      return fail(ErrorKind::invalid_input,
                  fmt::format("{}: {}: tokens are never read from the config file; set GITHUB_TOKEN in the "
                              "environment or point github.token_file at a file only you can read (chmod 600)",
                              origin.detail, full));
    }
    const ConfigKey* key = find_config_key(full);
    if (key == nullptr) {
      const auto suggestion = closest_match(full, key_names());
      return fail(ErrorKind::invalid_input,
                  fmt::format("{}: unknown key '{}'{}; known keys: {}", origin.detail, full,
                              suggestion ? " (did you mean '" + *suggestion + "'?)" : "", join(key_names(), ", ")));
    }
    auto value = parse_node(*key, node, origin);
    if (!value) return tl::unexpected(value.error());
    if (auto ok = validate(*key, *value, origin); !ok) return ok;
    if (key->type == ConfigType::path) {
      // A relative path in a file means relative to that file, wherever ampere is started from.
      auto& text = std::get<std::string>(*value);
      if (!text.empty() && fs::path(text).is_relative()) text = (file.parent_path() / text).lexically_normal().string();
    }
    auto& setting = setting_for(settings, *key);
    setting.value = std::move(*value);
    setting.origin = origin;
  }
  return {};
}

Expected<void> read_file_into(const fs::path& file, std::vector<ConfigSetting>& settings) {
  auto text = read_file(file);
  if (!text) {
    return fail(text.error().kind, text.error().message + "; create one with `ampere init ORG` or pass --config PATH");
  }
  try {
    const toml::table table = toml::parse(*text, file.string());
    return read_table(table, "", file, settings);
  } catch (const toml::parse_error& e) {
    return fail(ErrorKind::invalid_input, fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                                      e.source().begin.column, e.description()));
  }
}

Expected<Secret> read_token_file(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return fail(
        ErrorKind::invalid_input,
        fmt::format("github.token_file {} does not exist; create it with the token and chmod 600", path.string()));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail(ErrorKind::invalid_input,
                fmt::format("github.token_file {} can be read by other users (mode {:o}); run: chmod 600 {}",
                            path.string(), st.st_mode & 0777, path.string()));
  }
  auto text = read_file(path);
  if (!text) return tl::unexpected(text.error());
  const std::string_view token = trim(*text);
  if (token.empty()) {
    return fail(ErrorKind::invalid_input, fmt::format("github.token_file {} is empty", path.string()));
  }
  return Secret(std::string(token));
}

template <class T>
const T& value_of(const std::vector<ConfigSetting>& settings, std::string_view name) {
  for (const auto& s : settings) {
    if (s.key->name == name) return std::get<T>(s.value);
  }
  std::abort();  // names below are all in the key table
}

}  // namespace

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const size_t eq = entry.find('=');
    if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

std::string format_config_value(const ConfigValue& value) {
  if (const auto* i = std::get_if<long long>(&value)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&value)) return fmt::format("\"{}\"", *s);
  std::string out = "[";
  const auto& items = std::get<std::vector<std::string>>(value);
  for (size_t i = 0; i < items.size(); ++i) out += fmt::format("{}\"{}\"", i == 0 ? "" : ", ", items[i]);
  return out + "]";
}

Expected<void> check_flag_value(std::string_view key_name, std::string_view text, std::string_view flag) {
  const ConfigKey* key = find_config_key(key_name);
  if (key == nullptr) return fail(ErrorKind::internal, "no config key " + std::string(key_name));
  const ConfigOrigin origin{ConfigOrigin::Source::flag, "flag " + std::string(flag)};
  auto value = parse_text(*key, text, origin);
  if (!value) return tl::unexpected(value.error());
  return validate(*key, *value, origin);
}

Expected<LoadedConfig> load_config(const ConfigInputs& inputs) {
  LoadedConfig loaded;
  for (const auto& key : config_keys()) {
    const ConfigOrigin origin{ConfigOrigin::Source::default_value, "default"};
    auto value = parse_text(key, key.default_value, origin);
    if (!value) return tl::unexpected(value.error());
    loaded.settings.push_back({&key, std::move(*value), origin});
  }

  loaded.file = choose_file(inputs);
  if (loaded.file) {
    if (auto ok = read_file_into(*loaded.file, loaded.settings); !ok) return tl::unexpected(ok.error());
  }

  for (const auto& key : config_keys()) {
    const auto it = inputs.env.find(std::string(key.env));
    if (it == inputs.env.end()) continue;
    const ConfigOrigin origin{ConfigOrigin::Source::env, "env " + std::string(key.env)};
    auto value = parse_text(key, it->second, origin);
    if (!value) return tl::unexpected(value.error());
    if (auto ok = validate(key, *value, origin); !ok) return tl::unexpected(ok.error());
    auto& setting = setting_for(loaded.settings, key);
    setting.value = std::move(*value);
    setting.origin = origin;
  }

  for (const auto& flag : inputs.flags) {
    const ConfigKey* key = find_config_key(flag.key);
    if (key == nullptr) return fail(ErrorKind::internal, "flag " + flag.flag + " names no config key " + flag.key);
    const ConfigOrigin origin{ConfigOrigin::Source::flag, "flag " + flag.flag};
    auto value = parse_text(*key, flag.value, origin);
    if (!value) return tl::unexpected(value.error());
    if (auto ok = validate(*key, *value, origin); !ok) return tl::unexpected(ok.error());
    auto& setting = setting_for(loaded.settings, *key);
    setting.value = std::move(*value);
    setting.origin = origin;
  }

  Config& c = loaded.config;
  const auto& s = loaded.settings;
  c.orgs = value_of<std::vector<std::string>>(s, "github.orgs");
  c.github_token_file = value_of<std::string>(s, "github.token_file");
  c.github_api_url = value_of<std::string>(s, "github.api_url");
  c.pypi_packages = value_of<std::vector<std::string>>(s, "pypi.packages");
  c.pypi_dependencies = value_of<std::vector<std::string>>(s, "pypi.dependencies");
  c.pypi_source = value_of<std::string>(s, "pypi.source");
  c.pypi_clickpy_url = value_of<std::string>(s, "pypi.clickpy_url");
  c.pypi_clickpy_user = value_of<std::string>(s, "pypi.clickpy_user");
  c.pypi_window_days = static_cast<int>(value_of<long long>(s, "pypi.window_days"));
  c.pypi_bigquery_project = value_of<std::string>(s, "pypi.bigquery_project");
  c.pypi_bigquery_max_gib = value_of<long long>(s, "pypi.bigquery_max_gib");
  c.pypi_bigquery_api_url = value_of<std::string>(s, "pypi.bigquery_api_url");
  c.data_dir = value_of<std::string>(s, "data_dir");
  c.github_schedule = *CronSchedule::parse(value_of<std::string>(s, "schedule.github"));
  c.pypi_schedule = *CronSchedule::parse(value_of<std::string>(s, "schedule.pypi"));
  c.server_bind = value_of<std::string>(s, "server.bind");
  c.server_port = static_cast<int>(value_of<long long>(s, "server.port"));
  c.schedule_retries = static_cast<int>(value_of<long long>(s, "schedule.retries"));
  c.schedule_retry_backoff_seconds = static_cast<int>(value_of<long long>(s, "schedule.retry_backoff_seconds"));
  c.freshness_github_hours = static_cast<int>(value_of<long long>(s, "freshness.github_hours"));
  c.freshness_pypi_hours = static_cast<int>(value_of<long long>(s, "freshness.pypi_hours"));
  c.notify_webhook_url = value_of<std::string>(s, "notify.webhook_url");
  c.notify_smtp_url = value_of<std::string>(s, "notify.smtp_url");
  c.notify_smtp_user = value_of<std::string>(s, "notify.smtp_user");
  c.notify_smtp_from = value_of<std::string>(s, "notify.smtp_from");
  c.notify_smtp_to = value_of<std::vector<std::string>>(s, "notify.smtp_to");
  c.notify_status_url = value_of<std::string>(s, "notify.status_url");
  if (c.notify_status_url.empty()) {
    c.notify_status_url = fmt::format("http://{}:{}/status", c.server_bind, c.server_port);
  }
  if (const auto it = inputs.env.find("AMPERE_SMTP_PASSWORD"); it != inputs.env.end() && !it->second.empty()) {
    c.notify_smtp_password = Secret(it->second);
  }
  c.server_rate_limit_per_minute = static_cast<int>(value_of<long long>(s, "server.rate_limit_per_minute"));
  c.server_trusted_proxy = value_of<std::string>(s, "server.trusted_proxy") == "true";
  c.server_memory_limit_mb = value_of<long long>(s, "server.memory_limit_mb");
  c.server_cors_origins = value_of<std::vector<std::string>>(s, "server.cors_origins");
  if (const auto it = inputs.env.find("AMPERE_ADMIN_TOKEN"); it != inputs.env.end() && !trim(it->second).empty()) {
    c.admin_token = Secret(std::string(trim(it->second)));
  }

  loaded.token_origin = "not set";
  if (const auto it = inputs.env.find("GITHUB_TOKEN"); it != inputs.env.end() && !trim(it->second).empty()) {
    c.github_token = Secret(std::string(trim(it->second)));
    loaded.token_origin = "env GITHUB_TOKEN";
  } else if (!c.github_token_file.empty()) {
    auto token = read_token_file(c.github_token_file);
    if (!token) return tl::unexpected(token.error());
    c.github_token = std::move(*token);
    loaded.token_origin = "file " + c.github_token_file.string();
  }
  return loaded;
}

}  // namespace ampere
