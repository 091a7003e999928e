// Latest reads start from the checkpoint _last_checkpoint names and probe the entries after it instead of
// listing the log; whatever state the hint is in, they read what a read from a full listing reads.
#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "lake/delta_log.hpp"
#include "lake/delta_table.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::snapshot_lines;
using testing::TempDir;
using testing::tree_state;

constexpr int kVersions = 25;  // v0..v24, checkpoints at 10 and 20

class LakeLastCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int v = 0; v < kVersions; ++v) {
      auto version = v == 12 ? table.overwrite(batch_sql(v)) : table.append(batch_sql(v));  // v12 leaves tombstones
      ASSERT_TRUE(version) << version.error().message;
    }
    ASSERT_EQ(log.read_last_checkpoint()->version, 20);
  }
  static std::string quote(const std::string& text) { return "'" + text + "'"; }
  static std::string batch_sql(int batch) {
    return fmt::format("SELECT {0} AS batch, range AS i FROM range(2)", batch);
  }

  void write_last_checkpoint(const std::string& text) const {
    std::ofstream(log.log_dir() / "_last_checkpoint", std::ios::trunc) << text;
  }

  // The latest snapshot read with the hint, checked against a read from a full listing (a version read).
  Snapshot expect_latest_reads_as_listing(int64_t latest) {
    auto hinted = table.snapshot();
    EXPECT_TRUE(hinted) << hinted.error().message;
    if (!hinted) return {};
    EXPECT_EQ(hinted->version, latest);
    auto listed = table.snapshot(ReadAt{latest, std::nullopt});
    EXPECT_TRUE(listed) << listed.error().message;
    if (!listed) return {};
    EXPECT_EQ(snapshot_lines(*duck, *hinted), snapshot_lines(*duck, *listed));
    EXPECT_EQ(hinted->files.size(), listed->files.size());
    EXPECT_EQ(hinted->tombstones.size(), listed->tombstones.size());
    EXPECT_EQ(hinted->metadata.id, listed->metadata.id);
    EXPECT_EQ(snapshot_lines(*duck, *hinted).size(), static_cast<size_t>(2 * (latest + 1 - 12)));
    return std::move(*hinted);
  }

  TempDir dir;
  Duck duck;
  fs::path root = dir.path() / "t";
  DeltaTable table{*duck, root};
  DeltaLog log{root};
};

TEST_F(LakeLastCheckpoint, ReadsTheEntriesAfterTheNamedCheckpoint) {
  const Snapshot latest = expect_latest_reads_as_listing(kVersions - 1);
  EXPECT_EQ(latest.checkpoint_version, 20);
  EXPECT_EQ(latest.entries_read, 4);
  // Commits made after the checkpoint are found without a new checkpoint.
  ASSERT_TRUE(table.append(batch_sql(kVersions)));
  EXPECT_EQ(expect_latest_reads_as_listing(kVersions).entries_read, 5);
}

TEST_F(LakeLastCheckpoint, AStaleHintFindsTheNewerCheckpoint) {
  write_last_checkpoint(R"({"version":10,"size":13})");
  const Snapshot latest = expect_latest_reads_as_listing(kVersions - 1);
  EXPECT_EQ(latest.checkpoint_version, 20);
  EXPECT_EQ(latest.entries_read, 4);
}

TEST_F(LakeLastCheckpoint, WithoutAHintTheLogIsListed) {
  fs::remove(log.log_dir() / "_last_checkpoint");
  EXPECT_EQ(expect_latest_reads_as_listing(kVersions - 1).checkpoint_version, 20);
  write_last_checkpoint("{\"version\":");  // unreadable: only a hint
  EXPECT_EQ(expect_latest_reads_as_listing(kVersions - 1).checkpoint_version, 20);
}

TEST_F(LakeLastCheckpoint, AHintNamingAMissingCheckpointFallsBackToTheListing) {
  write_last_checkpoint(R"({"version":22,"size":13})");
  EXPECT_EQ(expect_latest_reads_as_listing(kVersions - 1).checkpoint_version, 20);
  // A multi-part checkpoint with a part missing is not there either.
  write_last_checkpoint(R"({"version":20,"size":23,"parts":2})");
  EXPECT_EQ(expect_latest_reads_as_listing(kVersions - 1).checkpoint_version, 20);
  fs::remove(log.checkpoint_path(20));
  write_last_checkpoint(R"({"version":20,"size":23})");
  EXPECT_EQ(expect_latest_reads_as_listing(kVersions - 1).checkpoint_version, 10);
}

TEST_F(LakeLastCheckpoint, ReadsAMultiPartCheckpointItNames) {
  // Checkpoint 20 split in two parts, as another engine may write it.
  const std::string whole = quote(log.checkpoint_path(20).string());
  ASSERT_TRUE((*duck).execute(fmt::format("COPY (SELECT * FROM read_parquet({}) LIMIT 10) TO {} (FORMAT parquet)",
                                          whole, quote(log.checkpoint_part_path(20, 1, 2).string()))));
  ASSERT_TRUE((*duck).execute(fmt::format("COPY (SELECT * FROM read_parquet({}) OFFSET 10) TO {} (FORMAT parquet)",
                                          whole, quote(log.checkpoint_part_path(20, 2, 2).string()))));
  fs::remove(log.checkpoint_path(20));
  write_last_checkpoint(R"({"version":20,"size":23,"parts":2})");
  const Snapshot latest = expect_latest_reads_as_listing(kVersions - 1);
  EXPECT_EQ(latest.checkpoint_version, 20);
  EXPECT_EQ(latest.entries_read, 4);
}

TEST_F(LakeLastCheckpoint, AHoleAfterTheLastEntryIsTheListingsError) {
  fs::copy_file(log.commit_path(24), log.commit_path(26));
  const auto before = tree_state(root);
  auto latest = table.snapshot();
  ASSERT_FALSE(latest);
  EXPECT_EQ(latest.error().message,
            fmt::format("the Delta log of {} is broken: versions are not contiguous, version 25 "
                        "(00000000000000000025.json) is missing between versions 24 and 26",
                        root.string()));
  EXPECT_EQ(tree_state(root), before);
}

TEST_F(LakeLastCheckpoint, ACorruptNamedCheckpointIsAnErrorNamingIt) {
  const fs::path saved = dir.path() / "checkpoint-20.parquet";
  fs::copy_file(log.checkpoint_path(20), saved);
  std::ofstream(log.checkpoint_path(20), std::ios::trunc) << "not parquet";
  const auto before = tree_state(root);
  auto latest = table.snapshot();
  ASSERT_FALSE(latest);
  EXPECT_TRUE(latest.error().message.starts_with("cannot read checkpoint " + log.checkpoint_path(20).string()))
      << latest.error().message;
  EXPECT_EQ(tree_state(root), before);
  // A stale hint naming a corrupt checkpoint while a newer one is whole: the newer one is read.
  fs::copy_file(saved, log.checkpoint_path(20), fs::copy_options::overwrite_existing);
  for (int v = kVersions; v <= 30; ++v) ASSERT_TRUE(table.append(batch_sql(v)));  // checkpoint at 30
  std::ofstream(log.checkpoint_path(10), std::ios::trunc) << "not parquet";
  write_last_checkpoint(R"({"version":10,"size":13})");
  EXPECT_EQ(expect_latest_reads_as_listing(30).checkpoint_version, 30);
}

}  // namespace
}  // namespace ampere::lake
