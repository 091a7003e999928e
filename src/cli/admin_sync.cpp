#include "cli/admin_sync.hpp"

#include <fmt/format.h>

#include "cli/github_sync_step.hpp"
#include "cli/pipeline_steps.hpp"
#include "cli/pypi_sync_step.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace ampere::cli {

AdminSync::AdminSync(const Config& config, db::Database& warehouse, std::function<void()> on_built)
    : config_(config), warehouse_(warehouse), on_built_(std::move(on_built)) {}

AdminSync::~AdminSync() {
  if (worker_.joinable()) worker_.join();
}

Expected<std::string> AdminSync::start(const std::string& job) {
  std::lock_guard lock(mutex_);
  if (running_) {
    return fail(ErrorKind::conflict,
                fmt::format("the {} job is running; wait for it to finish (see /api/v1/runs)", running_job_));
  }
  if (worker_.joinable()) worker_.join();
  running_ = true;
  running_job_ = job;
  const std::string run_id = fmt::format("admin-{}-{}", job, format_iso8601(now_utc()));
  worker_ = std::thread([this, job] {
    run(job);
    running_ = false;
  });
  return run_id;
}

void AdminSync::run(const std::string& job) {
  const Config& c = config_;
  if (job == "github" || job == "all") {
    for (const auto& org : c.orgs) {
      pipeline::GithubSyncOptions options;
      options.data_dir = c.data_dir;
      options.org = org;
      options.api_url = c.github_api_url;
      options.token = c.github_token;
      options.pace_requests =
          !(c.github_api_url.starts_with("http://127.0.0.1") || c.github_api_url.starts_with("http://localhost"));
      if (auto ok = run_github_sync(options); !ok) log::error("admin sync of {}: {}", org, ok.error().message);
    }
  }
  if ((job == "downloads" || job == "all") && !(c.pypi_packages.empty() && c.pypi_dependencies.empty())) {
    if (auto ok = run_pypi_sync(c, std::nullopt); !ok) log::error("admin downloads sync: {}", ok.error().message);
  }
  if (auto ok = build_warehouse(warehouse_, c.data_dir); !ok) {
    log::error("admin build: {}", ok.error().message);
    return;
  }
  if (on_built_) on_built_();
}

}  // namespace ampere::cli
