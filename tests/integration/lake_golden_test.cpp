// Tables written by Spark's Delta implementation (shared/fixtures/delta-golden, see EXPECTED.md), read
// in place: every expectation of EXPECTED.md, and reading writes nothing.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "lake/delta_table.hpp"
#include "lake/snapshot.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::copy_tree;
using testing::Duck;
using testing::snapshot_lines;
using testing::TempDir;
using testing::tree_state;

fs::path golden(const char* table) {
  return fs::path(DELTA_GOLDEN_DIR) / table;
}

// "col1|col2" lines for col1 in [0, count) and col2 "data-<batch>-<col1>".
std::vector<std::string> data_rows(int batch, int count) {
  std::vector<std::string> rows;
  for (int i = 0; i < count; ++i) rows.push_back(fmt::format("{}|data-{}-{}", i, batch, i));
  return rows;
}

// In the order the query's ORDER BY col1, col2 gives: numerically by col1, then by col2.
std::vector<std::string> sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end(), [](const std::string& a, const std::string& b) {
    const int col_a = std::stoi(a);
    const int col_b = std::stoi(b);
    return col_a != col_b ? col_a < col_b : a < b;
  });
  return rows;
}

template <class... Parts>
std::vector<std::string> concat(Parts... parts) {
  std::vector<std::string> all;
  (all.insert(all.end(), parts.begin(), parts.end()), ...);
  return sorted(all);
}

class LakeGolden : public ::testing::Test {
 protected:
  std::vector<std::string> read(const char* table, ReadAt at = {}) {
    auto snapshot = load_snapshot(*duck, golden(table), at);
    if (!snapshot) {
      ADD_FAILURE() << snapshot.error().message;
      return {};
    }
    return snapshot_lines(*duck, *snapshot, "col1, col2");
  }
  Duck duck;
};

TEST_F(LakeGolden, SnapshotData0HasOneAppend) {
  const auto before = tree_state(golden("snapshot-data0"));
  EXPECT_EQ(read("snapshot-data0"), sorted(data_rows(0, 10)));
  EXPECT_EQ(tree_state(golden("snapshot-data0")), before);
}

TEST_F(LakeGolden, SnapshotData1HasTwoAppends) {
  EXPECT_EQ(read("snapshot-data1", ReadAt{0, std::nullopt}), sorted(data_rows(0, 10)));
  EXPECT_EQ(read("snapshot-data1"), concat(data_rows(0, 10), data_rows(1, 10)));
}

TEST_F(LakeGolden, SnapshotData2TravelsAcrossAnOverwrite) {
  EXPECT_EQ(read("snapshot-data2"), sorted(data_rows(2, 10)));
  EXPECT_EQ(read("snapshot-data2", ReadAt{0, std::nullopt}), sorted(data_rows(0, 10)));
  EXPECT_EQ(read("snapshot-data2", ReadAt{1, std::nullopt}), concat(data_rows(0, 10), data_rows(1, 10)));
}

TEST_F(LakeGolden, SnapshotData3AppendsAfterTheOverwrite) {
  auto snapshot = load_snapshot(*duck, golden("snapshot-data3"));
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  EXPECT_EQ(snapshot->version, 3);
  EXPECT_EQ(snapshot->tombstones.size(), 4u);  // the files the overwrite at version 2 removed
  EXPECT_EQ(read("snapshot-data3"), concat(data_rows(2, 10), data_rows(3, 20)));
  EXPECT_EQ(read("snapshot-data3", ReadAt{2, std::nullopt}), sorted(data_rows(2, 10)));
}

TEST_F(LakeGolden, TimeTravelsByTimestampOnSparkCommitTimes) {
  // commitInfo timestamps of snapshot-data3: 1603723967632, ...69055, ...70832, ...72251 (ms).
  EXPECT_EQ(read("snapshot-data3", ReadAt{std::nullopt, Timestamp{std::chrono::milliseconds{1603723969055}}}),
            concat(data_rows(0, 10), data_rows(1, 10)));
  EXPECT_EQ(read("snapshot-data3", ReadAt{std::nullopt, Timestamp{std::chrono::milliseconds{1603723972250}}}),
            sorted(data_rows(2, 10)));
}

