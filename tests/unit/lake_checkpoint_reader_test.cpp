// Our own Parquet reader of checkpoints (checkpoint_reader.hpp) reads what DuckDB's reader reads, field
// for field; it refuses what it does not decode (read_checkpoint then falls back to DuckDB) and never
// reads out of bounds of a truncated or garbled file.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "lake/checkpoint.hpp"
#include "lake/checkpoint_reader.hpp"
#include "lake/delta_log.hpp"
#include "lake/snappy.hpp"
#include "lake/table_history.hpp"
#include "unit/lake_test_support.hpp"
#include "util/files.hpp"

namespace ampere::lake {
namespace {

namespace fs = std::filesystem;
using testing::Duck;
using testing::TempDir;

constexpr std::string_view kSchema =
    R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"day","type":"string","nullable":true,"metadata":{}}]})";

// Every field the readers fill, as text: two commits are read alike when their descriptions are equal.
std::string describe(const DeltaCommit& c) {
  std::ostringstream out;
  const auto map = [](const std::map<std::string, std::string>& m) {
    std::string s = "{";
    for (const auto& [k, v] : m) s += fmt::format("[{}]=[{}] ", k, v);
    return s + "}";
  };
  const auto opt = [](const auto& v) { return v ? fmt::format("{}", *v) : std::string("null"); };
  if (c.protocol) {
    out << "protocol " << c.protocol->min_reader_version << "/" << c.protocol->min_writer_version << " ["
        << fmt::format("{}", fmt::join(c.protocol->reader_features, ",")) << "] ["
        << fmt::format("{}", fmt::join(c.protocol->writer_features, ",")) << "]\n";
  }
  if (c.metadata) {
    const Metadata& m = *c.metadata;
    out << "metaData " << m.id << " " << opt(m.name) << " " << opt(m.description) << " " << m.format_provider << " "
        << map(m.format_options) << " " << m.schema_string << " " << m.schema.fields.size() << " ["
        << fmt::format("{}", fmt::join(m.partition_columns, ",")) << "] " << map(m.configuration) << " "
        << opt(m.created_time) << "\n";
  }
  for (const auto& t : c.txns) out << "txn " << t.app_id << " " << t.version << " " << opt(t.last_updated) << "\n";
  for (const auto& a : c.adds) {
    out << "add " << a.path << " " << map(a.partition_values) << " " << a.size << " " << a.modification_time << " "
        << a.data_change << " " << a.stats << " " << opt(a.num_records) << " " << map(a.tags) << " "
        << a.has_deletion_vector << "\n";
  }
  for (const auto& r : c.removes) {
    out << "remove " << r.path << " " << opt(r.deletion_timestamp) << " " << r.data_change << " "
        << r.extended_file_metadata << " " << map(r.partition_values) << " " << opt(r.size) << "\n";
  }
  return out.str();
}

Metadata metadata(std::string id) {
  Metadata m;
  m.id = std::move(id);
  m.schema_string = kSchema;
  m.schema = *parse_schema(m.schema_string);
  return m;
}

AddFile add_file(const std::string& path, int64_t size) {
  AddFile add;
  add.path = path;
  add.size = size;
  add.modification_time = 1'700'000'000'000 + size;
  add.stats = fmt::format(R"({{"numRecords":{},"minValues":{{"id":1}}}})", size % 97);
  return add;
}

