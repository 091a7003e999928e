// `ampere serve`: the dashboard, the API and (later) the scheduler.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_steps.hpp"
#include "cli/serve_lock.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

Handler define_serve(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string data_dir;
    int port = 0;
    std::string bind;
  };
  auto o = std::make_shared<Options>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", o->data_dir, "data dir (default: data_dir in config)");
  CLI::Option* port_option = app.add_option("--port", o->port, "port (default: server.port in config, 8080)");
  CLI::Option* bind_option = app.add_option("--bind", o->bind, "address (default: server.bind in config, 127.0.0.1)");
  return [&global, o, data_dir_option, port_option, bind_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", o->data_dir);
    add_flag_override(flags, port_option, "server.port", std::to_string(o->port));
    add_flag_override(flags, bind_option, "server.bind", o->bind);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const Config& c = loaded->config;
    if (const auto other = find_server(c.data_dir)) {
      return report_error(Error{ErrorKind::conflict,
                                fmt::format("ampere serve (pid {}) already serves {} at http://{}:{}/; stop it first",
                                            other->pid, c.data_dir.string(), other->bind, other->port)});
    }
    block_stop_signals();
    auto warehouse = warehouse::open_warehouse(c.data_dir);
    if (!warehouse) return report_error(warehouse.error());
    return serve_warehouse(c.data_dir, **warehouse, c.server_bind, c.server_port, c);
  };
}

}  // namespace ampere::cli
