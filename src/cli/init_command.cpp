// `ampere init ORG...`: writes a commented ampere.toml.
#include <filesystem>

#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "config/config_template.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace ampere::cli {

Handler define_init(CLI::App& app, const GlobalOptions& /*global*/) {
  struct Options {
    std::vector<std::string> orgs;
    std::vector<std::string> packages;
    std::string path = "ampere.toml";
    bool force = false;
  };
  auto o = std::make_shared<Options>();
  app.add_option("org", o->orgs, "GitHub organization(s) to track")->required();
  app.add_option("--packages", o->packages, "PyPI packages of the organization to track")->delimiter(',');
  app.add_option("--path", o->path, "where to write the file")->capture_default_str();
  app.add_flag("--force", o->force, "overwrite an existing file");
  return [o] {
    namespace fs = std::filesystem;
    if (fs::exists(o->path) && !o->force) {
      return report_error(Error{ErrorKind::conflict, fmt::format("{} already exists; pass --force to overwrite it, "
                                                                 "or --path to write elsewhere",
                                                                 o->path)});
    }
    // Check the names now, so that a typo fails here and not at the first sync.
    if (auto ok = check_flag_value("github.orgs", join(o->orgs, ","), "ORG"); !ok) return report_error(ok.error());
    if (auto ok = check_flag_value("pypi.packages", join(o->packages, ","), "--packages"); !ok) {
      return report_error(ok.error());
    }
    const std::string text = config_template(o->orgs, o->packages);
    if (auto ok = write_file_atomic(o->path, text); !ok) return report_error(ok.error());
    fmt::print("wrote {} for {}\nnext: set GITHUB_TOKEN, then run `ampere sync` and `ampere serve`\n", o->path,
               join(o->orgs, ", "));
    return exit_ok;
  };
}

}  // namespace ampere::cli
