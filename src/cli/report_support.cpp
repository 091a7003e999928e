#include "cli/report_support.hpp"

namespace ampere::cli {

std::optional<ReportJson> fetch_report(ReportSource& source, const std::string& route, const ReportParams& params,
                                       int& exit_code, const std::map<std::string, std::string>& option_names) {
  ReportProblem problem;
  auto body = source.get(route, params, &problem);
  if (body) return std::move(*body);
  if (!problem.detail.empty()) {
    const auto it = option_names.find(problem.parameter);
    exit_code = report_problem(problem, it != option_names.end() ? it->second : problem.parameter + " values");
  } else {
    exit_code = report_error(body.error());
  }
  return std::nullopt;
}

std::string field_text(const ReportJson& item, const char* key) {
  const auto it = item.find(key);
  return it == item.end() ? std::string() : cell_text(*it);
}

double field_number(const ReportJson& item, const char* key) {
  const auto it = item.find(key);
  return it != item.end() && it->is_number() ? it->get<double>() : 0.0;
}

int64_t field_whole(const ReportJson& item, const char* key) {
  const auto it = item.find(key);
  return it != item.end() && it->is_number() ? it->get<int64_t>() : 0;
}

std::string with_commas(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return (n < 0 ? "-" : "") + digits;
}

std::string granularity_name(const std::string& g) {
  static const std::map<std::string, std::string> names{
      {"hourly", "hour"}, {"daily", "day"}, {"weekly", "week"}, {"monthly", "month"}};
  const auto it = names.find(g);
  return it == names.end() ? g : it->second;
}

}  // namespace ampere::cli
