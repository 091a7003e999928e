// GitHub sync benchmark (issue 4): a full sync of the small or large synthetic organization from the
// simulator over loopback, its API cost against the lower bound and against the original ampere's
// strategy, and its ingest throughput. Run: build/bench/github_sync_bench [small|large] [latency ms] [in flight]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>

#include <unistd.h>
#include <string>

#include <fmt/format.h>

#include "pipeline/github_sync.hpp"
#include "simulator/github_simulator.hpp"

namespace {

namespace fs = std::filesystem;
using ampere::simulator::OrgModel;

int64_t pages(int64_t items) {
  return (items + 99) / 100;
}

struct Cost {
  int64_t requests = 0;  ///< REST requests plus GraphQL queries
};

// The least any client could spend on a first full sync: every list page once, users 100 per query,
// and the fixed per-repo requests (languages, releases, issues, commits: one each even when empty).
// `followers_in_profiles`: the first 100 followers come with each profile (GraphQL nested connection),
// so only users with more than 100 need their own listing.
Cost lower_bound(const OrgModel& m, bool followers_in_profiles) {
  Cost c;
  c.requests += pages(static_cast<int64_t>(m.repos().size()));
  std::set<uint32_t> users;
  for (const auto& r : m.repos()) {
    c.requests += 1;                                                                  // languages
    c.requests += std::max<int64_t>(1, pages(static_cast<int64_t>(r.stars.size())));  // stargazers
    c.requests += std::max<int64_t>(1, pages(static_cast<int64_t>(r.forks.size())));  // forks
    c.requests += std::max<int64_t>(1, pages(static_cast<int64_t>(r.releases.size())));
    c.requests += std::max<int64_t>(1, pages(static_cast<int64_t>(r.issues.size())));
    c.requests += std::max<int64_t>(1, pages(static_cast<int64_t>(r.commits.size())));
    for (const auto& s : r.stars) users.insert(s.user);
    for (const auto& f : r.forks) users.insert(f.owner);
    for (const auto& i : r.issues) users.insert(i.user);
    for (const auto& k : r.commits) {
      if (k.user != ampere::simulator::no_user) users.insert(k.user);
    }
  }
  c.requests += pages(static_cast<int64_t>(users.size()));
  for (const auto u : users) {
    const auto followers = static_cast<int64_t>(m.followers(u).size());
    if (followers > (followers_in_profiles ? 100 : 0)) c.requests += pages(followers);
  }
  return c;
}

// The original ampere: every list refetched in full, one request per commit (for its stats) and per user,
// and a followers listing per user.
Cost original_strategy(const OrgModel& m) {
  Cost c = lower_bound(m, false);
  std::set<uint32_t> users;
  for (const auto& r : m.repos()) {
    c.requests += static_cast<int64_t>(r.commits.size());
    for (const auto& s : r.stars) users.insert(s.user);
    for (const auto& i : r.issues) users.insert(i.user);
  }
  c.requests += static_cast<int64_t>(users.size());
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string size = argc > 1 ? argv[1] : "small";
  const int latency = argc > 2 ? std::atoi(argv[2]) : 0;
  const int in_flight = argc > 3 ? std::atoi(argv[3]) : static_cast<int>(ampere::github::kDefaultConcurrency);
  if (in_flight < 1) {
    std::fprintf(stderr, "github_sync_bench: requests in flight must be at least 1\n");
    return 2;
  }
  ampere::simulator::SimulatorOptions options;
  options.org.size = size == "large" ? ampere::simulator::OrgSize::large : ampere::simulator::OrgSize::small;
  options.rest_limit = 10'000'000;
  options.graphql_limit = 10'000'000;
  options.faults.latency_ms = latency;
  const auto generated = std::chrono::steady_clock::now();
  ampere::simulator::GithubSimulator github(options);
  auto url = github.start();
  if (!url) {
    std::fprintf(stderr, "github_sync_bench: %s\n", url.error().message.c_str());
    return 1;
  }
  const auto counts = github.model().counts();
  fmt::print(
      "github_sync_bench {} {} {}: org {} records ({} stars, {} issues+PRs, {} commits, {} follower edges), "
      "generated in {:.1f} s\n",
      size, latency, in_flight, counts.total(), counts.stars, counts.issues + counts.pull_requests, counts.commits,
      counts.follower_edges, std::chrono::duration<double>(std::chrono::steady_clock::now() - generated).count());
  const fs::path dir = fs::temp_directory_path() / fmt::format("ampere-sync-bench-{}", ::getpid());
  ampere::pipeline::GithubSyncOptions sync;
  sync.data_dir = dir;
  sync.org = github.model().login();
  sync.api_url = *url;
  sync.pace_requests = false;
  sync.concurrency = static_cast<size_t>(in_flight);
  auto result = ampere::pipeline::sync_github(sync);
  if (!result) {
    std::fprintf(stderr, "github_sync_bench: %s\n", result.error().message.c_str());
    return 1;
  }
  int64_t records = 0;
  for (const auto& [table, n] : result->report.records) records += n;
  const auto stats = github.stats();
  const Cost bound = lower_bound(github.model(), true);
  const Cost original = original_strategy(github.model());
  const int64_t spent = stats.requests;
  fmt::print("full sync: {} records in {:.1f} s = {:.0f} records/s, {} lake commits\n", records, result->seconds,
             static_cast<double>(records) / result->seconds, result->lake_commits);
  fmt::print("API cost: {} requests (REST + GraphQL queries), {} GraphQL points; lower bound {}: {:.3f}x of it\n",
             spent, result->stats.graphql_points, bound.requests,
             static_cast<double>(spent) / static_cast<double>(bound.requests));
  fmt::print("original ampere's strategy: {} requests: ours is {:.1f}x cheaper\n", original.requests,
             static_cast<double>(original.requests) / static_cast<double>(spent));
  if (latency > 0) {
    fmt::print("with {} ms latency: {:.1f} requests/s\n", latency, static_cast<double>(spent) / result->seconds);
  }
  auto again = ampere::pipeline::sync_github(sync);
  if (again) {
    fmt::print("no-change resync: {} counted requests, {} answered 304, {:.1f} s\n", again->stats.requests,
               again->stats.not_modified, again->seconds);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
