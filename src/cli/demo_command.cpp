// `ampere demo`: the whole pipeline on a synthetic organization, then the dashboard.
#include <cstdlib>

#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_steps.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/raw_lake.hpp"
#include "simulator/synthetic_org.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

namespace {

namespace fs = std::filesystem;

fs::path default_demo_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "ampere-demo";
}

// Loads today's snapshot of the synthetic org into the lake unless it already has it, so that running
// the demo again is fast and adds nothing.
Expected<size_t> load_demo_org(db::Database& warehouse, const fs::path& data_dir) {
  const Timestamp now = now_utc();
  simulator::OrgSpec spec;
  spec.now = start_of_day(now);
  const auto org = simulator::generate_org(spec);
  const std::string sync_id = "demo-" + format_date(now);
  auto connection = warehouse.connect();
  if (!connection) return tl::unexpected(connection.error());
  const fs::path lake_root = lake::lake_root(data_dir);
  auto existing = lake::count_raw_sync_rows(*connection, lake_root, simulator::repos_table(), sync_id);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing > 0) return size_t{0};
  const auto records = simulator::repo_records(org, now, sync_id);
  auto version = lake::append_raw(*connection, lake_root, simulator::repos_table(), records);
  if (!version) return tl::unexpected(version.error());
  return records.size();
}

}  // namespace

Handler define_demo(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string data_dir;
    bool no_serve = false;
    int port = 0;
  };
  auto o = std::make_shared<Options>();
  app.add_option("--data-dir", o->data_dir, "where to put the demo's data (default: $TMPDIR/ampere-demo)");
  app.add_flag("--no-serve", o->no_serve, "build the demo data and stop, without serving");
  CLI::Option* port_option = app.add_option("--port", o->port, "port (default: server.port in config, 8080)");
  return [&global, o, port_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, port_option, "server.port", std::to_string(o->port));
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const fs::path data_dir = o->data_dir.empty() ? default_demo_dir() : fs::path(o->data_dir);

    if (!o->no_serve) block_stop_signals();
    fmt::print("ampere demo: synthetic organization in {}\n", data_dir.string());
    auto warehouse = warehouse::open_warehouse(data_dir);
    if (!warehouse) return report_error(warehouse.error());
    auto loaded_rows = load_demo_org(**warehouse, data_dir);
    if (!loaded_rows) return report_error(loaded_rows.error());
    fmt::print("load: {} raw repo records{}\n", *loaded_rows,
               *loaded_rows == 0 ? " (today's snapshot is already loaded)" : "");
    if (auto ok = build_warehouse(**warehouse, data_dir); !ok) return report_error(ok.error());
    if (o->no_serve) {
      fmt::print("demo data is ready; serve it with: ampere serve --data-dir {}\n", data_dir.string());
      return exit_ok;
    }
    return serve_warehouse(data_dir, **warehouse, loaded->config.server_bind, loaded->config.server_port);
  };
}

}  // namespace ampere::cli
