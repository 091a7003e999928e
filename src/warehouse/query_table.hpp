#pragma once
// A query's rows as typed cells under stable column names: what the API serializes (JSON, CSV) and
// the CLI prints. The SQL of each query formats times as ISO 8601 UTC text and lists as
// array_to_string(list, chr(31)), so a Table never depends on DuckDB's own text forms.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"

namespace ampere::warehouse {

/// How a column's values are read and written.
enum class ColumnKind {
  text,       ///< string
  integer,    ///< 64-bit whole number
  number,     ///< double
  boolean,    ///< true / false
  text_list,  ///< list of strings (SQL: array_to_string(list, chr(31)))
};

/// One output column: its field name in JSON and CSV, and its kind.
struct Column {
  std::string_view name;
  ColumnKind kind;
};

/// One value; monostate is null.
using Cell = std::variant<std::monostate, std::string, int64_t, double, bool, std::vector<std::string>>;

/// Rows of cells under `columns`.
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

/// Runs `sql` with `params` bound to $1, $2, ...; fails unless it answers exactly `columns.size()` columns.
/// For results too large to hold as a Table (one allocation per row): the caller reads them by column.
Expected<db::Result> query_columns(db::Connection& connection, std::string_view sql, std::span<const Column> columns,
                                   std::span<const db::Param> params = {});

/// Runs `sql` with `params` bound to $1, $2, ... and reads its columns (in order) as `columns` says.
Expected<Table> query_table(db::Connection& connection, std::string_view sql, std::span<const Column> columns,
                            std::span<const db::Param> params = {});

/// True when main.<name> exists (a table or view): optional marts are answered empty when missing.
bool table_exists(db::Connection& connection, std::string_view name);

/// The warehouse's "now" (int_clock: the newest retrieved_at) as ISO 8601 UTC, or "" before any build.
std::string data_as_of(db::Connection& connection);

}  // namespace ampere::warehouse
