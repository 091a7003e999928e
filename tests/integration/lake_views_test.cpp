// Raw records into the lake and back out through the warehouse's views raw_<source>.<table>.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "lake/delta_table.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "lake/raw_lake.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::query_lines;
using testing::TempDir;

RawRecord repo(int64_t id, const char* name, const char* at, const char* sync) {
  return RawRecord{{RawKey{id}}, *parse_iso8601(at), sync, fmt::format(R"({{"id":{},"name":"{}"}})", id, name)};
}

class LakeViews : public ::testing::Test {
 protected:
  TempDir dir;
  Duck duck;
  fs::path lake = dir.path() / "lake";
  RawTable repos{"github", "repos", {"repo_id"}};
};

TEST_F(LakeViews, AttachedViewsReadTheAppendedRawRows) {
  const std::vector<RawRecord> first{repo(1, "alpha", "2026-11-28T04:35:20Z", "s1"),
                                     repo(2, "beta", "2026-11-28T04:35:20Z", "s1"),
                                     repo(3, "gamma", "2026-11-28T04:35:20Z", "s1")};
  auto v0 = append_raw(*duck, lake, repos, first);
  ASSERT_TRUE(v0) << v0.error().message;
  EXPECT_EQ(*v0, 0);
  const std::vector<RawRecord> second{repo(2, "beta2", "2026-11-29T00:00:00.250Z", "s2"),
                                      repo(4, "delta", "2026-11-29T00:00:00.250Z", "s2")};
  auto v1 = append_raw(*duck, lake, repos, second);
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(*v1, 1);
  const RawTable users{"github", "users", {"login"}};
  const std::vector<RawRecord> people{{{RawKey{std::string("octocat")}}, *parse_iso8601("2026-11-28"), "s1", "{}"}};
  ASSERT_TRUE(append_raw(*duck, lake, users, people));

  ASSERT_TRUE(attach_lake_views(*duck, lake));
  EXPECT_EQ(query_lines(*duck,
                        "SELECT repo_id, retrieved_at::VARCHAR, sync_id, payload ->> '$.name' FROM raw_github.repos "
                        "ORDER BY ALL"),
            (std::vector<std::string>{"1|2026-11-28 04:35:20+00|s1|alpha", "2|2026-11-28 04:35:20+00|s1|beta",
                                      "2|2026-11-29 00:00:00.25+00|s2|beta2", "3|2026-11-28 04:35:20+00|s1|gamma",
                                      "4|2026-11-29 00:00:00.25+00|s2|delta"}));
  EXPECT_EQ(query_lines(*duck, "SELECT column_name, column_type FROM (DESCRIBE raw_github.repos)"),
            (std::vector<std::string>{"repo_id|BIGINT", "retrieved_at|TIMESTAMP WITH TIME ZONE", "sync_id|VARCHAR",
                                      "payload|VARCHAR"}));
  EXPECT_EQ(query_lines(*duck, "SELECT column_name, column_type FROM (DESCRIBE raw_github.users)"),
            (std::vector<std::string>{"login|VARCHAR", "retrieved_at|TIMESTAMP WITH TIME ZONE", "sync_id|VARCHAR",
                                      "payload|VARCHAR"}));

  EXPECT_EQ(*count_raw_sync_rows(*duck, lake, repos, "s1"), 3);
  EXPECT_EQ(*count_raw_sync_rows(*duck, lake, repos, "s2"), 2);
  EXPECT_EQ(*count_raw_sync_rows(*duck, lake, repos, "s3"), 0);
  EXPECT_EQ(*count_raw_sync_rows(*duck, lake, RawTable{"github", "stars", {"repo_id"}}, "s1"), 0);

  // Views are refreshed by attaching again: they follow the latest version.
  ASSERT_TRUE(append_raw(*duck, lake, repos, std::vector<RawRecord>{repo(5, "eps", "2026-11-30T00:00:00Z", "s3")}));
  EXPECT_EQ(query_lines(*duck, "SELECT count(*) FROM raw_github.repos"), std::vector<std::string>{"5"});
  ASSERT_TRUE(attach_lake_views(*duck, lake));
  EXPECT_EQ(query_lines(*duck, "SELECT count(*) FROM raw_github.repos"), std::vector<std::string>{"6"});
}

