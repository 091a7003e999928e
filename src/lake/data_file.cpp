#include "lake/data_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lake/table_history.hpp"
#include "lake/uuid.hpp"
#include "util/time.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::ordered_json;

enum class StatsKind { none, number, text, date, timestamp };

StatsKind stats_kind(const std::string& type) {
  if (type == "long" || type == "integer" || type == "short" || type == "byte" || type == "float" || type == "double" ||
      type.starts_with("decimal")) {
    return StatsKind::number;
  }
  if (type == "string") return StatsKind::text;
  if (type == "date") return StatsKind::date;
  if (type == "timestamp") return StatsKind::timestamp;
  return StatsKind::none;  // boolean, binary, nested: Delta keeps only their null count
}

// SQL giving (min, max) as text for a column, within Delta's rules for statistics.
std::pair<std::string, std::string> min_max_sql(const std::string& column, StatsKind kind) {
  switch (kind) {
    case StatsKind::number:
    case StatsKind::date:
      return {fmt::format("CAST(min({}) AS VARCHAR)", column), fmt::format("CAST(max({}) AS VARCHAR)", column)};
    case StatsKind::text:
      // A prefix of the minimum is still a lower bound; a cut maximum would not be an upper bound.
      return {fmt::format("left(min({0}), {1})", column, kStatsStringPrefix),
              fmt::format("CASE WHEN length(max({0})) <= {1} THEN max({0}) END", column, kStatsStringPrefix)};
    case StatsKind::timestamp:
      // Delta truncates timestamp statistics to milliseconds.
      return {fmt::format("strftime(min({}), '%Y-%m-%dT%H:%M:%S.%gZ')", column),
              fmt::format("strftime(max({}), '%Y-%m-%dT%H:%M:%S.%gZ')", column)};
    case StatsKind::none:
      break;
  }
  return {"NULL", "NULL"};
}

Json stats_value(const std::string& text, StatsKind kind) {
  if (kind != StatsKind::number) return text;
  Json number = Json::parse(text, nullptr, false);  // "nan" and "inf" are not JSON: left out
  return number.is_number() ? number : Json();
}

}  // namespace

Expected<std::set<std::string>> query_columns(db::Connection& connection, std::string_view select_sql) {
  auto described = connection.query(fmt::format("DESCRIBE {}", select_sql));
  if (!described) return tl::unexpected(described.error());
  std::set<std::string> columns;
  for (size_t r = 0; r < described->row_count(); ++r) columns.insert(described->text(0, r));
  return columns;
}

Expected<std::string> schema_select_list(const DeltaSchema& schema, const std::set<std::string>& available) {
  std::string list;
  for (const auto& field : schema.fields) {
    auto type = duckdb_type_for(field.type);
    if (!type) return tl::unexpected(type.error());
    const std::string name = quote_identifier(field.name);
    list += fmt::format("{}CAST({} AS {}) AS {}", list.empty() ? "" : ", ",
                        available.contains(field.name) ? name : "NULL", *type, name);
  }
  return list;
}

Expected<std::string> compute_stats(db::Connection& connection, const fs::path& file, const DeltaSchema& schema) {
  std::string sql = "SELECT count(*)";
  for (size_t i = 0; i < schema.fields.size() && i < kStatsColumns; ++i) {
    const std::string column = quote_identifier(schema.fields[i].name);
    const auto [min, max] = min_max_sql(column, stats_kind(schema.fields[i].type));
    sql += fmt::format(", count(*) - count({}), {}, {}", column, min, max);
  }
  sql += fmt::format(" FROM read_parquet({})", quote_literal(file.string()));
  auto result = connection.query(sql);
  if (!result) return with_context(result.error(), "computing statistics of " + file.string());
  Json min_values = Json::object();
  Json max_values = Json::object();
  Json null_count = Json::object();
  for (size_t i = 0; i < schema.fields.size() && i < kStatsColumns; ++i) {
    const auto& field = schema.fields[i];
    const StatsKind kind = stats_kind(field.type);
    const size_t base = 1 + 3 * i;
    if (kind == StatsKind::none && field.type != "boolean" && field.type != "binary") continue;
    null_count[field.name] = result->int64(base, 0);
    if (!result->is_null(base + 1, 0)) {
      if (Json value = stats_value(result->text(base + 1, 0), kind); !value.is_null()) min_values[field.name] = value;
    }
    if (!result->is_null(base + 2, 0)) {
      if (Json value = stats_value(result->text(base + 2, 0), kind); !value.is_null()) max_values[field.name] = value;
    }
  }
  return Json{{"numRecords", result->int64(0, 0)},
              {"minValues", min_values},
              {"maxValues", max_values},
              {"nullCount", null_count}}
      .dump();
}

Expected<std::optional<AddFile>> write_data_file(db::Connection& connection, const fs::path& table_root,
                                                 std::string_view select_sql, const DeltaSchema& schema,
                                                 bool data_change) {
  auto available = query_columns(connection, select_sql);
  if (!available) return tl::unexpected(available.error());
  auto list = schema_select_list(schema, *available);
  if (!list) return tl::unexpected(list.error());
  std::error_code ec;
  fs::create_directories(table_root, ec);
  if (ec) return fail(ErrorKind::io, fmt::format("cannot create {}: {}", table_root.string(), ec.message()));

  const std::string name = fmt::format("part-00000-{}-c000.zstd.parquet", new_uuid());
  const fs::path file = table_root / name;
  auto copied =
      connection.query(fmt::format("COPY (SELECT {} FROM ({}) AS source) TO {} (FORMAT parquet, COMPRESSION zstd)",
                                   *list, select_sql, quote_literal(file.string())));
  if (!copied) {
    fs::remove(file, ec);
    return with_context(copied.error(), "writing data file " + file.string());
  }
  if (copied->row_count() == 1 && copied->int64(0, 0) == 0) {
    fs::remove(file, ec);
    return std::optional<AddFile>();
  }
  auto stats = compute_stats(connection, file, schema);
  if (!stats) return tl::unexpected(stats.error());
  AddFile add;
  add.path = name;
  add.size = static_cast<int64_t>(fs::file_size(file, ec));
  if (ec) return fail(ErrorKind::io, fmt::format("cannot stat {}: {}", file.string(), ec.message()));
  add.modification_time = to_millis(now_utc());
  add.data_change = data_change;
  add.stats = std::move(*stats);
  add.num_records = copied->int64(0, 0);
  return std::optional<AddFile>(std::move(add));
}

}  // namespace ampere::lake
