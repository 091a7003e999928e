#pragma once
// What POST /api/v1/sync runs until the scheduler takes over: the job's syncs, then a build, in one
// background thread, one job at a time. The server drops its cached API bodies when the build is done.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "db/database.hpp"
#include "util/error.hpp"

namespace ampere::cli {

/// Runs admin-requested syncs in the background, never two at once.
class AdminSync {
 public:
  /// `warehouse` (the served one) and `config` must outlive this; `on_built` runs after each build.
  AdminSync(const Config& config, db::Database& warehouse, std::function<void()> on_built);
  ~AdminSync();
  AdminSync(const AdminSync&) = delete;
  AdminSync& operator=(const AdminSync&) = delete;

  /// Starts `job` (github, downloads or all) and returns its run id; a conflict error while one runs.
  Expected<std::string> start(const std::string& job);

 private:
  void run(const std::string& job);

  const Config& config_;
  db::Database& warehouse_;
  std::function<void()> on_built_;
  std::mutex mutex_;
  std::atomic<bool> running_{false};
  std::string running_job_;
  std::thread worker_;
};

}  // namespace ampere::cli
