#include "pipeline/scheduler.hpp"

#include <fmt/format.h>

#include "util/log.hpp"

namespace ampere::pipeline {

Scheduler::Scheduler(JobRunner& runner, std::vector<ScheduledJob> jobs, SchedulerOptions options)
    : runner_(runner), jobs_(std::move(jobs)), options_(std::move(options)) {}

Scheduler::~Scheduler() {
  stop();
  (void)wait(std::chrono::steady_clock::time_point::max());
}

const ScheduledJob* Scheduler::find(const std::string& job) const {
  for (const auto& j : jobs_) {
    if (j.job.name == job) return &j;
  }
  return nullptr;
}

JobRun Scheduler::execute(const ScheduledJob& job, const std::string& run_id) {
  JobRun result;
  {
    std::lock_guard one_at_a_time(execute_mutex_);
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    if (stopping) {
      result.run_id = run_id;
      result.job = job.job.name;
      result.status = "interrupted";
      result.error = "not started: ampere was stopping";
    } else {
      log::info("run {}: job {} started", run_id, job.job.name);
      auto ran = runner_.run(job.job, run_id);
      if (ran) {
        result = std::move(*ran);
      } else {
        result.run_id = run_id;
        result.job = job.job.name;
        result.status = "failed";
        result.error = ran.error().message;
      }
      log::info("run {}: job {} {}", run_id, job.job.name, result.status);
      if (options_.on_finished) options_.on_finished(result);
      if (!result.ok() && options_.on_failure) options_.on_failure(result);
    }
  }
  std::lock_guard lock(mutex_);
  busy_.erase(job.job.name);
  --active_;
  changed_.notify_all();
  return result;
}

Expected<std::string> Scheduler::trigger(const std::string& job) {
  const ScheduledJob* scheduled = find(job);
  if (scheduled == nullptr) {
    std::string names;
    for (const auto& j : jobs_) names += (names.empty() ? "" : ", ") + j.job.name;
    return fail(ErrorKind::not_found, fmt::format("no job named '{}'; the jobs are: {}", job, names));
  }
  std::lock_guard lock(mutex_);
  if (stopping_) return fail(ErrorKind::conflict, "ampere is shutting down; no new run starts");
  if (const auto it = busy_.find(job); it != busy_.end()) {
    return fail(ErrorKind::conflict, fmt::format("job {} is already running (run {})", job, it->second));
  }
  const std::string run_id = JobRunner::new_run_id(job, options_.now());
  busy_[job] = run_id;
  ++active_;
  runs_.emplace_back([this, scheduled, run_id] { (void)execute(*scheduled, run_id); });
  return run_id;
}

Expected<JobRun> Scheduler::run(const std::string& job) {
  const ScheduledJob* scheduled = find(job);
  if (scheduled == nullptr) return fail(ErrorKind::not_found, fmt::format("no job named '{}'", job));
  std::string run_id;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return fail(ErrorKind::conflict, "ampere is shutting down; no new run starts");
    if (const auto it = busy_.find(job); it != busy_.end()) {
      return fail(ErrorKind::conflict, fmt::format("job {} is already running (run {})", job, it->second));
    }
    run_id = JobRunner::new_run_id(job, options_.now());
    busy_[job] = run_id;
    ++active_;
  }
  return execute(*scheduled, run_id);
}

void Scheduler::plan(Timestamp now) {
  std::lock_guard lock(mutex_);
  for (const auto& j : jobs_) {
    if (!j.schedule) continue;
    const auto last = options_.last_started ? options_.last_started(j.job.name) : std::nullopt;
    // Never ran: run now. Ran: the first scheduled time after that run, which is in the past when a
    // time was missed (the next tick runs it once).
    next_[j.job.name] = last ? j.schedule->next_after(*last) : now;
  }
}

std::vector<std::string> Scheduler::tick(Timestamp now) {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mutex_);
    for (const auto& j : jobs_) {
      const auto it = next_.find(j.job.name);
      if (it == next_.end() || it->second > now) continue;
      it->second = j.schedule->next_after(now);
      due.push_back(j.job.name);
    }
  }
  std::vector<std::string> started;
  for (const auto& name : due) {
    auto run_id = trigger(name);
    if (run_id) {
      started.push_back(name);
    } else {
      log::info("scheduled run of {} skipped: {}", name, run_id.error().message);
    }
  }
  return started;
}

std::optional<Timestamp> Scheduler::next_time(const std::string& job) const {
  std::lock_guard lock(mutex_);
  const auto it = next_.find(job);
  if (it == next_.end()) return std::nullopt;
  return it->second;
}

void Scheduler::start() {
  plan(options_.now());
  loop_thread_ = std::thread([this] { loop(); });
}

void Scheduler::loop() {
  while (true) {
    (void)tick(options_.now());
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    std::optional<Timestamp> earliest;
    for (const auto& [name, at] : next_) {
      if (!earliest || at < *earliest) earliest = at;
    }
    // Sleep until the next time, but wake at least every minute so a changed clock is noticed.
    auto pause = std::chrono::microseconds(std::chrono::minutes(1));
    if (earliest) pause = std::min(pause, std::max(std::chrono::microseconds(0), *earliest - options_.now()));
    changed_.wait_for(lock, pause + std::chrono::milliseconds(5), [this] { return stopping_; });
    if (stopping_) return;
  }
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  runner_.request_stop();
  changed_.notify_all();
}

bool Scheduler::wait(std::chrono::steady_clock::time_point deadline) {
  if (loop_thread_.joinable()) loop_thread_.join();
  std::unique_lock lock(mutex_);
  const auto idle = [this] { return active_ == 0; };
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    changed_.wait(lock, idle);
  } else if (!changed_.wait_until(lock, deadline, idle)) {
    return false;
  }
  std::vector<std::thread> threads = std::move(runs_);
  runs_.clear();
  lock.unlock();
  for (auto& t : threads) t.join();
  return true;
}

bool Scheduler::has_schedule(const std::string& job) const {
  const ScheduledJob* j = find(job);
  return j != nullptr && j->schedule.has_value();
}

bool Scheduler::busy(const std::string& job) const {
  std::lock_guard lock(mutex_);
  return busy_.contains(job);
}

}  // namespace ampere::pipeline
