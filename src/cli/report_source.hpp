#pragma once
// Where the reports (`ampere repos`, `feed`, `downloads`, `issues`, `status`) get their data: the same
// /api/v1 routes, answered in-process over the local warehouse (read-only), or by a running ampere over
// HTTP (`--server URL`, or the `ampere serve` that holds the data dir).

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace ampere::cli {

/// A report's answer: the route's JSON body.
using ReportJson = nlohmann::ordered_json;

/// A 400 from the API: what was wrong, with the parameter and its allowed values.
struct ReportProblem {
  std::string parameter;
  std::string detail;
  std::vector<std::string> allowed;
};

/// Answers GET /api/v1/... for the reports.
class ReportSource {
 public:
  /// `server_url` non-empty: that server. Else the server holding `data_dir` if one runs, else the
  /// warehouse file itself, opened read-only.
  static Expected<std::unique_ptr<ReportSource>> open(const std::filesystem::path& data_dir,
                                                      const std::string& server_url);
  virtual ~ReportSource() = default;

  /// GET `route` ("/api/v1/feed") with `params`. A 400 answer comes back as `problem` (and an error);
  /// other failures as errors whose message says what to do.
  virtual Expected<ReportJson> get(const std::string& route, const std::map<std::string, std::string>& params,
                                   ReportProblem* problem = nullptr) = 0;

  /// "http://host:port" or the warehouse path: where the data came from, for messages.
  [[nodiscard]] virtual std::string describe() const = 0;
};

/// Prints a problem for the terminal: "ampere: <detail>", then for an unknown name the nearest one
/// ("did you mean") and every valid choice. Returns the usage exit code (2).
int report_problem(const ReportProblem& problem, std::string_view option);

}  // namespace ampere::cli
