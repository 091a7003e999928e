// `ampere init ORG...`: writes a commented ampere.toml.
#include <filesystem>

#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "config/config_template.hpp"
#include "github/client_github_api.hpp"
#include "github/python_repos.hpp"
#include "pypi/package_name.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace ampere::cli {

namespace {

// The orgs' Python repos with releases, as GitHub lists them (github.api_url, GITHUB_TOKEN when set):
// what pypi.packages most likely holds. Repo names are PEP 503-normalized; "package=repo" when they differ.
Expected<std::vector<std::string>> suggest_packages(const Config& config, const std::vector<std::string>& orgs) {
  github::ClientApiOptions options;
  options.api_url = config.github_api_url;
  options.token = config.github_token;
  auto api = github::ClientGithubApi::open(options);
  if (!api) return tl::unexpected(api.error());
  std::vector<std::string> packages;
  for (const std::string& org : orgs) {
    auto repos = github::python_repos_with_releases(**api, org);
    if (!repos) return tl::unexpected(repos.error());
    for (const std::string& repo : *repos) {
      auto name = pypi::normalize_package_name(repo);
      if (!name) continue;  // a repo name no PyPI project could have
      packages.push_back(*name == repo ? repo : *name + "=" + repo);
    }
  }
  return packages;
}

}  // namespace

Handler define_init(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::vector<std::string> orgs;
    std::vector<std::string> packages;
    std::string path = "ampere.toml";
    bool force = false;
    bool offline = false;
  };
  auto o = std::make_shared<Options>();
  app.add_option("org", o->orgs, "GitHub organization(s) to track")->required();
  app.add_option("--packages", o->packages,
                 "PyPI packages of the organization to track (default: its Python repos with releases, asked "
                 "of GitHub)")
      ->delimiter(',');
  app.add_flag("--offline", o->offline, "don't ask GitHub which repos are Python packages; write --packages only");
  app.add_option("--path", o->path, "where to write the file")->capture_default_str();
  app.add_flag("--force", o->force, "overwrite an existing file");
  return [o, &global] {
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
    if (o->packages.empty() && !o->offline) {
      auto loaded = load_config_for(global, {});
      using Packages = Expected<std::vector<std::string>>;
      const Packages suggested =
          loaded ? suggest_packages(loaded->config, o->orgs) : Packages(tl::unexpected(loaded.error()));
      if (suggested) {
        o->packages = *suggested;
        fmt::print("PyPI packages (the Python repos with releases): {}\n",
                   o->packages.empty() ? "none found" : join(o->packages, ", "));
      } else {
        fmt::print(stderr,
                   "ampere: could not ask GitHub for the Python repos ({}); pypi.packages left empty: "
                   "edit it, or rerun with --packages\n",
                   suggested.error().message);
      }
    }
    const std::string text = config_template(o->orgs, o->packages);
    if (auto ok = write_file_atomic(o->path, text); !ok) return report_error(ok.error());
    fmt::print("wrote {} for {}\nnext: set GITHUB_TOKEN, then run `ampere sync` and `ampere serve`\n", o->path,
               join(o->orgs, ", "));
    return exit_ok;
  };
}

}  // namespace ampere::cli
