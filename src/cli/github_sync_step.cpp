#include "cli/github_sync_step.hpp"

#include <unistd.h>

#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "github/progress_line.hpp"

namespace ampere::cli {

Expected<pipeline::GithubSyncResult> run_github_sync(const pipeline::GithubSyncOptions& options) {
  const bool tty = ::isatty(STDERR_FILENO) == 1;
  std::string last_repo;
  std::optional<Timestamp> last_wait;
  const auto progress = [&](const github::SyncProgress& p, const github::ApiStats& s) {
    const Timestamp now = now_utc();
    const std::string line = github::progress_line(options.org, p, s, now);
    const bool waiting = s.waiting_until && *s.waiting_until - now >= github::kEtaThreshold;
    if (tty) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
    } else if ((p.repo != last_repo && p.entity != "followers") || (waiting && s.waiting_until != last_wait)) {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    if (waiting) last_wait = s.waiting_until;
    last_repo = p.repo;
  };
  auto result = pipeline::sync_github(options, progress);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!result) return result;
  const auto& r = *result;
  std::string records;
  int64_t total = 0;
  for (const auto& [table, n] : r.report.records) {
    records += fmt::format("{}{} {}", records.empty() ? "" : ", ", n, table);
    total += n;
  }
  std::fflush(stderr);
  fmt::print("sync {}: {} repos ({} changed), {} records{}{}\n", options.org, r.report.repos, r.report.repos_changed,
             total, records.empty() ? "" : ": ", records);
  fmt::print("sync {}: {} REST requests ({} answered 304, free), {} GraphQL points, {} retries, {:.1f}s; run {}\n",
             options.org, r.stats.requests, r.stats.not_modified, r.stats.graphql_points, r.stats.retries, r.seconds,
             r.sync_id);
  if (!r.report.stars_restricted.empty()) {
    fmt::print(
        "sync {}: stargazers NOT synced for {} repo(s): this token may not list them (GitHub restricts "
        "stargazer lists to repository admins and collaborators since 2026-06-30). Star totals still come "
        "from the repo listing; use a maintainer's token to get stargazers.\n",
        options.org, r.report.stars_restricted.size());
  }
  for (const auto& p : r.report.problems)
    fmt::print("sync {}: skipped {} of {}: {}\n", options.org, p.entity, p.repo, p.message);
  return result;
}

}  // namespace ampere::cli
