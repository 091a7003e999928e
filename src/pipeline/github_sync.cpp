#include "pipeline/github_sync.hpp"

#include <unistd.h>

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "db/database.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/raw_lake.hpp"
#include "pipeline/lake_sink.hpp"
#include "pipeline/run_record.hpp"
#include "pipeline/sync_state_reader.hpp"

namespace ampere::pipeline {

namespace {

using Json = nlohmann::json;

std::string new_sync_id(const std::string& org, Timestamp started) {
  const auto us = started.time_since_epoch().count();
  return fmt::format("github-{}-{}-{}", org, us, static_cast<long>(::getpid()));
}

Json run_payload(const GithubSyncOptions& options, const GithubSyncResult& result, Timestamp started,
                 const std::string& status, const std::string& error) {
  Json records = Json::object();
  int64_t rows_written = 0;
  for (const auto& [table, n] : result.report.records) {
    records[table] = n;
    rows_written += n;
  }
  Json problems = Json::array();
  for (const auto& p : result.report.problems) {
    problems.push_back(Json{{"repo", p.repo}, {"entity", p.entity}, {"message", p.message}});
  }
  return Json{{"run_id", result.sync_id},
              {"kind", "sync"},
              {"source", "github"},
              {"org", options.org},
              {"status", status},
              {"error", error.empty() ? Json(nullptr) : Json(error)},
              {"started_at", format_iso8601(started)},
              {"finished_at", format_iso8601(now_utc())},
              {"seconds", result.seconds},
              {"repos", result.report.repos},
              {"repos_changed", result.report.repos_changed},
              {"records", records},
              {"rows_written", rows_written},
              {"requests", result.stats.requests},
              {"not_modified", result.stats.not_modified},
              {"retries", result.stats.retries},
              {"waited_seconds", result.stats.waited_seconds},
              {"graphql_points", result.stats.graphql_points},
              {"rest_remaining", result.stats.rest_remaining},
              {"stars_restricted", result.report.stars_restricted},
              {"problems", problems},
              {"lake_commits", result.lake_commits}};
}

}  // namespace

std::filesystem::path github_validators_file(const std::filesystem::path& data_dir) {
  return github::EtagStore::default_path(data_dir);
}

Expected<GithubSyncResult> sync_github(
    const GithubSyncOptions& options,
    const std::function<void(const github::SyncProgress&, const github::ApiStats&)>& progress) {
  const auto clock_start = std::chrono::steady_clock::now();
  const Timestamp started = now_utc();
  GithubSyncResult result;
  result.sync_id = new_sync_id(options.org, started);
  const auto lake_root = lake::lake_root(options.data_dir);
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir / "state", ec);
  if (ec) {
    return fail(ErrorKind::io,
                fmt::format("cannot create {}: {}", (options.data_dir / "state").string(), ec.message()));
  }

  auto database = db::Database::open("");
  if (!database) return tl::unexpected(database.error());
  auto connection = (*database)->connect();
  if (!connection) return tl::unexpected(connection.error());

  github::ClientApiOptions api_options;
  api_options.api_url = options.api_url;
  api_options.token = options.token;
  api_options.validators_file = github_validators_file(options.data_dir);
  api_options.retry = options.retry;
  api_options.clock = options.clock;
  api_options.pace_requests = options.pace_requests;
  auto api = github::ClientGithubApi::open(api_options);
  if (!api) return tl::unexpected(api.error());

  const auto record = [&](const std::string& status, const std::string& error) -> Expected<void> {
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    result.stats = (*api)->stats();
    return append_run_record(*connection, lake_root, result.sync_id,
                             run_payload(options, result, started, status, error).dump());
  };

  auto state = read_sync_state(lake_root);
  if (!state) {
    (void)record("failed", state.error().message);
    return tl::unexpected(state.error());
  }
  LakeSink sink(*connection, lake_root, **api);
  github::SyncOptions sync_options;
  sync_options.org = options.org;
  sync_options.sync_id = result.sync_id;
  sync_options.concurrency = options.concurrency;
  sync_options.rest_star_cap = options.rest_star_cap;
  if (options.clock) sync_options.clock = [clock = options.clock] { return clock->now(); };
  const auto on_progress = [&](const github::SyncProgress& p) {
    if (progress) progress(p, (*api)->stats());
  };
  auto report = github::sync_org(**api, sink, *state, sync_options, on_progress);
  result.lake_commits = sink.commits();
  if (!report) {
    // What was committed stays committed; the next sync carries on from it.
    (void)sink.flush();
    (void)record("failed", report.error().message);
    return tl::unexpected(report.error());
  }
  result.report = std::move(*report);
  if (auto ok = record(result.report.problems.empty() ? "success" : "partial", ""); !ok)
    return tl::unexpected(ok.error());
  return result;
}

}  // namespace ampere::pipeline
