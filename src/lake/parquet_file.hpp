#pragma once
// A small Parquet reader for Delta checkpoints: the footer's schema and column chunks, and the pages of
// one leaf column decoded into repetition levels, definition levels and values. It reads what Delta
// writers put in checkpoints (DuckDB, Spark): data pages v1 and v2, PLAIN and dictionary encodings,
// BOOLEAN/INT32/INT64/BYTE_ARRAY columns, UNCOMPRESSED or SNAPPY pages. Anything else is `unsupported`
// (the caller then reads the file another way); a file that breaks the format is `corrupt`.
// Every read is bounds-checked against the file.

#include <cstdint>
#include <deque>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace ampere::lake {

/// Why this reader could not read a Parquet file.
struct ParquetProblem {
  enum Kind { unsupported, corrupt };
  Kind kind = corrupt;
  std::string detail;
};

template <class T>
using ParquetResult = tl::expected<T, ParquetProblem>;

/// Parquet physical types this reader decodes.
enum class ParquetType { boolean = 0, int32 = 1, int64 = 2, byte_array = 6 };

/// One node of the schema tree: the root, a group or a leaf column.
struct SchemaNode {
  enum Repetition { required = 0, optional = 1, repeated = 2 };
  std::string name;
  Repetition repetition = required;
  int physical_type = -1;  ///< for leaves: the Parquet type number; -1 for groups
  std::vector<size_t> children;
  int def_level = 0;  ///< the definition level at which this node is present (non-null)
  int rep_level = 0;
  int leaf = -1;  ///< for leaves: the column index within a row group
};

/// The entries of one leaf column over all row groups. Entry i has a value when def_at(i) == max_def;
/// those values are stored in order in ints (BOOLEAN as 0/1, INT32, INT64) or strings (BYTE_ARRAY).
struct ColumnValues {
  int max_def = 0;
  int max_rep = 0;
  size_t entries = 0;
  std::vector<uint8_t> def;  ///< empty when max_def is 0
  std::vector<uint8_t> rep;  ///< empty when max_rep is 0
  std::vector<int64_t> ints;
  std::vector<std::string_view> strings;  ///< views into the file or into `pages`
  std::deque<std::string> pages;          ///< decompressed pages the strings point into

  int def_at(size_t i) const { return def.empty() ? max_def : def[i]; }
  int rep_at(size_t i) const { return rep.empty() ? 0 : rep[i]; }
};

class ParquetFile {
 public:
  /// Reads the file and parses its footer.
  static ParquetResult<ParquetFile> open(const std::filesystem::path& path);
  /// Parses the footer of a file's bytes.
  static ParquetResult<ParquetFile> parse(std::string bytes);

  int64_t num_rows() const { return num_rows_; }
  const SchemaNode& root() const { return nodes_.front(); }
  const SchemaNode& node(size_t index) const { return nodes_[index]; }
  /// The child of `parent` called `name`, or nullptr.
  const SchemaNode* child(const SchemaNode& parent, std::string_view name) const;

  /// The decoded entries of a leaf column (views into this file: keep it alive while using them).
  ParquetResult<ColumnValues> read_column(const SchemaNode& leaf) const;

 private:
  struct Chunk {
    int64_t type = -1;
    int64_t codec = -1;
    int64_t num_values = 0;
    int64_t start = 0;  ///< the dictionary page, else the first data page
    int64_t size = 0;   ///< total compressed bytes
    std::vector<std::string> path;
  };
  ParquetResult<void> read_chunk(const Chunk& chunk, ColumnValues& out) const;

  std::string bytes_;
  std::vector<SchemaNode> nodes_;
  std::vector<std::vector<Chunk>> row_groups_;
  int64_t num_rows_ = 0;
};

}  // namespace ampere::lake