TEST_F(LakeViews, AnEmptyAppendCommitsNothing) {
  EXPECT_EQ(*append_raw(*duck, lake, repos, {}), -1);
  ASSERT_TRUE(append_raw(*duck, lake, repos, std::vector<RawRecord>{repo(1, "a", "2026-11-28", "s1")}));
  EXPECT_EQ(*append_raw(*duck, lake, repos, {}), 0);
}

TEST_F(LakeViews, RefusesRecordsThatDoNotFitTheTable) {
  RawRecord bad = repo(1, "a", "2026-11-28", "s1");
  bad.keys.emplace_back(std::in_place_type<int64_t>, 2);
  auto appended = append_raw(*duck, lake, repos, std::vector<RawRecord>{bad});
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().message, "raw table github/repos: a record has 2 keys for 1 key columns");
  EXPECT_FALSE(fs::exists(lake / "github" / "repos"));
}

TEST_F(LakeViews, ATableWithoutFilesIsAnEmptyTypedView) {
  DeltaSchema schema;
  schema.fields = {DeltaField{"package", "string", true, "{}"}, DeltaField{"downloads", "long", true, "{}"}};
  Duck scratch;
  DeltaTable table(*scratch, lake / "pypi" / "downloads");
  ASSERT_TRUE(table.create(schema));
  ASSERT_TRUE(attach_lake_views(*duck, lake));
  EXPECT_EQ(query_lines(*duck, "SELECT count(*) FROM raw_pypi.downloads"), std::vector<std::string>{"0"});
  EXPECT_EQ(query_lines(*duck, "SELECT column_name, column_type FROM (DESCRIBE raw_pypi.downloads)"),
            (std::vector<std::string>{"package|VARCHAR", "downloads|BIGINT"}));
}

TEST_F(LakeViews, AnOldRawTableInTheWarehouseIsNotReplacedSilently) {
  ASSERT_TRUE(append_raw(*duck, lake, repos, std::vector<RawRecord>{repo(1, "a", "2026-11-28", "s1")}));
  ASSERT_TRUE((*duck).execute("CREATE SCHEMA raw_github; CREATE TABLE raw_github.repos (repo_id BIGINT)"));
  auto attached = attach_lake_views(*duck, lake);
  ASSERT_FALSE(attached);
  EXPECT_EQ(attached.error().kind, ErrorKind::conflict);
  EXPECT_EQ(attached.error().message,
            "the warehouse holds a table raw_github.repos from before the lake, where the view of lake table "
            "github/repos belongs; the lake now keeps the raw data, so drop that table (DROP TABLE raw_github.repos) "
            "or delete the warehouse file, which is rebuilt from the lake");
}

TEST_F(LakeViews, ListsTablesAndFindsThemByName) {
  ASSERT_TRUE(append_raw(*duck, lake, repos, std::vector<RawRecord>{repo(1, "a", "2026-11-28", "s1")}));
  fs::create_directories(lake / "github" / "not_a_table");
  auto tables = list_lake_tables(lake);
  ASSERT_TRUE(tables);
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ((*tables)[0].qualified_name(), "github/repos");
  EXPECT_TRUE(find_lake_table(lake, "github/repos"));
  auto missing = find_lake_table(lake, "github/stars");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            fmt::format("no lake table github/stars in {} (tables: github/repos); `ampere lake ls` lists them",
                        lake.string()));
  EXPECT_EQ(find_lake_table(lake, "repos").error().kind, ErrorKind::invalid_input);
}

}  // namespace
}  // namespace ampere::lake