TEST_F(LakeGolden, BasicWithInsertsDeletesAndACheckpoint) {
  const auto before = tree_state(golden("basic-with-inserts-deletes-checkpoint"));
  auto snapshot = load_snapshot(*duck, golden("basic-with-inserts-deletes-checkpoint"));
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  EXPECT_EQ(snapshot->version, 13);
  EXPECT_EQ(snapshot->checkpoint_version, 10);  // started from Spark's Parquet checkpoint
  EXPECT_EQ(snapshot->entries_read, 3);
  std::vector<std::string> ids;
  for (int start : {0, 10, 20, 30, 40}) {
    for (int id = start; id < start + 5; ++id) ids.push_back(std::to_string(id));
  }
  for (int id = 50; id <= 65; ++id) ids.push_back(std::to_string(id));
  EXPECT_EQ(
      snapshot_lines(*duck, *snapshot, "id"),
      testing::query_lines(*duck, "SELECT unnest([" + fmt::format("{}", fmt::join(ids, ",")) + "]) ORDER BY ALL"));
  EXPECT_EQ(ids.size(), 41u);
  EXPECT_EQ(tree_state(golden("basic-with-inserts-deletes-checkpoint")), before);
}

TEST_F(LakeGolden, DataReaderPrimitivesReadsEveryType) {
  auto snapshot = load_snapshot(*duck, golden("data-reader-primitives"));
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  const auto rows = snapshot_lines(*duck, *snapshot,
                                   "as_int, as_long, as_byte, as_short, as_boolean, as_float, as_double, as_string, "
                                   "hex(as_binary), as_big_decimal, typeof(as_big_decimal), typeof(as_byte)");
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) {
    expected.push_back(fmt::format("{0}|{0}|{0}|{0}|{1}|{0}.0|{0}.0|{0}|{2:02X}{2:02X}|{0}|DECIMAL(1,0)|TINYINT", i,
                                   i % 2 == 0 ? "true" : "false", i));
  }
  expected.push_back("NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|DECIMAL(1,0)|TINYINT");
  EXPECT_EQ(rows, expected);
}

TEST_F(LakeGolden, VersionsNotContiguousFailsNamingTheGap) {
  const auto before = tree_state(golden("versions-not-contiguous"));
  auto snapshot = load_snapshot(*duck, golden("versions-not-contiguous"));
  ASSERT_FALSE(snapshot);
  EXPECT_EQ(snapshot.error().kind, ErrorKind::protocol);
  EXPECT_EQ(snapshot.error().message,
            fmt::format("the Delta log of {} is broken: versions are not contiguous, version 1 "
                        "(00000000000000000001.json) is missing between versions 0 and 2",
                        golden("versions-not-contiguous").string()));
  EXPECT_EQ(tree_state(golden("versions-not-contiguous")), before);
}

TEST_F(LakeGolden, AppendsToACopyOfASparkTableWithACheckpoint) {
  TempDir dir;
  const fs::path root = dir.path() / "copy";
  copy_tree(golden("basic-with-inserts-deletes-checkpoint"), root);
  DeltaTable table(*duck, root);
  auto version = table.append("SELECT range + 100 AS id FROM range(3)");
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 14);
  auto snapshot = table.snapshot();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot_lines(*duck, *snapshot, "count(*), max(id)"), std::vector<std::string>{"44|102"});
  ASSERT_TRUE(table.checkpoint());
  auto again = table.snapshot();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->checkpoint_version, 14);
  EXPECT_EQ(snapshot_lines(*duck, *again, "count(*), max(id)"), std::vector<std::string>{"44|102"});
}

}  // namespace
}  // namespace ampere::lake
