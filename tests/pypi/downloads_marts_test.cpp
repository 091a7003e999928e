// The downloads marts (downloads, packages, repos' download columns) built by the real model runner
// over raw PyPI rows written straight to a temporary lake. Every expected value is worked out by hand.
//
// quinn (org repo "quinn"), windows in the query log:
//   w1 ok     2024-03-04..03-10: 03-04 10h 1.2.3/3.11.4/Linux aws/US/pip/not ci  5
//                                03-04 11h 1.2.3/3.12.0/Darwin/DE/uv/ci unknown    3
//                                03-06 00h 2.0.0/3.11.4/Linux generic/US/pip/ci    2
//   w2 ok     2024-03-11..03-12: 03-11 05h 2.0.0/3.11.1/Windows/US/pip/not ci      4
//                                03-12 05h 2.0.0 ...                             100  (03-12 fetched again by w3)
//   w3 ok     2024-03-12..03-12: 03-12 06h 2.0.1/3.11.1/Linux azure/IN/pip        7
//   w4 failed 2024-03-13..03-13: no rows
//   w5 never logged (a crash between the data commit and the log): 03-13 01h      1000
// So quinn counts 5+3+2+4+7 = 21, covers 03-04..03-12, and its last 7 days (03-06..03-12) hold 13.
//
// wide: w6 ok 2023-12-01 (country ZZ, 50) and w7 ok 2024-03-10..03-12 (03-12: countries C0..C9 with
// 10, 9, ..., 1). The last 60 days end on 2024-03-12 (the newest covered day): C0..C7 are the top 8,
// C8, C9 and ZZ (nothing in the last 60 days) become "other" = 2 + 1 + 50 = 53.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "db/database.hpp"
#include "lake/raw_lake.hpp"
#include "pypi/pypi_world.hpp"
#include "util/time.hpp"

