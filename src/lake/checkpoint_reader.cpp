#include "lake/checkpoint_reader.hpp"

#include <deque>
#include <initializer_list>

#include <fmt/format.h>

#include "lake/file_stats.hpp"

namespace ampere::lake {

namespace {

tl::unexpected<ParquetProblem> unsupported(std::string detail) {
  return tl::unexpected(ParquetProblem{ParquetProblem::unsupported, std::move(detail)});
}

// A position in a leaf column's entries: the first entry of the current row. No column (a field the
// writer left out) reads as null in every row.
class Cursor {
 public:
  Cursor() = default;
  explicit Cursor(const ColumnValues* column) : column_(column) {}

  int def() const { return column_ != nullptr ? column_->def_at(entry_) : 0; }
  bool has_value() const { return column_ != nullptr && def() == column_->max_def; }
  std::string_view text() const { return column_->strings[value_]; }
  int64_t integer() const { return column_->ints[value_]; }
  std::optional<int64_t> optional_integer() const { return has_value() ? std::optional(integer()) : std::nullopt; }
  bool boolean_or(bool fallback) const { return has_value() ? integer() != 0 : fallback; }

  /// One entry on (within a row of a repeated column, or to the next row).
  void advance() {
    if (column_ == nullptr) return;
    value_ += has_value() ? 1 : 0;
    ++entry_;
  }
  /// Whether the entry at the cursor continues the row (a repeated column's second and later entries).
  bool continues() const { return column_ != nullptr && entry_ < column_->entries && column_->rep_at(entry_) != 0; }
  void next_row() {
    advance();
    while (continues()) advance();
  }

 private:
  const ColumnValues* column_ = nullptr;
  size_t entry_ = 0;
  size_t value_ = 0;
};

// A map<string, string> or list<string> column: a row has an entry where def >= entry (0 when the file has
// no such column); a null and an empty collection both read as empty.
struct Repeated {
  Cursor key;    // a map's keys, or a list's elements
  Cursor value;  // a map's values
  int entry = 0;
};

enum class Want { text, integer, boolean };

class Columns {
 public:
  explicit Columns(const ParquetFile& file) : file_(file) {}

  const SchemaNode* find(std::initializer_list<std::string_view> path) const {
    const SchemaNode* node = &file_.root();
    for (const auto name : path) {
      node = file_.child(*node, name);
      if (node == nullptr) return nullptr;
    }
    return node;
  }

  // A scalar field (no repeated node above it).
  ParquetResult<Cursor*> field(std::initializer_list<std::string_view> path, Want want) {
    const SchemaNode* node = find(path);
    if (node == nullptr) return &cursors_.emplace_back();
    if (node->leaf < 0 || node->rep_level != 0) return unsupported(fmt::format("the field {}", node->name));
    return keep(open(*node, want));
  }

  // Whether a struct is non-null: the definition level of its first leaf reaches the struct's.
  ParquetResult<Cursor*> presence(std::initializer_list<std::string_view> path, int& level) {
    const SchemaNode* node = find(path);
    if (node == nullptr) return &cursors_.emplace_back();
    level = node->def_level;
    while (node->leaf < 0) {
      if (node->children.empty()) return unsupported("an empty group");
      node = &file_.node(node->children.front());
    }
    return keep(open(*node, std::nullopt));
  }

  // A map (key_value: key, value) or a list (3-level list/element, or Spark's 2-level layouts) of strings.
  ParquetResult<Repeated*> repeated(std::initializer_list<std::string_view> path, bool is_map) {
    Repeated& out = repeated_.emplace_back();
    const SchemaNode* node = find(path);
    if (node == nullptr) return &out;
    if (node->leaf >= 0 || node->rep_level != 0 || node->children.size() != 1) return unsupported("a collection");
    const SchemaNode* items = &file_.node(node->children.front());
    if (items->repetition != SchemaNode::repeated) return unsupported("a collection without a repeated group");
    out.entry = items->def_level;
    const auto leaf = [&](size_t index) -> ParquetResult<Cursor> {
      const SchemaNode& n = file_.node(items->children[index]);
      if (n.leaf < 0 || n.rep_level != 1) return unsupported("a collection of groups");
      return open(n, Want::text);
    };
    if (is_map) {
      if (items->children.size() != 2) return unsupported("a map's fields");
      auto key = leaf(0);
      auto value = leaf(1);
      if (!key || !value) return tl::unexpected(!key ? key.error() : value.error());
      out.key = *key;
      out.value = *value;
    } else if (items->leaf >= 0) {  // 2-level list: the repeated node is the element
      auto element = open(*items, Want::text);
      if (!element) return tl::unexpected(element.error());
      out.key = *element;
    } else {
      if (items->children.size() != 1) return unsupported("a list's fields");
      auto element = leaf(0);
      if (!element) return tl::unexpected(element.error());
      out.key = *element;
    }
    return &out;
  }

