#include "lake/parquet_file.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <initializer_list>
#include <utility>

#include <fmt/format.h>

#include "lake/snappy.hpp"
#include "lake/thrift_compact.hpp"
#include "util/files.hpp"

namespace ampere::lake {

namespace {

// Numbers from parquet.thrift.
enum Codec { kUncompressed = 0, kSnappy = 1 };
enum PageType { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };
enum Encoding {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kRleDictionary = 8
};
constexpr int kMaxLevel = 60;  // deeper nesting than any checkpoint has is unsupported
constexpr int kMaxSchemaDepth = 16;
// More values in one page than any checkpoint has: unsupported (a garbled count must not allocate gigabytes,
// which run-length encoding could otherwise ask for with a few bytes).
constexpr int64_t kMaxPageValues = int64_t{1} << 24;

tl::unexpected<ParquetProblem> corrupt(std::string detail) {
  return tl::unexpected(ParquetProblem{ParquetProblem::corrupt, std::move(detail)});
}

tl::unexpected<ParquetProblem> unsupported(std::string detail) {
  return tl::unexpected(ParquetProblem{ParquetProblem::unsupported, std::move(detail)});
}

bool supported_type(int64_t type) {
  return type == static_cast<int>(ParquetType::boolean) || type == static_cast<int>(ParquetType::int32) ||
         type == static_cast<int>(ParquetType::int64) || type == static_cast<int>(ParquetType::byte_array);
}

uint32_t little_endian32(const char* p) {
  uint32_t v = 0;
  std::memcpy(&v, p, 4);
  return v;  // Parquet is little-endian, as are the machines we build for
}

// Appends `count` values of the RLE/bit-packed hybrid encoding of `data` (values `width` bits wide).
template <class T>
bool decode_hybrid(std::string_view data, int width, size_t count, std::vector<T>& out) {
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  const size_t n = data.size();
  const uint64_t mask = (uint64_t{1} << width) - 1;
  size_t pos = 0;
  size_t produced = 0;
  while (produced < count) {
    uint64_t header = 0;
    for (int shift = 0;; shift += 7) {
      if (pos >= n || shift > 56) return false;
      header |= uint64_t{p[pos] & 0x7fu} << shift;
      if ((p[pos++] & 0x80u) == 0) break;
    }
    if ((header & 1u) != 0) {  // bit-packed groups of 8 values
      const uint64_t groups = header >> 1u;
      if (groups > n || groups * static_cast<uint64_t>(width) > n - pos) return false;
      const size_t bytes = groups * static_cast<size_t>(width);
      const size_t take = std::min<size_t>(groups * 8, count - produced);
      for (size_t i = 0; i < take; ++i) {
        const size_t bit = i * static_cast<size_t>(width);
        uint64_t v = 0;
        for (size_t k = 0; k < 5 && bit / 8 + k < bytes; ++k) v |= uint64_t{p[pos + bit / 8 + k]} << (8 * k);
        out.push_back(static_cast<T>((v >> (bit % 8)) & mask));
      }
      produced += take;
      pos += bytes;
    } else {  // a run of one value
      const uint64_t run = header >> 1u;
      const size_t bytes = (static_cast<size_t>(width) + 7) / 8;
      if (n - pos < bytes) return false;
      uint64_t v = 0;
      for (size_t k = 0; k < bytes; ++k) v |= uint64_t{p[pos + k]} << (8 * k);
      pos += bytes;
      const size_t take = static_cast<size_t>(std::min<uint64_t>(run, count - produced));
      out.insert(out.end(), take, static_cast<T>(v & mask));
      produced += take;
    }
  }
  return true;
}

// `count` PLAIN values of `type`, appended to ints or strings (views into `data`).
bool decode_plain(std::string_view data, ParquetType type, size_t count, std::vector<int64_t>& ints,
                  std::vector<std::string_view>& strings) {
  switch (type) {
    case ParquetType::boolean:
      if (data.size() < (count + 7) / 8) return false;
      for (size_t i = 0; i < count; ++i) ints.push_back((static_cast<uint8_t>(data[i / 8]) >> (i % 8)) & 1);
      return true;
    case ParquetType::int32:
      if (data.size() / 4 < count) return false;
      for (size_t i = 0; i < count; ++i) {
        ints.push_back(static_cast<int32_t>(little_endian32(data.data() + 4 * i)));
      }
      return true;
    case ParquetType::int64:
      if (data.size() / 8 < count) return false;
      for (size_t i = 0; i < count; ++i) {
        int64_t v = 0;
        std::memcpy(&v, data.data() + 8 * i, 8);
        ints.push_back(v);
      }
      return true;
    case ParquetType::byte_array: {
      size_t pos = 0;
      for (size_t i = 0; i < count; ++i) {
        if (data.size() - pos < 4) return false;
        const uint32_t size = little_endian32(data.data() + pos);
        pos += 4;
        if (data.size() - pos < size) return false;
        strings.push_back(data.substr(pos, size));
        pos += size;
      }
      return true;
    }
  }
  return false;
}

bool read_uleb(std::string_view data, size_t& pos, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= data.size()) return false;
    const auto byte = static_cast<uint8_t>(data[pos++]);
    value |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80u) == 0) return true;
  }
  return false;
}

