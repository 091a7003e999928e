// Vacuum: old unreferenced files and orphans go; files of versions within the retention stay.
#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "lake/delta_log.hpp"
#include "lake/delta_table.hpp"
#include "lake/vacuum.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
namespace chr = std::chrono;
using testing::Duck;
using testing::snapshot_lines;
using testing::TempDir;

void touch(const fs::path& path, Timestamp when) {
  std::ofstream(path) << "not parquet";
  fs::last_write_time(path, chr::file_clock::from_sys(when));
}

class LakeVacuum : public ::testing::Test {
 protected:
  // Versions (commit times relative to "now" B, which lies 30 days ahead so real file times are old):
  // v0 append A (B-20d), v1 append B (B-20d+1h), v2 overwrite C (B-10d), v3 append D (B-1d),
  // v4 overwrite E (B-12h).
  void SetUp() override {
    const auto write = [this](Timestamp when, bool overwrite, int batch) {
      clock_time = when;
      const std::string sql = fmt::format("SELECT {} AS batch", batch);
      auto version = overwrite ? table.overwrite(sql) : table.append(sql);
      ASSERT_TRUE(version) << version.error().message;
      files.push_back(root / DeltaLog(root).read_commit(*version)->adds.at(0).path);
    };
    write(now - chr::days{20}, false, 0);
    write(now - chr::days{20} + chr::hours{1}, false, 1);
    write(now - chr::days{10}, true, 2);
    write(now - chr::days{1}, false, 3);
    write(now - chr::hours{12}, true, 4);
    touch(old_orphan, now_utc() - chr::hours{1});
    touch(young_orphan, now - chr::hours{1});
    touch(stale_temporary, now_utc());
    fs::create_directories(root / "_hidden");
    touch(root / "_hidden" / "keep.txt", now_utc() - chr::days{100});
  }

  TempDir dir;
  Duck duck;
  Timestamp now = chr::time_point_cast<chr::microseconds>(now_utc() + chr::days{30});
  Timestamp clock_time = now;
  fs::path root = dir.path() / "t";
  DeltaTable table{*duck, root, TableOptions{[this] { return clock_time; }, kMaxCommitAttempts}};
  std::vector<fs::path> files;  // A, B, C, D, E
  fs::path old_orphan = root / "part-00000-orphan-old.parquet";
  fs::path young_orphan = root / "part-00000-orphan-young.parquet";
  fs::path stale_temporary = root / "_delta_log" / "00000000000000000005.json.tmp-1-abc";
};

TEST_F(LakeVacuum, DeletesOnlyWhatNoLiveVersionNeeds) {
  auto report = vacuum(*duck, root, VacuumOptions{kDefaultVacuumRetention, now, false});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->oldest_live_version, 2);  // current at now - 7 days
  std::vector<fs::path> expected{files[0], files[1], old_orphan, stale_temporary};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(report->deleted, expected);
  EXPECT_EQ(report->files_kept, 3);  // C, D, E
  for (const auto& gone : expected) EXPECT_FALSE(fs::exists(gone)) << gone;
  for (size_t i = 2; i < files.size(); ++i) EXPECT_TRUE(fs::exists(files[i])) << files[i];
  EXPECT_TRUE(fs::exists(young_orphan));
  EXPECT_TRUE(fs::exists(root / "_hidden" / "keep.txt"));

  // Every live version still reads; a vacuumed one fails clearly, naming the file.
  EXPECT_EQ(snapshot_lines(*duck, *table.snapshot(ReadAt{2, std::nullopt})), std::vector<std::string>{"2"});
  EXPECT_EQ(snapshot_lines(*duck, *table.snapshot(ReadAt{3, std::nullopt})), (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(snapshot_lines(*duck, *table.snapshot()), std::vector<std::string>{"4"});
  auto vacuumed = table.snapshot(ReadAt{0, std::nullopt});
  ASSERT_TRUE(vacuumed);
  auto select = snapshot_select_sql(*duck, *vacuumed);
  ASSERT_FALSE(select);
  EXPECT_EQ(select.error().kind, ErrorKind::not_found);
  EXPECT_EQ(select.error().message,
            fmt::format("data file {} of the Delta table {} (added in version 0) is missing, so version 0 cannot be "
                        "read; was it deleted by hand or vacuumed with a short retention?",
                        files[0].string(), root.string()));
}

TEST_F(LakeVacuum, ADryRunDeletesNothing) {
  auto report = vacuum(*duck, root, VacuumOptions{kDefaultVacuumRetention, now, true});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->deleted.size(), 4u);
  EXPECT_TRUE(fs::exists(files[0]));
  EXPECT_TRUE(fs::exists(old_orphan));
}

TEST_F(LakeVacuum, ShorterRetentionsFreeMore) {
  auto day = vacuum(*duck, root, VacuumOptions{chr::hours{24}, now, false});
  ASSERT_TRUE(day);
  EXPECT_EQ(day->oldest_live_version, 3);  // committed exactly at now - 24h
  EXPECT_EQ(day->files_kept, 3);           // C and D (v3) and E
  auto hours = vacuum(*duck, root, VacuumOptions{chr::hours{6}, now, false});
  ASSERT_TRUE(hours);
  EXPECT_EQ(hours->oldest_live_version, 4);
  std::vector<fs::path> c_and_d{files[2], files[3]};
  std::sort(c_and_d.begin(), c_and_d.end());
  EXPECT_EQ(hours->deleted, c_and_d);
  EXPECT_TRUE(fs::exists(files[4]));
  EXPECT_TRUE(fs::exists(young_orphan));  // written an hour before "now": maybe a commit in progress
}

TEST_F(LakeVacuum, RefusesARetentionTooShortForWritersInFlight) {
  auto report = vacuum(*duck, root, VacuumOptions{chr::hours{0}, now, false});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind, ErrorKind::invalid_input);
  EXPECT_TRUE(fs::exists(files[0]));
}

}  // namespace
}  // namespace ampere::lake