namespace ampere::testing {
namespace {

using Rows = std::vector<std::string>;

const RawTable kDownloads{"pypi", "downloads", {"package", "day"}};
const RawTable kQueries{"pypi", "queries", {"package", "first_day"}};
const RawTable kRepos{"github", "repos", {"repo_id"}};

struct Row {
  const char* window;
  const char* package;
  const char* hour;  // "2024-03-04T10:00:00Z"
  const char* version;
  const char* python;
  const char* system;
  const char* release;
  const char* country;
  const char* installer;
  const char* ci;  // "true", "false", "null"
  int downloads;
};

RawRecord download(const Row& r) {
  const std::string payload = fmt::format(
      R"({{"bucket_start":"{}","package":"{}","package_version":"{}","python_version":"{}","system_name":"{}",)"
      R"("system_release":"{}","distro_name":"","distro_version":"","country":"{}","installer":"{}","ci":{},)"
      R"("downloads":{},"source":"clickpy"}})",
      r.hour, r.package, r.version, r.python, r.system, r.release, r.country, r.installer, r.ci, r.downloads);
  return RawRecord{{RawKey{std::string(r.package)}, RawKey{std::string(r.hour).substr(0, 10)}},
                   *parse_iso8601("2024-03-14T09:00:00Z"),
                   r.window,
                   payload};
}

RawRecord window(const char* id, const char* package, const char* first, const char* last, const char* outcome,
                 const char* logged_at) {
  const std::string payload = fmt::format(
      R"({{"window_id":"{}","source":"clickpy","package":"{}","repo_name":null,"first_day":"{}","last_day":"{}",)"
      R"("outcome":"{}","error":{},"rows":0,"downloads":0,"requests":1,"bytes_processed":0}})",
      id, package, first, last, outcome, std::string(outcome) == "ok" ? "null" : "\"connection reset\"");
  return RawRecord{{RawKey{std::string(package)}, RawKey{std::string(first)}}, *parse_iso8601(logged_at), id, payload};
}

class DownloadsMarts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto database = db::Database::open("");
    ASSERT_TRUE(database);
    auto connection = (*database)->connect();
    ASSERT_TRUE(connection);
    const auto lake = dir_->path() / "lake";
    std::vector<RawRecord> rows;
    const Row data[] = {
        {"w1", "quinn", "2024-03-04T10:00:00Z", "1.2.3", "3.11.4", "Linux", "6.5.0-1017-aws", "US", "pip", "false", 5},
        {"w1", "quinn", "2024-03-04T11:00:00Z", "1.2.3", "3.12.0", "Darwin", "23.5.0", "DE", "uv", "null", 3},
        {"w1", "quinn", "2024-03-06T00:00:00Z", "2.0.0", "3.11.4", "Linux", "6.8.0-45-generic", "US", "pip", "true", 2},
        {"w2", "quinn", "2024-03-11T05:00:00Z", "2.0.0", "3.11.1", "Windows", "10", "US", "pip", "false", 4},
        {"w2", "quinn", "2024-03-12T05:00:00Z", "2.0.0", "3.11.1", "Windows", "10", "US", "pip", "false", 100},
        {"w3", "quinn", "2024-03-12T06:00:00Z", "2.0.1", "3.11.1", "Linux", "5.15.0-1064-azure", "IN", "pip", "null",
         7},
        {"w5", "quinn", "2024-03-13T01:00:00Z", "2.0.1", "3.11.1", "Linux", "x", "IN", "pip", "null", 1000},
        {"w6", "wide", "2023-12-01T00:00:00Z", "1.0", "3.9", "Linux", "x", "ZZ", "pip", "null", 50},
    };
    for (const auto& r : data) rows.push_back(download(r));
    for (int c = 0; c < 10; ++c) {
      const std::string country = fmt::format("C{}", c);
      rows.push_back(download(
          {"w7", "wide", "2024-03-12T12:00:00Z", "1.0", "3.9", "Linux", "x", country.c_str(), "pip", "null", 10 - c}));
    }
    ASSERT_TRUE(lake::append_raw(*connection, lake, kDownloads, rows));
    const std::vector<RawRecord> log{
        window("w1", "quinn", "2024-03-04", "2024-03-10", "ok", "2024-03-11T10:00:00Z"),
        window("w2", "quinn", "2024-03-11", "2024-03-12", "ok", "2024-03-13T10:00:00Z"),
        window("w3", "quinn", "2024-03-12", "2024-03-12", "ok", "2024-03-14T10:00:00Z"),
        window("w4", "quinn", "2024-03-13", "2024-03-13", "failed", "2024-03-14T10:00:01Z"),
        window("w6", "wide", "2023-12-01", "2023-12-01", "ok", "2024-03-14T10:00:02Z"),
        window("w7", "wide", "2024-03-10", "2024-03-12", "ok", "2024-03-14T10:00:03Z"),
    };
    ASSERT_TRUE(lake::append_raw(*connection, lake, kQueries, log));
    const std::vector<RawRecord> repos{RawRecord{
        {RawKey{int64_t{1}}},
        *parse_iso8601("2024-03-14T12:00:00Z"),
        "s1",
        R"({"id":1,"name":"quinn","full_name":"acme/quinn","owner":{"login":"acme","id":9000},"description":"q",)"
        R"("language":"Python","html_url":"https://github.com/acme/quinn","stargazers_count":3,"forks_count":1,)"
        R"("open_issues_count":0,"archived":false,"fork":false,"created_at":"2023-01-01T00:00:00Z",)"
        R"("pushed_at":"2024-03-10T08:00:00Z"})"}};
    ASSERT_TRUE(lake::append_raw(*connection, lake, kRepos, repos));
  }
  static void TearDownTestSuite() { delete dir_; }

  static Rows rows(const std::string& sql) {
    bool ok = false;
    std::string problems;
    auto out = query_warehouse(dir_->path().string(), {sql}, &ok, &problems);
    EXPECT_TRUE(ok) << problems;
    return out;
  }
  static TempDir* dir_;
};

TempDir* DownloadsMarts::dir_ = nullptr;

TEST_F(DownloadsMarts, StagingCountsEachDayOnceFromItsNewestLoggedWindow) {
  EXPECT_EQ(rows("select cast(download_day as varchar), window_id, sum(downloads) from main.stg_pypi__downloads "
                 "where package = 'quinn' group by 1, 2 order by 1"),
            (Rows{"2024-03-04 | w1 | 8", "2024-03-06 | w1 | 2", "2024-03-11 | w2 | 4", "2024-03-12 | w3 | 7"}));
}

