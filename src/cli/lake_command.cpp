// `ampere lake ls|history|compact|vacuum`: look after the lake's Delta tables.
#include <chrono>
#include <iterator>

#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/report_support.hpp"
#include "db/database.hpp"
#include "lake/compaction.hpp"
#include "lake/delta_table.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/snapshot.hpp"
#include "lake/table_history.hpp"
#include "lake/vacuum.hpp"

namespace ampere::cli {

namespace {

namespace fs = std::filesystem;

struct LakeOptions {
  std::string data_dir;
  std::string table;  ///< history (required), compact and vacuum (optional: all tables)
  int retain_hours = static_cast<int>(lake::kDefaultVacuumRetention.count());
};

std::string rows_text(const std::optional<int64_t>& rows) {
  return rows ? with_commas(*rows) : "?";
}

// 616420 -> "602.0 KiB".
std::string bytes_text(int64_t bytes) {
  constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  auto value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

// The tables an operation applies to: the one named, or all of them.
Expected<std::vector<lake::LakeTable>> selected_tables(const fs::path& lake_root, const std::string& name) {
  if (name.empty()) return lake::list_lake_tables(lake_root);
  auto table = lake::find_lake_table(lake_root, name);
  if (!table) return tl::unexpected(table.error());
  return std::vector<lake::LakeTable>{*table};
}

// Parquet reads and writes go through an in-memory DuckDB: the lake never needs the warehouse file.
Expected<db::Connection> scratch_connection(std::unique_ptr<db::Database>& holder) {
  auto database = db::Database::open({});
  if (!database) return tl::unexpected(database.error());
  holder = std::move(*database);
  return holder->connect();
}

int list_tables(db::Connection& connection, const fs::path& lake_root) {
  auto tables = lake::list_lake_tables(lake_root);
  if (!tables) return report_error(tables.error());
  if (tables->empty()) {
    fmt::print("no lake tables in {}\n", lake_root.string());
    return exit_ok;
  }
  fmt::print("{:<28} {:>8} {:>6} {:>10} {:>12}\n", "table", "version", "files", "rows", "size");
  for (const auto& table : *tables) {
    auto snapshot = lake::load_snapshot(connection, table.root);
    if (!snapshot) return report_error(snapshot.error());
    fmt::print("{:<28} {:>8} {:>6} {:>10} {:>12}\n", table.qualified_name(), snapshot->version, snapshot->files.size(),
               rows_text(snapshot->total_rows()), bytes_text(snapshot->total_bytes()));
  }
  return exit_ok;
}

int show_history(const fs::path& lake_root, const std::string& name) {
  auto table = lake::find_lake_table(lake_root, name);
  if (!table) return report_error(table.error());
  auto history = lake::read_history(table->root);
  if (!history) return report_error(history.error());
  fmt::print("{:>8}  {:<27}  {:<22} {:>10}\n", "version", "timestamp", "operation", "rows added");
  for (const auto& v : *history) {
    const std::string operation = v.mode.empty() ? v.operation : fmt::format("{} ({})", v.operation, v.mode);
    fmt::print("{:>8}  {:<27}  {:<22} {:>10}\n", v.version, format_iso8601(v.timestamp), operation,
               rows_text(v.rows_added));
  }
  return exit_ok;
}

int compact_tables(db::Connection& connection, const fs::path& lake_root, const std::string& name) {
  auto tables = selected_tables(lake_root, name);
  if (!tables) return report_error(tables.error());
  for (const auto& table : *tables) {
    lake::DeltaTable delta(connection, table.root);
    auto report = lake::compact(delta);
    if (!report) return report_error(report.error());
    if (!report->version) {
      fmt::print("{}: nothing to compact\n", table.qualified_name());
      continue;
    }
    fmt::print("{}: version {}: {} files ({}) -> {} files ({})\n", table.qualified_name(), *report->version,
               report->files_removed, bytes_text(report->bytes_removed), report->files_added,
               bytes_text(report->bytes_added));
  }
  return exit_ok;
}

int vacuum_tables(db::Connection& connection, const fs::path& lake_root, const LakeOptions& o) {
  auto tables = selected_tables(lake_root, o.table);
  if (!tables) return report_error(tables.error());
  lake::VacuumOptions options;
  options.retention = std::chrono::hours{o.retain_hours};
  for (const auto& table : *tables) {
    auto report = lake::vacuum(connection, table.root, options);
    if (!report) return report_error(report.error());
    fmt::print("{}: deleted {} files ({}), kept {}; versions from {} stay readable\n", table.qualified_name(),
               report->deleted.size(), bytes_text(report->bytes_deleted), report->files_kept,
               report->oldest_live_version);
  }
  return exit_ok;
}

}  // namespace

Handler define_lake(CLI::App& app, const GlobalOptions& global) {
  auto o = std::make_shared<LakeOptions>();
  app.require_subcommand(1);
  CLI::Option* data_dir_option = app.add_option("--data-dir", o->data_dir, "data dir (default: data_dir in config)");
  CLI::App* ls = app.add_subcommand("ls", "list the lake's tables: version, files, rows, bytes");
  CLI::App* history = app.add_subcommand("history", "list a table's versions: when, operation, rows added");
  history->add_option("table", o->table, "<source>/<table>, e.g. github/repos")->required();
  CLI::App* compact = app.add_subcommand("compact", "rewrite small data files into larger ones (one commit per table)");
  compact->add_option("table", o->table, "<source>/<table> (default: every table)");
  CLI::App* vacuum = app.add_subcommand("vacuum", "delete data files no version within the retention needs");
  vacuum->add_option("table", o->table, "<source>/<table> (default: every table)");
  vacuum->add_option("--retain-hours", o->retain_hours, "keep versions of the last N hours readable (default 168)");
  // The data dir flag is accepted after the subcommand too: `ampere lake ls --data-dir D`.
  for (CLI::App* sub : {ls, history, compact, vacuum}) sub->fallthrough();

  return [&global, o, data_dir_option, ls, history, compact, vacuum] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", o->data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const fs::path lake_root = lake::lake_root(loaded->config.data_dir);
    if (history->parsed()) return show_history(lake_root, o->table);
    std::unique_ptr<db::Database> database;
    auto connection = scratch_connection(database);
    if (!connection) return report_error(connection.error());
    if (ls->parsed()) return list_tables(*connection, lake_root);
    if (compact->parsed()) return compact_tables(*connection, lake_root, o->table);
    if (vacuum->parsed()) return vacuum_tables(*connection, lake_root, *o);
    return exit_usage;
  };
}

}  // namespace ampere::cli
