// Kill -9 of a writer at random points of its writes, over and over: the table always reads as a whole
// version (never a partial one), the next append succeeds, and vacuum clears what the dead left behind.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "integration/lake_process.hpp"
#include "lake/delta_log.hpp"
#include "lake/delta_table.hpp"
#include "lake/vacuum.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::query_lines;
using testing::TempDir;

constexpr int kKills = 24;
constexpr int kRowsPerBatch = 50;
constexpr int kMaxKillDelayMs = 240;
// Each kill waits a random time within its own slice of [0, kMaxKillDelayMs), so the kills spread over
// start-up, data file writes, commits and checkpoints instead of bunching.
constexpr int kSliceMs = kMaxKillDelayMs / kKills;

// Checks that the latest version is whole: every commit after version 0 added one file of kRowsPerBatch
// rows, all of them readable, and every checkpoint in the log reads as its version.
void expect_whole_table(const fs::path& root, int kill) {
  Duck duck;
  auto snapshot = load_snapshot(*duck, root);
  ASSERT_TRUE(snapshot) << "after kill " << kill << ": " << snapshot.error().message;
  const int64_t version = snapshot->version;
  EXPECT_EQ(snapshot->files.size(), static_cast<size_t>(version + 1)) << "after kill " << kill;
  auto select = snapshot_select_sql(*duck, *snapshot);
  ASSERT_TRUE(select) << "after kill " << kill << ": " << select.error().message;
  EXPECT_EQ(
      query_lines(*duck,
                  "SELECT count(*), count(DISTINCT (writer, batch)), min(n), max(n) FROM (SELECT writer, "
                  "batch, count(*) AS n FROM (" +
                      *select + ") GROUP BY ALL)"),
      std::vector<std::string>{fmt::format("{}|{}|{}|{}", version + 1, version + 1, kRowsPerBatch, kRowsPerBatch)})
      << "after kill " << kill;
  auto listing = DeltaLog(root).list();
  ASSERT_TRUE(listing);
  for (const auto& checkpoint : listing->checkpoints) {
    auto at = load_snapshot(*duck, root, ReadAt{checkpoint.version, std::nullopt});
    ASSERT_TRUE(at) << "checkpoint " << checkpoint.version << ": " << at.error().message;
    EXPECT_EQ(at->checkpoint_version, checkpoint.version);
    EXPECT_EQ(at->total_rows(), (checkpoint.version + 1) * kRowsPerBatch);
  }
}

TEST(LakeCrash, KilledWritersNeverLeaveAPartialVersion) {
  TempDir dir;
  const fs::path root = dir.path() / "t";
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE(fmt::format("random seed {}", seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> jitter_ms(0, kSliceMs - 1);

  ASSERT_EQ(testing::wait_process(
                testing::start_process({LAKE_WRITER_TOOL, root.string(), "0", "1", std::to_string(kRowsPerBatch)})),
            0);
  int64_t version = 0;
  int kills_after_a_commit = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    const pid_t pid = testing::start_process(
        {LAKE_WRITER_TOOL, root.string(), std::to_string(kill + 1), "100000", std::to_string(kRowsPerBatch)});
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds{kill * kSliceMs + jitter_ms(random)});
    ::kill(pid, SIGKILL);
    EXPECT_EQ(testing::wait_process(pid), 128 + SIGKILL) << "the writer finished before it was killed";
    expect_whole_table(root, kill);

    // The next append (another writer, here in-process) goes on from whatever the dead one left.
    Duck duck;
    DeltaTable table(*duck, root);
    const auto before = table.snapshot();
    ASSERT_TRUE(before) << before.error().message;
    kills_after_a_commit += before->version > version ? 1 : 0;
    auto next =
        table.append(fmt::format("SELECT -1::BIGINT AS writer, {}::BIGINT AS batch, range AS row, 'y' AS "
                                 "payload FROM range({})",
                                 kill, kRowsPerBatch));
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_EQ(*next, before->version + 1);
    version = *next;
  }
  expect_whole_table(root, kKills);
  // The kills did land at different points: some after the writer had committed, some mid-write
  // (leaving data files that no commit references).
  EXPECT_GT(kills_after_a_commit, 0);
  size_t files_before_vacuum = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    files_before_vacuum += entry.path().extension() == ".parquet" ? 1 : 0;
  }
  EXPECT_GT(files_before_vacuum, static_cast<size_t>(version + 1));

  // Vacuum, a week and more later, leaves exactly the referenced files.
  Duck duck;
  auto report = vacuum(*duck, root, VacuumOptions{kDefaultVacuumRetention, now_utc() + std::chrono::days{8}, false});
  ASSERT_TRUE(report) << report.error().message;
  auto snapshot = load_snapshot(*duck, root);
  ASSERT_TRUE(snapshot);
  size_t parquet = 0;
  for (const auto& entry : fs::directory_iterator(root)) parquet += entry.path().extension() == ".parquet" ? 1 : 0;
  EXPECT_EQ(parquet, snapshot->files.size());
  for (const auto& entry : fs::directory_iterator(root / "_delta_log")) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
  expect_whole_table(root, kKills + 1);
}

}  // namespace
}  // namespace ampere::lake