// Bits [bit, bit + width) of `p`, least significant first.
uint64_t unpack_bits(const char* p, size_t bit, unsigned width) {
  uint64_t value = 0;
  for (unsigned got = 0; got < width;) {
    const unsigned shift = (bit + got) % 8;
    const unsigned take = std::min(8 - shift, width - got);
    const unsigned byte = static_cast<uint8_t>(p[(bit + got) / 8]);
    value |= uint64_t{(byte >> shift) & ((1u << take) - 1)} << got;
    got += take;
  }
  return value;
}

// `count` DELTA_BINARY_PACKED integers from `data` at `pos` (left after the last miniblock read): a
// header (block size, miniblocks per block, value count, first value), then blocks of a minimum delta,
// miniblock bit widths and bit-packed deltas. Arithmetic wraps, as the writers' does.
bool decode_delta(std::string_view data, size_t& pos, size_t count, bool int32, std::vector<int64_t>& out) {
  uint64_t block = 0;
  uint64_t miniblocks = 0;
  uint64_t total = 0;
  uint64_t first = 0;
  if (!read_uleb(data, pos, block) || !read_uleb(data, pos, miniblocks) || !read_uleb(data, pos, total) ||
      !read_uleb(data, pos, first)) {
    return false;
  }
  if (block == 0 || block > 65536 || miniblocks == 0 || block % miniblocks != 0 || (block / miniblocks) % 8 != 0 ||
      total != count) {
    return false;
  }
  const auto sign = [int32](uint64_t v) {
    return int32 ? int64_t{static_cast<int32_t>(static_cast<uint32_t>(v))} : static_cast<int64_t>(v);
  };
  uint64_t value = (first >> 1u) ^ (~(first & 1u) + 1);  // zigzag
  if (count > 0) out.push_back(sign(value));
  const size_t per_miniblock = block / miniblocks;
  for (size_t produced = 1; produced < count;) {
    uint64_t min_delta = 0;
    if (!read_uleb(data, pos, min_delta) || data.size() - pos < miniblocks) return false;
    min_delta = (min_delta >> 1u) ^ (~(min_delta & 1u) + 1);
    const std::string_view widths = data.substr(pos, miniblocks);
    pos += miniblocks;
    for (size_t m = 0; m < miniblocks && produced < count; ++m) {
      const unsigned width = static_cast<uint8_t>(widths[m]);
      if (width > 64 || data.size() - pos < per_miniblock * width / 8) return false;
      for (size_t i = 0; i < per_miniblock && produced < count; ++i, ++produced) {
        value += min_delta + unpack_bits(data.data() + pos, i * width, width);
        out.push_back(sign(value));
      }
      pos += per_miniblock * width / 8;
    }
  }
  return true;
}

// `count` DELTA_LENGTH_BYTE_ARRAY strings: their lengths (DELTA_BINARY_PACKED), then their bytes.
bool decode_delta_lengths(std::string_view data, size_t count, std::vector<std::string_view>& out) {
  std::vector<int64_t> lengths;
  size_t pos = 0;
  if (!decode_delta(data, pos, count, true, lengths)) return false;
  for (const int64_t length : lengths) {
    if (length < 0 || static_cast<uint64_t>(length) > data.size() - pos) return false;
    out.push_back(data.substr(pos, static_cast<size_t>(length)));
    pos += static_cast<size_t>(length);
  }
  return true;
}

