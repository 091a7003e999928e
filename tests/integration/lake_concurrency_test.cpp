// Two processes appending to one table at the same time: every commit lands exactly once.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "integration/lake_process.hpp"
#include "lake/delta_log.hpp"
#include "lake/lake_views.hpp"
#include "lake/snapshot.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::query_lines;
using testing::TempDir;

constexpr int kAppendsPerWriter = 50;
constexpr int kRowsPerBatch = 20;

TEST(LakeConcurrency, TwoWritersFiftyAppendsEachMakeExactlyOneHundredCommits) {
  TempDir dir;
  const fs::path root = dir.path() / "t";
  ASSERT_EQ(testing::wait_process(
                testing::start_process({LAKE_WRITER_TOOL, root.string(), "0", "1", std::to_string(kRowsPerBatch)})),
            0);
  std::vector<pid_t> writers;
  for (int writer = 1; writer <= 2; ++writer) {
    writers.push_back(testing::start_process({LAKE_WRITER_TOOL, root.string(), std::to_string(writer),
                                              std::to_string(kAppendsPerWriter), std::to_string(kRowsPerBatch)},
                                             (dir.path() / fmt::format("out{}.txt", writer)).string(),
                                             (dir.path() / fmt::format("err{}.txt", writer)).string()));
  }
  for (size_t i = 0; i < writers.size(); ++i) {
    EXPECT_EQ(testing::wait_process(writers[i]), 0) << testing::slurp(dir.path() / fmt::format("err{}.txt", i + 1));
  }

  const DeltaLog log(root);
  auto listing = log.list();
  ASSERT_TRUE(listing);
  std::vector<int64_t> expected_versions(2 * kAppendsPerWriter + 1);
  for (size_t v = 0; v < expected_versions.size(); ++v) expected_versions[v] = static_cast<int64_t>(v);
  EXPECT_EQ(listing->commits, expected_versions);
  for (int64_t v = 1; v <= 2 * kAppendsPerWriter; ++v) {
    auto entry = log.read_commit(v);
    ASSERT_TRUE(entry) << entry.error().message;
    EXPECT_EQ(entry->adds.size(), 1u) << "version " << v;
    EXPECT_EQ(entry->commit_info->read_version, v - 1) << "version " << v;
  }
  // Each writer printed the versions it won, 50 each, and together they are 1..100.
  std::vector<int64_t> won;
  for (int writer = 1; writer <= 2; ++writer) {
    std::istringstream out(testing::slurp(dir.path() / fmt::format("out{}.txt", writer)));
    std::string word;
    int64_t version = 0;
    int lines = 0;
    while (out >> word >> version) {
      won.push_back(version);
      ++lines;
    }
    EXPECT_EQ(lines, kAppendsPerWriter);
  }
  std::sort(won.begin(), won.end());
  EXPECT_EQ(won, std::vector<int64_t>(expected_versions.begin() + 1, expected_versions.end()));

  Duck duck;
  auto snapshot = load_snapshot(*duck, root);
  ASSERT_TRUE(snapshot) << snapshot.error().message;
  EXPECT_EQ(snapshot->version, 2 * kAppendsPerWriter);
  EXPECT_EQ(snapshot->checkpoint_version, 100);
  auto select = snapshot_select_sql(*duck, *snapshot);
  ASSERT_TRUE(select);
  EXPECT_EQ(query_lines(*duck, "SELECT writer, count(DISTINCT batch), count(*) FROM (" + *select +
                                   ") GROUP BY writer ORDER BY writer"),
            (std::vector<std::string>{fmt::format("0|1|{}", kRowsPerBatch),
                                      fmt::format("1|{}|{}", kAppendsPerWriter, kAppendsPerWriter * kRowsPerBatch),
                                      fmt::format("2|{}|{}", kAppendsPerWriter, kAppendsPerWriter * kRowsPerBatch)}));
  EXPECT_EQ(listing->checkpoints.size(), 10u);  // 10, 20, ..., 100
}

}  // namespace
}  // namespace ampere::lake
