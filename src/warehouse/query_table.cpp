#include "warehouse/query_table.hpp"

#include <fmt/format.h>

namespace ampere::warehouse {

namespace {

std::vector<std::string> split_unit(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  size_t start = 0;
  while (true) {
    const size_t end = text.find('\x1f', start);
    items.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return items;
}

}  // namespace

Expected<db::Result> query_columns(db::Connection& connection, std::string_view sql, std::span<const Column> columns,
                                   std::span<const db::Param> params) {
  auto statement = connection.prepare(sql);
  if (!statement) return tl::unexpected(statement.error());
  for (size_t i = 0; i < params.size(); ++i) {
    if (auto ok = statement->bind(i + 1, params[i]); !ok) return tl::unexpected(ok.error());
  }
  auto result = statement->execute();
  if (!result) return tl::unexpected(result.error());
  if (result->column_count() != columns.size()) {
    return fail(ErrorKind::internal,
                fmt::format("query returned {} columns, expected {}", result->column_count(), columns.size()));
  }
  return result;
}

Expected<Table> query_table(db::Connection& connection, std::string_view sql, std::span<const Column> columns,
                            std::span<const db::Param> params) {
  auto result = query_columns(connection, sql, columns, params);
  if (!result) return tl::unexpected(result.error());
  Table table;
  table.columns.assign(columns.begin(), columns.end());
  const size_t n = result->row_count();
  table.rows.reserve(n);
  for (size_t r = 0; r < n; ++r) {
    std::vector<Cell> row;
    row.reserve(columns.size());
    for (size_t c = 0; c < columns.size(); ++c) {
      if (result->is_null(c, r)) {
        row.emplace_back(columns[c].kind == ColumnKind::text_list ? Cell(std::vector<std::string>{}) : Cell());
        continue;
      }
      switch (columns[c].kind) {
        case ColumnKind::text:
          row.emplace_back(result->text(c, r));
          break;
        case ColumnKind::integer:
          row.emplace_back(result->int64(c, r));
          break;
        case ColumnKind::number:
          row.emplace_back(result->real(c, r));
          break;
        case ColumnKind::boolean:
          row.emplace_back(result->boolean(c, r));
          break;
        case ColumnKind::text_list:
          row.emplace_back(split_unit(result->text(c, r)));
          break;
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

bool table_exists(db::Connection& connection, std::string_view name) {
  auto result = connection.query(
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1", name);
  return result && result->int64(0, 0) > 0;
}

std::string data_as_of(db::Connection& connection) {
  auto result = connection.query("SELECT strftime(now_at, '%Y-%m-%dT%H:%M:%SZ') FROM main.int_clock");
  if (!result || result->row_count() == 0) return "";
  return result->text(0, 0);
}

}  // namespace ampere::warehouse