// Reads a 4-byte length-prefixed run of RLE-hybrid data from the front of `data` (v1 levels, RLE booleans).
bool take_prefixed(std::string_view& data, std::string_view& run) {
  if (data.size() < 4) return false;
  const uint32_t size = little_endian32(data.data());
  if (data.size() - 4 < size) return false;
  run = data.substr(4, size);
  data.remove_prefix(4 + size);
  return true;
}

struct PageHeader {
  int64_t type = -1;
  int64_t uncompressed_size = -1;
  int64_t compressed_size = -1;
  int64_t num_values = -1;
  int64_t encoding = -1;
  int64_t def_encoding = kRle;
  int64_t rep_encoding = kRle;
  int64_t def_bytes = 0;  // v2
  int64_t rep_bytes = 0;  // v2
  bool is_compressed = true;
};

using IntFields = std::initializer_list<std::pair<int16_t, int64_t*>>;

// Reads struct field `id` into its target in `fields`; false when it is not one of them.
bool read_int_field(ThriftReader& r, int16_t id, IntFields fields) {
  for (const auto& [field, target] : fields) {
    if (field == id) {
      *target = r.read_int();
      return true;
    }
  }
  return false;
}

// Reads a struct of which only the integer `fields` matter.
void read_int_struct(ThriftReader& r, IntFields fields) {
  r.read_struct([&](int16_t id, uint8_t type) {
    if (!read_int_field(r, id, fields)) r.skip(type);
  });
}

bool parse_page_header(ThriftReader& r, PageHeader& h) {
  r.read_struct([&](int16_t id, uint8_t type) {
    if (read_int_field(r, id, {{1, &h.type}, {2, &h.uncompressed_size}, {3, &h.compressed_size}})) return;
    if (id == 5) {  // DataPageHeader
      read_int_struct(r, {{1, &h.num_values}, {2, &h.encoding}, {3, &h.def_encoding}, {4, &h.rep_encoding}});
    } else if (id == 7) {  // DictionaryPageHeader
      read_int_struct(r, {{1, &h.num_values}, {2, &h.encoding}});
    } else if (id == 8) {  // DataPageHeaderV2
      r.read_struct([&](int16_t f, uint8_t t) {
        if (f == 7) {
          h.is_compressed = ThriftReader::field_bool(t);
        } else if (!read_int_field(r, f,
                                   {{1, &h.num_values}, {4, &h.encoding}, {5, &h.def_bytes}, {6, &h.rep_bytes}})) {
          r.skip(t);
        }
      });
    } else {
      r.skip(type);
    }
  });
  return r.ok() && h.uncompressed_size >= 0 && h.compressed_size >= 0;
}

}  // namespace

ParquetResult<ParquetFile> ParquetFile::open(const std::filesystem::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return corrupt(bytes.error().message);
  return parse(std::move(*bytes));
}

