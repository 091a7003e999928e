#pragma once
// What the subcommands share: loading the config with their flag overrides, reporting errors.

#include <string>
#include <vector>

#include "cli/command.hpp"
#include "config/config.hpp"
#include "util/error.hpp"

namespace ampere::cli {

/// Loads the configuration: --config / environment / the command's flag overrides.
Expected<LoadedConfig> load_config_for(const GlobalOptions& global, std::vector<ConfigInputs::Flag> flags = {});

/// Prints "ampere: <message>" to stderr and returns the exit code for the error.
int report_error(const Error& error);

/// Adds a {key, value, flag} override when a flag was given on the command line.
void add_flag_override(std::vector<ConfigInputs::Flag>& flags, const CLI::Option* option, std::string key,
                       std::string value);

}  // namespace ampere::cli
