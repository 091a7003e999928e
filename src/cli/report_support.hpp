#pragma once
// What every report subcommand (repos, feed, downloads, issues) shares: opening the report source
// from the config, asking a route with its problem printed for the user, and reading answer fields.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/command_support.hpp"
#include "cli/report_output.hpp"
#include "cli/report_source.hpp"

namespace ampere::cli {

using ReportParams = std::map<std::string, std::string>;

/// Loads the config (for data_dir), opens the report source and runs `body` with it; its exit code.
template <class Body>
int with_report_source(const GlobalOptions& global, const ReportOptions& options, Body&& body) {
  if (!check_report_options(options)) return exit_usage;
  std::vector<ConfigInputs::Flag> flags;
  if (!options.data_dir.empty()) flags.push_back({"data_dir", options.data_dir, "--data-dir"});
  auto loaded = load_config_for(global, flags);
  if (!loaded) return report_error(loaded.error());
  auto source = ReportSource::open(loaded->config.data_dir, options.server);
  if (!source) return report_error(source.error());
  return std::forward<Body>(body)(**source);
}

/// GET `route`; on a problem prints it (naming the option through `option_names`: API parameter ->
/// what the list of allowed values is called) and sets `exit_code`, then nullopt.
std::optional<ReportJson> fetch_report(ReportSource& source, const std::string& route, const ReportParams& params,
                                       int& exit_code, const std::map<std::string, std::string>& option_names = {});

/// `item[key]` as text ("" when missing).
std::string field_text(const ReportJson& item, const char* key);

/// `item[key]` as a number (0 when missing or not a number).
double field_number(const ReportJson& item, const char* key);
int64_t field_whole(const ReportJson& item, const char* key);

/// 1234567 -> "1,234,567".
std::string with_commas(int64_t n);

/// hourly -> hour, ... (the original CLI's names); other values unchanged for the API to check.
std::string granularity_name(const std::string& g);

}  // namespace ampere::cli
