// `ampere repos` and `ampere feed list|summary`. Like every report, they ask the /api/v1 routes
// (ReportSource: the local warehouse or --server) and print a table, JSON or CSV (report_output).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/report_support.hpp"
#include "util/time.hpp"

namespace ampere::cli {

namespace {

// The day `n_days` before the data's newest day (inclusive range of n days), from the answer's as_of.
std::string days_back(const ReportJson& any_body, int n_days) {
  const auto as_of = any_body.value("as_of", ReportJson()).is_string() ? any_body["as_of"].get<std::string>() : "";
  const auto now = as_of.empty() ? now_utc() : parse_iso8601(as_of).value_or(now_utc());
  // Never before the first day the API accepts.
  const Timestamp earliest = *parse_iso8601("2000-01-01");
  return format_date(std::max(earliest, start_of_day(now) - std::chrono::days(std::max(n_days, 1) - 1)));
}

// Feed pages until `limit` events (or the end).
std::optional<ReportJson> fetch_feed(ReportSource& source, ReportParams params, int64_t limit, int& exit_code) {
  static const std::map<std::string, std::string> options{{"repo", "repos"}, {"type", "events"}, {"action", "actions"},
                                                          {"user", "users"}, {"from", "dates"},  {"to", "dates"}};
  ReportJson all;
  ReportJson items = ReportJson::array();
  std::string cursor;
  while (static_cast<int64_t>(items.size()) < limit) {
    params["limit"] = std::to_string(std::min<int64_t>(1000, limit - static_cast<int64_t>(items.size())));
    params["cursor"] = cursor;
    auto page = fetch_report(source, "/api/v1/feed", params, exit_code, options);
    if (!page) return std::nullopt;
    for (auto& item : (*page)["items"]) items.push_back(std::move(item));
    all = std::move(*page);
    if (all["next_cursor"].is_null()) break;
    cursor = all["next_cursor"].get<std::string>();
  }
  all["items"] = std::move(items);
  all["next_cursor"] = nullptr;
  return all;
}

struct FeedOptions {
  std::string repo, event, action, user, min_date, max_date;
  int n_days = 0;
  int64_t limit = 50;
  bool ascending = false;
};

void add_feed_filters(CLI::App& app, FeedOptions& o) {
  app.add_option("-r,--repo", o.repo, "only this repository");
  app.add_option("-e,--event", o.event, "only this event type: star, fork, commit, issue, pull_request");
  app.add_option("-a,--action", o.action, "only this action: created, opened, closed, merged, reopened");
  app.add_option("-u,--user", o.user, "only this user (login, any case)");
  app.add_option("-n,--n-days", o.n_days, "only the last N days of data");
  app.add_option("--min-date,--from", o.min_date, "first day (YYYY-MM-DD)");
  app.add_option("--max-date,--to", o.max_date, "last day (YYYY-MM-DD)");
}

ReportParams feed_params(const FeedOptions& o) {
  std::string event = o.event == "pull request" || o.event == "pr" ? "pull_request" : o.event;
  return ReportParams{{"repo", o.repo},
                      {"type", event},
                      {"action", o.action},
                      {"user", o.user},
                      {"from", o.min_date},
                      {"to", o.max_date},
                      {"order", o.ascending ? "asc" : "desc"}};
}

// n-days needs the data's newest day: ask the bounds (cheap) when no explicit --min-date.
bool apply_n_days(ReportSource& source, const FeedOptions& o, int n_days, ReportParams& params, int& exit_code) {
  if (n_days <= 0 || !o.min_date.empty()) return true;
  ReportParams bounds_params{
      {"repo", params["repo"]}, {"type", params["type"]}, {"action", params["action"]}, {"user", params["user"]}};
  auto bounds = fetch_report(source, "/api/v1/feed/bounds", bounds_params, exit_code,
                             {{"repo", "repos"}, {"type", "events"}, {"action", "actions"}});
  if (!bounds) return false;
  params["from"] = days_back(*bounds, n_days);
  return true;
}

int feed_list(const GlobalOptions& global, const ReportOptions& report, const FeedOptions& o) {
  return with_report_source(global, report, [&](ReportSource& source) {
    int exit_code = exit_ok;
    ReportParams params = feed_params(o);
    if (!apply_n_days(source, o, o.n_days, params, exit_code)) return exit_code;
    auto body = fetch_feed(source, params, std::max<int64_t>(o.limit, 1), exit_code);
    if (!body) return exit_code;
    const auto& items = (*body)["items"];
    if (report.format == "table" && items.empty()) {
      std::puts("No feed events found.");
      return exit_ok;
    }
    TextTable table{
        "Feed events",
        {{"time"}, {"repo"}, {"user"}, {"event"}, {"action"}, {"title", false, true}, {"link", false, true}},
        {},
        {}};
    for (const auto& e : items) {
      std::string when = field_text(e, "event_at");
      if (when.size() >= 16) when = when.substr(0, 10) + " " + when.substr(11, 5);
      // A commit author without a GitHub account: the git name; who closed or merged is unknown (blank).
      const std::string login = field_text(e, "actor_login");
      const std::string user = login.empty() ? field_text(e, "actor_name") : login;
      table.rows.push_back({when, field_text(e, "repo_name"), user, field_text(e, "event_type"),
                            field_text(e, "action"), field_text(e, "title"), field_text(e, "link")});
    }
    print_report(report, *body, items, table);
    return exit_ok;
  });
}

// The start of the period holding `day` ("YYYY-MM-DD..."): the day, its Monday, or the 1st of its month.
std::string period_of(const std::string& at, const std::string& granularity) {
  auto t = parse_iso8601(at.substr(0, 10));
  if (!t) return at.substr(0, 10);
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(*t);
  if (granularity == "week") {
    const std::chrono::weekday wd{day};
    return format_date(Timestamp(day - std::chrono::days((wd.c_encoding() + 6) % 7)));
  }
  if (granularity == "month") return at.substr(0, 7) + "-01";
  return format_date(Timestamp(day));
}

int feed_summary(const GlobalOptions& global, const ReportOptions& report, const FeedOptions& o,
                 const std::string& granularity_option, int n_periods) {
  const std::string granularity = granularity_name(granularity_option);
  if (granularity != "day" && granularity != "week" && granularity != "month") {
    std::fprintf(stderr, "ampere: '%s' is not a valid granularity\nvalid granularities: day, week, month\n",
                 granularity_option.c_str());
    return exit_usage;
  }
  return with_report_source(global, report, [&](ReportSource& source) {
    int exit_code = exit_ok;
    ReportParams params = feed_params(o);
    const int days_per_period = granularity == "day" ? 1 : granularity == "week" ? 7 : 31;
    const int n_days = o.n_days > 0 ? o.n_days : std::max(n_periods, 1) * days_per_period;
    if (!apply_n_days(source, o, n_days, params, exit_code)) return exit_code;
    params["order"] = "asc";
    auto body = fetch_feed(source, params, 1'000'000, exit_code);
    if (!body) return exit_code;
    struct Counts {
      int64_t stars = 0, forks = 0, commits = 0, issues_opened = 0, issues_closed = 0, prs_opened = 0, prs_merged = 0,
              prs_closed = 0;
      [[nodiscard]] int64_t total() const {
        return stars + forks + commits + issues_opened + issues_closed + prs_opened + prs_merged + prs_closed;
      }
    };
    std::map<std::string, Counts> periods;
    for (const auto& e : (*body)["items"]) {
      Counts& c = periods[period_of(field_text(e, "event_at"), granularity)];
      const std::string type = field_text(e, "event_type");
      const std::string action = field_text(e, "action");
      if (type == "star") ++c.stars;
      if (type == "fork") ++c.forks;
      if (type == "commit") ++c.commits;
      if (type == "issue") ++(action == "closed" ? c.issues_closed : c.issues_opened);
      if (type == "pull_request")
        ++(action == "merged" ? c.prs_merged : action == "closed" ? c.prs_closed : c.prs_opened);
    }
    ReportJson items = ReportJson::array();
    Counts grand;
    std::vector<double> totals;
    int64_t busiest = 0;
    for (const auto& [period, c] : periods) busiest = std::max(busiest, c.total());
    TextTable table{fmt::format("Feed summary by {}", granularity),
                    {{"period"},
                     {"stars", true},
                     {"forks", true},
                     {"commits", true},
                     {"issues +/−", true},
                     {"PRs +/merged/−", true},
                     {"total", true},
                     {""}},
                    {},
                    {}};
    for (const auto& [period, c] : periods) {
      items.push_back(ReportJson{{"period_start", period},
                                 {"stars", c.stars},
                                 {"forks", c.forks},
                                 {"commits", c.commits},
                                 {"issues_opened", c.issues_opened},
                                 {"issues_closed", c.issues_closed},
                                 {"prs_opened", c.prs_opened},
                                 {"prs_merged", c.prs_merged},
                                 {"prs_closed", c.prs_closed},
                                 {"total", c.total()}});
      table.rows.push_back({period, std::to_string(c.stars), std::to_string(c.forks), std::to_string(c.commits),
                            fmt::format("+{} −{}", c.issues_opened, c.issues_closed),
                            fmt::format("+{} ✓{} −{}", c.prs_opened, c.prs_merged, c.prs_closed),
                            std::to_string(c.total()),
                            bar(static_cast<double>(c.total()), static_cast<double>(busiest), 12)});
      totals.push_back(static_cast<double>(c.total()));
      grand.stars += c.stars;
      grand.forks += c.forks;
      grand.commits += c.commits;
      grand.issues_opened += c.issues_opened;
      grand.issues_closed += c.issues_closed;
      grand.prs_opened += c.prs_opened;
      grand.prs_merged += c.prs_merged;
      grand.prs_closed += c.prs_closed;
    }
    table.rows.push_back({"GRAND TOTAL", std::to_string(grand.stars), std::to_string(grand.forks),
                          std::to_string(grand.commits),
                          fmt::format("+{} −{}", grand.issues_opened, grand.issues_closed),
                          fmt::format("+{} ✓{} −{}", grand.prs_opened, grand.prs_merged, grand.prs_closed),
                          std::to_string(grand.total()), ""});
    table.bold_rows.push_back(table.rows.size() - 1);
    if (!periods.empty()) {
      table.title += fmt::format(" ({} to {})  {}", periods.begin()->first, periods.rbegin()->first, sparkline(totals));
    }
    ReportJson out{{"as_of", (*body)["as_of"]}, {"granularity", granularity}, {"items", items}};
    if (report.format == "table" && periods.empty()) {
      std::puts("No feed events found.");
      return exit_ok;
    }
    print_report(report, out, items, table);
    return exit_ok;
  });
}

}  // namespace

Handler define_repos(CLI::App& app, const GlobalOptions& global) {
  auto report = std::make_shared<ReportOptions>();
  add_report_options(app, *report);
  return [&global, report] {
    return with_report_source(global, *report, [&](ReportSource& source) {
      int exit_code = exit_ok;
      auto body = fetch_report(source, "/api/v1/repos", {}, exit_code);
      if (!body) return exit_code;
      // Downloads are counted for repos with a tracked PyPI package; the others show a dash, not 0.
      auto packages = fetch_report(source, "/api/v1/packages", {}, exit_code);
      if (!packages) return exit_code;
      std::set<std::string> with_packages;
      for (const auto& p : (*packages)["items"]) with_packages.insert(field_text(p, "repo_name"));
      TextTable table{"Repositories",
                      {{"repo"},
                       {"stars", true},
                       {"forks", true},
                       {"issues", true},
                       {"language"},
                       {"downloads 7d", true},
                       {"age", true},
                       {"description", false, true}},
                      {},
                      {}};
      for (const auto& r : (*body)["items"]) {
        table.rows.push_back(
            {field_text(r, "repo_name"), with_commas(static_cast<int64_t>(field_number(r, "stars"))),
             with_commas(static_cast<int64_t>(field_number(r, "forks"))),
             with_commas(static_cast<int64_t>(field_number(r, "open_issues"))), field_text(r, "language"),
             with_packages.contains(field_text(r, "repo_name"))
                 ? with_commas(static_cast<int64_t>(field_number(r, "downloads_last_7d")))
                 : "—",
             fmt::format("{}d", static_cast<int64_t>(field_number(r, "age_days"))), field_text(r, "description")});
      }
      print_report(*report, *body, (*body)["items"], table);
      return exit_ok;
    });
  };
}

Handler define_feed(CLI::App& app, const GlobalOptions& global) {
  app.require_subcommand(1);
  auto report = std::make_shared<ReportOptions>();
  auto o = std::make_shared<FeedOptions>();
  auto granularity = std::make_shared<std::string>("day");
  auto n_periods = std::make_shared<int>(30);
  auto which = std::make_shared<std::string>();
  CLI::App* list = app.add_subcommand("list", "the events, newest first");
  add_feed_filters(*list, *o);
  add_report_options(*list, *report);
  list->add_option("-l,--limit", o->limit, "how many events (default 50)")->check(CLI::Range(1, 1'000'000));
  list->add_flag("--asc", o->ascending, "oldest first");
  list->add_flag(
      "--desc", [o](int64_t) { o->ascending = false; }, "newest first (default)");
  list->callback([which] { *which = "list"; });
  CLI::App* summary = app.add_subcommand("summary", "events counted per day, week or month");
  add_feed_filters(*summary, *o);
  add_report_options(*summary, *report);
  summary->add_option("-g,--granularity", *granularity, "day (default), week or month");
  summary->add_option("--n-periods", *n_periods, "how many periods back from the newest data (default 30)");
  summary->callback([which] { *which = "summary"; });
  return [&global, report, o, granularity, n_periods, which] {
    if (*which == "summary") return feed_summary(global, *report, *o, *granularity, *n_periods);
    return feed_list(global, *report, *o);
  };
}

}  // namespace ampere::cli
