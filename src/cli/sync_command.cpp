// `ampere sync`: fetch from GitHub and PyPI into the lake.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "util/strings.hpp"

namespace ampere::cli {

Handler define_sync(CLI::App& /*app*/, const GlobalOptions& global) {
  return [&global] {
    auto loaded = load_config_for(global);
    if (!loaded) return report_error(loaded.error());
    if (loaded->config.orgs.empty()) {
      return report_error(
          Error{ErrorKind::invalid_input, "no organization configured; run `ampere init ORG` or set AMPERE_ORGS"});
    }
    // The GitHub and PyPI fetchers are not part of this build yet; say so instead of pretending.
    return report_error(
        Error{ErrorKind::internal, fmt::format("syncing {} is not available in this version of ampere yet; "
                                               "`ampere demo` shows the dashboard on a synthetic organization",
                                               join(loaded->config.orgs, ", "))});
  };
}

}  // namespace ampere::cli
