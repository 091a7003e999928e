#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "db/database.hpp"
#include "support/temp_dir.hpp"

namespace ampere::db {
namespace {

TEST(Db, QueryBindAndReadTypedValues) {
  auto database = Database::open("");
  ASSERT_TRUE(database) << database.error().message;
  auto c = (*database)->connect();
  ASSERT_TRUE(c);
  auto r = c->query("SELECT $1::BIGINT + 1 AS n, $2 AS s, $3::DOUBLE AS d, $4 AS b, $5 AS nothing", int64_t{41},
                    "a'b; DROP TABLE x", 2.5, true, nullptr);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->row_count(), 1U);
  ASSERT_EQ(r->column_count(), 5U);
  EXPECT_EQ(r->column_name(0), "n");
  EXPECT_EQ(r->int64(0, 0), 42);
  EXPECT_EQ(r->text(1, 0), "a'b; DROP TABLE x");  // bound, never spliced
  EXPECT_DOUBLE_EQ(r->real(2, 0), 2.5);
  EXPECT_TRUE(r->boolean(3, 0));
  EXPECT_TRUE(r->is_null(4, 0));
  EXPECT_EQ(r->optional_text(4, 0), std::nullopt);
}

TEST(Db, AWholeIntegerColumnIsReadChunkByChunkWithItsNulls) {
  auto database = Database::open("");
  ASSERT_TRUE(database) << database.error().message;
  auto c = (*database)->connect();
  ASSERT_TRUE(c);
  // 5000 rows: three of DuckDB's 2048-row chunks; every seventh value NULL; BIGINT and INTEGER columns.
  auto r = c->query(
      "SELECT CASE WHEN i % 7 = 3 THEN NULL ELSE i * 1000000000000 END AS big, CAST(i AS INTEGER) AS small "
      "FROM range(5000) AS t(i) ORDER BY i");
  ASSERT_TRUE(r) << r.error().message;
  for (const size_t column : {size_t{1}, size_t{0}}) {
    const auto values = r->int64_column(column);
    ASSERT_EQ(values.size(), 5000U);
    for (size_t i = 0; i < values.size(); ++i) {
      const auto n = static_cast<int64_t>(i);
      if (column == 0 && i % 7 == 3) {
        EXPECT_EQ(values[i], std::nullopt) << i;
      } else {
        EXPECT_EQ(values[i], column == 0 ? n * 1'000'000'000'000 : n) << i;
      }
    }
  }
  // A result read by rows first still gives the whole column.
  auto again = c->query("SELECT CAST(i AS BIGINT) FROM range(3000) AS t(i) ORDER BY i");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->int64(0, 2999), 2999);
  const auto values = again->int64_column(0);
  ASSERT_EQ(values.size(), 3000U);
  EXPECT_EQ(values[1234], 1234);
}

TEST(Db, ErrorsCarryDuckDbsMessage) {
  auto database = Database::open("");
  ASSERT_TRUE(database);
  auto c = (*database)->connect();
  auto r = c->query("SELECT * FROM no_such_table");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::database);
  EXPECT_NE(r.error().message.find("no_such_table"), std::string::npos) << r.error().message;
  auto p = c->prepare("SELEC 1");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("syntax error"), std::string::npos) << p.error().message;
}

