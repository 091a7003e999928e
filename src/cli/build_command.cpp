// `ampere build`: run the SQL models over the raw data, testing each one as it is built.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_jobs.hpp"
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
    // The build is a run of its own (run_kind build): a "running" record, the build, the final record,
    // then the runs and status marts again so they show its end.
    const Config& c = loaded->config;
    pipeline::JobRunner runner({{"build",
                                 {},
                                 false,
                                 [&](const pipeline::AssetContext& context) -> Expected<pipeline::AssetOutcome> {
                                   warehouse::BuildOptions build;
                                   build.variables = build_variables(c);
                                   build.variables["ampere_live_run_id"] = context.run_id;
                                   if (auto ok = build_warehouse(**warehouse, c.data_dir, o->select, build); !ok) {
                                     return tl::unexpected(ok.error());
                                   }
                                   return pipeline::AssetOutcome{};
                                 }}},
                               job_runner_options(c, "build"));
    auto run = runner.run(pipeline::Job{"build", {"build"}}, pipeline::JobRunner::new_run_id("build", now_utc()));
    if (!run) return report_error(run.error());
    refresh_run_marts(c, **warehouse);
    if (!run->ok()) return report_error(Error{ErrorKind::invalid_input, run->assets.front().error});
    return exit_ok;
  };
}

}  // namespace ampere::cli
