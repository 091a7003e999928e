// The job runner and the scheduler with fake assets and a fake clock: nothing syncs, nothing sleeps.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <nlohmann/json.hpp>

#include "pipeline/scheduler.hpp"

namespace ampere::pipeline {
namespace {

Timestamp at(std::string_view iso) {
  return *parse_iso8601(iso);
}

// A clock the test sets.
struct FakeClock {
  std::mutex mutex;
  Timestamp time = at("2026-11-28T05:00:00Z");
  Timestamp now() {
    std::lock_guard lock(mutex);
    return time;
  }
  void set(Timestamp t) {
    std::lock_guard lock(mutex);
    time = t;
  }
};

// Everything the runner did: records written, waits asked for.
struct World {
  FakeClock clock;
  std::mutex mutex;
  std::vector<nlohmann::json> records;
  std::vector<std::chrono::seconds> waits;

  JobRunnerOptions options(int retries = 2) {
    JobRunnerOptions o;
    o.retries = retries;
    o.backoff = std::chrono::seconds(60);
    o.now = [this] { return clock.now(); };
    o.wait = [this](std::chrono::seconds d) {
      std::lock_guard lock(mutex);
      waits.push_back(d);
      return true;
    };
    o.record = [this](const std::string&, const std::string& payload) -> Expected<void> {
      std::lock_guard lock(mutex);
      records.push_back(nlohmann::json::parse(payload));
      return {};
    };
    return o;
  }
};

// An asset that fails its first `failures` calls.
Asset flaky(const std::string& name, int failures, std::shared_ptr<std::atomic<int>> calls, bool retry = true,
            std::vector<std::string> depends_on = {}) {
  return Asset{name, std::move(depends_on), retry, [=](const AssetContext&) -> Expected<AssetOutcome> {
                 const int call = ++*calls;
                 if (call <= failures)
                   return fail(ErrorKind::network, name + " is down (call " + std::to_string(call) + ")");
                 return AssetOutcome{10, 2, 5, 100, name + " ok"};
               }};
}

TEST(JobRunner, RetriesAFailedSyncWithExponentialBackoffAndRecordsTheRun) {
  World world;
  auto sync_calls = std::make_shared<std::atomic<int>>(0);
  auto build_calls = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 2, sync_calls), flaky("build", 0, build_calls, false, {"github"})},
                   world.options(3));
  auto run = runner.run(Job{"github", {"github", "build"}}, "run-1");
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->status, "succeeded");
  EXPECT_EQ(*sync_calls, 3);
  EXPECT_EQ(*build_calls, 1);
  EXPECT_EQ(world.waits, (std::vector<std::chrono::seconds>{std::chrono::seconds(60), std::chrono::seconds(120)}));
  ASSERT_EQ(run->assets.size(), 2U);
  EXPECT_EQ(run->assets[0].attempts, 3);
  // A "running" record first, then the final one with a row per asset and the totals.
  ASSERT_EQ(world.records.size(), 2U);
  EXPECT_EQ(world.records[0]["status"], "running");
  EXPECT_EQ(world.records[0]["kind"], "run");
  EXPECT_TRUE(world.records[0]["finished_at"].is_null());
  EXPECT_EQ(world.records[1]["status"], "succeeded");
  EXPECT_EQ(world.records[1]["source"], "github");
  EXPECT_EQ(world.records[1]["requests"], 20);
  EXPECT_EQ(world.records[1]["rows_written"], 200);
  EXPECT_EQ(world.records[1]["assets"].size(), 2U);
  EXPECT_EQ(world.records[1]["started_at"], "2026-11-28T05:00:00Z");
}

TEST(JobRunner, GivesUpAfterTheRetriesAndSkipsWhatDependsOnTheFailure) {
  World world;
  auto sync_calls = std::make_shared<std::atomic<int>>(0);
  auto build_calls = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 100, sync_calls), flaky("build", 0, build_calls, false, {"github", "pypi"})},
                   world.options(2));
  auto run = runner.run(Job{"github", {"github", "build"}}, "run-2");
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, "failed");
  EXPECT_EQ(*sync_calls, 3);
  EXPECT_EQ(*build_calls, 0);
  EXPECT_EQ(run->assets[1].status, "skipped");
  EXPECT_NE(run->error.find("github: github is down (call 3)"), std::string::npos) << run->error;
  EXPECT_EQ(world.records.back()["status"], "failed");
}

