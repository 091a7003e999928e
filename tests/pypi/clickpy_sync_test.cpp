// `ampere sync pypi` against a real clickhouse-server in ClickPy's schema: what lands in the warehouse
// equals the loaded truth per day and per group; one more day adds exactly that day; a rerun adds
// nothing; a backfill killed with SIGKILL resumes to the exact truth; unknown packages, server errors
// and a connection cut mid-answer are recorded, write nothing partial and are retried.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "http/client.hpp"
#include "http/server.hpp"
#include "pypi/clickpy_source.hpp"
#include "pypi/pypi_world.hpp"

namespace ampere::testing {
namespace {

using Rows = std::vector<std::string>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Loads `project`'s downloads for [first, last] (and pip's, which tells how far "ClickPy" has loaded)
// into the server, adding them to `truth`.
void load(LocalClickhouse& ch, const std::string& project, Day first, Day last, Truth* truth) {
  std::vector<RawDownload> rows;
  for (Day d = first; d <= last; d += std::chrono::days(1)) {
    for (auto& r : downloads_on(project, d)) {
      if (truth != nullptr) truth->add(r);
      rows.push_back(std::move(r));
    }
    auto pip = downloads_on("pip", d);
    rows.insert(rows.end(), pip.begin(), pip.end());
  }
  ASSERT_EQ(ch.insert(rows), "");
}

Rows expected_days(const Truth& truth) {
  Rows out;
  for (const auto& [day, n] : truth.per_day) out.push_back(fmt::format("{} | {}", day, n));
  return out;
}

Rows expected_groups(const Truth& truth) {
  Rows out;
  for (const auto& [key, n] : truth.per_group) out.push_back(fmt::format("{} | {} | {}", key.first, key.second, n));
  return out;
}

const char* kDaysSql =
    "select cast(download_day as varchar), sum(downloads) from main.stg_pypi__downloads where package = 'quinn' "
    "group by 1 order by 1";
const char* kGroupsSql =
    "select group_name, group_value, sum(downloads) from main.int_downloads_grouped where package = 'quinn' "
    "group by 1, 2 order by 1, 2";

class ClickpySync : public ::testing::Test {
 protected:
  void SetUp() override {
    ch_ = std::make_unique<LocalClickhouse>(kFirstPort, kLastPort);
    ASSERT_TRUE(ch_->ok()) << ch_->error();
    data_ = (dir_.path() / "data").string();
  }
  ProcessResult sync(const std::string& packages, std::vector<std::string> extra = {}, int window_days = 31,
                     const std::string& url = "") {
    std::vector<std::string> args{AMPERE_BINARY, "sync", "pypi", "--data-dir", data_};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(args, sync_env(url.empty() ? ch_->url() : url, packages, window_days));
  }
  Rows warehouse(const std::vector<std::string>& sqls) {
    bool ok = false;
    std::string problems;
    auto rows = query_warehouse(data_, sqls, &ok, &problems);
    EXPECT_TRUE(ok) << problems;
    return rows;
  }

  TempDir dir_;
  std::unique_ptr<LocalClickhouse> ch_;
  std::string data_;
};

TEST_F(ClickpySync, TheSourceStreamsHourlyRowsThatSumToTheTruth) {
  const Day today = today_utc();
  Truth truth;
  load(*ch_, "quinn", today - std::chrono::days(5), today - std::chrono::days(1), &truth);
  pypi::ClickpyOptions options;
  options.url = ch_->url();
  pypi::ClickpySource source(options);
  auto latest = source.latest_complete_day(today - std::chrono::days(1));
  ASSERT_TRUE(latest) << latest.error().message;
  EXPECT_EQ(*latest, today - std::chrono::days(1));
  std::map<std::string, int64_t> per_day;
  int64_t rows = 0;
  auto stats = source.fetch({{"quinn"}, today - std::chrono::days(5), today - std::chrono::days(1)},
                            [&](pypi::DownloadRow&& row) -> Expected<void> {
                              EXPECT_EQ(row.bucket_start, std::chrono::floor<std::chrono::hours>(row.bucket_start));
                              EXPECT_FALSE(row.ci.has_value());
                              per_day[format_date(row.bucket_start)] += row.downloads;
                              ++rows;
                              return {};
                            });
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(per_day, truth.per_day);
  EXPECT_EQ(stats->rows, rows);
  EXPECT_EQ(stats->downloads, truth.total);
  EXPECT_EQ(stats->requests, 2);  // the pre-aggregated check, then the raw table
  // A package nobody downloads costs one small query and yields nothing.
  auto none = source.fetch({{"no-such-package"}, today - std::chrono::days(5), today - std::chrono::days(1)},
                           [](pypi::DownloadRow&&) -> Expected<void> { return {}; });
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->rows, 0);
  EXPECT_EQ(none->requests, 1);
}

