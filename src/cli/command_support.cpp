#include "cli/command_support.hpp"

#include <cstdio>

namespace ampere::cli {

Expected<LoadedConfig> load_config_for(const GlobalOptions& global, std::vector<ConfigInputs::Flag> flags) {
  ConfigInputs inputs;
  if (!global.config_file.empty()) inputs.file = global.config_file;
  inputs.env = process_environment();
  inputs.flags = std::move(flags);
  return load_config(inputs);
}

int report_error(const Error& error) {
  std::fprintf(stderr, "ampere: %s\n", error.message.c_str());
  return error.kind == ErrorKind::invalid_input ? exit_usage : exit_failure;
}

void add_flag_override(std::vector<ConfigInputs::Flag>& flags, const CLI::Option* option, std::string key,
                       std::string value) {
  if (option->count() > 0) flags.push_back({std::move(key), std::move(value), option->get_name()});
}

}  // namespace ampere::cli
