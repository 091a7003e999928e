// The Parquet reader on files built byte by byte: data pages v2 (levels outside the compressed values),
// RLE-encoded booleans, snappy pages, a 2-level list, and files it refuses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lake/checkpoint_reader.hpp"
#include "lake/parquet_file.hpp"

namespace ampere::lake {
namespace {

// A writer of Thrift's compact protocol, enough for a footer and page headers.
class Thrift {
 public:
  enum : uint8_t { kI32 = 5, kI64 = 6, kBinary = 8, kList = 9, kStruct = 12, kFalse = 2 };
  void integer(int16_t id, int64_t v, uint8_t type = kI32) {
    field(id, type);
    varint((static_cast<uint64_t>(v) << 1u) ^ static_cast<uint64_t>(v >> 63));
  }
  void binary(int16_t id, std::string_view s) {
    field(id, kBinary);
    varint(s.size());
    out += s;
  }
  void boolean_false(int16_t id) { field(id, kFalse); }
  void begin(int16_t id) {
    field(id, kStruct);
    last_.push_back(0);
  }
  void list(int16_t id, uint8_t element, size_t size) {
    field(id, kList);
    out += static_cast<char>(size << 4u | element);
  }
  void begin_element() { last_.push_back(0); }
  void end() {
    out += '\0';
    last_.pop_back();
  }
  std::string out;

