#include "lake/raw_lake.hpp"

#include <fmt/format.h>

#include "lake/delta_schema.hpp"
#include "lake/delta_table.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "lake/snapshot.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kBatchTable = "__ampere_raw_batch";

Expected<void> check_records(const RawTable& table, std::span<const RawRecord> records) {
  if (!is_valid_lake_name(table.source) || !is_valid_lake_name(table.name)) {
    return fail(ErrorKind::invalid_input,
                fmt::format("raw table {}/{}: names may hold only letters, digits and '_'", table.source, table.name));
  }
  for (const auto& key : table.key_columns) {
    if (!is_valid_lake_name(key)) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("raw table {}/{}: bad key column name '{}'", table.source, table.name, key));
    }
  }
  const RawRecord& first = records.front();
  for (const auto& record : records) {
    if (record.keys.size() != table.key_columns.size()) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("raw table {}/{}: a record has {} keys for {} key columns", table.source, table.name,
                              record.keys.size(), table.key_columns.size()));
    }
    for (size_t i = 0; i < record.keys.size(); ++i) {
      if (record.keys[i].index() != first.keys[i].index()) {
        return fail(ErrorKind::invalid_input, fmt::format("raw table {}/{}: key '{}' mixes numbers and strings",
                                                          table.source, table.name, table.key_columns[i]));
      }
    }
  }
  return {};
}

Expected<void> load_batch(db::Connection& connection, const RawTable& table, std::span<const RawRecord> records) {
  std::string columns;
  for (size_t i = 0; i < table.key_columns.size(); ++i) {
    const bool numeric = std::holds_alternative<int64_t>(records.front().keys[i]);
    columns += fmt::format("{} {}, ", quote_identifier(table.key_columns[i]), numeric ? "BIGINT" : "VARCHAR");
  }
  if (auto ok = connection.execute(fmt::format("CREATE OR REPLACE TEMP TABLE {} ({}retrieved_at TIMESTAMPTZ, sync_id "
                                               "VARCHAR, payload VARCHAR)",
                                               kBatchTable, columns));
      !ok) {
    return ok;
  }
  auto appender = connection.appender("main", kBatchTable);
  if (!appender) return tl::unexpected(appender.error());
  for (const auto& record : records) {
    for (const auto& key : record.keys) {
      auto ok = std::holds_alternative<int64_t>(key) ? appender->append(std::get<int64_t>(key))
                                                     : appender->append(std::string_view(std::get<std::string>(key)));
      if (!ok) return ok;
    }
    if (auto ok = appender->append(record.retrieved_at); !ok) return ok;
    if (auto ok = appender->append(std::string_view(record.sync_id)); !ok) return ok;
    if (auto ok = appender->append(std::string_view(record.payload)); !ok) return ok;
    if (auto ok = appender->end_row(); !ok) return ok;
  }
  return appender->close();
}

}  // namespace

fs::path raw_table_root(const fs::path& lake_root, const RawTable& table) {
  return lake_root / table.source / table.name;
}

Expected<int64_t> append_raw(db::Connection& connection, const fs::path& lake_root, const RawTable& table,
                             std::span<const RawRecord> records) {
  DeltaTable delta(connection, raw_table_root(lake_root, table));
  if (records.empty()) {
    if (!delta.exists()) return int64_t{-1};
    auto snapshot = delta.snapshot();
    if (!snapshot) return tl::unexpected(snapshot.error());
    return snapshot->version;
  }
  if (auto ok = check_records(table, records); !ok) return tl::unexpected(ok.error());
  auto loaded = load_batch(connection, table, records);
  auto version = loaded ? delta.append(fmt::format("SELECT * FROM temp.main.{}", kBatchTable))
                        : Expected<int64_t>(tl::unexpected(loaded.error()));
  (void)connection.execute(fmt::format("DROP TABLE IF EXISTS temp.main.{}", kBatchTable));
  if (!version)
    return with_context(version.error(), fmt::format("appending to lake table {}/{}", table.source, table.name));
  return version;
}

Expected<int64_t> count_raw_sync_rows(db::Connection& connection, const fs::path& lake_root, const RawTable& table,
                                      std::string_view sync_id) {
  const fs::path root = raw_table_root(lake_root, table);
  if (!is_delta_table(root)) return int64_t{0};
  auto snapshot = load_snapshot(connection, root);
  if (!snapshot) return tl::unexpected(snapshot.error());
  auto select = snapshot_select_sql(connection, *snapshot);
  if (!select) return tl::unexpected(select.error());
  auto counted = connection.query(fmt::format("SELECT count(*) FROM ({}) WHERE sync_id = $1", *select), sync_id);
  if (!counted) return tl::unexpected(counted.error());
  return counted->int64(0, 0);
}

}  // namespace ampere::lake
