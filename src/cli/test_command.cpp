// `ampere test`: run the models' data tests against the warehouse as it is, without rebuilding.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_steps.hpp"
#include "warehouse/data_test.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

Handler define_test(CLI::App& app, const GlobalOptions& global) {
  auto data_dir = std::make_shared<std::string>();
  CLI::Option* data_dir_option = app.add_option("--data-dir", *data_dir, "data dir (default: data_dir in config)");
  return [&global, data_dir, data_dir_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", *data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    auto tests = warehouse::embedded_data_tests();
    if (!tests) return report_error(tests.error());
    auto warehouse = warehouse::open_warehouse(loaded->config.data_dir);
    if (!warehouse) return report_error(warehouse.error());
    auto connection = (*warehouse)->connect();
    if (!connection) return report_error(connection.error());
    auto failures = warehouse::run_data_tests(*connection, *tests);
    if (!failures) return report_error(failures.error());
    for (const auto& f : *failures) print_test_failure(f);
    fmt::print("test: {} tests, {} failed\n", tests->size(), failures->size());
    return failures->empty() ? exit_ok : exit_failure;
  };
}

}  // namespace ampere::cli