ParquetResult<ParquetFile> ParquetFile::parse(std::string bytes) {
  ParquetFile file;
  file.bytes_ = std::move(bytes);
  const std::string_view all = file.bytes_;
  if (all.size() < 12 || !all.starts_with("PAR1") || !all.ends_with("PAR1")) {
    return corrupt("not a Parquet file (no PAR1 magic)");
  }
  const uint32_t footer_size = little_endian32(all.data() + all.size() - 8);
  if (footer_size > all.size() - 12) return corrupt("footer length past the file");
  ThriftReader r(all.substr(all.size() - 8 - footer_size, footer_size));

  struct Element {
    std::string name;
    int64_t type = -1;
    int64_t repetition = 0;
    int64_t num_children = 0;
  };
  std::vector<Element> elements;
  const auto schema_element = [&](int16_t id, uint8_t type) {
    Element& e = elements.back();
    if (id == 4) {
      e.name = r.read_binary();
    } else if (!read_int_field(r, id, {{1, &e.type}, {3, &e.repetition}, {5, &e.num_children}})) {
      r.skip(type);
    }
  };
  const auto column_meta = [&](Chunk& c) {
    int64_t dictionary = 0;
    int64_t data = 0;
    r.read_struct([&](int16_t f, uint8_t t) {
      if (f == 3) {  // path_in_schema
        uint8_t element = 0;
        const size_t n = r.read_list_header(element);
        for (size_t i = 0; i < n && r.ok(); ++i) c.path.emplace_back(r.read_binary());
      } else if (!read_int_field(
                     r, f,
                     {{1, &c.type}, {4, &c.codec}, {5, &c.num_values}, {7, &c.size}, {9, &data}, {11, &dictionary}})) {
        r.skip(t);
      }
    });
    c.start = dictionary > 0 && dictionary < data ? dictionary : data;
  };
  bool external_chunk = false;
  const auto row_group = [&](std::vector<Chunk>& chunks, int16_t id, uint8_t type) {
    if (id != 1) return r.skip(type);
    uint8_t element = 0;
    const size_t n = r.read_list_header(element);
    for (size_t i = 0; i < n && r.ok(); ++i) {
      Chunk& c = chunks.emplace_back();
      r.read_struct([&](int16_t f, uint8_t t) {
        if (f == 3) {
          column_meta(c);
        } else {
          external_chunk = external_chunk || f == 1;  // file_path: the chunk lives in another file
          r.skip(t);
        }
      });
    }
  };
  r.read_struct([&](int16_t id, uint8_t type) {
    if (id == 2 || id == 4) {
      uint8_t element = 0;
      const size_t n = r.read_list_header(element);
      for (size_t i = 0; i < n && r.ok(); ++i) {
        if (id == 2) {
          elements.emplace_back();
          r.read_struct(schema_element);
        } else {
          auto& chunks = file.row_groups_.emplace_back();
          r.read_struct([&](int16_t f, uint8_t t) { row_group(chunks, f, t); });
        }
      }
    } else if (id == 3) {
      file.num_rows_ = r.read_int();
    } else {
      r.skip(type);
    }
  });
  if (!r.ok()) return corrupt("malformed footer");
  if (external_chunk) return unsupported("column chunks in other files");

  // The schema tree from its depth-first list, with each node's definition and repetition levels.
  std::vector<std::string> path;
  std::vector<std::vector<std::string>> leaf_paths;
  std::vector<int> leaf_types;
  size_t next = 0;
  const auto build = [&](const auto& self, int def, int rep, int depth) -> bool {
    if (next >= elements.size() || depth > kMaxSchemaDepth) return false;
    const Element& e = elements[next];
    const size_t index = file.nodes_.size();
    ++next;
    SchemaNode& node = file.nodes_.emplace_back();
    if (e.repetition < 0 || e.repetition > 2 || e.num_children < 0) return false;
    node.name = e.name;
    node.repetition = depth == 0 ? SchemaNode::required : static_cast<SchemaNode::Repetition>(e.repetition);
    node.def_level = def + (node.repetition != SchemaNode::required ? 1 : 0);
    node.rep_level = rep + (node.repetition == SchemaNode::repeated ? 1 : 0);
    if (depth > 0) path.push_back(e.name);
    if (e.num_children == 0 && depth > 0) {
      node.physical_type = static_cast<int>(e.type);
      node.leaf = static_cast<int>(leaf_paths.size());
      leaf_paths.push_back(path);
      leaf_types.push_back(node.physical_type);
    }
    const int child_def = node.def_level;
    const int child_rep = node.rep_level;
    for (int64_t i = 0; i < e.num_children; ++i) {
      const size_t child = file.nodes_.size();
      if (!self(self, child_def, child_rep, depth + 1)) return false;
      file.nodes_[index].children.push_back(child);
    }
    if (depth > 0) path.pop_back();
    return true;
  };
  if (!build(build, 0, 0, 0) || next != elements.size()) return corrupt("malformed schema");
  if (file.num_rows_ < 0) return corrupt("negative row count");
  for (const auto& chunks : file.row_groups_) {
    if (chunks.size() != leaf_paths.size()) return corrupt("a row group's columns do not match the schema");
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (chunks[i].path != leaf_paths[i] || chunks[i].type != leaf_types[i]) {
        return corrupt("a column chunk's path or type does not match the schema");
      }
    }
  }
  return file;
}

