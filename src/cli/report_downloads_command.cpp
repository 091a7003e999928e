// `ampere downloads list|summary`: reports over /api/v1/downloads and /api/v1/packages.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/report_support.hpp"
#include "util/time.hpp"

namespace ampere::cli {

namespace {

// API parameter -> what its allowed values are called in an error.
const std::map<std::string, std::string> option_names{
    {"package", "packages"}, {"granularity", "granularities"}, {"group", "groups"}, {"from", "dates"}, {"to", "dates"}};

std::string period_label(const std::string& at, const std::string& granularity) {
  if (granularity == "hour" && at.size() >= 16) return at.substr(0, 10) + " " + at.substr(11, 5);
  if (granularity == "month" && at.size() >= 7) return at.substr(0, 7);
  return at.substr(0, 10);
}

// Whether the period starting at `start` ends after `last_day`, the last day with data: it is not over, and
// set against a whole period it would read as a fall.
bool period_unfinished(const std::string& start, const std::string& granularity, const std::string& last_day) {
  using namespace std::chrono;
  const auto begin = parse_iso8601(start);
  const auto last = parse_iso8601(last_day);
  if (!begin || !last) return false;
  const sys_days first = floor<days>(*begin);
  const year_month_day date{first};
  const sys_days end =
      granularity == "week" ? first + days{7} : sys_days{year_month_day{date.year() / date.month() / 1} + months{1}};
  return floor<days>(*last) + days{1} < end;
}

struct DownloadsOptions {
  std::string package;
  std::string granularity = "week";
  std::string group = "overall";
  std::string from, to;
  int n_days = 0;
  int64_t limit = 10'000;
  bool ascending = true;
  double min_pct = 0.1;
  bool subtotals = false;
  bool grand_total = false;
};

int downloads_list(const GlobalOptions& global, const ReportOptions& report, const DownloadsOptions& o) {
  return with_report_source(global, report, [&](ReportSource& source) {
    int exit_code = exit_ok;
    ReportParams params{{"package", o.package},
                        {"granularity", granularity_name(o.granularity)},
                        {"group", o.group},
                        {"from", o.from},
                        {"to", o.to}};
    auto body = fetch_report(source, "/api/v1/downloads", params, exit_code, option_names);
    if (!body) return exit_code;
    if (o.n_days > 0 && o.from.empty()) {
      // Keep the last n days of data: the newest period's day counts back.
      auto& items = (*body)["items"];
      if (!items.empty()) {
        const auto newest = parse_iso8601(field_text(items.back(), "period_start").substr(0, 10));
        if (newest) {
          const std::string first = format_date(*newest - std::chrono::days(o.n_days - 1));
          ReportJson kept = ReportJson::array();
          for (auto& item : items) {
            if (field_text(item, "period_start").substr(0, 10) >= first) kept.push_back(item);
          }
          items = std::move(kept);
        }
      }
    }
    auto& items = (*body)["items"];
    if (!o.ascending) std::reverse(items.begin(), items.end());
    if (static_cast<int64_t>(items.size()) > o.limit) items.erase(items.begin() + o.limit, items.end());
    const std::string g = (*body)["granularity"].get<std::string>();
    const bool overall = (*body)["group"] == "overall";
    std::map<std::string, int64_t> period_totals;
    int64_t largest = 0;
    for (const auto& item : items) {
      period_totals[field_text(item, "period_start")] += field_whole(item, "downloads");
      largest = std::max(largest, field_whole(item, "downloads"));
    }
    TextTable table{fmt::format("{} {} downloads by {}", (*body)["package"].get<std::string>(),
                                (*body)["group"].get<std::string>(), g),
                    {{"period"}, {"value"}, {"downloads", true}, {overall ? "" : "% of period", true}, {""}},
                    {},
                    {}};
    for (const auto& item : items) {
      const int64_t n = field_whole(item, "downloads");
      const int64_t total = period_totals[field_text(item, "period_start")];
      table.rows.push_back(
          {period_label(field_text(item, "period_start"), g), field_text(item, "group_value"), with_commas(n),
           overall || total == 0 ? ""
                                 : fmt::format("{:.1f}%", 100.0 * static_cast<double>(n) / static_cast<double>(total)),
           bar(static_cast<double>(n), static_cast<double>(largest), 16)});
    }
    print_report(report, *body, items, table);
    return exit_ok;
  });
}

int downloads_summary(const GlobalOptions& global, const ReportOptions& report, const DownloadsOptions& o) {
  const std::string g = granularity_name(o.granularity);
  if (g != "week" && g != "month") {
    std::fprintf(stderr, "ampere: '%s' is not a valid granularity for a summary\nvalid granularities: week, month\n",
                 o.granularity.c_str());
    return exit_usage;
  }
  return with_report_source(global, report, [&](ReportSource& source) {
    int exit_code = exit_ok;
    std::vector<std::string> packages;
    std::map<std::string, std::string> last_days;  // package -> the last day with downloads
    auto listed = fetch_report(source, "/api/v1/packages", {}, exit_code, option_names);
    if (!listed) return exit_code;
    for (const auto& p : (*listed)["items"]) {
      last_days[field_text(p, "package")] = field_text(p, "last_day");
      if (o.package.empty()) packages.push_back(field_text(p, "package"));
    }
    if (!o.package.empty()) packages.push_back(o.package);
    struct Row {
      std::string package, value;
      int64_t last = 0, now = 0;
      std::optional<int64_t> so_far;  ///< the unfinished period after `now`, when there is one
      std::vector<double> trend;
    };
    std::vector<std::vector<Row>> by_package;
    ReportJson items = ReportJson::array();
    ReportJson as_of;
    std::string last_period, this_period, so_far_period;
    for (const auto& package : packages) {
      auto body = fetch_report(source, "/api/v1/downloads",
                               {{"package", package}, {"granularity", g}, {"group", o.group}}, exit_code, option_names);
      if (!body) return exit_code;
      as_of = (*body)["as_of"];
      std::vector<std::string> periods;
      std::map<std::string, std::map<std::string, int64_t>> values;  // value -> period -> downloads
      for (const auto& item : (*body)["items"]) {
        const std::string period = field_text(item, "period_start");
        if (periods.empty() || periods.back() != period) periods.push_back(period);
        values[field_text(item, "group_value")][period] += field_whole(item, "downloads");
      }
      if (periods.empty()) continue;
      // An unfinished newest period is shown beside the comparison of the last two whole ones.
      std::string so_far_p;
      if (periods.size() >= 2 && period_unfinished(periods.back(), g, last_days[package])) {
        so_far_p = periods.back();
        periods.pop_back();
        so_far_period = period_label(so_far_p, g);
      }
      const std::string now_p = periods.back();
      const std::string last_p = periods.size() > 1 ? periods[periods.size() - 2] : "";
      this_period = period_label(now_p, g);
      last_period = last_p.empty() ? "" : period_label(last_p, g);
      int64_t package_now = 0;
      for (const auto& [value, series] : values) package_now += series.count(now_p) != 0 ? series.at(now_p) : 0;
      std::vector<Row> rows;
      const auto at = [](const std::map<std::string, int64_t>& series, const std::string& period) -> int64_t {
        const auto it = series.find(period);
        return it == series.end() ? 0 : it->second;
      };
      Row other{package, "other", 0, 0, std::nullopt, std::vector<double>(std::min<size_t>(periods.size(), 12), 0.0)};
      if (!so_far_p.empty()) other.so_far = 0;
      for (const auto& [value, series] : values) {
        Row row{package, value, 0, 0, std::nullopt, {}};
        row.now = at(series, now_p);
        row.last = last_p.empty() ? 0 : at(series, last_p);
        if (!so_far_p.empty()) row.so_far = at(series, so_far_p);
        for (size_t i = periods.size() - std::min<size_t>(periods.size(), 12); i < periods.size(); ++i) {
          row.trend.push_back(series.count(periods[i]) != 0 ? static_cast<double>(series.at(periods[i])) : 0.0);
        }
        const bool small = value != "other" && value != "overall" && package_now > 0 &&
                           100.0 * static_cast<double>(row.now) / static_cast<double>(package_now) < o.min_pct;
        if (small || value == "other") {
          other.now += row.now;
          other.last += row.last;
          if (row.so_far) *other.so_far += *row.so_far;
          for (size_t i = 0; i < row.trend.size() && i < other.trend.size(); ++i) other.trend[i] += row.trend[i];
        } else {
          rows.push_back(std::move(row));
        }
      }
      if (other.now > 0 || other.last > 0 || other.so_far.value_or(0) > 0) rows.push_back(std::move(other));
      std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.value == "other" ? false : b.value == "other" ? true : a.now > b.now;
      });
      by_package.push_back(std::move(rows));
    }
    const auto subtotal = [](const std::vector<Row>& rows) {
      int64_t s = 0;
      for (const auto& r : rows) s += r.now;
      return s;
    };
    std::sort(by_package.begin(), by_package.end(),
              [&](const auto& a, const auto& b) { return subtotal(a) > subtotal(b); });
    const std::string unit = g == "week" ? "week" : "month";
    const bool show_so_far = !so_far_period.empty();
    TextTable table{fmt::format("{} downloads summary ({} {} vs {}{})", o.group, unit, this_period, last_period,
                                show_so_far ? fmt::format("; {} so far", so_far_period) : ""),
                    {{"package"},
                     {"value"},
                     {"last " + unit, true},
                     {"this " + unit, true},
                     {"% change", true},
                     {"% total", true},
                     {"trend"}},
                    {},
                    {}};
    if (show_so_far) table.columns.insert(table.columns.begin() + 4, {unit + " so far", true});
    const auto so_far_cell = [&](std::optional<int64_t> v) { return v ? with_commas(*v) : std::string(); };
    const auto pct_change = [](int64_t last, int64_t now) -> ReportJson {
      if (last == 0) return nullptr;
      return 100.0 * static_cast<double>(now - last) / static_cast<double>(last);
    };
    // A table row; the "so far" cell goes after "this period" when the table has that column.
    const auto add_row = [&](std::vector<std::string> cells, std::optional<int64_t> so_far) {
      if (show_so_far) cells.insert(cells.begin() + 4, so_far_cell(so_far));
      table.rows.push_back(std::move(cells));
    };
    int64_t grand_last = 0, grand_now = 0;
    std::optional<int64_t> grand_so_far;
    for (const auto& rows : by_package) {
      const int64_t total_now = subtotal(rows);
      int64_t total_last = 0;
      std::optional<int64_t> total_so_far;
      for (const auto& r : rows) {
        total_last += r.last;
        if (r.so_far) total_so_far = total_so_far.value_or(0) + *r.so_far;
        const ReportJson change = pct_change(r.last, r.now);
        const ReportJson share = total_now == 0
                                     ? ReportJson(nullptr)
                                     : ReportJson(100.0 * static_cast<double>(r.now) / static_cast<double>(total_now));
        items.push_back(ReportJson{{"package", r.package},
                                   {"group_value", r.value},
                                   {"last_period", r.last},
                                   {"this_period", r.now},
                                   {"so_far", r.so_far ? ReportJson(*r.so_far) : ReportJson(nullptr)},
                                   {"pct_change", change},
                                   {"pct_total", share}});
        add_row({r.package, r.value, with_commas(r.last), with_commas(r.now),
                 change.is_null() ? "new" : fmt::format("{:+.1f}%", change.get<double>()),
                 o.group == "overall" || share.is_null() ? "" : fmt::format("{:.1f}%", share.get<double>()),
                 sparkline(r.trend)},
                r.so_far);
      }
      grand_last += total_last;
      grand_now += total_now;
      if (total_so_far) grand_so_far = grand_so_far.value_or(0) + *total_so_far;
      if (o.subtotals && !rows.empty()) {
        const ReportJson change = pct_change(total_last, total_now);
        add_row({rows.front().package + " total", "", with_commas(total_last), with_commas(total_now),
                 change.is_null() ? "" : fmt::format("{:+.1f}%", change.get<double>()), "", ""},
                total_so_far);
        table.bold_rows.push_back(table.rows.size() - 1);
      }
    }
    if (o.grand_total) {
      const ReportJson change = pct_change(grand_last, grand_now);
      add_row({"GRAND TOTAL", "", with_commas(grand_last), with_commas(grand_now),
               change.is_null() ? "" : fmt::format("{:+.1f}%", change.get<double>()), "", ""},
              grand_so_far);
      table.bold_rows.push_back(table.rows.size() - 1);
    }
    if (report.format == "table" && items.empty()) {
      std::puts("No downloads found.");
      return exit_ok;
    }
    ReportJson out{{"as_of", as_of},
                   {"granularity", g},
                   {"group", o.group},
                   {"this_period", this_period},
                   {"last_period", last_period},
                   {"so_far_period", show_so_far ? ReportJson(so_far_period) : ReportJson(nullptr)},
                   {"items", items}};
    print_report(report, out, items, table);
    return exit_ok;
  });
}

}  // namespace

