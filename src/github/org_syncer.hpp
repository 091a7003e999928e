#pragma once
// One sync of a GitHub organization: each entity with its cheapest correct incremental strategy,
// starting from the watermarks in SyncState and writing raw records to a RawSink.
//
//   repos       GET /orgs/{org}/repos?type=all, conditional; a repo whose counts, updated_at and
//               pushed_at did not change is not asked about anything but its issues stream (a 304).
//               A listing with no 304 page is complete: repos missing from it (deleted, transferred
//               away) leave staging.
//   languages   when pushed_at changed.
//   stargazers  REST star+json from the page holding the first new star, when stargazers_count grew and
//               the newest known star is still where it was; otherwise (unstars) a complete listing,
//               marked in github.listings. Repos over 40,000 stars: GraphQL, which has no page cap:
//               newest first down to the newest known star when the count grew, else complete.
//               403, or an empty list while stargazers_count > 0: restricted for this token.
//   forks       newest first until a known fork; a complete listing when forks were deleted.
//   releases    conditional GET.
//   issues      one issues?state=all&sort=updated&since= stream (pull requests included); a complete
//               listing when the open count disagrees with the repo's (deleted issues).
//   commits     GraphQL history of the default branch since the newest known commit, with line counts.
//   users       profiles of new users, and stale ones (authors' after a day, others' after a week),
//               100 per GraphQL query, each with its first 100 followers (nearly free); deleted
//               accounts recorded, and staging shows their issues and pull requests as "ghost"'s.
//   followers   when a user's follower count changed: from the profile query when it brought them all,
//               else a complete REST listing.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "github/github_api.hpp"
#include "github/raw_sink.hpp"
#include "github/sync_state.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::github {

/// Stars above which REST cannot list a repo's stargazers (400 pages of 100).
inline constexpr int64_t kRestStarCap = 40'000;
/// Items per page (REST per_page and GraphQL first:).
inline constexpr int kPageSize = 100;
/// Units of work (repos, profile batches, followers listings) fetched at once: GitHub's secondary limit
/// allows 100 requests in flight; octokit's throttling keeps 10, and so does the RateLimiter.
inline constexpr size_t kDefaultConcurrency = 10;
/// A profile older than this is fetched again.
inline constexpr std::chrono::hours kProfileMaxAge{7 * 24};
/// The profiles of issue and pull request authors are fetched again sooner: GitHub shows the issues of a
/// deleted account as "ghost"'s without changing them, so only the profile (null once deleted) tells.
/// 1 point per 100 authors a day.
inline constexpr std::chrono::hours kAuthorProfileMaxAge{24};

/// What to sync.
struct SyncOptions {
  std::string org;
  std::string sync_id;
  std::function<Timestamp()> clock = now_utc;
  /// Units of work fetched at once (threads); the lake receives the same records in the same order
  /// whatever this is.
  size_t concurrency = kDefaultConcurrency;
  /// Stars above which a repo's stargazers come through GraphQL (tests lower it to reach that path
  /// with a small org).
  int64_t rest_star_cap = kRestStarCap;
};

/// Where a sync is, for progress output.
struct SyncProgress {
  std::string repo;    ///< "org/name", empty for org-level steps
  std::string entity;  ///< "repos", "stargazers", ...
  size_t repo_index = 0;
  size_t repo_count = 0;
};

/// A repo-level problem the sync recorded and went past.
struct RepoProblem {
  std::string repo;
  std::string entity;
  std::string message;
};

/// What a sync did.
struct SyncReport {
  std::map<std::string, int64_t> records;     ///< per raw table
  std::vector<std::string> stars_restricted;  ///< repos whose stargazers this token may not list
  std::vector<RepoProblem> problems;
  size_t repos = 0;
  size_t repos_changed = 0;
};

/// Runs one sync. Fails only when the sync cannot go on (the org listing fails, the sink fails); a
/// problem with one repo is recorded in the report and the others go on.
Expected<SyncReport> sync_org(GithubApi& api, RawSink& sink, const SyncState& state, const SyncOptions& options,
                              const std::function<void(const SyncProgress&)>& progress = {});

}  // namespace ampere::github
