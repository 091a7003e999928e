#include "pipeline/job_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "util/log.hpp"

namespace ampere::pipeline {

namespace {

using Json = nlohmann::json;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Json JobRun::payload() const {
  Json assets_json = Json::array();
  AssetOutcome total;
  for (const auto& a : assets) {
    assets_json.push_back(Json{{"asset", a.asset},
                               {"status", a.status},
                               {"error", a.error.empty() ? Json(nullptr) : Json(a.error)},
                               {"attempts", a.attempts},
                               {"seconds", a.seconds},
                               {"requests", a.outcome.requests},
                               {"not_modified", a.outcome.not_modified},
                               {"graphql_points", a.outcome.graphql_points},
                               {"rows_written", a.outcome.rows_written},
                               {"summary", a.outcome.summary}});
    total.requests += a.outcome.requests;
    total.not_modified += a.outcome.not_modified;
    total.graphql_points += a.outcome.graphql_points;
    total.rows_written += a.outcome.rows_written;
  }
  Json out{{"run_id", run_id},
           {"kind", kind},
           {"source", kind == "build" ? Json(nullptr) : Json(job)},
           {"status", status},
           {"error", error.empty() ? Json(nullptr) : Json(error)},
           {"started_at", format_iso8601(started_at)},
           {"finished_at", status == "running" ? Json(nullptr) : Json(format_iso8601(finished_at))},
           {"requests", total.requests},
           {"not_modified", total.not_modified},
           {"graphql_points", total.graphql_points},
           {"rows_written", total.rows_written},
           {"assets", assets_json},
           {"pid", static_cast<long>(::getpid())}};
  return out;
}

JobRunner::JobRunner(std::vector<Asset> assets, JobRunnerOptions options)
    : assets_(std::move(assets)), options_(std::move(options)) {}

std::string JobRunner::new_run_id(const std::string& job, Timestamp at) {
  return fmt::format("run-{}-{}-{}", job, at.time_since_epoch().count(), static_cast<long>(::getpid()));
}

void JobRunner::request_stop() {
  stop_.store(true);
}

bool JobRunner::wait(std::chrono::seconds duration) {
  if (options_.wait) return options_.wait(duration) && !stop_requested();
  // A real wait, checked every 100 ms so that a stop request ends it promptly.
  const auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until) {
    if (stop_requested()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
  }
  return !stop_requested();
}

void JobRunner::write_record(const JobRun& run) {
  if (!options_.record) return;
  if (auto ok = options_.record(run.run_id, run.payload().dump()); !ok) {
    log::warn("run {}: could not write its run record: {}", run.run_id, ok.error().message);
  }
}

Expected<JobRun> JobRunner::run(const Job& job, const std::string& run_id) {
  std::vector<const Asset*> steps;
  for (const auto& name : job.assets) {
    const auto it = std::find_if(assets_.begin(), assets_.end(), [&](const Asset& a) { return a.name == name; });
    if (it == assets_.end()) {
      return fail(ErrorKind::internal, fmt::format("job {} names asset {}, which is not defined", job.name, name));
    }
    steps.push_back(&*it);
  }
  JobRun run;
  run.kind = options_.kind;
  run.run_id = run_id;
  run.job = job.name;
  run.status = "running";
  run.started_at = options_.now();
  write_record(run);

  const AssetContext context{run_id, [this] { return stop_requested(); }};
  std::vector<std::string> errors;
  for (const Asset* asset : steps) {
    AssetRun step;
    step.asset = asset->name;
    const auto start = std::chrono::steady_clock::now();
    const bool blocked =
        !asset->depends_on.empty() && std::none_of(asset->depends_on.begin(), asset->depends_on.end(), [&](auto& d) {
          return std::any_of(run.assets.begin(), run.assets.end(),
                             [&](const AssetRun& r) { return r.asset == d && r.status == "succeeded"; });
        });
    const bool depends_on_this_job = std::any_of(asset->depends_on.begin(), asset->depends_on.end(), [&](auto& d) {
      return std::find(job.assets.begin(), job.assets.end(), d) != job.assets.end();
    });
    if (stop_requested()) {
      step.status = "skipped";
      step.error = "not started: ampere was stopping";
    } else if (blocked && depends_on_this_job) {
      step.status = "skipped";
      step.error = "not started: every asset it depends on failed";
    } else {
      const int attempts = asset->retry ? options_.retries + 1 : 1;
      for (int attempt = 1; attempt <= attempts; ++attempt) {
        step.attempts = attempt;
        auto outcome = asset->run(context);
        if (outcome) {
          step.status = "succeeded";
          step.error.clear();
          step.outcome = std::move(*outcome);
          break;
        }
        step.error = outcome.error().message;
        if (stop_requested()) {
          // Cut short by the stop (the build skips its remaining models): not a failure of the asset.
          step.status = "interrupted";
          break;
        }
        step.status = "failed";
        if (attempt == attempts) break;
        const auto backoff = options_.backoff * (1 << (attempt - 1));
        log::warn("run {}: {} failed (attempt {} of {}): {}; retrying in {}s", run_id, asset->name, attempt, attempts,
                  step.error, backoff.count());
        if (!wait(backoff)) break;
      }
    }
    step.seconds = seconds_since(start);
    if (step.status == "failed") errors.push_back(fmt::format("{}: {}", step.asset, step.error));
    run.assets.push_back(step);
    if (options_.on_asset) options_.on_asset(run, run.assets.back());
  }

  run.finished_at = options_.now();
  const bool stopped =
      stop_requested() && std::any_of(run.assets.begin(), run.assets.end(), [](const AssetRun& a) {
        return a.status == "interrupted" || (a.status == "skipped" && a.error.find("stopping") != std::string::npos);
      });
  if (!errors.empty()) {
    run.status = "failed";
  } else if (stopped) {
    run.status = "interrupted";
    errors.push_back("stopped before every asset ran (ampere was shutting down); the next run carries on");
  } else {
    run.status = "succeeded";
  }
  run.error = fmt::format("{}", fmt::join(errors, "\n"));
  write_record(run);
  return run;
}

}  // namespace ampere::pipeline