TEST(JobRunner, BuildsWhenOneOfTwoSyncsSucceeded) {
  World world;
  auto github = std::make_shared<std::atomic<int>>(0);
  auto pypi = std::make_shared<std::atomic<int>>(0);
  auto build = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 0, github), flaky("pypi", 100, pypi, false),
                    flaky("build", 0, build, false, {"github", "pypi"})},
                   world.options(0));
  auto run = runner.run(Job{"all", {"github", "pypi", "build"}}, "run-3");
  ASSERT_TRUE(run);
  EXPECT_EQ(*build, 1);
  EXPECT_EQ(run->status, "failed");  // pypi failed: the run did not do everything
  EXPECT_EQ(*pypi, 1);               // not retryable: one attempt
}

TEST(JobRunner, AStopEndsTheJobAfterTheCurrentAsset) {
  World world;
  JobRunner* self = nullptr;
  auto build_calls = std::make_shared<std::atomic<int>>(0);
  Asset sync{"github", {}, true, [&](const AssetContext& context) -> Expected<AssetOutcome> {
               self->request_stop();  // SIGTERM arrives mid-sync
               EXPECT_TRUE(context.should_stop());
               return AssetOutcome{};
             }};
  JobRunner runner({sync, flaky("build", 0, build_calls, false, {"github"})}, world.options());
  self = &runner;
  auto run = runner.run(Job{"github", {"github", "build"}}, "run-4");
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, "interrupted");
  EXPECT_EQ(run->assets[0].status, "succeeded");
  EXPECT_EQ(run->assets[1].status, "skipped");
  EXPECT_EQ(*build_calls, 0);
  EXPECT_EQ(world.records.back()["status"], "interrupted");
}

TEST(JobRunner, AStopEndsABackoffWait) {
  World world;
  auto options = world.options(5);
  JobRunner* self = nullptr;
  options.wait = [&](std::chrono::seconds) {
    self->request_stop();
    return false;
  };
  auto calls = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 100, calls)}, options);
  self = &runner;
  auto run = runner.run(Job{"github", {"github"}}, "run-5");
  ASSERT_TRUE(run);
  EXPECT_EQ(*calls, 1);
  EXPECT_EQ(run->status, "failed");
}

TEST(JobRunner, UnknownAssetIsAnError) {
  World world;
  JobRunner runner({}, world.options());
  EXPECT_FALSE(runner.run(Job{"x", {"nothing"}}, "run-6"));
}

// An asset that blocks until released, to hold a job in the running state.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  bool entered = false;
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
  void wait_entered() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [this] { return entered; });
  }
  Asset asset(const std::string& name) {
    return Asset{name, {}, false, [this](const AssetContext&) -> Expected<AssetOutcome> {
                   std::unique_lock lock(mutex);
                   entered = true;
                   cv.notify_all();
                   cv.wait(lock, [this] { return open; });
                   return AssetOutcome{};
                 }};
  }
};