const SchemaNode* ParquetFile::child(const SchemaNode& parent, std::string_view name) const {
  for (const size_t c : parent.children) {
    if (nodes_[c].name == name) return &nodes_[c];
  }
  return nullptr;
}

ParquetResult<ColumnValues> ParquetFile::read_column(const SchemaNode& leaf) const {
  if (leaf.leaf < 0) return corrupt("not a leaf column");
  if (!supported_type(leaf.physical_type)) return unsupported(fmt::format("physical type {}", leaf.physical_type));
  if (leaf.def_level > kMaxLevel || leaf.rep_level > kMaxLevel) return unsupported("deep nesting");
  ColumnValues out;
  out.max_def = leaf.def_level;
  out.max_rep = leaf.rep_level;
  for (const auto& chunks : row_groups_) {
    if (auto ok = read_chunk(chunks[static_cast<size_t>(leaf.leaf)], out); !ok) return tl::unexpected(ok.error());
  }
  size_t rows = out.entries;
  if (out.max_rep > 0) {
    rows = 0;
    for (const uint8_t level : out.rep) rows += level == 0 ? 1 : 0;
  }
  if (rows != static_cast<size_t>(num_rows_) || (!out.rep.empty() && out.rep.front() != 0)) {
    return corrupt("a column's row count does not match the file's");
  }
  return out;
}

