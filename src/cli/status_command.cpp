// `ampere status`: what data there is and how fresh it is (the status mart), exit code 1 when
// something is stale or missing.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/report_support.hpp"
#include "cli/serve_lock.hpp"
#include "http/client.hpp"
#include "warehouse/repo_queries.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

namespace {

/// One line of the status table, as text.
struct StatusLine {
  std::string asset;
  std::string rows;
  std::string newest;
  std::string last_success;
  std::string hours_stale;
  std::string threshold;
  std::string state;
};

// "260820" -> "260,820"; other text as it is.
std::string count_text(const std::string& text) {
  int64_t n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  return error == std::errc() && end == text.data() + text.size() ? with_commas(n) : text;
}

// Prints the table and returns the exit code: 0 when every asset is ok.
int print_status(const std::vector<StatusLine>& lines) {
  fmt::print("\n{:<34} {:>10}  {:<17}  {:<17}  {:>11}  {:>9}  {}\n", "asset", "rows", "newest data", "last success",
             "hours stale", "threshold", "state");
  size_t not_ok = 0;
  for (const auto& l : lines) {
    fmt::print("{:<34} {:>10}  {:<17}  {:<17}  {:>11}  {:>9}  {}\n", l.asset, count_text(l.rows), l.newest,
               l.last_success, l.hours_stale, l.threshold, l.state);
    if (l.state != "ok") ++not_ok;
  }
  if (lines.empty()) {
    fmt::print("no assets: nothing is configured to sync (github.orgs, pypi.packages)\n");
    return exit_ok;
  }
  if (not_ok == 0) {
    fmt::print("\nall {} assets are fresh\n", lines.size());
    return exit_ok;
  }
  fmt::print("\n{} of {} assets are stale or missing\n", not_ok, lines.size());
  return exit_failure;
}

std::string minutes(const std::string& iso) {
  // "2026-11-28T10:00:00Z" -> "2026-11-28 10:00"
  return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) : (iso.empty() ? "-" : iso);
}

// Reads the status through a running server's API (it holds the warehouse's lock).
Expected<std::vector<StatusLine>> status_from_server(const ServeLockInfo& server) {
  http::Client client;
  const std::string host = server.bind == "0.0.0.0" ? "127.0.0.1" : server.bind;
  auto response = client.get(fmt::format("http://{}:{}/api/v1/status", host, server.port));
  if (!response) return tl::unexpected(response.error());
  if (response->status == 404) return std::vector<StatusLine>{};  // a server without the status API
  if (response->status != 200) {
    return fail(ErrorKind::protocol, fmt::format("the server answered HTTP {} for /api/v1/status", response->status));
  }
  const auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (json.is_discarded() || !json.contains("items")) {
    return fail(ErrorKind::protocol, "the server's /api/v1/status answer has no items");
  }
  std::vector<StatusLine> lines;
  const auto text = [](const nlohmann::json& v) -> std::string {
    if (v.is_null()) return "-";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_float()) return fmt::format("{:.1f}", v.get<double>());
    return v.dump();
  };
  for (const auto& item : json["items"]) {
    lines.push_back(
        {text(item.value("asset", nlohmann::json())), text(item.value("row_count", nlohmann::json())),
         minutes(item.value("newest_data_at", nlohmann::json()).is_string() ? item["newest_data_at"].get<std::string>()
                                                                            : ""),
         minutes(item.value("last_success_at", nlohmann::json()).is_string()
                     ? item["last_success_at"].get<std::string>()
                     : ""),
         text(item.value("hours_stale", nlohmann::json())), text(item.value("threshold_hours", nlohmann::json())),
         text(item.value("state", nlohmann::json()))});
  }
  return lines;
}

Expected<std::vector<StatusLine>> status_from_warehouse(db::Connection& connection) {
  auto result = connection.query(
      "SELECT asset, row_count, coalesce(strftime(newest_data_at, '%Y-%m-%d %H:%M'), '-'), "
      "coalesce(strftime(last_success_at, '%Y-%m-%d %H:%M'), '-'), coalesce(printf('%.1f', hours_stale), '-'), "
      "printf('%.0f', threshold_hours), state FROM main.status ORDER BY kind DESC, asset");
  if (!result) {
    return fail(ErrorKind::not_found,
                "the warehouse has no status mart yet; run `ampere build` (or `ampere run`) to make it");
  }
  std::vector<StatusLine> lines;
  for (size_t r = 0; r < result->row_count(); ++r) {
    lines.push_back({result->text(0, r), result->text(1, r), result->text(2, r), result->text(3, r), result->text(4, r),
                     result->text(5, r), result->text(6, r)});
  }
  return lines;
}

}  // namespace

Handler define_status(CLI::App& app, const GlobalOptions& global) {
  auto data_dir = std::make_shared<std::string>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", *data_dir, "data dir (default: data_dir in config)");
  app.footer(
      "Prints each source table and mart: rows, newest data, last successful sync (or build), hours since, "
      "the threshold (freshness.github_hours, freshness.pypi_hours) and the state: ok, stale or missing.\n"
      "Exit codes: 0 every asset is ok, 1 something is stale or missing (or there is no warehouse yet), "
      "2 bad configuration.");
  return [&global, data_dir, data_dir_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", *data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const auto& dir = loaded->config.data_dir;
    fmt::print("data dir:  {}\n", dir.string());
    if (const auto server = find_server(dir)) {
      // The server holds DuckDB's lock on the warehouse; ask it instead of opening the file.
      fmt::print("server:    running (pid {}) at http://{}:{}/\n", server->pid, server->bind, server->port);
      auto lines = status_from_server(*server);
      if (!lines) {
        fmt::print(stderr, "ampere: could not read the status from the server: {}\n", lines.error().message);
        return exit_failure;
      }
      if (lines->empty()) {
        fmt::print("the server reports no assets at /api/v1/status\n");
        return exit_ok;
      }
      return print_status(*lines);
    }
    fmt::print("server:    not running\n");
    auto warehouse = warehouse::open_warehouse(dir, true);
    if (!warehouse) {
      fmt::print(stderr, "ampere: {}\n", warehouse.error().message);
      return exit_failure;
    }
    auto connection = (*warehouse)->connect();
    if (!connection) return report_error(connection.error());
    auto built = warehouse::last_build_time(*connection);
    fmt::print("last build: {}\n", built && !built->empty() ? *built : "never");
    auto lines = status_from_warehouse(*connection);
    if (!lines) {
      fmt::print(stderr, "ampere: {}\n", lines.error().message);
      return exit_failure;
    }
    return print_status(*lines);
  };
}

}  // namespace ampere::cli