TEST(Db, AppenderAndTransactionRollback) {
  auto database = Database::open("");
  auto c = (*database)->connect();
  ASSERT_TRUE(c->execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR, seen_at TIMESTAMPTZ)"));
  {
    auto a = c->appender("main", "t");
    ASSERT_TRUE(a) << a.error().message;
    for (int64_t i = 0; i < 1000; ++i) {
      ASSERT_TRUE(a->append(i));
      ASSERT_TRUE(a->append(std::string_view("row")));
      ASSERT_TRUE(a->append(*parse_iso8601("2026-11-28T04:35:20Z")));
      ASSERT_TRUE(a->end_row());
    }
    ASSERT_TRUE(a->close());
  }
  auto r = c->query("SELECT count(*), max(id), strftime(max(seen_at), '%Y-%m-%dT%H:%M:%S') FROM t");
  EXPECT_EQ(r->int64(0, 0), 1000);
  EXPECT_EQ(r->int64(1, 0), 999);
  EXPECT_EQ(r->text(2, 0), "2026-11-28T04:35:20");  // UTC, whatever the machine's zone

  auto failed = c->transaction([&]() -> Expected<void> {
    if (auto ok = c->execute("DELETE FROM t WHERE id < 500"); !ok) return ok;
    return c->execute("INSERT INTO t VALUES (999, 'duplicate', NULL)");  // violates the key
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(c->query("SELECT count(*) FROM t")->int64(0, 0), 1000) << "the delete must be rolled back";
}

TEST(Db, FileDatabaseIsLockedAgainstASecondWriter) {
  testing::TempDir dir;
  const auto file = dir.path() / "w.duckdb";
  auto first = Database::open(file);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE((*first)->connect()->execute("CREATE TABLE t AS SELECT 1 AS x"));
  first->reset();
  auto reader = Database::open(file, OpenOptions{.read_only = true});
  ASSERT_TRUE(reader) << reader.error().message;
  auto c = (*reader)->connect();
  EXPECT_EQ(c->query("SELECT x FROM t")->int64(0, 0), 1);
  auto write = c->execute("INSERT INTO t VALUES (2)");
  ASSERT_FALSE(write);
  EXPECT_NE(write.error().message.find("read-only"), std::string::npos) << write.error().message;
}

TEST(Db, MemoryLimitIsSetAndRestoredToTheDefault) {
  auto database = Database::open("");
  ASSERT_TRUE(database) << database.error().message;
  auto c = (*database)->connect();
  const std::string by_default = c->query("SELECT current_setting('memory_limit')")->text(0, 0);
  EXPECT_EQ((*database)->memory_limit_mb(), 0);
  ASSERT_TRUE((*database)->set_memory_limit_mb(64));
  EXPECT_EQ((*database)->memory_limit_mb(), 64);
  // A setting of the database: every connection, old or new, sees it.
  EXPECT_EQ(c->query("SELECT current_setting('memory_limit')")->text(0, 0), "64.0 MiB");
  EXPECT_EQ((*(*database)->connect()).query("SELECT current_setting('memory_limit')")->text(0, 0), "64.0 MiB");
  ASSERT_TRUE((*database)->set_memory_limit_mb(0));
  EXPECT_EQ((*database)->memory_limit_mb(), 0);
  // DuckDB's default again (it names it to one decimal: "18.8 GiB" may read back as "18.7 GiB").
  const std::string restored = c->query("SELECT current_setting('memory_limit')")->text(0, 0);
  EXPECT_NEAR(std::stod(restored), std::stod(by_default), 0.15) << restored << " vs " << by_default;
  EXPECT_EQ(restored.substr(restored.find(' ')), by_default.substr(by_default.find(' '))) << restored;
}

TEST(Db, MemoryLimitLiftsOverlapAndTheLastOneRestoresIt) {
  auto database = Database::open("");
  ASSERT_TRUE(database) << database.error().message;
  Database& db = **database;
  auto c = db.connect();
  const auto setting = [&] { return c->query("SELECT current_setting('memory_limit')")->text(0, 0); };
  const std::string by_default = setting();
  // DuckDB names its default to one decimal: "18.8 GiB" set back may read "18.7 GiB".
  const auto is_default = [&](const std::string& text) {
    return text.substr(text.find(' ')) == by_default.substr(by_default.find(' ')) &&
           std::abs(std::stod(text) - std::stod(by_default)) < 0.15;
  };
  ASSERT_TRUE(db.set_memory_limit_mb(64));
  {
    auto build = db.lift_memory_limit();
    ASSERT_TRUE(build) << build.error().message;
    EXPECT_TRUE(is_default(setting())) << setting();
    {
      auto query = db.lift_memory_limit();
      ASSERT_TRUE(query);
    }
    EXPECT_TRUE(is_default(setting())) << "the build's lift still holds: " << setting();
    // A limit set during a lift is recorded, and applied when the lift ends.
    ASSERT_TRUE(db.set_memory_limit_mb(32));
    EXPECT_TRUE(is_default(setting())) << setting();
    EXPECT_EQ(db.memory_limit_mb(), 32);
  }
  EXPECT_EQ(setting(), "32.0 MiB");
}

TEST(Db, ExtensionsAreBuiltIn) {
  auto database = Database::open("");
  auto c = (*database)->connect();
  auto r = c->query(
      "SELECT count(*) FROM duckdb_extensions() WHERE loaded AND extension_name IN ('parquet', 'json', 'icu')");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->int64(0, 0), 3);
  EXPECT_EQ(c->query("SELECT current_setting('TimeZone')")->text(0, 0), "UTC");
}

}  // namespace
}  // namespace ampere::db
