#pragma once
// Runs jobs on their cron schedules (UTC) and on demand, one run of a job at a time.
//
// - Single flight: a job that is running is not started again; trigger() answers "already running".
//   Different jobs run one after another (they share the warehouse), never at the same time.
// - Catch-up: a job whose last run (as the lake remembers it) started before its latest scheduled
//   time runs once at start-up, however many times it was missed; a job that never ran runs at once.
// - Retries with backoff, run records and stopping are the JobRunner's.
// - After a failed run, `on_failure` is called (the notifier).
// The clock is injected; tests drive tick() with their own times and never sleep.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/job_runner.hpp"
#include "util/cron.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::pipeline {

/// A job and when it runs by itself.
struct ScheduledJob {
  Job job;
  std::optional<CronSchedule> schedule;  ///< nullopt: on demand only (the "all" job)
};

/// The scheduler's outside world.
struct SchedulerOptions {
  std::function<Timestamp()> now = now_utc;  ///< the clock schedules are read on
  /// When `job` last started (from the run records), for catch-up; nullopt: never.
  std::function<std::optional<Timestamp>(const std::string& job)> last_started;
  /// Called after each run that did not succeed (failed or interrupted), from the run's thread.
  std::function<void(const JobRun&)> on_failure;
  /// Called after every run, from the run's thread (the CLI rebuilds the runs and status marts).
  std::function<void(const JobRun&)> on_finished;
};

/// Starts jobs on schedule and on request.
class Scheduler {
 public:
  Scheduler(JobRunner& runner, std::vector<ScheduledJob> jobs, SchedulerOptions options);
  /// Stops and waits for the run in progress (see stop()).
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Starts `job` in the background and returns its run id, or a conflict error when that job is
  /// already running (or queued behind another job), not_found for an unknown job, and a
  /// conflict once stopping.
  Expected<std::string> trigger(const std::string& job);

  /// Runs `job` in the calling thread and returns how it went; conflict when it is already running.
  Expected<JobRun> run(const std::string& job);

  /// Computes each scheduled job's next time from `now` (catch-up as described above). Call once
  /// before tick(); start() calls it.
  void plan(Timestamp now);
  /// Starts (trigger) every job whose next time is at or before `now`, then moves its next time past
  /// `now`: missed times collapse into one run. Returns the jobs started.
  std::vector<std::string> tick(Timestamp now);
  /// The next time `job` runs by itself (nullopt: on demand only, or unknown).
  [[nodiscard]] std::optional<Timestamp> next_time(const std::string& job) const;

  /// plan(now()) and a background thread that calls tick() as the clock reaches each next time.
  void start();
  /// No run starts any more; the one in progress ends after its current asset (JobRunner::request_stop).
  void stop();
  /// Waits until `deadline` (steady clock) for the background thread and every run to end; false
  /// when a run is still going then.
  bool wait(std::chrono::steady_clock::time_point deadline);

  /// Whether `job` exists and runs on a schedule.
  [[nodiscard]] bool has_schedule(const std::string& job) const;

  /// Whether `job` is running or queued.
  [[nodiscard]] bool busy(const std::string& job) const;

 private:
  const ScheduledJob* find(const std::string& job) const;
  // Runs a job whose slot (busy_) is already taken; frees it at the end.
  JobRun execute(const ScheduledJob& job, const std::string& run_id);
  void loop();

  JobRunner& runner_;
  std::vector<ScheduledJob> jobs_;
  SchedulerOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::string, std::less<>> busy_;  ///< job -> run id, while running or queued
  std::map<std::string, Timestamp, std::less<>> next_;
  std::vector<std::thread> runs_;
  std::thread loop_thread_;
  bool stopping_ = false;
  size_t active_ = 0;  ///< runs started and not yet finished

  std::mutex execute_mutex_;  ///< one job at a time
};

}  // namespace ampere::pipeline
