#include "cli/pipeline_jobs.hpp"

#include <fmt/format.h>

#include "cli/github_sync_step.hpp"
#include "cli/pipeline_steps.hpp"
#include "cli/pypi_sync_step.hpp"
#include "db/database.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "pipeline/run_record.hpp"
#include "util/log.hpp"
#include "warehouse/model_graph.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::cli {

namespace {

bool github_configured(const Config& c) {
  return !c.orgs.empty();
}

bool pypi_configured(const Config& c) {
  return !c.pypi_packages.empty() || !c.pypi_dependencies.empty();
}

bool is_loopback(const std::string& url) {
  return url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost") || url.starts_with("http://[::1]");
}

Expected<pipeline::AssetOutcome> sync_github_orgs(const Config& c) {
  pipeline::AssetOutcome total;
  size_t records = 0;
  for (const auto& org : c.orgs) {
    pipeline::GithubSyncOptions options;
    options.data_dir = c.data_dir;
    options.org = org;
    options.api_url = c.github_api_url;
    options.token = c.github_token;
    options.pace_requests = !is_loopback(c.github_api_url);  // a loopback server is not GitHub
    auto result = run_github_sync(options);
    if (!result) return with_context(result.error(), "GitHub sync of " + org);
    total.requests += result->stats.requests;
    total.not_modified += result->stats.not_modified;
    total.graphql_points += result->stats.graphql_points;
    for (const auto& [table, n] : result->report.records) records += static_cast<size_t>(n);
  }
  total.rows_written = static_cast<int64_t>(records);
  total.summary = fmt::format("{} org(s), {} records", c.orgs.size(), records);
  return total;
}

Expected<pipeline::AssetOutcome> sync_pypi_packages(const Config& c) {
  auto result = run_pypi_sync(c, std::nullopt);
  if (!result) return tl::unexpected(result.error());
  pipeline::AssetOutcome out;
  for (const auto& w : result->windows) out.requests += w.stats.requests;
  out.rows_written = result->rows;
  out.summary = fmt::format("{} window(s), {} rows", result->windows.size(), result->rows);
  return out;
}

}  // namespace

PipelineJobs pipeline_jobs(const Config& config, db::Database& warehouse) {
  PipelineJobs out;
  std::vector<std::string> syncs;
  if (github_configured(config)) {
    out.assets.push_back(
        {"github", {}, true, [config](const pipeline::AssetContext&) { return sync_github_orgs(config); }});
    syncs.push_back("github");
  }
  if (pypi_configured(config)) {
    out.assets.push_back(
        {"pypi", {}, true, [config](const pipeline::AssetContext&) { return sync_pypi_packages(config); }});
    syncs.push_back("pypi");
  }
  out.assets.push_back(
      {"build", syncs, false,
       [config, &warehouse](const pipeline::AssetContext& context) -> Expected<pipeline::AssetOutcome> {
         warehouse::BuildOptions build;
         build.variables = build_variables(config);
         build.variables["ampere_live_run_id"] = context.run_id;
         build.should_stop = context.should_stop;
         if (auto ok = build_warehouse(warehouse, config.data_dir, "", build); !ok) return tl::unexpected(ok.error());
         return pipeline::AssetOutcome{};
       }});
  if (github_configured(config)) out.jobs.push_back({{"github", {"github", "build"}}, config.github_schedule});
  if (pypi_configured(config)) out.jobs.push_back({{"downloads", {"pypi", "build"}}, config.pypi_schedule});
  std::vector<std::string> all = syncs;
  all.push_back("build");
  out.jobs.push_back({{"all", all}, std::nullopt});
  return out;
}

