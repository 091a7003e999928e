// `ampere status`: what data there is and how fresh it is.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/serve_lock.hpp"
#include "warehouse/repo_queries.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

Handler define_status(CLI::App& app, const GlobalOptions& global) {
  auto data_dir = std::make_shared<std::string>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", *data_dir, "data dir (default: data_dir in config)");
  return [&global, data_dir, data_dir_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", *data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const auto& dir = loaded->config.data_dir;
    fmt::print("data dir:  {}\n", dir.string());
    if (const auto server = find_server(dir)) {
      // The server holds DuckDB's lock on the warehouse; ask it instead of opening the file.
      fmt::print("server:    running (pid {}) at http://{}:{}/\n", server->pid, server->bind, server->port);
      return exit_ok;
    }
    fmt::print("server:    not running\n");
    auto warehouse = warehouse::open_warehouse(dir, true);
    if (!warehouse) return report_error(warehouse.error());
    auto connection = (*warehouse)->connect();
    if (!connection) return report_error(connection.error());
    auto built = warehouse::last_build_time(*connection);
    fmt::print("last build: {}\n", built && !built->empty() ? *built : "never");
    auto tables = connection->query(
        "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() ORDER BY schema_name, table_name");
    if (!tables) return report_error(tables.error());
    fmt::print("\n{:<12} {:<28} {:>10}\n", "schema", "table", "rows");
    for (size_t r = 0; r < tables->row_count(); ++r) {
      fmt::print("{:<12} {:<28} {:>10}\n", tables->text(0, r), tables->text(1, r), tables->int64(2, r));
    }
    return exit_ok;
  };
}

}  // namespace ampere::cli