// A table of every kind of field: partitions, tags, tombstones, txns, all of metaData, protocol 3/7.
Snapshot rich_snapshot(const fs::path& root) {
  Snapshot s;
  s.table_root = root;
  s.version = 7;
  s.protocol = Protocol{3, 7, {"timestampNtz", "deletionVectors"}, {"timestampNtz", "appendOnly", ""}};
  s.metadata = metadata("6e1f5c2a-rich");
  s.metadata.name = "événements";
  s.metadata.description = "";
  s.metadata.format_options = {{"compression", "snappy"}, {"empty", ""}};
  s.metadata.partition_columns = {"day", "région"};
  s.metadata.configuration = {{"delta.checkpointInterval", "5"}, {"ключ", "значение"}, {"blank", ""}};
  s.metadata.created_time = 1'700'000'000'123;
  for (int i = 0; i < 40; ++i) {
    AddFile add = add_file(fmt::format("day=2026-01-{:02}/part-{:05}-ü.parquet", i % 28 + 1, i), 1000 + i);
    add.partition_values = {{"day", fmt::format("2026-01-{:02}", i % 28 + 1)}, {"région", i % 3 == 0 ? "" : "eu"}};
    if (i % 4 == 0) add.tags = {{"INSERTION_TIME", std::to_string(i)}, {"OPTIMIZE_TARGET_SIZE", "x"}};
    if (i % 5 == 0) add.stats.clear();
    if (i % 7 == 0) add.stats = R"({"numRecords":3,"minValues":{"payload":")" + std::string(5000, 'x') + "\"}}";
    add.data_change = i % 2 == 0;
    s.files[add.path] = ActiveFile{add, i};
  }
  const int64_t recent = to_millis(now_utc()) - 1000;
  for (int i = 0; i < 6; ++i) {
    RemoveFile remove;
    remove.path = fmt::format("old-{}.parquet", i);
    if (i % 2 == 0) remove.deletion_timestamp = recent - i;
    remove.data_change = i % 3 != 0;
    remove.extended_file_metadata = i % 2 == 1;
    if (remove.extended_file_metadata) {
      remove.partition_values = {{"day", "2025-12-31"}};
      remove.size = 500 + i;
    }
    s.tombstones[remove.path] = remove;
  }
  s.txns["stream-a"] = Txn{"stream-a", 12, 1'700'000'000'999};
  s.txns["stream-ö"] = Txn{"stream-ö", 0, std::nullopt};
  return s;
}

// The least a table has: protocol 1/2, metaData with nulls, adds without stats or partitions.
Snapshot plain_snapshot(const fs::path& root, int files) {
  Snapshot s;
  s.table_root = root;
  s.version = 3;
  s.metadata = metadata("plain");
  for (int i = 0; i < files; ++i) {
    AddFile add = add_file(fmt::format("part-{:06}-{}.parquet", i, std::string(i % 50, 'p')), i);
    if (i % 3 == 0) add.stats.clear();
    s.files[add.path] = ActiveFile{add, i};
  }
  return s;
}

class CheckpointReader : public ::testing::Test {
 protected:
  // Writes `snapshot`'s checkpoint with our writer and returns its file.
  fs::path write(const Snapshot& snapshot) {
    fs::create_directories(DeltaLog(snapshot.table_root).log_dir());
    auto ok = write_checkpoint(*duck, snapshot, now_utc());
    EXPECT_TRUE(ok) << ok.error().message;
    return DeltaLog(snapshot.table_root).checkpoint_path(snapshot.version);
  }
  // The same rows rewritten by DuckDB with other Parquet options (codec, row group size, page version).
  fs::path rewrite(const fs::path& file, const std::string& name, const std::string& options) {
    const fs::path target = dir.path() / name;
    auto ok = (*duck).execute(fmt::format("COPY (SELECT * FROM read_parquet('{}')) TO '{}' (FORMAT parquet, {})",
                                          file.string(), target.string(), options));
    EXPECT_TRUE(ok) << ok.error().message;
    return target;
  }
  std::string own(const fs::path& file) {
    DeltaCommit commit;
    auto ok = read_checkpoint_file(file, commit);
    EXPECT_TRUE(ok) << file << ": " << ok.error().detail;
    return describe(commit);
  }
  std::string duckdb(const fs::path& file) {
    auto commit = read_checkpoint_duckdb(*duck, CheckpointFiles{1, {file}});
    EXPECT_TRUE(commit) << commit.error().message;
    return commit ? describe(*commit) : "";
  }

  TempDir dir;
  Duck duck;
};

TEST_F(CheckpointReader, ReadsEveryFieldAsDuckDBDoes) {
  const fs::path rich = write(rich_snapshot(dir.path() / "rich"));
  const std::string expected = duckdb(rich);
  EXPECT_EQ(own(rich), expected);
  EXPECT_NE(expected.find("ключ"), std::string::npos);  // the description is not empty
  const fs::path plain = write(plain_snapshot(dir.path() / "plain", 5));
  EXPECT_EQ(own(plain), duckdb(plain));
}

