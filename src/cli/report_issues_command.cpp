// `ampere issues`: the open issues (a page at a time) and, with --summary, the figures per repository,
// over /api/v1/issues and /api/v1/issues/summary.
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/report_support.hpp"

namespace ampere::cli {

namespace {

// API parameter -> what its allowed values are called in an error.
const std::map<std::string, std::string> option_names{{"repo", "repos"}, {"sort", "sorts"}};

}  // namespace

Handler define_issues(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string repo, q, sort = "age_days";
    int64_t limit = 100, offset = 0;
    bool ascending = false;
    bool summary = false;
  };
  auto report = std::make_shared<ReportOptions>();
  auto o = std::make_shared<Options>();
  app.add_option("-r,--repo", o->repo, "only this repository");
  app.add_option("-q,--query", o->q, "only issues whose title, body or author contains this text");
  app.add_option("--sort", o->sort, "age_days (default), comments, created_at, repo_name, author_login or title");
  app.add_flag("--asc", o->ascending, "smallest first");
  app.add_option("-l,--limit", o->limit, "how many issues (1-1000, default 100)");
  app.add_option("--offset", o->offset, "skip this many first (for the next page)");
  app.add_flag("--summary", o->summary, "per repository: open issues, median age, opened and closed this month");
  add_report_options(app, *report);
  return [&global, report, o] {
    return with_report_source(global, *report, [&](ReportSource& source) {
      int exit_code = exit_ok;
      if (o->summary) {
        auto body = fetch_report(source, "/api/v1/issues/summary", {}, exit_code, option_names);
        if (!body) return exit_code;
        TextTable table{"Issues by repository",
                        {{"repo"},
                         {"open", true},
                         {"median age (d)", true},
                         {"opened this month", true},
                         {"closed this month", true},
                         {"open PRs", true},
                         {"days to close (90d)", true}},
                        {},
                        {}};
        for (const auto& r : (*body)["items"]) {
          table.rows.push_back({field_text(r, "repo_name"), field_text(r, "open_issues"),
                                field_text(r, "median_age_days"), field_text(r, "opened_this_month"),
                                field_text(r, "closed_this_month"), field_text(r, "open_pull_requests"),
                                field_text(r, "median_days_to_close_90d")});
        }
        print_report(*report, *body, (*body)["items"], table);
        return exit_ok;
      }
      auto body = fetch_report(source, "/api/v1/issues",
                               {{"repo", o->repo},
                                {"q", o->q},
                                {"sort", o->sort},
                                {"order", o->ascending ? "asc" : "desc"},
                                {"limit", std::to_string(o->limit)},
                                {"offset", std::to_string(o->offset)}},
                               exit_code, option_names);
      if (!body) return exit_code;
      if (report->format == "table" && (*body)["items"].empty()) {
        std::puts("No open issues found.");
        return exit_ok;
      }
      TextTable table{"Open issues",
                      {{"repo"},
                       {"#", true},
                       {"title", false, true},
                       {"author"},
                       {"labels", false, true},
                       {"comments", true},
                       {"age", true}},
                      {},
                      {}};
      for (const auto& r : (*body)["items"]) {
        table.rows.push_back({field_text(r, "repo_name"), field_text(r, "issue_number"), field_text(r, "title"),
                              field_text(r, "author_login"), field_text(r, "labels"), field_text(r, "comments"),
                              field_text(r, "age_days") + "d"});
      }
      print_report(*report, *body, (*body)["items"], table);
      const auto& next = (*body)["next_offset"];
      if (report->format == "table" && next.is_number()) {
        std::printf("%zu of %s open issues shown; --offset %s for the next ones\n", table.rows.size(),
                    field_text(*body, "total").c_str(), field_text(*body, "next_offset").c_str());
      }
      return exit_ok;
    });
  };
}

}  // namespace ampere::cli