TEST(Scheduler, ASecondTriggerWhileRunningIsRefused) {
  World world;
  Gate gate;
  JobRunner runner({gate.asset("github")}, world.options());
  SchedulerOptions options;
  options.now = [&] { return world.clock.now(); };
  Scheduler scheduler(runner, {{Job{"github", {"github"}}, std::nullopt}}, options);
  auto first = scheduler.trigger("github");
  ASSERT_TRUE(first) << first.error().message;
  gate.wait_entered();
  auto second = scheduler.trigger("github");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::conflict);
  EXPECT_NE(second.error().message.find("already running (run " + *first + ")"), std::string::npos)
      << second.error().message;
  auto sync = scheduler.run("github");
  EXPECT_FALSE(sync);
  EXPECT_FALSE(scheduler.trigger("nope"));
  gate.release();
  ASSERT_TRUE(scheduler.wait(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  EXPECT_FALSE(scheduler.busy("github"));
}

TEST(Scheduler, RunsOnItsCronTimesAndCatchesUpAMissedRunOnce) {
  World world;
  auto calls = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 0, calls)}, world.options());
  SchedulerOptions options;
  options.now = [&] { return world.clock.now(); };
  // The last run started the day before at 06:00; 12:00, 18:00, 00:00 and 06:00 were missed since.
  options.last_started = [](const std::string&) -> std::optional<Timestamp> { return at("2026-11-27T06:00:00Z"); };
  Scheduler scheduler(runner, {{Job{"github", {"github"}}, *CronSchedule::parse("0 0,6,12,18 * * *")}}, options);
  scheduler.plan(at("2026-11-28T07:30:00Z"));
  EXPECT_EQ(scheduler.next_time("github"), at("2026-11-27T12:00:00Z"));
  // One catch-up run for all the missed times, then the next regular time.
  EXPECT_EQ(scheduler.tick(at("2026-11-28T07:30:00Z")), std::vector<std::string>{"github"});
  ASSERT_TRUE(scheduler.wait(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(*calls, 1);
  EXPECT_EQ(scheduler.next_time("github"), at("2026-11-28T12:00:00Z"));
  EXPECT_TRUE(scheduler.tick(at("2026-11-28T11:59:59Z")).empty());
  EXPECT_EQ(scheduler.tick(at("2026-11-28T12:00:00Z")), std::vector<std::string>{"github"});
  ASSERT_TRUE(scheduler.wait(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  EXPECT_EQ(*calls, 2);
  EXPECT_EQ(scheduler.next_time("github"), at("2026-11-28T18:00:00Z"));
}

TEST(Scheduler, AJobThatNeverRanRunsAtOnceAndAnUpToDateOneWaits) {
  World world;
  auto calls = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 0, calls), flaky("pypi", 0, calls)}, world.options());
  SchedulerOptions options;
  options.now = [&] { return world.clock.now(); };
  options.last_started = [](const std::string& job) -> std::optional<Timestamp> {
    if (job == "downloads") return at("2026-11-28T10:00:00Z");
    return std::nullopt;
  };
  Scheduler scheduler(runner,
                      {{Job{"github", {"github"}}, *CronSchedule::parse("0 0,6,12,18 * * *")},
                       {Job{"downloads", {"pypi"}}, *CronSchedule::parse("0 10 * * *")},
                       {Job{"all", {"github", "pypi"}}, std::nullopt}},
                      options);
  scheduler.plan(at("2026-11-28T11:00:00Z"));
  EXPECT_EQ(scheduler.next_time("github"), at("2026-11-28T11:00:00Z"));
  EXPECT_EQ(scheduler.next_time("downloads"), at("2026-11-29T10:00:00Z"));
  EXPECT_EQ(scheduler.next_time("all"), std::nullopt);
  EXPECT_EQ(scheduler.tick(at("2026-11-28T11:00:00Z")), std::vector<std::string>{"github"});
  ASSERT_TRUE(scheduler.wait(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
}

TEST(Scheduler, AScheduledTimeWhileTheJobRunsIsSkippedNotQueued) {
  World world;
  Gate gate;
  JobRunner runner({gate.asset("github")}, world.options());
  SchedulerOptions options;
  options.now = [&] { return world.clock.now(); };
  options.last_started = [](const std::string&) -> std::optional<Timestamp> { return at("2026-11-28T05:59:00Z"); };
  Scheduler scheduler(runner, {{Job{"github", {"github"}}, *CronSchedule::parse("*/5 * * * *")}}, options);
  scheduler.plan(at("2026-11-28T06:00:00Z"));
  EXPECT_EQ(scheduler.tick(at("2026-11-28T06:00:00Z")), std::vector<std::string>{"github"});
  gate.wait_entered();
  EXPECT_TRUE(scheduler.tick(at("2026-11-28T06:05:00Z")).empty());
  EXPECT_EQ(scheduler.next_time("github"), at("2026-11-28T06:10:00Z"));
  gate.release();
  ASSERT_TRUE(scheduler.wait(std::chrono::steady_clock::now() + std::chrono::seconds(10)));
}

TEST(Scheduler, AFailedRunCallsOnFailureAndEveryRunCallsOnFinished) {
  World world;
  auto calls = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 100, calls)}, world.options(1));
  std::vector<std::string> failed;
  int finished = 0;
  SchedulerOptions options;
  options.now = [&] { return world.clock.now(); };
  options.on_failure = [&](const JobRun& run) { failed.push_back(run.error); };
  options.on_finished = [&](const JobRun&) { ++finished; };
  Scheduler scheduler(runner, {{Job{"github", {"github"}}, std::nullopt}}, options);
  auto run = scheduler.run("github");
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, "failed");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_NE(failed[0].find("github is down (call 2)"), std::string::npos) << failed[0];
  EXPECT_EQ(finished, 1);
}

TEST(Scheduler, NothingStartsOnceStopping) {
  World world;
  auto calls = std::make_shared<std::atomic<int>>(0);
  JobRunner runner({flaky("github", 0, calls)}, world.options());
  SchedulerOptions options;
  options.now = [&] { return world.clock.now(); };
  Scheduler scheduler(runner, {{Job{"github", {"github"}}, std::nullopt}}, options);
  scheduler.stop();
  EXPECT_FALSE(scheduler.trigger("github"));
  EXPECT_FALSE(scheduler.run("github"));
  EXPECT_EQ(*calls, 0);
}

}  // namespace
}  // namespace ampere::pipeline
