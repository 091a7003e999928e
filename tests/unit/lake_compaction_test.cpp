// Compaction: small files become one, in one commit with dataChange=false, and the rows stay the same.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "lake/compaction.hpp"
#include "lake/delta_log.hpp"
#include "lake/table_history.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::snapshot_lines;
using testing::TempDir;

constexpr int kAppends = 12;

class LakeCompaction : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int b = 0; b < kAppends; ++b) {
      ASSERT_TRUE(
          table.append(fmt::format("SELECT {0} AS batch, range AS i, repeat('p', 50) AS payload FROM range(3)", b)));
    }
    auto before = table.snapshot();
    ASSERT_TRUE(before);
    rows_before = snapshot_lines(*duck, *before);
    ASSERT_EQ(rows_before.size(), static_cast<size_t>(kAppends * 3));
  }
  TempDir dir;
  Duck duck;
  fs::path root = dir.path() / "t";
  DeltaTable table{*duck, root};
  std::vector<std::string> rows_before;
};

TEST_F(LakeCompaction, RewritesSmallFilesInOneCommitWithTheSameRows) {
  auto report = compact(table);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_TRUE(report->version);
  EXPECT_EQ(*report->version, kAppends);
  EXPECT_EQ(report->files_removed, kAppends);
  EXPECT_EQ(report->files_added, 1);

  auto entry = DeltaLog(root).read_commit(kAppends);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->commit_info->operation, "OPTIMIZE");
  ASSERT_EQ(entry->removes.size(), static_cast<size_t>(kAppends));
  for (const auto& remove : entry->removes) EXPECT_FALSE(remove.data_change);
  ASSERT_EQ(entry->adds.size(), 1u);
  EXPECT_FALSE(entry->adds[0].data_change);
  EXPECT_EQ(entry->adds[0].num_records, kAppends * 3);

  auto after = table.snapshot();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->files.size(), 1u);
  EXPECT_EQ(snapshot_lines(*duck, *after), rows_before);
  // The version before compaction still reads from the old files.
  auto old = table.snapshot(ReadAt{kAppends - 1, std::nullopt});
  ASSERT_TRUE(old);
  EXPECT_EQ(old->files.size(), static_cast<size_t>(kAppends));
  EXPECT_EQ(snapshot_lines(*duck, *old), rows_before);

  auto history = read_history(root);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().operation, "OPTIMIZE");
  EXPECT_EQ(history->back().rows_added, 0);  // no data changed
  EXPECT_EQ(history->back().files_added, 1);
  EXPECT_EQ(history->back().files_removed, kAppends);
}

TEST_F(LakeCompaction, HasNothingToDoTwice) {
  ASSERT_TRUE(compact(table));
  auto again = compact(table);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->version);
  EXPECT_EQ(DeltaLog(root).list()->latest(), kAppends);
}

TEST_F(LakeCompaction, LeavesFilesAboveTheSmallSizeAlone) {
  auto report = compact(table, CompactOptions{1, kTargetFileBytes});
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->version);
}

TEST_F(LakeCompaction, PacksBinsUpToTheTargetSize) {
  auto snapshot = table.snapshot();
  const int64_t file_size = snapshot->files.begin()->second.add.size;
  // Room for about four files per bin: twelve files make three new ones.
  auto report = compact(table, CompactOptions{kSmallFileBytes, file_size * 4 + file_size / 2});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->files_removed, kAppends);
  EXPECT_EQ(report->files_added, 3);
  EXPECT_EQ(snapshot_lines(*duck, *table.snapshot()), rows_before);
}

TEST_F(LakeCompaction, KeepsAppendsThatLandAfterItAndColumnsAddedLater) {
  ASSERT_TRUE(table.append("SELECT 99 AS batch, 0::BIGINT AS i, 'p' AS payload, 'new' AS extra"));
  auto report = compact(table);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->files_removed, kAppends + 1);
  auto after = table.snapshot();
  auto rows = snapshot_lines(*duck, *after, "batch, i, extra");
  ASSERT_EQ(rows.size(), static_cast<size_t>(kAppends * 3 + 1));
  EXPECT_EQ(rows.front(), "0|0|NULL");
  EXPECT_EQ(rows.back(), "99|0|new");
}

}  // namespace
}  // namespace ampere::lake
