// `ampere demo`: the whole pipeline on a synthetic organization, then the dashboard. The organization
// is served by the built-in GitHub simulator on loopback, and synced over HTTP exactly as a real one.
#include <cstdlib>

#include <fmt/format.h>

#include "cli/bigquery_standin_step.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/github_sync_step.hpp"
#include "cli/pipeline_steps.hpp"
#include "cli/pypi_sync_step.hpp"
#include "pypi/bigquery_source.hpp"
#include "simulator/github_simulator.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

namespace {

namespace fs = std::filesystem;

/// The demo's simulator listens here when the port is free: GitHub's answers carry their own URLs, so
/// the same port on every run keeps them byte-identical and a second run is answered with 304s.
/// AMPERE_DEMO_SIMULATOR_PORT moves it (checkouts whose tests run side by side each take their own).
constexpr int kDemoSimulatorPort = 18741;

int demo_simulator_port() {
  const char* env = std::getenv("AMPERE_DEMO_SIMULATOR_PORT");
  if (env == nullptr || *env == '\0') return kDemoSimulatorPort;
  const int port = std::atoi(env);
  return port > 0 && port < 65536 ? port : kDemoSimulatorPort;
}

fs::path default_demo_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return fs::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") / "ampere-demo";
}

// Serves the small synthetic organization on a loopback port and syncs it into data_dir's lake, then
// its Python packages' downloads from a BigQuery stand-in beside it. The organization is the same on
// every run, so a second demo run is answered with 304s and adds nothing; the downloads' query log
// already covers the days, so no window is fetched twice.
Expected<void> sync_demo_org(const fs::path& data_dir, const std::string& bind, bool hostile) {
  simulator::SimulatorOptions options;
  options.org.size = simulator::OrgSize::small;
  options.org.hostile = hostile;
  simulator::GithubSimulator github(options);
  auto url = github.start(bind, demo_simulator_port());
  if (!url) url = github.start(bind, 0);
  if (!url) return tl::unexpected(url.error());
  pipeline::GithubSyncOptions sync;
  sync.data_dir = data_dir;
  sync.org = options.org.login;
  sync.api_url = *url;
  sync.pace_requests = false;  // the simulator is not GitHub: no secondary limits to respect
  auto result = run_github_sync(sync);
  if (!result) return tl::unexpected(result.error());

  const fs::path key_path = data_dir / "bigquery-standin-key.json";
  auto bigquery = start_bigquery_standin(github.model(), bind, 0, key_path.string());
  if (!bigquery) return tl::unexpected(bigquery.error());
  pypi::BigQuerySourceOptions source_options;
  source_options.client.api_url = (*bigquery)->api_url();
  auto source = pypi::BigQuerySource::from_key_file(key_path, source_options);
  if (!source) return tl::unexpected(source.error());
  pipeline::PypiSyncOptions downloads;
  downloads.data_dir = data_dir;
  for (const auto& package : simulator::python_packages_of(github.model())) {
    downloads.packages.push_back(pipeline::PypiPackage{package.name, ""});
  }
  downloads.backfill_since = std::chrono::floor<std::chrono::days>(now_utc()) - std::chrono::days(kStandinDays);
  auto synced = run_pypi_sync(**source, downloads);
  (*bigquery)->stop();
  github.stop();
  if (!synced) return tl::unexpected(synced.error());
  return {};
}

}  // namespace

Handler define_demo(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string data_dir;
    bool no_serve = false;
    bool hostile = false;
    int port = 0;
  };
  auto o = std::make_shared<Options>();
  app.add_option("--data-dir", o->data_dir, "where to put the demo's data (default: $TMPDIR/ampere-demo)");
  app.add_flag("--no-serve", o->no_serve, "build the demo data and stop, without serving");
  app.add_flag("--hostile", o->hostile, "seed hostile strings into the synthetic org's texts (the pages' safety test)");
  CLI::Option* port_option = app.add_option("--port", o->port, "port (default: server.port in config, 8080)");
  return [&global, o, port_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, port_option, "server.port", std::to_string(o->port));
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const fs::path data_dir = o->data_dir.empty() ? default_demo_dir() : fs::path(o->data_dir);

    if (!o->no_serve) block_stop_signals();
    fmt::print("ampere demo: synthetic organization in {}\n", data_dir.string());
    std::fflush(stdout);
    if (auto ok = sync_demo_org(data_dir, "127.0.0.1", o->hostile); !ok) return report_error(ok.error());
    auto warehouse = warehouse::open_warehouse(data_dir);
    if (!warehouse) return report_error(warehouse.error());
    warehouse::BuildOptions build;
    build.variables = {{"ampere_configured_sources", "github,pypi"}};
    if (auto ok = build_warehouse(**warehouse, data_dir, "", build); !ok) return report_error(ok.error());
    if (o->no_serve) {
      fmt::print("demo data is ready; serve it with: ampere serve --data-dir {}\n", data_dir.string());
      return exit_ok;
    }
    return serve_warehouse(data_dir, **warehouse, loaded->config.server_bind, loaded->config.server_port,
                           loaded->config);
  };
}

}  // namespace ampere::cli
