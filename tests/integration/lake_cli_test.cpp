// The real binary: `ampere demo` writes the repos to the lake, `ampere lake ...` inspects and maintains it.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include <fmt/format.h>

#include "integration/lake_process.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::TempDir;

class LakeCli : public ::testing::Test {
 protected:
  ProcessResult ampere(std::vector<std::string> args) {
    args.insert(args.begin(), AMPERE_BINARY);
    return testing::run_process(args, scratch.path(), dir.path().string());
  }
  TempDir dir;      // the working directory: no ampere.toml
  TempDir scratch;  // captured output
  std::string data_dir = (dir.path() / "data").string();
};

TEST_F(LakeCli, DemoWritesTheLakeAndLakeCommandsReadIt) {
  auto demo = ampere({"demo", "--no-serve", "--data-dir", data_dir});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("sync ampere-demo: 8 repos (8 changed)"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("ok           repos "), std::string::npos) << demo.out;
  auto again = ampere({"demo", "--no-serve", "--data-dir", data_dir});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("sync ampere-demo: 8 repos (0 changed), 0 records"), std::string::npos) << again.out;

  auto ls = ampere({"lake", "ls", "--data-dir", data_dir});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  std::istringstream lines(ls.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header, "table                         version  files       rows         size");
  // table -> (version, files, rows); rows with thousands separators, the size in binary units ("41.5 KiB").
  std::map<std::string, std::tuple<int64_t, int64_t, int64_t>> tables;
  std::string table;
  int64_t version = -1;
  int64_t files = -1;
  std::string rows;
  double size = -1;
  std::string unit;
  while (lines >> table >> version >> files >> rows >> size >> unit) {
    EXPECT_GT(size, 0) << table;
    EXPECT_TRUE(unit == "B" || unit == "KiB" || unit == "MiB") << table << " " << unit;
    std::erase(rows, ',');
    tables[table] = {version, files, std::stoll(rows)};
  }
  EXPECT_GE(tables.size(), 10U) << ls.out;
  // The second demo run was answered with 304s: the GitHub tables did not move past their first version.
  EXPECT_EQ(tables["github/repos"], std::make_tuple(int64_t{0}, int64_t{1}, int64_t{8}));
  EXPECT_EQ(tables["github/stargazers"], std::make_tuple(int64_t{0}, int64_t{1}, int64_t{360}));
  EXPECT_EQ(tables["github/commits"], std::make_tuple(int64_t{0}, int64_t{1}, int64_t{398}));
  EXPECT_EQ(std::get<2>(tables["ampere/runs"]), 4) << "one run record per sync: GitHub and PyPI, twice";
  // The second run found every day of downloads in the query log and asked for none of them again.
  EXPECT_EQ(std::get<0>(tables["pypi/downloads"]), 6) << "7 queries of 14 days over 90 days: versions 0..6";

  auto history = ampere({"lake", "history", "github/repos", "--data-dir", data_dir});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("WRITE (Append)"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("         8\n"), std::string::npos) << history.out;

  auto compact = ampere({"lake", "compact", "--data-dir", data_dir});
  ASSERT_EQ(compact.exit_code, 0) << compact.err;
  EXPECT_NE(compact.out.find("github/repos: nothing to compact\n"), std::string::npos) << compact.out;
  auto vacuum = ampere({"lake", "vacuum", "github/repos", "--retain-hours", "24", "--data-dir", data_dir});
  ASSERT_EQ(vacuum.exit_code, 0) << vacuum.err;
  EXPECT_EQ(vacuum.out, "github/repos: deleted 0 files (0 B), kept 1; versions from 0 stay readable\n");
}

TEST_F(LakeCli, ErrorsSayWhatToDo) {
  ASSERT_EQ(ampere({"demo", "--no-serve", "--data-dir", data_dir}).exit_code, 0);
  auto unknown = ampere({"lake", "history", "github/stars", "--data-dir", data_dir});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(unknown.err.starts_with(fmt::format("ampere: no lake table github/stars in {}/lake (tables: ", data_dir)))
      << unknown.err;
  EXPECT_NE(unknown.err.find("github/stargazers"), std::string::npos) << unknown.err;
  auto short_retention = ampere({"lake", "vacuum", "--retain-hours", "0", "--data-dir", data_dir});
  EXPECT_EQ(short_retention.exit_code, 2);
  EXPECT_NE(short_retention.err.find("too short"), std::string::npos) << short_retention.err;
  auto empty = ampere({"lake", "ls", "--data-dir", (dir.path() / "empty").string()});
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, fmt::format("no lake tables in {}/lake\n", (dir.path() / "empty").string()));
}

}  // namespace
}  // namespace ampere::lake