pipeline::JobRunnerOptions job_runner_options(const Config& config, const std::string& kind) {
  pipeline::JobRunnerOptions options;
  options.kind = kind;
  options.retries = config.schedule_retries;
  options.backoff = std::chrono::seconds(config.schedule_retry_backoff_seconds);
  const auto lake_root = lake::lake_root(config.data_dir);
  options.record = [lake_root](const std::string& run_id, const std::string& payload) -> Expected<void> {
    auto database = db::Database::open("");
    if (!database) return tl::unexpected(database.error());
    auto connection = (*database)->connect();
    if (!connection) return tl::unexpected(connection.error());
    return pipeline::append_run_record(*connection, lake_root, run_id, payload);
  };
  options.on_asset = [](const pipeline::JobRun& run, const pipeline::AssetRun& asset) {
    fmt::print("run {}: {} {} ({} attempt{}, {:.1f}s){}{}\n", run.run_id, asset.asset, asset.status, asset.attempts,
               asset.attempts == 1 ? "" : "s", asset.seconds, asset.error.empty() ? "" : ": ", asset.error);
    std::fflush(stdout);
  };
  return options;
}

pipeline::NotifierSettings notifier_settings(const Config& config) {
  pipeline::NotifierSettings s;
  s.webhook_url = config.notify_webhook_url;
  s.smtp.url = config.notify_smtp_url;
  s.smtp.user = config.notify_smtp_user;
  s.smtp.password = config.notify_smtp_password;
  s.smtp.from = config.notify_smtp_from;
  s.smtp.to = config.notify_smtp_to;
  s.status_url = config.notify_status_url;
  std::string orgs;
  for (const auto& o : config.orgs) orgs += (orgs.empty() ? "" : ", ") + o;
  s.label = orgs.empty() ? "ampere" : fmt::format("ampere ({})", orgs);
  return s;
}

pipeline::SchedulerOptions scheduler_options(const Config& config, db::Database& warehouse,
                                             std::shared_ptr<pipeline::Notifier> notifier) {
  pipeline::SchedulerOptions options;
  const auto lake_root = lake::lake_root(config.data_dir);
  options.last_started = [lake_root, config](const std::string& job) -> std::optional<Timestamp> {
    auto starts = pipeline::last_sync_starts(lake_root);
    if (!starts) {
      log::warn("cannot read the run records ({}); {} runs now", starts.error().message, job);
      return std::nullopt;
    }
    std::vector<std::string> sources;
    if (job == "github" || job == "all") sources.push_back("github");
    if (job == "downloads" || job == "all") sources.push_back("pypi");
    std::optional<Timestamp> oldest;
    for (const auto& s : sources) {
      const auto it = starts->find(s);
      if (it == starts->end()) return std::nullopt;
      if (!oldest || it->second < *oldest) oldest = it->second;
    }
    return oldest;
  };
  options.on_failure = [notifier](const pipeline::JobRun& run) {
    if (!notifier || !notifier->enabled()) return;
    if (auto ok = notifier->notify(run); !ok) log::warn("{}", ok.error().message);
  };
  options.on_finished = [config, &warehouse](const pipeline::JobRun&) { refresh_run_marts(config, warehouse); };
  return options;
}

void refresh_run_marts(const Config& config, db::Database& warehouse) {
  const auto refresh = [&]() -> Expected<void> {
    auto all = warehouse::embedded_models();
    if (!all) return tl::unexpected(all.error());
    auto models = warehouse::select_models(*all, "stg_ampere__runs+");
    if (!models) return tl::unexpected(models.error());
    auto sources = warehouse::embedded_sources();
    if (!sources) return tl::unexpected(sources.error());
    auto connection = warehouse.connect();
    if (!connection) return tl::unexpected(connection.error());
    if (auto ok = lake::attach_lake_views(*connection, lake::lake_root(config.data_dir)); !ok) return ok;
    if (auto ok = warehouse::ensure_source_views(*connection, *sources); !ok) return ok;
    warehouse::BuildOptions options;
    options.variables = build_variables(config);
    auto report = warehouse::build_models(*connection, *models, {}, options);
    if (!report) return tl::unexpected(report.error());
    for (const auto& m : report->models) {
      if (m.status != warehouse::ModelStatus::built) {
        return fail(ErrorKind::database, fmt::format("model {} did not build: {}", m.name, m.error));
      }
    }
    return {};
  };
  if (auto ok = refresh(); !ok) log::warn("refreshing the runs and status marts: {}", ok.error().message);
}

}  // namespace ampere::cli