TEST_F(ClickpySync, DaysAndGroupsEqualTheTruthAndOneMoreDayAddsExactlyThatDay) {
  const Day today = today_utc();
  Truth truth;
  // "ClickPy" has loaded through the day before yesterday: the sync must not record yesterday as empty.
  load(*ch_, "quinn", today - std::chrono::days(12), today - std::chrono::days(2), &truth);
  auto first = sync("quinn");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_TRUE(contains(first.out, fmt::format("quinn {}..{}: ", day_text(today - std::chrono::days(31)),
                                              day_text(today - std::chrono::days(2)))))
      << first.out;
  EXPECT_EQ(warehouse({kDaysSql}), expected_days(truth));
  EXPECT_EQ(warehouse({kGroupsSql}), expected_groups(truth));

  Truth yesterday;
  load(*ch_, "quinn", today - std::chrono::days(1), today - std::chrono::days(1), &yesterday);
  for (const auto& r : downloads_on("quinn", today - std::chrono::days(1))) truth.add(r);
  auto second = sync("quinn");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_TRUE(contains(second.out, fmt::format("sync pypi: quinn {0}..{0}: ", day_text(today - std::chrono::days(1)))))
      << second.out;
  EXPECT_TRUE(contains(second.out, fmt::format("{} downloads in 1 window(s), 0 failed", yesterday.total)))
      << second.out;
  EXPECT_EQ(warehouse({kDaysSql}), expected_days(truth));
  EXPECT_EQ(warehouse({kGroupsSql}), expected_groups(truth));

  // Again: nothing to fetch, nothing counted twice.
  auto third = sync("quinn");
  ASSERT_EQ(third.exit_code, 0) << third.out << third.err;
  EXPECT_TRUE(contains(third.out, "sync pypi: up to date")) << third.out;
  EXPECT_EQ(warehouse({kDaysSql}), expected_days(truth));
  EXPECT_EQ(warehouse({"select count(*), sum(row_count) > 0 from main.stg_pypi__queries where outcome = 'ok'"}),
            Rows{"2 | true"});
}

TEST_F(ClickpySync, ABackfillKilledMidwayResumesToTheExactTruth) {
  const Day today = today_utc();
  Truth truth;
  load(*ch_, "quinn", today - std::chrono::days(100), today - std::chrono::days(1), &truth);
  const auto env = sync_env(ch_->url(), "quinn", 3);  // 100 days in 34 windows
  const std::vector<std::string> args{AMPERE_BINARY, "sync",       "pypi",    "--data-dir",
                                      data_,         "--backfill", "--since", day_text(today - std::chrono::days(100))};
  {
    BackgroundProcess run(args, env);
    const std::string plan = run.wait_for_line("sync pypi: 34 window(s) from clickpy", std::chrono::seconds(60));
    ASSERT_TRUE(contains(plan, "no cost")) << run.output();
    for (int i = 0; i < 5; ++i) ASSERT_NE(run.wait_for_line("sync pypi: quinn ", std::chrono::seconds(60)), "");
    run.stop(SIGKILL);
  }
  const Rows midway = warehouse({"select count(*) from main.stg_pypi__queries where outcome = 'ok'"});
  ASSERT_EQ(midway.size(), 1U);
  EXPECT_GE(std::stoi(midway[0]), 5);
  EXPECT_LT(std::stoi(midway[0]), 34) << "the kill came after the end; the test proves nothing";

  auto resumed = run_process(args, env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  EXPECT_FALSE(contains(resumed.out, "sync pypi: 34 window(s)")) << "windows already done are not fetched again";
  EXPECT_EQ(warehouse({kDaysSql}), expected_days(truth));
  EXPECT_EQ(warehouse({"select sum(downloads) from main.stg_pypi__downloads"}), Rows{std::to_string(truth.total)});
  EXPECT_EQ(warehouse({"select count(*) from main.stg_pypi__queries where outcome = 'ok'"}), Rows{"34"});
}

TEST_F(ClickpySync, AnUnknownPackageIsZeroRowsAndRecordedNotAnError) {
  const Day today = today_utc();
  Truth truth;
  load(*ch_, "quinn", today - std::chrono::days(3), today - std::chrono::days(1), &truth);
  auto r = sync("quinn,No_Such.Package");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "sync pypi: no-such-package ")) << r.out;
  EXPECT_TRUE(contains(r.out, ": 0 rows, 0 downloads")) << r.out;
  EXPECT_EQ(warehouse({"select package, outcome, row_count > 0 from main.stg_pypi__queries order by package"}),
            (Rows{"no-such-package | ok | false", "quinn | ok | true"}));
  EXPECT_EQ(warehouse({"select package, downloads_total from main.packages order by package"}),
            (Rows{"no-such-package | 0", "quinn | " + std::to_string(truth.total)}));
  auto again = sync("quinn,No_Such.Package");
  EXPECT_TRUE(contains(again.out, "sync pypi: up to date")) << again.out;
}