TEST_F(CheckpointReader, ReadsManyPagesRowGroupsAndCodecs) {
  const fs::path big = write(plain_snapshot(dir.path() / "big", 20'000));
  const std::string expected = duckdb(big);
  EXPECT_EQ(own(big), expected);
  EXPECT_EQ(own(rewrite(big, "groups.parquet", "ROW_GROUP_SIZE 3000")), expected);
  EXPECT_EQ(own(rewrite(big, "plain.parquet", "COMPRESSION uncompressed")), expected);
  // Data pages v2: levels outside the compressed values, DELTA_* encodings, RLE booleans.
  EXPECT_EQ(own(rewrite(big, "v2.parquet", "PARQUET_VERSION v2, ROW_GROUP_SIZE 7000")), expected);
  const fs::path rich = write(rich_snapshot(dir.path() / "rich"));
  const std::string rich_expected = duckdb(rich);
  EXPECT_EQ(own(rewrite(rich, "rich-uncompressed.parquet", "COMPRESSION uncompressed, ROW_GROUP_SIZE 7")),
            rich_expected);
  EXPECT_EQ(own(rewrite(rich, "rich-v2.parquet", "PARQUET_VERSION v2")), rich_expected);
}

TEST_F(CheckpointReader, ReadsSparksCheckpoint) {
  const fs::path spark = fs::path(DELTA_GOLDEN_DIR) / "basic-with-inserts-deletes-checkpoint" / "_delta_log" /
                         "00000000000000000010.checkpoint.parquet";
  const std::string expected = duckdb(spark);
  EXPECT_EQ(own(spark), expected);
  EXPECT_NE(expected.find("protocol 1/2"), std::string::npos) << expected;
}

TEST_F(CheckpointReader, ReadsColumnsAWriterLeftOutAsNull) {
  // An older engine's layout: no add.stats, tags or deletionVector, no txn or remove columns, no name.
  const fs::path file = dir.path() / "00000000000000000003.checkpoint.parquet";
  ASSERT_TRUE((*duck).execute(fmt::format(
      "COPY (SELECT * FROM (VALUES "
      "(NULL, NULL, {{'minReaderVersion': 1, 'minWriterVersion': 2}}), "
      "(NULL, {{'id': 'abc', 'format': {{'provider': 'parquet'}}, 'schemaString': '{}', 'partitionColumns': "
      "['day']}}, NULL), "
      "({{'path': 'a.parquet', 'partitionValues': MAP {{'day': '1'}}, 'size': 10, 'modificationTime': 5, "
      "'dataChange': false}}, NULL, NULL)) AS t(add, metaData, protocol)) TO '{}' (FORMAT parquet)",
      kSchema, file.string())));
  const std::string expected = duckdb(file);
  EXPECT_EQ(own(file), expected);
  EXPECT_NE(expected.find("add a.parquet {[day]=[1] } 10 5 0  null {} 0"), std::string::npos) << expected;
}

TEST_F(CheckpointReader, FallsBackToDuckDBForWhatItDoesNotDecode) {
  const Snapshot snapshot = rich_snapshot(dir.path() / "rich");
  const fs::path rich = write(snapshot);
  const std::string expected = duckdb(rich);
  for (const std::string options : {"COMPRESSION gzip", "COMPRESSION zstd"}) {
    const fs::path file = rewrite(rich, "other.parquet", options);
    DeltaCommit commit;
    auto own = read_checkpoint_file(file, commit);
    ASSERT_FALSE(own) << options;
    EXPECT_EQ(own.error().kind, ParquetProblem::unsupported) << options << ": " << own.error().detail;
    auto read = read_checkpoint(*duck, CheckpointFiles{snapshot.version, {file}});
    ASSERT_TRUE(read) << options << ": " << read.error().message;
    EXPECT_EQ(describe(*read), expected) << options;
  }
}

TEST_F(CheckpointReader, ReadsEveryPartOfAMultiPartCheckpoint) {
  const fs::path rich = write(rich_snapshot(dir.path() / "rich"));
  auto& c = *duck;
  const std::string source = fmt::format("read_parquet('{}')", rich.string());
  const fs::path first = dir.path() / "part1.parquet";
  const fs::path second = dir.path() / "part2.parquet";
  ASSERT_TRUE(c.execute(
      fmt::format("COPY (SELECT * FROM {} WHERE add IS NULL) TO '{}' (FORMAT parquet)", source, first.string())));
  ASSERT_TRUE(c.execute(
      fmt::format("COPY (SELECT * FROM {} WHERE add IS NOT NULL) TO '{}' (FORMAT parquet)", source, second.string())));
  auto own = read_checkpoint(c, CheckpointFiles{7, {first, second}});
  auto duck_read = read_checkpoint_duckdb(c, CheckpointFiles{7, {first, second}});
  ASSERT_TRUE(own && duck_read);
  EXPECT_EQ(own->adds.size(), 40u);
  EXPECT_EQ(describe(*own), describe(*duck_read));
}

TEST_F(CheckpointReader, NeverReadsOutOfBoundsOfATruncatedOrGarbledFile) {
  const fs::path good = write(plain_snapshot(dir.path() / "t", 3));
  const std::string bytes = *read_file(good);
  const fs::path bad = dir.path() / "00000000000000000003.checkpoint.parquet";
  const std::string expected = duckdb(good);
  int fell_back = 0;
  for (size_t at = 0; at < bytes.size(); ++at) {
    for (int variant = 0; variant < 3; ++variant) {
      std::string changed = bytes;
      if (variant == 0) changed.resize(at);                                   // truncated
      if (variant == 1) changed[at] = static_cast<char>(changed[at] ^ 0x5a);  // garbled
      if (variant == 2) changed[at] = static_cast<char>(0xff);
      DeltaCommit commit;
      auto file = ParquetFile::parse(changed);  // must not crash, whatever it answers
      const auto own =
          file ? read_checkpoint_actions(*file, commit) : ParquetResult<void>(tl::unexpected(file.error()));
      fell_back += own ? 0 : 1;
      if (variant == 0 && at < bytes.size() - 1) {
        EXPECT_FALSE(own) << "truncated at " << at;
      }
      // The whole read (DuckDB's reader where ours gives up) at some offsets: a clear error naming the file.
      if (at % 37 != 0) continue;
      std::ofstream(bad, std::ios::binary | std::ios::trunc) << changed;
      auto read = read_checkpoint(*duck, CheckpointFiles{3, {bad}});
      if (!read) {
        EXPECT_NE(read.error().message.find(bad.string()), std::string::npos) << read.error().message;
        auto duck_read = read_checkpoint_duckdb(*duck, CheckpointFiles{3, {bad}});
        if (!own) {
          EXPECT_EQ(read.error().message, duck_read ? "" : duck_read.error().message);
        }
      }
    }
  }
  EXPECT_GT(fell_back, static_cast<int>(bytes.size())) << bytes.size();
  EXPECT_EQ(own(good), expected);
}

TEST(Snappy, DecompressesLiteralsAndOverlappingCopies) {
  // "abcd" as a literal, then a copy of 8 bytes from 4 back (overlapping): abcdabcdabcd.
  const std::string block = std::string(
                                "\x0c\x0c"
                                "abcd",
                                6) +
                            std::string("\x11\x04", 2);
  EXPECT_EQ(snappy_decompress(block, 12), "abcdabcdabcd");
  EXPECT_EQ(snappy_decompress(block, 11), std::nullopt);               // not the stated size
  EXPECT_EQ(snappy_decompress(block.substr(0, 7), 12), std::nullopt);  // truncated copy
  EXPECT_EQ(snappy_decompress(std::string("\x0c\x0c"
                                          "abcd\x11\x05",
                                          8),
                              12),
            std::nullopt);                                                                         // offset too far
  EXPECT_EQ(snappy_decompress(std::string("\xff\xff\xff\xff\x0f", 5), 0xffffffff), std::nullopt);  // no huge claim
}

}  // namespace
}  // namespace ampere::lake