 private:
  void field(int16_t id, uint8_t type) {
    out += static_cast<char>((id - last_.back()) << 4 | type);
    last_.back() = id;
  }
  void varint(uint64_t v) {
    for (; v >= 0x80; v >>= 7) out += static_cast<char>(v | 0x80);
    out += static_cast<char>(v);
  }
  std::vector<int16_t> last_{0};
};

std::string le32(size_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(v >> (8 * i));
  return out;
}

// A v2 data page of 3 values with definition levels 2,1,2 (`g` present, the middle value null).
std::string v2_page(const std::string& values, size_t uncompressed_values, bool compressed) {
  const std::string levels("\x03\x26\x00", 3);  // bit-packed, one group of 2-bit levels: 2,1,2,0,...
  Thrift h;
  h.integer(1, 3);  // DATA_PAGE_V2
  h.integer(2, static_cast<int64_t>(levels.size() + uncompressed_values));
  h.integer(3, static_cast<int64_t>(levels.size() + values.size()));
  h.begin(8);
  h.integer(1, 3);                   // values
  h.integer(2, 1);                   // nulls
  h.integer(3, 3);                   // rows
  h.integer(4, compressed ? 3 : 0);  // RLE (the booleans) or PLAIN
  h.integer(5, static_cast<int64_t>(levels.size()));
  h.integer(6, 0);
  if (!compressed) h.boolean_false(7);
  h.end();
  h.out += '\0';
  return h.out + levels + values;
}

// An uncompressed v1 data page: levels (each with its 4-byte length) and PLAIN values.
std::string v1_page(const std::string& body, int64_t values) {
  Thrift h;
  h.integer(1, 0);  // DATA_PAGE
  h.integer(2, static_cast<int64_t>(body.size()));
  h.integer(3, static_cast<int64_t>(body.size()));
  h.begin(5);
  h.integer(1, values);
  h.integer(2, 0);  // PLAIN
  h.integer(3, 3);  // RLE levels
  h.integer(4, 3);
  h.end();
  h.out += '\0';
  return h.out + body;
}

struct Element {
  const char* name;
  int repetition;  // -1 for the root
  int children;
  int type;  // -1 for groups
};

struct Column {
  std::vector<std::string> path;
  int type;
  int codec;
  int64_t values;
  std::string page;
};

// A Parquet file of one row group.
std::string parquet_file(const std::vector<Element>& schema, const std::vector<Column>& columns, int64_t rows) {
  std::string data = "PAR1";
  Thrift f;
  f.integer(1, 1);
  f.list(2, Thrift::kStruct, schema.size());
  for (const auto& e : schema) {
    f.begin_element();
    if (e.type >= 0) f.integer(1, e.type);
    if (e.repetition >= 0) f.integer(3, e.repetition);
    f.binary(4, e.name);
    if (e.children > 0) f.integer(5, e.children);
    f.end();
  }
  f.integer(3, rows, Thrift::kI64);
  f.list(4, Thrift::kStruct, 1);
  f.begin_element();
  f.list(1, Thrift::kStruct, columns.size());
  for (const auto& c : columns) {
    const auto offset = static_cast<int64_t>(data.size());
    data += c.page;
    f.begin_element();
    f.integer(2, offset, Thrift::kI64);
    f.begin(3);
    f.integer(1, c.type);
    f.list(2, Thrift::kI32, 0);
    f.list(3, Thrift::kBinary, c.path.size());
    for (const auto& name : c.path) f.out += static_cast<char>(name.size()) + name;
    f.integer(4, c.codec);
    f.integer(5, c.values, Thrift::kI64);
    f.integer(6, static_cast<int64_t>(c.page.size()), Thrift::kI64);
    f.integer(7, static_cast<int64_t>(c.page.size()), Thrift::kI64);
    f.integer(9, offset, Thrift::kI64);
    f.end();
    f.end();
  }
  f.integer(2, static_cast<int64_t>(data.size()), Thrift::kI64);
  f.integer(3, rows, Thrift::kI64);
  f.end();
  f.out += '\0';
  return data + f.out + le32(f.out.size()) + "PAR1";
}

// One optional group `g` holding an optional INT32 `a` (plain, uncompressed v2 page) and an optional
// BOOLEAN `b` (RLE in a snappy-compressed v2 page): rows (7, true), (null, null), (-2, false).
std::string two_column_file() {
  const std::string a_values("\x07\x00\x00\x00\xfe\xff\xff\xff", 8);
  const std::string b_rle("\x02\x00\x00\x00\x03\x01", 6);           // length 2, bit-packed group: 1, 0
  const std::string b_snappy = std::string("\x06\x14", 2) + b_rle;  // 6 bytes, one 6-byte literal
  return parquet_file({{"schema", -1, 1, -1}, {"g", 1, 2, -1}, {"a", 1, 0, 1}, {"b", 1, 0, 0}},
                      {{{"g", "a"}, 1, 0, 3, v2_page(a_values, a_values.size(), false)},
                       {{"g", "b"}, 0, 1, 3, v2_page(b_snappy, b_rle.size(), true)}},
                      3);
}

TEST(ParquetFile, ReadsATwoLevelListAsAnOlderWriterLaysItOut) {
  // protocol.readerFeatures as `repeated binary array` right under the LIST group. Rows: a null protocol,
  // protocol 1 with no features, protocol 3 with features a, b.
  const std::string version_levels = le32(3) + std::string("\x03\x28\x00", 3);  // def 0, 2, 2
  const std::string feature_levels = le32(2) + std::string("\x03\x08", 2) +     // rep 0, 0, 0, 1
                                     le32(3) + std::string("\x03\xf8\x00", 3);  // def 0, 2, 3, 3
  const std::string file = parquet_file(
      {{"schema", -1, 1, -1},
       {"protocol", 1, 2, -1},
       {"minReaderVersion", 1, 0, 1},
       {"readerFeatures", 1, 1, -1},
       {"array", 2, 0, 6}},
      {{{"protocol", "minReaderVersion"}, 1, 0, 3, v1_page(version_levels + le32(1) + le32(3), 3)},
       {{"protocol", "readerFeatures", "array"}, 6, 0, 4, v1_page(feature_levels + le32(1) + "a" + le32(1) + "b", 4)}},
      3);
  auto parsed = ParquetFile::parse(file);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  DeltaCommit commit;
  auto ok = read_checkpoint_actions(*parsed, commit);
  ASSERT_TRUE(ok) << ok.error().detail;
  ASSERT_TRUE(commit.protocol);
  EXPECT_EQ(commit.protocol->min_reader_version, 3);
  EXPECT_EQ(commit.protocol->min_writer_version, 2);  // no such column: the default
  EXPECT_EQ(commit.protocol->reader_features, (std::vector<std::string>{"a", "b"}));
}

TEST(ParquetFile, ReadsDataPagesV2WithRleBooleansAndSnappy) {
  auto file = ParquetFile::parse(two_column_file());
  ASSERT_TRUE(file) << file.error().detail;
  EXPECT_EQ(file->num_rows(), 3);
  const SchemaNode* g = file->child(file->root(), "g");
  ASSERT_NE(g, nullptr);
  const SchemaNode* a = file->child(*g, "a");
  const SchemaNode* b = file->child(*g, "b");
  ASSERT_TRUE(a != nullptr && b != nullptr);
  auto ints = file->read_column(*a);
  ASSERT_TRUE(ints) << ints.error().detail;
  EXPECT_EQ(ints->max_def, 2);
  EXPECT_EQ(ints->def, (std::vector<uint8_t>{2, 1, 2}));
  EXPECT_EQ(ints->ints, (std::vector<int64_t>{7, -2}));
  auto booleans = file->read_column(*b);
  ASSERT_TRUE(booleans) << booleans.error().detail;
  EXPECT_EQ(booleans->ints, (std::vector<int64_t>{1, 0}));
}

TEST(ParquetFile, RefusesWhatItCannotRead) {
  EXPECT_EQ(ParquetFile::parse("PAR1 not parquet PAR1").error().kind, ParquetProblem::corrupt);
  EXPECT_EQ(ParquetFile::parse("PAR").error().kind, ParquetProblem::corrupt);
  std::string gzip = two_column_file();
  // The second chunk's codec (SNAPPY = 1) in the footer, made GZIP (2): unsupported, not corrupt.
  const size_t codec = gzip.rfind(std::string("\x01"
                                              "b",
                                              2)) +
                       2;
  ASSERT_EQ(gzip.substr(codec, 2), std::string("\x15\x02", 2));  // field 4 (delta 1, i32), zigzag 1
  gzip[codec + 1] = '\x04';
  auto file = ParquetFile::parse(gzip);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->read_column(*file->child(*file->child(file->root(), "g"), "b")).error().kind,
            ParquetProblem::unsupported);
}

}  // namespace
}  // namespace ampere::lake