Handler define_downloads(CLI::App& app, const GlobalOptions& global) {
  app.require_subcommand(1);
  auto report = std::make_shared<ReportOptions>();
  auto o = std::make_shared<DownloadsOptions>();
  auto which = std::make_shared<std::string>();
  CLI::App* list = app.add_subcommand("list", "downloads of one package per period");
  list->add_option("-p,--package", o->package, "the package (see `ampere downloads summary`)");
  list->add_option("-g,--granularity", o->granularity, "hour, day, week (default) or month");
  list->add_option("--group", o->group,
                   "overall (default), package_version, python_version, system, cloud, country, installer or ci");
  list->add_option("-n,--n-days", o->n_days, "only the last N days of data");
  list->add_option("--from", o->from, "first day (YYYY-MM-DD)");
  list->add_option("--to", o->to, "last day (YYYY-MM-DD)");
  list->add_option("-l,--limit", o->limit, "at most this many rows (default 10,000)")->check(CLI::Range(1, 10'000'000));
  list->add_flag(
      "--desc", [o](int64_t) { o->ascending = false; }, "newest first");
  list->add_flag(
      "--asc", [o](int64_t) { o->ascending = true; }, "oldest first (default)");
  add_report_options(*list, *report);
  list->callback([which] { *which = "list"; });
  CLI::App* summary = app.add_subcommand(
      "summary",
      "the last whole period against the one before, per package and value; an unfinished newest period "
      "is shown beside them (\"so far\")");
  summary->add_option("-p,--package", o->package, "one package (default: every tracked package)");
  summary->add_option("-g,--granularity", o->granularity, "week (default) or month");
  summary->add_option("--group", o->group, "what to split by (default overall)");
  summary->add_option("-m,--min-pct", o->min_pct, "values under this share (%) of the period join \"other\" (0.1)");
  summary->add_flag("--show-subtotal", o->subtotals, "a total row per package");
  summary->add_flag("--show-grand-total", o->grand_total, "a total row for all packages");
  add_report_options(*summary, *report);
  summary->callback([which] { *which = "summary"; });
  return [&global, report, o, which] {
    return *which == "summary" ? downloads_summary(global, *report, *o) : downloads_list(global, *report, *o);
  };
}

}  // namespace ampere::cli
