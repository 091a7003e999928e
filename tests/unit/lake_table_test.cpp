// Writing and reading Delta tables: round trips at every version, time travel, overwrite, schema evolution.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "lake/delta_log.hpp"
#include "lake/delta_table.hpp"
#include "lake/table_history.hpp"
#include "unit/lake_test_support.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::snapshot_lines;
using testing::TempDir;

constexpr int kBatches = 5;
constexpr int kRowsPerBatch = 4;

Timestamp at(const char* iso) {
  return *parse_iso8601(iso);
}

std::string batch_sql(int batch) {
  return fmt::format("SELECT {0} AS batch, range AS i, 'row-{0}-' || range AS label FROM range({1})", batch,
                     kRowsPerBatch);
}

std::vector<std::string> expected_rows(int last_batch) {
  std::vector<std::string> rows;
  for (int b = 0; b <= last_batch; ++b) {
    for (int i = 0; i < kRowsPerBatch; ++i) rows.push_back(fmt::format("{0}|{1}|row-{0}-{1}", b, i));
  }
  return rows;
}

size_t parquet_files(const fs::path& root) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(root)) count += entry.path().extension() == ".parquet" ? 1 : 0;
  return count;
}

class LakeTable : public ::testing::Test {
 protected:
  TempDir dir;
  Duck duck;
  Timestamp clock_time = at("2026-01-01T00:00:00Z");
  TableOptions options{[this] { return clock_time; }, kMaxCommitAttempts};
  fs::path root = dir.path() / "t";
  DeltaTable table{*duck, root, options};
};

TEST_F(LakeTable, RoundTripsEveryVersionAndTravelsInTime) {
  for (int b = 0; b < kBatches; ++b) {
    clock_time = at("2026-01-01T00:00:00Z") + std::chrono::hours{b};
    auto version = table.append(batch_sql(b));
    ASSERT_TRUE(version) << version.error().message;
    EXPECT_EQ(*version, b);
  }
  for (int v = 0; v < kBatches; ++v) {
    auto by_version = table.snapshot(ReadAt{v, std::nullopt});
    ASSERT_TRUE(by_version) << by_version.error().message;
    EXPECT_EQ(by_version->version, v);
    EXPECT_EQ(by_version->files.size(), static_cast<size_t>(v + 1));
    EXPECT_EQ(by_version->total_rows(), (v + 1) * kRowsPerBatch);
    EXPECT_EQ(snapshot_lines(*duck, *by_version), expected_rows(v));

    const Timestamp committed = at("2026-01-01T00:00:00Z") + std::chrono::hours{v};
    auto exactly = table.snapshot(ReadAt{std::nullopt, committed});
    ASSERT_TRUE(exactly) << exactly.error().message;
    EXPECT_EQ(exactly->version, v);
    auto between = table.snapshot(ReadAt{std::nullopt, committed + std::chrono::minutes{59}});
    ASSERT_TRUE(between);
    EXPECT_EQ(between->version, v);
    EXPECT_EQ(snapshot_lines(*duck, *between), expected_rows(v));
  }
  auto latest = table.snapshot();
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->version, kBatches - 1);

  auto before = table.snapshot(ReadAt{std::nullopt, at("2025-12-31T23:59:59Z")});
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().kind, ErrorKind::not_found);
  EXPECT_EQ(before.error().message,
            fmt::format("the Delta table {} did not exist yet at 2025-12-31T23:59:59Z (its first version, 0, was "
                        "committed at 2026-01-01T00:00:00Z)",
                        root.string()));
  auto beyond = table.snapshot(ReadAt{kBatches, std::nullopt});
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().message, fmt::format("the Delta table {} has no version 5 (latest is 4)", root.string()));

  auto history = read_history(root);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), static_cast<size_t>(kBatches));
  for (int v = 0; v < kBatches; ++v) {
    EXPECT_EQ((*history)[v].version, v);
    EXPECT_EQ((*history)[v].timestamp, at("2026-01-01T00:00:00Z") + std::chrono::hours{v});
    EXPECT_EQ((*history)[v].operation, "WRITE");
    EXPECT_EQ((*history)[v].mode, "Append");
    EXPECT_EQ((*history)[v].rows_added, kRowsPerBatch);
  }
}

TEST_F(LakeTable, WritesProtocolMetadataAndStatisticsInTheFirstEntry) {
  ASSERT_TRUE(
      table.append("SELECT range AS id, 'n' || range AS name, TIMESTAMPTZ '2026-02-03 04:05:06.789123+00' "
                   "AS at FROM range(3)"));
  auto entry = DeltaLog(root).read_commit(0);
  ASSERT_TRUE(entry) << entry.error().message;
  ASSERT_TRUE(entry->protocol);
  EXPECT_EQ(entry->protocol->min_reader_version, 1);
  EXPECT_EQ(entry->protocol->min_writer_version, 2);
  ASSERT_TRUE(entry->metadata);
  EXPECT_EQ(entry->metadata->id.size(), 36u);
  EXPECT_EQ(entry->metadata->format_provider, "parquet");
  EXPECT_EQ(entry->metadata->schema_string,
            R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
            R"({"name":"name","type":"string","nullable":true,"metadata":{}},)"
            R"({"name":"at","type":"timestamp","nullable":true,"metadata":{}}]})");
  EXPECT_EQ(entry->metadata->created_time, to_millis(at("2026-01-01T00:00:00Z")));
  ASSERT_EQ(entry->adds.size(), 1u);
  EXPECT_TRUE(entry->adds[0].data_change);
  EXPECT_EQ(entry->adds[0].size, static_cast<int64_t>(fs::file_size(root / entry->adds[0].path)));
  EXPECT_EQ(entry->adds[0].stats, R"({"numRecords":3,"minValues":{"id":0,"name":"n0","at":"2026-02-03T04:05:06.789Z"},)"
                                  R"("maxValues":{"id":2,"name":"n2","at":"2026-02-03T04:05:06.789Z"},)"
                                  R"("nullCount":{"id":0,"name":0,"at":0}})");
  ASSERT_TRUE(entry->commit_info);
  EXPECT_EQ(entry->commit_info->engine_info, "ampere/0.1.0");
  EXPECT_EQ(entry->commit_info->timestamp, to_millis(at("2026-01-01T00:00:00Z")));
}

