// Checkpoints every 10 commits: their Parquet schema matches Spark's, and reads start from the newest one.
#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "lake/checkpoint.hpp"
#include "lake/delta_log.hpp"
#include "lake/delta_table.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::query_lines;
using testing::snapshot_lines;
using testing::TempDir;

constexpr int kVersions = 25;     // v0..v24
constexpr int kOverwriteAt = 12;  // leaves tombstones for the checkpoint at 20 to carry

std::string batch_sql(int batch) {
  return fmt::format("SELECT {0} AS batch, range AS i FROM range(2)", batch);
}

std::vector<std::string> expected_latest() {
  std::vector<std::string> rows;
  for (int b = kOverwriteAt; b < kVersions; ++b) {
    for (int i = 0; i < 2; ++i) rows.push_back(fmt::format("{}|{}", b, i));
  }
  return rows;
}

class LakeCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int v = 0; v < kVersions; ++v) {
      auto version = v == kOverwriteAt ? table.overwrite(batch_sql(v)) : table.append(batch_sql(v));
      ASSERT_TRUE(version) << version.error().message;
      ASSERT_EQ(*version, v);
    }
  }
  TempDir dir;
  Duck duck;
  fs::path root = dir.path() / "t";
  DeltaTable table{*duck, root};
};

TEST_F(LakeCheckpoint, IsWrittenEveryTenCommitsWithLastCheckpoint) {
  auto listing = DeltaLog(root).list();
  ASSERT_TRUE(listing);
  ASSERT_EQ(listing->checkpoints.size(), 2u);
  EXPECT_EQ(listing->checkpoints[0].version, 10);
  EXPECT_EQ(listing->checkpoints[1].version, 20);
  EXPECT_TRUE(fs::exists(root / "_delta_log" / "00000000000000000020.checkpoint.parquet"));
  auto last = DeltaLog(root).read_last_checkpoint();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->version, 20);
  // protocol + metaData + 9 adds (v12..v20) + 12 tombstones (the files v12 overwrote)
  EXPECT_EQ(last->size, 23);
  EXPECT_EQ(last->num_of_add_files, 9);
  EXPECT_EQ(last->size_in_bytes,
            static_cast<int64_t>(fs::file_size(root / "_delta_log" / "00000000000000000020.checkpoint.parquet")));
}

TEST_F(LakeCheckpoint, ReadsStartFromTheNewestCheckpointAtOrBeforeTheVersion) {
  auto latest = table.snapshot();
  ASSERT_TRUE(latest) << latest.error().message;
  EXPECT_EQ(latest->checkpoint_version, 20);
  EXPECT_EQ(latest->entries_read, 4);
  EXPECT_EQ(snapshot_lines(*duck, *latest), expected_latest());
  auto middle = table.snapshot(ReadAt{15, std::nullopt});
  ASSERT_TRUE(middle);
  EXPECT_EQ(middle->checkpoint_version, 10);
  EXPECT_EQ(middle->entries_read, 5);
  EXPECT_EQ(middle->files.size(), 4u);  // v12..v15
  auto early = table.snapshot(ReadAt{5, std::nullopt});
  ASSERT_TRUE(early);
  EXPECT_EQ(early->checkpoint_version, -1);
  EXPECT_EQ(early->entries_read, 6);
}

TEST_F(LakeCheckpoint, HoldsTheSameStateAsReplayingTheLog) {
  Snapshot replayed;
  replayed.table_root = root;
  const DeltaLog log(root);
  for (int v = 0; v <= 20; ++v) apply_commit(replayed, *log.read_commit(v), v);
  auto state = read_checkpoint(*duck, CheckpointFiles{20, {log.checkpoint_path(20)}});
  ASSERT_TRUE(state) << state.error().message;
  ASSERT_TRUE(state->protocol);
  EXPECT_EQ(state->protocol->min_reader_version, 1);
  EXPECT_EQ(state->protocol->min_writer_version, 2);
  ASSERT_TRUE(state->metadata);
  EXPECT_EQ(state->metadata->id, replayed.metadata.id);
  EXPECT_EQ(state->metadata->schema_string, replayed.metadata.schema_string);
  EXPECT_EQ(state->metadata->created_time, replayed.metadata.created_time);
  ASSERT_EQ(state->adds.size(), replayed.files.size());
  for (const auto& add : state->adds) {
    const auto& expected = replayed.files.at(add.path).add;
    EXPECT_EQ(add.size, expected.size);
    EXPECT_EQ(add.modification_time, expected.modification_time);
    EXPECT_EQ(add.stats, expected.stats);
    EXPECT_EQ(add.data_change, expected.data_change);
  }
  ASSERT_EQ(state->removes.size(), replayed.tombstones.size());
  for (const auto& remove : state->removes) {
    EXPECT_EQ(remove.deletion_timestamp, replayed.tombstones.at(remove.path).deletion_timestamp);
  }
}

