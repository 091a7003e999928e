// `ampere build`: run the SQL models over the raw data.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_steps.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

Handler define_build(CLI::App& app, const GlobalOptions& global) {
  auto data_dir = std::make_shared<std::string>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", *data_dir, "data dir (default: data_dir in config)");
  return [&global, data_dir, data_dir_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", *data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    auto warehouse = warehouse::open_warehouse(loaded->config.data_dir);
    if (!warehouse) return report_error(warehouse.error());
    if (auto ok = build_warehouse(**warehouse, loaded->config.data_dir); !ok) return report_error(ok.error());
    return exit_ok;
  };
}

}  // namespace ampere::cli
