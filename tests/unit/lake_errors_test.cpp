// Damaged and unsupported tables: each read fails with an error naming the file and version, and
// changes nothing on disk.
#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "lake/delta_log.hpp"
#include "lake/delta_table.hpp"
#include "unit/lake_test_support.hpp"
#include "util/files.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::snapshot_lines;
using testing::TempDir;
using testing::tree_state;

class LakeErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int b = 0; b < 3; ++b) ASSERT_TRUE(table.append(fmt::format("SELECT {} AS batch", b)));
  }
  // Commits `protocol` as the next version, as another (newer) engine would.
  void commit_protocol(const Protocol& protocol) {
    DeltaCommit commit;
    commit.protocol = protocol;
    ASSERT_TRUE(DeltaLog(root).write_commit(3, commit));
  }
  TempDir dir;
  Duck duck;
  fs::path root = dir.path() / "t";
  DeltaTable table{*duck, root};
};

TEST_F(LakeErrors, ATruncatedEntryNamesTheFileAndVersion) {
  const fs::path entry = DeltaLog(root).commit_path(2);
  const std::string text = *read_file(entry);
  fs::resize_file(entry, text.size() / 2);
  const auto before = tree_state(root);
  auto snapshot = table.snapshot();
  ASSERT_FALSE(snapshot);
  EXPECT_EQ(snapshot.error().kind, ErrorKind::protocol);
  EXPECT_TRUE(snapshot.error().message.starts_with(entry.string() + " (version 2) line ")) << snapshot.error().message;
  EXPECT_NE(snapshot.error().message.find("not a JSON action (corrupt or truncated log entry)"), std::string::npos);
  EXPECT_EQ(tree_state(root), before);
  // Earlier versions do not need the damaged entry.
  auto earlier = table.snapshot(ReadAt{1, std::nullopt});
  ASSERT_TRUE(earlier) << earlier.error().message;
  EXPECT_EQ(snapshot_lines(*duck, *earlier), (std::vector<std::string>{"0", "1"}));
  // And no writer builds on a log it cannot read.
  EXPECT_FALSE(table.append("SELECT 9 AS batch"));
  EXPECT_EQ(tree_state(root), before);
}

TEST_F(LakeErrors, AMissingDataFileNamesTheFileAndTheVersionThatAddedIt) {
  const std::string path = DeltaLog(root).read_commit(1)->adds.at(0).path;
  fs::remove(root / path);
  auto snapshot = table.snapshot();
  ASSERT_TRUE(snapshot);
  auto select = snapshot_select_sql(*duck, *snapshot);
  ASSERT_FALSE(select);
  EXPECT_EQ(select.error().kind, ErrorKind::not_found);
  EXPECT_EQ(select.error().message,
            fmt::format("data file {} of the Delta table {} (added in version 1) is missing, so version 2 cannot be "
                        "read; was it deleted by hand or vacuumed with a short retention?",
                        (root / path).string(), root.string()));
}

TEST_F(LakeErrors, AnUnknownReaderVersionIsRefused) {
  commit_protocol(Protocol{4, 7, {}, {}});
  const auto before = tree_state(root);
  auto snapshot = table.snapshot();
  ASSERT_FALSE(snapshot);
  EXPECT_EQ(snapshot.error().kind, ErrorKind::protocol);
  EXPECT_EQ(snapshot.error().message,
            fmt::format("the Delta table {} (version 3) needs reader protocol version 4; ampere reads versions 1 to 3. "
                        "Upgrade ampere or rewrite the table with an older protocol",
                        root.string()));
  EXPECT_EQ(tree_state(root), before);
}

TEST_F(LakeErrors, AnUnknownReaderFeatureIsRefused) {
  commit_protocol(Protocol{3, 7, {"deletionVectors", "futureFeature"}, {"deletionVectors", "futureFeature"}});
  auto snapshot = table.snapshot();
  ASSERT_FALSE(snapshot);
  EXPECT_EQ(snapshot.error().message,
            fmt::format("the Delta table {} (version 3) needs the reader feature 'futureFeature', which ampere does "
                        "not implement",
                        root.string()));
}

TEST_F(LakeErrors, ANewerWriterProtocolCanBeReadButNotWritten) {
  commit_protocol(Protocol{1, 7, {}, {"appendOnly"}});
  auto snapshot = table.snapshot();
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  EXPECT_EQ(snapshot_lines(*duck, *snapshot), (std::vector<std::string>{"0", "1", "2"}));
  const auto before = tree_state(root);
  auto appended = table.append("SELECT 3 AS batch");
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().message,
            fmt::format("the Delta table {} needs writer protocol version 7; ampere writes version 2 tables only, so "
                        "it will not change this one",
                        root.string()));
  EXPECT_EQ(tree_state(root), before);
}

TEST_F(LakeErrors, NoTableIsNotFound) {
  auto snapshot = load_snapshot(*duck, dir.path() / "nothing");
  ASSERT_FALSE(snapshot);
  EXPECT_EQ(snapshot.error().kind, ErrorKind::not_found);
  EXPECT_EQ(snapshot.error().message,
            fmt::format("no Delta table at {} (its _delta_log has no entries)", (dir.path() / "nothing").string()));
}

TEST_F(LakeErrors, TemporariesOfInterruptedCommitsAreIgnored) {
  std::ofstream(root / "_delta_log" / "00000000000000000003.json.tmp-42-deadbeef") << "{\"add\":";
  std::ofstream(root / "_delta_log" / ".tmp-checkpoint-x.parquet") << "PAR";
  auto snapshot = table.snapshot();
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  EXPECT_EQ(snapshot->version, 2);
  auto next = table.append("SELECT 3 AS batch");
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 3);
}

}  // namespace
}  // namespace ampere::lake