TEST_F(LakeCheckpoint, HasSparksCheckpointSchema) {
  // Spark's own checkpoint (golden table) is the reference for column names, nesting and types.
  const fs::path spark = fs::path(DELTA_GOLDEN_DIR) / "basic-with-inserts-deletes-checkpoint" / "_delta_log" /
                         "00000000000000000010.checkpoint.parquet";
  const fs::path ours = root / "_delta_log" / "00000000000000000010.checkpoint.parquet";
  const auto describe = [this](const fs::path& file) {
    return query_lines(*duck, fmt::format("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                                          "read_parquet('{}'))",
                                          file.string()));
  };
  EXPECT_EQ(describe(ours), describe(spark));
  // One action per row: every row has exactly one non-null action column.
  EXPECT_EQ(query_lines(*duck, fmt::format("SELECT count(*) FROM read_parquet('{}') WHERE (txn IS NOT NULL)::INT + "
                                           "(add IS NOT NULL)::INT + (remove IS NOT NULL)::INT + (metaData IS NOT "
                                           "NULL)::INT + (protocol IS NOT NULL)::INT <> 1",
                                           ours.string())),
            (std::vector<std::string>{"0"}));
  EXPECT_EQ(query_lines(*duck, fmt::format("SELECT count(add), count(remove), count(metaData), count(protocol), "
                                           "min(protocol.minReaderVersion), min(protocol.minWriterVersion) FROM "
                                           "read_parquet('{}')",
                                           ours.string())),
            (std::vector<std::string>{"11|0|1|1|1|2"}));
}

TEST_F(LakeCheckpoint, LatestReadsNeedNoEntryBeforeTheCheckpoint) {
  for (int v = 0; v < 20; ++v) fs::remove(DeltaLog(root).commit_path(v));
  auto latest = table.snapshot();
  ASSERT_TRUE(latest) << latest.error().message;
  EXPECT_EQ(latest->version, kVersions - 1);
  EXPECT_EQ(snapshot_lines(*duck, *latest), expected_latest());
  auto at_checkpoint = table.snapshot(ReadAt{20, std::nullopt});
  ASSERT_TRUE(at_checkpoint) << at_checkpoint.error().message;
  EXPECT_EQ(at_checkpoint->entries_read, 0);
  auto gone = table.snapshot(ReadAt{15, std::nullopt});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().message, fmt::format("the Delta log of {} is broken: versions are not contiguous, version 11 "
                                              "(00000000000000000011.json) is missing before version 20",
                                              root.string()));
  // Appends go on from the checkpoint.
  auto next = table.append(batch_sql(kVersions));
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(*next, kVersions);
}

TEST(LakeCheckpointLayouts, ReadsACheckpointWithoutStatsOrNewerFields) {
  // An older engine's layout: no add.stats, tags or deletionVector, no txn or remove columns.
  TempDir dir;
  Duck duck;
  const fs::path file = dir.path() / "00000000000000000003.checkpoint.parquet";
  const std::string schema =
      R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})";
  ASSERT_TRUE((*duck).execute(fmt::format(
      "COPY (SELECT * FROM (VALUES "
      "(NULL, NULL, {{'minReaderVersion': 1, 'minWriterVersion': 2}}), "
      "(NULL, {{'id': 'abc', 'format': {{'provider': 'parquet'}}, 'schemaString': '{}', 'partitionColumns': "
      "[]::VARCHAR[]}}, NULL), "
      "({{'path': 'a.parquet', 'partitionValues': MAP {{}}::MAP(VARCHAR, VARCHAR), 'size': 10, 'modificationTime': 5, "
      "'dataChange': false}}, NULL, NULL)) AS t(add, metaData, protocol)) TO '{}' (FORMAT parquet)",
      schema, file.string())));
  auto state = read_checkpoint(*duck, CheckpointFiles{3, {file}});
  ASSERT_TRUE(state) << state.error().message;
  ASSERT_EQ(state->adds.size(), 1u);
  EXPECT_EQ(state->adds[0].path, "a.parquet");
  EXPECT_EQ(state->adds[0].size, 10);
  EXPECT_EQ(state->adds[0].modification_time, 5);
  EXPECT_FALSE(state->adds[0].data_change);
  EXPECT_TRUE(state->adds[0].stats.empty());
  ASSERT_TRUE(state->metadata);
  EXPECT_EQ(state->metadata->id, "abc");
  EXPECT_EQ(state->metadata->schema.fields.size(), 1u);
  ASSERT_TRUE(state->protocol);
  EXPECT_EQ(state->protocol->min_writer_version, 2);
}

TEST(LakeCheckpointLayouts, AnUnreadableCheckpointNamesTheFile) {
  TempDir dir;
  Duck duck;
  const fs::path file = dir.path() / "00000000000000000003.checkpoint.parquet";
  std::ofstream(file) << "not parquet";
  auto state = read_checkpoint(*duck, CheckpointFiles{3, {file}});
  ASSERT_FALSE(state);
  EXPECT_TRUE(state.error().message.starts_with("cannot read checkpoint " + file.string() + ": "))
      << state.error().message;
}

}  // namespace
}  // namespace ampere::lake
