#pragma once
// `ampere sync github` as a whole: read the watermarks from the lake, sync the organization over HTTP
// into the lake, and record the run (records, requests, 304s, GraphQL points, problems) in the lake's
// ampere.runs table, whether it succeeded or not.

#include <filesystem>
#include <functional>
#include <string>

#include "github/client_github_api.hpp"
#include "github/org_syncer.hpp"
#include "util/error.hpp"
#include "util/secret.hpp"

namespace ampere::pipeline {

/// What to sync, from where, into which data dir.
struct GithubSyncOptions {
  std::filesystem::path data_dir;
  std::string org;
  std::string api_url = "https://api.github.com";
  Secret token;
  github::RetryPolicy retry;  ///< tests shorten the backoff
  /// The time waits and records are on; null: the system clock (tests inject their own).
  std::shared_ptr<github::Clock> clock;
  bool pace_requests = true;                         ///< false only against the simulator
  size_t concurrency = github::kDefaultConcurrency;  ///< units of work (requests) in flight at once
  int64_t rest_star_cap = github::kRestStarCap;      ///< tests lower it to reach the GraphQL stargazers
};

/// What one sync did and cost.
struct GithubSyncResult {
  std::string sync_id;
  github::SyncReport report;
  github::ApiStats stats;
  int64_t lake_commits = 0;
  double seconds = 0;
};

/// Syncs `options.org` into data_dir's lake. `progress` is told where the sync is.
Expected<GithubSyncResult> sync_github(
    const GithubSyncOptions& options,
    const std::function<void(const github::SyncProgress&, const github::ApiStats&)>& progress = {});

/// The file holding the GitHub validators (ETags) of data_dir.
std::filesystem::path github_validators_file(const std::filesystem::path& data_dir);

}  // namespace ampere::pipeline
