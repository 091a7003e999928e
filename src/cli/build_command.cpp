// `ampere build`: run the SQL models over the raw data, testing each one as it is built.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_steps.hpp"
#include "warehouse/model_graph.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

namespace {

int list_models(const std::string& select) {
  auto all = warehouse::embedded_models();
  if (!all) return report_error(all.error());
  auto models = warehouse::select_models(*all, select);
  if (!models) return report_error(models.error());
  for (const auto& m : *models) {
    std::string refs;
    for (const auto& r : m.refs) refs += (refs.empty() ? "" : ", ") + r.name;
    for (const auto& s : m.sources) refs += (refs.empty() ? "source " : ", source ") + s.name;
    fmt::print("{:<32} {:<5} {:<48} <- {}\n", m.name, warehouse::materialization_name(m.materialization), m.path,
               refs.empty() ? "-" : refs);
  }
  return exit_ok;
}

}  // namespace

Handler define_build(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string data_dir;
    std::string select;
    bool list = false;
  };
  auto o = std::make_shared<Options>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", o->data_dir, "data dir (default: data_dir in config)");
  app.add_option("-s,--select", o->select,
                 "models to build: names, `name+` (and downstream), `+name` (and upstream); default: all");
  app.add_flag("--list", o->list, "list the models in build order (with what each reads) and stop");
  return [&global, o, data_dir_option] {
    if (o->list) return list_models(o->select);
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", o->data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    auto warehouse = warehouse::open_warehouse(loaded->config.data_dir);
    if (!warehouse) return report_error(warehouse.error());
    warehouse::BuildOptions build;
    build.variables = build_variables(loaded->config);
    if (auto ok = build_warehouse(**warehouse, loaded->config.data_dir, o->select, build); !ok) {
      return report_error(ok.error());
    }
    return exit_ok;
  };
}

}  // namespace ampere::cli