  void next_row() {
    for (auto& c : cursors_) c.next_row();
    for (auto& r : repeated_) {
      r.key.next_row();
      r.value.next_row();
    }
  }

 private:
  ParquetResult<Cursor> open(const SchemaNode& leaf, std::optional<Want> want) {
    const auto type = static_cast<ParquetType>(leaf.physical_type);
    if (want && !(*want == Want::text      ? type == ParquetType::byte_array
                  : *want == Want::boolean ? type == ParquetType::boolean
                                           : type == ParquetType::int32 || type == ParquetType::int64)) {
      return unsupported(fmt::format("column {} of physical type {}", leaf.name, leaf.physical_type));
    }
    auto values = file_.read_column(leaf);
    if (!values) return tl::unexpected(values.error());
    return Cursor(&columns_.emplace_back(std::move(*values)));
  }

  ParquetResult<Cursor*> keep(ParquetResult<Cursor> cursor) {
    if (!cursor) return tl::unexpected(cursor.error());
    return &cursors_.emplace_back(*cursor);
  }

  const ParquetFile& file_;
  std::deque<ColumnValues> columns_;  // deques: cursors and callers keep pointers into them
  std::deque<Cursor> cursors_;
  std::deque<Repeated> repeated_;
};

std::map<std::string, std::string> read_map(const Repeated& map) {
  std::map<std::string, std::string> out;
  if (map.entry == 0 || map.key.def() < map.entry) return out;  // no such column, null or empty
  Cursor key = map.key;
  Cursor value = map.value;
  do {
    out.insert_or_assign(std::string(key.has_value() ? key.text() : ""),
                         std::string(value.has_value() ? value.text() : ""));
    key.advance();
    value.advance();
  } while (key.continues());
  return out;
}

std::vector<std::string> read_list(const Repeated& list) {
  std::vector<std::string> out;
  if (list.entry == 0 || list.key.def() < list.entry) return out;
  Cursor element = list.key;
  do {
    if (element.has_value()) out.emplace_back(element.text());
    element.advance();
  } while (element.continues());
  return out;
}

std::optional<std::string> optional_text(const Cursor& c) {
  return c.has_value() ? std::optional<std::string>(c.text()) : std::nullopt;
}

}  // namespace

ParquetResult<void> read_checkpoint_file(const std::filesystem::path& path, DeltaCommit& commit) {
  auto file = ParquetFile::open(path);
  if (!file) return tl::unexpected(file.error());
  return read_checkpoint_actions(*file, commit);
}

ParquetResult<void> read_checkpoint_actions(const ParquetFile& file, DeltaCommit& commit) {
  Columns columns(file);
  // The columns read_checkpoint's DuckDB query reads, opened up front: the first failure decides.
  ParquetProblem problem;
  bool failed = false;
  const auto need = [&](auto result) {
    using Pointer = std::remove_reference_t<decltype(**result)>*;
    if (result) return *result;
    if (!failed) problem = result.error();
    failed = true;
    return static_cast<Pointer>(nullptr);
  };
  const auto text = [&](std::initializer_list<std::string_view> p) { return need(columns.field(p, Want::text)); };
  const auto integer = [&](std::initializer_list<std::string_view> p) { return need(columns.field(p, Want::integer)); };
  const auto boolean = [&](std::initializer_list<std::string_view> p) { return need(columns.field(p, Want::boolean)); };
  const auto map = [&](std::initializer_list<std::string_view> p) { return need(columns.repeated(p, true)); };
  const auto list = [&](std::initializer_list<std::string_view> p) { return need(columns.repeated(p, false)); };

  Cursor* add_path = text({"add", "path"});
  Repeated* add_partition_values = map({"add", "partitionValues"});
  Cursor* add_size = integer({"add", "size"});
  Cursor* add_modification_time = integer({"add", "modificationTime"});
  Cursor* add_data_change = boolean({"add", "dataChange"});
  Repeated* add_tags = map({"add", "tags"});
  int deletion_vector_level = 0;
  Cursor* add_deletion_vector = need(columns.presence({"add", "deletionVector"}, deletion_vector_level));
  Cursor* add_stats = text({"add", "stats"});

  Cursor* remove_path = text({"remove", "path"});
  Cursor* remove_deletion_timestamp = integer({"remove", "deletionTimestamp"});
  Cursor* remove_data_change = boolean({"remove", "dataChange"});
  Cursor* remove_extended = boolean({"remove", "extendedFileMetadata"});
  Repeated* remove_partition_values = map({"remove", "partitionValues"});
  Cursor* remove_size = integer({"remove", "size"});

  int metadata_level = 0;
  Cursor* metadata = need(columns.presence({"metaData"}, metadata_level));
  Cursor* metadata_id = text({"metaData", "id"});
  Cursor* metadata_name = text({"metaData", "name"});
  Cursor* metadata_description = text({"metaData", "description"});
  int format_level = 0;
  Cursor* format = need(columns.presence({"metaData", "format"}, format_level));
  Cursor* format_provider = text({"metaData", "format", "provider"});
  Repeated* format_options = map({"metaData", "format", "options"});
  Cursor* schema_string = text({"metaData", "schemaString"});
  Repeated* partition_columns = list({"metaData", "partitionColumns"});
  Repeated* configuration = map({"metaData", "configuration"});
  Cursor* created_time = integer({"metaData", "createdTime"});

  int protocol_level = 0;
  Cursor* protocol = need(columns.presence({"protocol"}, protocol_level));
  Cursor* min_reader = integer({"protocol", "minReaderVersion"});
  Cursor* min_writer = integer({"protocol", "minWriterVersion"});
  Repeated* reader_features = list({"protocol", "readerFeatures"});
  Repeated* writer_features = list({"protocol", "writerFeatures"});

  int txn_level = 0;
  Cursor* txn = need(columns.presence({"txn"}, txn_level));
  Cursor* txn_app_id = text({"txn", "appId"});
  Cursor* txn_version = integer({"txn", "version"});
  Cursor* txn_last_updated = integer({"txn", "lastUpdated"});
  if (failed) return tl::unexpected(problem);

  for (int64_t row = 0; row < file.num_rows(); ++row, columns.next_row()) {
    if (add_path->has_value()) {
      AddFile& add = commit.adds.emplace_back();
      add.path = add_path->text();
      add.partition_values = read_map(*add_partition_values);
      add.size = add_size->optional_integer().value_or(0);
      add.modification_time = add_modification_time->optional_integer().value_or(0);
      add.data_change = add_data_change->boolean_or(true);
      if (add_stats->has_value()) add.stats = add_stats->text();
      add.num_records = stats_num_records(add.stats);
      add.tags = read_map(*add_tags);
      add.has_deletion_vector = add_deletion_vector->def() >= deletion_vector_level && deletion_vector_level > 0;
    }
    if (remove_path->has_value()) {
      RemoveFile& remove = commit.removes.emplace_back();
      remove.path = remove_path->text();
      remove.deletion_timestamp = remove_deletion_timestamp->optional_integer();
      remove.data_change = remove_data_change->boolean_or(true);
      remove.extended_file_metadata = remove_extended->boolean_or(false);
      remove.partition_values = read_map(*remove_partition_values);
      remove.size = remove_size->optional_integer();
    }
    if (add_path->has_value() || remove_path->has_value()) continue;
    // The rare actions, as parse_action reads them from JSON (null fields take their defaults).
    if (metadata_level > 0 && metadata->def() >= metadata_level) {
      Metadata m;
      m.id = optional_text(*metadata_id).value_or("");
      m.name = optional_text(*metadata_name);
      m.description = optional_text(*metadata_description);
      if (format_level > 0 && format->def() >= format_level) {
        m.format_provider = optional_text(*format_provider).value_or("parquet");
        m.format_options = read_map(*format_options);
      }
      m.schema_string = optional_text(*schema_string).value_or("");
      auto schema = parse_schema(m.schema_string);
      if (m.schema_string.empty() || !schema) {
        return tl::unexpected(ParquetProblem{ParquetProblem::corrupt, "a metaData action without a valid schema"});
      }
      m.schema = std::move(*schema);
      m.partition_columns = read_list(*partition_columns);
      m.configuration = read_map(*configuration);
      m.created_time = created_time->optional_integer();
      commit.metadata = std::move(m);
    }
    if (protocol_level > 0 && protocol->def() >= protocol_level) {
      Protocol p;
      p.min_reader_version = static_cast<int>(min_reader->optional_integer().value_or(1));
      p.min_writer_version = static_cast<int>(min_writer->optional_integer().value_or(2));
      p.reader_features = read_list(*reader_features);
      p.writer_features = read_list(*writer_features);
      commit.protocol = std::move(p);
    }
    if (txn_level > 0 && txn->def() >= txn_level) {
      commit.txns.push_back(Txn{optional_text(*txn_app_id).value_or(""), txn_version->optional_integer().value_or(0),
                                txn_last_updated->optional_integer()});
    }
  }
  return {};
}

}  // namespace ampere::lake