TEST_F(ClickpySync, AServerErrorWritesNothingAndTheWindowIsRetriedNextRun) {
  const Day today = today_utc();
  Truth truth;
  load(*ch_, "quinn", today - std::chrono::days(3), today - std::chrono::days(1), &truth);
  ASSERT_EQ(ch_->query("RENAME TABLE pypi.pypi TO pypi.pypi_away"), "");
  auto failed = sync("quinn");
  EXPECT_NE(failed.exit_code, 0) << failed.out << failed.err;
  EXPECT_TRUE(contains(failed.out, "FAILED, nothing written, retried next run")) << failed.out;
  EXPECT_TRUE(contains(failed.out, "pypi.pypi doesn't exist")) << failed.out;
  EXPECT_TRUE(contains(failed.err, "run `ampere sync pypi` again")) << failed.err;
  EXPECT_EQ(warehouse({"select count(*) from main.stg_pypi__downloads", "select outcome from main.stg_pypi__queries"}),
            (Rows{"0", "failed"}));

  ASSERT_EQ(ch_->query("RENAME TABLE pypi.pypi_away TO pypi.pypi"), "");
  auto retried = sync("quinn");
  ASSERT_EQ(retried.exit_code, 0) << retried.out << retried.err;
  EXPECT_EQ(warehouse({kDaysSql}), expected_days(truth));
}

// Between ampere and ClickHouse: passes the small queries through and cuts the raw table's answer,
// either mid-row (a 200 whose body stops) or by dropping the connection.
class CuttingProxy {
 public:
  CuttingProxy(std::string upstream, bool drop) : upstream_(std::move(upstream)), drop_(drop) {
    server_ = std::make_unique<http::Server>([this](const http::Request& request) { return handle(request); });
    for (int p = kFirstPort; p <= kLastPort && port_ == 0; ++p) {
      if (auto bound = server_->bind("127.0.0.1", p)) port_ = *bound;
    }
    thread_ = std::thread([this] { (void)server_->serve(); });
  }
  ~CuttingProxy() {
    server_->stop();
    thread_.join();
  }
  [[nodiscard]] std::string url() const { return fmt::format("http://127.0.0.1:{}", port_); }
  std::atomic<int> cut{0};

 private:
  http::Response handle(const http::Request& request) {
    http::Client client;
    std::string query;
    for (const auto& [k, v] : request.params) query += (query.empty() ? "?" : "&") + k + "=" + v;
    auto answer = client.post(upstream_ + "/" + query, request.body, "text/plain");
    http::Response out;
    if (!answer) {
      out.status = 502;
      return out;
    }
    out.status = answer->status;
    out.body = answer->body;
    out.content_type = "application/json";
    if (contains(request.body, "FROM pypi WHERE") && out.status == 200 && out.body.size() > 40) {
      ++cut;
      if (drop_) {
        out.abort_connection = true;
      } else {
        out.body = out.body.substr(0, out.body.size() / 2 + 7);
        if (out.body.ends_with('\n')) out.body.pop_back();
      }
    }
    return out;
  }

  std::string upstream_;
  bool drop_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(ClickpySync, AnAnswerCutMidRowOrADroppedConnectionWritesNothingAndIsRetried) {
  const Day today = today_utc();
  Truth truth;
  load(*ch_, "quinn", today - std::chrono::days(3), today - std::chrono::days(1), &truth);
  for (const bool drop : {false, true}) {
    CuttingProxy proxy(ch_->url(), drop);
    auto failed = sync("quinn", {}, 31, proxy.url());
    EXPECT_NE(failed.exit_code, 0) << failed.out << failed.err;
    EXPECT_GE(proxy.cut.load(), 1);
    EXPECT_TRUE(contains(failed.out, "FAILED, nothing written")) << failed.out;
    if (!drop) {
      EXPECT_TRUE(contains(failed.out, "the answer ended mid-row")) << failed.out;
    }
    EXPECT_EQ(warehouse({"select count(*) from main.stg_pypi__downloads"}), Rows{"0"});
  }
  auto retried = sync("quinn");
  ASSERT_EQ(retried.exit_code, 0) << retried.out << retried.err;
  EXPECT_EQ(warehouse({kDaysSql}), expected_days(truth));
}

}  // namespace
}  // namespace ampere::testing