TEST_F(LakeTable, OverwriteReplacesTheRowsAndKeepsOldVersionsReadable) {
  ASSERT_TRUE(table.append(batch_sql(0)));
  ASSERT_TRUE(table.append(batch_sql(1)));
  auto version = table.overwrite(batch_sql(7));
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 2);
  auto entry = DeltaLog(root).read_commit(2);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->removes.size(), 2u);
  EXPECT_EQ(entry->adds.size(), 1u);
  EXPECT_EQ(entry->commit_info->operation_parameters.at("mode"), "Overwrite");
  auto latest = table.snapshot();
  ASSERT_TRUE(latest);
  EXPECT_EQ(snapshot_lines(*duck, *latest),
            (std::vector<std::string>{"7|0|row-7-0", "7|1|row-7-1", "7|2|row-7-2", "7|3|row-7-3"}));
  EXPECT_EQ(latest->tombstones.size(), 2u);
  auto before = table.snapshot(ReadAt{1, std::nullopt});
  ASSERT_TRUE(before);
  EXPECT_EQ(snapshot_lines(*duck, *before), expected_rows(1));
}

TEST_F(LakeTable, AddingAColumnIsAMetadataActionAndOldRowsReadNull) {
  ASSERT_TRUE(table.append("SELECT 1 AS id, 'a' AS name"));
  auto version = table.append("SELECT 2 AS id, 'b' AS name, 20 AS stars");
  ASSERT_TRUE(version) << version.error().message;
  auto entry = DeltaLog(root).read_commit(*version);
  ASSERT_TRUE(entry);
  ASSERT_TRUE(entry->metadata);
  EXPECT_EQ(entry->metadata->schema.fields.size(), 3u);
  EXPECT_EQ(entry->metadata->schema.fields[2].name, "stars");
  EXPECT_EQ(entry->metadata->schema.fields[2].type, "integer");
  auto first = DeltaLog(root).read_commit(0);
  EXPECT_EQ(entry->metadata->id, first->metadata->id);  // same table, new schema
  auto latest = table.snapshot();
  ASSERT_TRUE(latest);
  EXPECT_EQ(snapshot_lines(*duck, *latest), (std::vector<std::string>{"1|a|NULL", "2|b|20"}));
  // The old version still reads with its own, narrower schema.
  auto old = table.snapshot(ReadAt{0, std::nullopt});
  EXPECT_EQ(snapshot_lines(*duck, *old), (std::vector<std::string>{"1|a"}));
}

TEST_F(LakeTable, IncompatibleChangesAreRefusedAndChangeNothing) {
  ASSERT_TRUE(table.append("SELECT 1 AS id, 'a' AS name"));
  auto dropped = table.append("SELECT 2 AS id");
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(dropped.error().message,
            root.string() +
                ": incompatible schema change: column 'name' (string) is missing from the new data; Delta "
                "tables here only gain columns, so write it (NULL if unknown)");
  auto retyped = table.append("SELECT 'x' AS id, 'b' AS name");
  ASSERT_FALSE(retyped);
  EXPECT_EQ(retyped.error().message,
            root.string() +
                ": incompatible schema change: column 'id' would change type from integer to string; "
                "cast the new data to integer");
  auto latest = table.snapshot();
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->version, 0);
  EXPECT_EQ(parquet_files(root), 1u);  // the refused writes left no data file behind
}

TEST_F(LakeTable, CreateMakesAnEmptyTableOnce) {
  DeltaSchema schema;
  schema.fields.push_back(DeltaField{"id", "long", true, "{}"});
  auto created = table.create(schema);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(*created, 0);
  auto snapshot = table.snapshot();
  ASSERT_TRUE(snapshot);
  EXPECT_TRUE(snapshot_lines(*duck, *snapshot).empty());
  auto again = table.create(schema);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(again.error().message, fmt::format("the Delta table {} already exists", root.string()));
}

TEST_F(LakeTable, AnEmptyAppendCommitsNothing) {
  ASSERT_TRUE(table.append(batch_sql(0)));
  auto version = table.append("SELECT 1 AS batch, 2::BIGINT AS i, 'x' AS label WHERE false");
  ASSERT_TRUE(version) << version.error().message;
  EXPECT_EQ(*version, 0);
  auto listing = DeltaLog(root).list();
  EXPECT_EQ(listing->commits, (std::vector<int64_t>{0}));
  EXPECT_EQ(parquet_files(root), 1u);
}

}  // namespace
}  // namespace ampere::lake
