#include "lake/lake_views.hpp"

#include <fmt/format.h>

#include "lake/data_file.hpp"
#include "lake/delta_schema.hpp"
#include "lake/lake_catalog.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

Expected<std::string> snapshot_select_sql(db::Connection& connection, const Snapshot& snapshot) {
  if (!snapshot.metadata.partition_columns.empty()) {
    return fail(ErrorKind::protocol, fmt::format("the Delta table {} is partitioned, which ampere cannot read yet",
                                                 snapshot.table_root.string()));
  }
  const DeltaSchema& schema = snapshot.metadata.schema;
  if (snapshot.files.empty()) {
    auto list = schema_select_list(schema, {});
    if (!list) return tl::unexpected(list.error());
    return fmt::format("SELECT {} WHERE false", *list);
  }
  std::string files;
  for (const auto& [path, file] : snapshot.files) {
    const fs::path on_disk = snapshot.file_path(path);
    std::error_code ec;
    if (!fs::exists(on_disk, ec)) {
      return fail(ErrorKind::not_found,
                  fmt::format("data file {} of the Delta table {} (added in version {}) is missing, so version {} "
                              "cannot be read; was it deleted by hand or vacuumed with a short retention?",
                              on_disk.string(), snapshot.table_root.string(), file.version, snapshot.version));
    }
    files += (files.empty() ? "" : ", ") + quote_literal(on_disk.string());
  }
  const std::string source = fmt::format("read_parquet([{}], union_by_name = true)", files);
  auto available = query_columns(connection, "SELECT * FROM " + source);
  if (!available) {
    return with_context(available.error(),
                        fmt::format("reading version {} of {}", snapshot.version, snapshot.table_root.string()));
  }
  auto list = schema_select_list(schema, *available);
  if (!list) return tl::unexpected(list.error());
  return fmt::format("SELECT {} FROM {}", *list, source);
}

Expected<void> attach_lake_views(db::Connection& connection, const fs::path& lake_root) {
  auto tables = list_lake_tables(lake_root);
  if (!tables) return tl::unexpected(tables.error());
  for (const auto& table : *tables) {
    auto snapshot = load_snapshot(connection, table.root);
    if (!snapshot) return with_context(snapshot.error(), "lake table " + table.qualified_name());
    auto select = snapshot_select_sql(connection, *snapshot);
    if (!select) return with_context(select.error(), "lake table " + table.qualified_name());
    auto existing = connection.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2 AND "
        "table_type = 'BASE TABLE'",
        "raw_" + table.source, table.name);
    if (!existing) return tl::unexpected(existing.error());
    if (existing->int64(0, 0) > 0) {
      return fail(ErrorKind::conflict,
                  fmt::format("the warehouse holds a table raw_{0}.{1} from before the lake, where the view of lake "
                              "table {0}/{1} belongs; the lake now keeps the raw data, so drop that table (DROP TABLE "
                              "raw_{0}.{1}) or delete the warehouse file, which is rebuilt from the lake",
                              table.source, table.name));
    }
    const std::string schema = quote_identifier("raw_" + table.source);
    const std::string sql = fmt::format("CREATE SCHEMA IF NOT EXISTS {0}; CREATE OR REPLACE VIEW {0}.{1} AS {2}",
                                        schema, quote_identifier(table.name), *select);
    if (auto ok = connection.execute(sql); !ok) {
      return with_context(ok.error(), "creating the view of lake table " + table.qualified_name());
    }
  }
  return {};
}

}  // namespace ampere::lake