ParquetResult<void> ParquetFile::read_chunk(const Chunk& chunk, ColumnValues& out) const {
  if (chunk.codec != kUncompressed && chunk.codec != kSnappy) return unsupported(fmt::format("codec {}", chunk.codec));
  if (!supported_type(chunk.type)) return unsupported(fmt::format("physical type {}", chunk.type));
  const auto type = static_cast<ParquetType>(chunk.type);
  const int64_t file_end = static_cast<int64_t>(bytes_.size()) - 8;
  if (chunk.start < 4 || chunk.size < 0 || chunk.start > file_end || chunk.size > file_end - chunk.start ||
      chunk.num_values < 0) {
    return corrupt("a column chunk lies outside the file");
  }
  std::string_view rest =
      std::string_view(bytes_).substr(static_cast<size_t>(chunk.start), static_cast<size_t>(chunk.size));
  const auto decompress = [&](std::string_view page, int64_t size) -> std::optional<std::string_view> {
    if (chunk.codec == kUncompressed) return page;
    auto text = snappy_decompress(page, static_cast<size_t>(size));
    if (!text) return std::nullopt;
    return std::string_view(out.pages.emplace_back(std::move(*text)));
  };
  std::vector<int64_t> dictionary_ints;
  std::vector<std::string_view> dictionary_strings;
  bool has_dictionary = false;
  std::vector<uint32_t> indices;
  int64_t values_read = 0;
  while (values_read < chunk.num_values) {
    ThriftReader r(rest);
    PageHeader h;
    if (!parse_page_header(r, h)) return corrupt("malformed page header");
    rest.remove_prefix(r.position());
    if (h.compressed_size > static_cast<int64_t>(rest.size())) return corrupt("a page runs past its column chunk");
    const std::string_view page = rest.substr(0, static_cast<size_t>(h.compressed_size));
    rest.remove_prefix(page.size());
    if (h.type == kIndexPage) continue;
    if (h.type != kDataPage && h.type != kDataPageV2 && h.type != kDictionaryPage) {
      return unsupported(fmt::format("page type {}", h.type));
    }
    if (h.num_values < 0 || (h.type != kDictionaryPage && h.num_values > chunk.num_values - values_read)) {
      return corrupt("bad page value count");
    }
    if (h.num_values > kMaxPageValues) return unsupported("a page of more than 2^24 values");
    const auto count = static_cast<size_t>(h.num_values);
    if (h.type == kDictionaryPage) {
      if (h.encoding != kPlain && h.encoding != kPlainDictionary) return unsupported("dictionary encoding");
      const auto data = decompress(page, h.uncompressed_size);
      if (!data) return corrupt("a page does not decompress");
      dictionary_ints.clear();
      dictionary_strings.clear();
      if (!decode_plain(*data, type, count, dictionary_ints, dictionary_strings)) {
        return corrupt("a dictionary page is truncated");
      }
      has_dictionary = true;
      continue;
    }
    // Levels, then values.
    std::string_view rep_data;
    std::string_view def_data;
    std::optional<std::string_view> values;
    if (h.type == kDataPage) {
      values = decompress(page, h.uncompressed_size);
      if (!values) return corrupt("a page does not decompress");
      if ((out.max_rep > 0 && h.rep_encoding != kRle) || (out.max_def > 0 && h.def_encoding != kRle)) {
        return unsupported("level encoding");
      }
      if (out.max_rep > 0 && !take_prefixed(*values, rep_data)) return corrupt("truncated repetition levels");
      if (out.max_def > 0 && !take_prefixed(*values, def_data)) return corrupt("truncated definition levels");
    } else {
      if (h.rep_bytes < 0 || h.def_bytes < 0 || h.rep_bytes > h.compressed_size - h.def_bytes ||
          h.rep_bytes + h.def_bytes > h.uncompressed_size) {
        return corrupt("bad level lengths");
      }
      rep_data = page.substr(0, static_cast<size_t>(h.rep_bytes));
      def_data = page.substr(rep_data.size(), static_cast<size_t>(h.def_bytes));
      const std::string_view body = page.substr(rep_data.size() + def_data.size());
      values = h.is_compressed ? decompress(body, h.uncompressed_size - h.rep_bytes - h.def_bytes) : body;
      if (!values) return corrupt("a page does not decompress");
    }
    const size_t first = out.entries;
    if (out.max_rep > 0 &&
        !decode_hybrid(rep_data, std::bit_width(static_cast<unsigned>(out.max_rep)), count, out.rep)) {
      return corrupt("bad repetition levels");
    }
    size_t present = count;
    if (out.max_def > 0) {
      if (!decode_hybrid(def_data, std::bit_width(static_cast<unsigned>(out.max_def)), count, out.def)) {
        return corrupt("bad definition levels");
      }
      present = 0;
      for (size_t i = first; i < first + count; ++i) {
        if (out.def[i] > out.max_def) return corrupt("a definition level above the maximum");
        present += out.def[i] == out.max_def ? 1 : 0;
      }
    }
    for (size_t i = first; out.max_rep > 0 && i < first + count; ++i) {
      if (out.rep[i] > out.max_rep) return corrupt("a repetition level above the maximum");
    }
    out.entries += count;
    values_read += h.num_values;
    if (h.encoding == kPlain) {
      if (!decode_plain(*values, type, present, out.ints, out.strings)) return corrupt("truncated values");
    } else if (h.encoding == kPlainDictionary || h.encoding == kRleDictionary) {
      if (!has_dictionary) return corrupt("dictionary-encoded values without a dictionary");
      if (present > 0 && values->empty()) return corrupt("truncated values");
      indices.clear();
      const int width = present > 0 ? static_cast<uint8_t>((*values)[0]) : 0;
      if (width > 32 || (present > 0 && !decode_hybrid(values->substr(1), width, present, indices))) {
        return corrupt("bad dictionary indices");
      }
      const bool strings = type == ParquetType::byte_array;
      const size_t size = strings ? dictionary_strings.size() : dictionary_ints.size();
      for (const uint32_t index : indices) {
        if (index >= size) return corrupt("a dictionary index out of range");
        if (strings) {
          out.strings.push_back(dictionary_strings[index]);
        } else {
          out.ints.push_back(dictionary_ints[index]);
        }
      }
    } else if (h.encoding == kDeltaBinaryPacked && (type == ParquetType::int32 || type == ParquetType::int64)) {
      size_t pos = 0;
      if (!decode_delta(*values, pos, present, type == ParquetType::int32, out.ints)) {
        return corrupt("bad delta-encoded integers");
      }
    } else if (h.encoding == kDeltaLengthByteArray && type == ParquetType::byte_array) {
      if (!decode_delta_lengths(*values, present, out.strings)) return corrupt("bad delta-encoded strings");
    } else if (h.encoding == kRle && type == ParquetType::boolean) {
      std::string_view run;
      if (!take_prefixed(*values, run) || !decode_hybrid(run, 1, present, out.ints)) return corrupt("bad booleans");
    } else {
      return unsupported(fmt::format("encoding {}", h.encoding));
    }
  }
  return {};
}

}  // namespace ampere::lake