TEST_F(DownloadsMarts, OverallPerDayWeekAndMonthWithZerosForQuietPeriods) {
  EXPECT_EQ(
      rows("select granularity, strftime(timezone('UTC', period_start), '%Y-%m-%d'), downloads from "
           "main.downloads where package = 'quinn' and group_name = 'overall' and granularity <> 'hour' "
           "order by granularity, period_start"),
      (Rows{"day | 2024-03-04 | 8", "day | 2024-03-05 | 0", "day | 2024-03-06 | 2", "day | 2024-03-07 | 0",
            "day | 2024-03-08 | 0", "day | 2024-03-09 | 0", "day | 2024-03-10 | 0", "day | 2024-03-11 | 4",
            "day | 2024-03-12 | 7", "month | 2024-03-01 | 21", "week | 2024-03-04 | 10", "week | 2024-03-11 | 11"}));
  EXPECT_EQ(rows("select count(*), sum(downloads), min(strftime(timezone('UTC', period_start), '%Y-%m-%d %H')), "
                 "max(strftime(timezone('UTC', period_start), '%Y-%m-%d %H')) from main.downloads where package = "
                 "'quinn' and group_name = 'overall' and granularity = 'hour'"),
            Rows{"216 | 21 | 2024-03-04 00 | 2024-03-12 23"});
  EXPECT_EQ(rows("select downloads from main.downloads where package = 'quinn' and granularity = 'hour' and "
                 "group_name = 'overall' and period_start = '2024-03-04 11:00:00+00'"),
            Rows{"3"});
}

TEST_F(DownloadsMarts, GroupsCutVersionsDeriveTheCloudAndReadCi) {
  EXPECT_EQ(rows("select group_name, group_value, sum(downloads) from main.downloads where package = 'quinn' and "
                 "granularity = 'month' and group_name <> 'overall' group by 1, 2 order by 1, 2"),
            (Rows{"ci | ci | 2", "ci | not ci | 9", "ci | unknown | 10", "cloud | aws | 5", "cloud | azure | 7",
                  "cloud | n/a | 7", "cloud | other / on-premises | 2", "country | DE | 3", "country | IN | 7",
                  "country | US | 11", "installer | pip | 18", "installer | uv | 3", "package_version | 1.2 | 8",
                  "package_version | 2.0 | 13", "python_version | 3.11 | 18", "python_version | 3.12 | 3",
                  "system | Darwin | 3", "system | Linux | 14", "system | Windows | 4"}));
  // A kept value gets a 0 for a week it had no downloads.
  EXPECT_EQ(rows("select strftime(timezone('UTC', period_start), '%Y-%m-%d'), group_value, downloads from "
                 "main.downloads where package = 'quinn' and granularity = 'week' and group_name = "
                 "'package_version' order by 1, 2"),
            (Rows{"2024-03-04 | 1.2 | 8", "2024-03-04 | 2.0 | 2", "2024-03-11 | 1.2 | 0", "2024-03-11 | 2.0 | 11"}));
}

TEST_F(DownloadsMarts, TopEightOverTheLastSixtyDaysAndTheRestAsOther) {
  EXPECT_EQ(rows("select group_value, sum(downloads) from main.downloads where package = 'wide' and granularity = "
                 "'month' and group_name = 'country' group by 1 order by 2 desc, 1"),
            (Rows{"other | 53", "C0 | 10", "C1 | 9", "C2 | 8", "C3 | 7", "C4 | 6", "C5 | 5", "C6 | 4", "C7 | 3"}));
  // Four months (December to March), each with all nine values, most of them 0.
  EXPECT_EQ(rows("select count(*), count(distinct period_start), sum(downloads) filter (where "
                 "strftime(timezone('UTC', period_start), '%Y-%m') = '2023-12') from main.downloads where package = "
                 "'wide' and granularity = 'month' and group_name = 'country'"),
            Rows{"36 | 4 | 50"});
}

TEST_F(DownloadsMarts, PackagesAndReposCarryTotalsAndTheLastSevenDays) {
  EXPECT_EQ(rows("select package, repo_name, source, first_day, last_day, downloads_total, downloads_last_7d from "
                 "main.packages order by package"),
            (Rows{"quinn | quinn | clickpy | 2024-03-04 | 2024-03-12 | 21 | 13",
                  "wide | NULL | clickpy | 2023-12-01 | 2024-03-12 | 105 | 55"}));
  EXPECT_EQ(rows("select repo_name, downloads_total, downloads_last_7d from main.repos"), Rows{"quinn | 21 | 13"});
}

}  // namespace
}  // namespace ampere::testing
