// `ampere sync`: fetch from GitHub and PyPI into the lake.
#include <fmt/format.h>

#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/github_sync_step.hpp"
#include "cli/pypi_sync_step.hpp"
#include "util/strings.hpp"

namespace ampere::cli {

Handler define_sync(CLI::App& app, const GlobalOptions& global) {
  struct Options {
    std::string source = "all";
    std::string data_dir;
    bool backfill = false;
    std::string since;
  };
  auto o = std::make_shared<Options>();
  app.add_option("source", o->source, "what to sync: github, pypi or all (default)")
      ->check(CLI::IsMember({"github", "pypi", "all"}));
  CLI::Option* data_dir_option = app.add_option("--data-dir", o->data_dir, "data dir (default: data_dir in config)");
  app.add_flag("--backfill", o->backfill, "pypi: also fill download history from --since (chunked, resumable)");
  app.add_option("--since", o->since, "pypi --backfill: first day to fill, YYYY-MM-DD (UTC)");
  return [&global, o, data_dir_option] {
    std::vector<ConfigInputs::Flag> flags;
    add_flag_override(flags, data_dir_option, "data_dir", o->data_dir);
    auto loaded = load_config_for(global, flags);
    if (!loaded) return report_error(loaded.error());
    const Config& c = loaded->config;
    std::optional<pypi::Day> since;
    if (o->backfill != !o->since.empty()) {
      return report_error(Error{ErrorKind::invalid_input, "--backfill and --since YYYY-MM-DD go together"});
    }
    if (o->backfill) {
      auto t = o->since.size() == 10 ? parse_iso8601(o->since) : Expected<Timestamp>(tl::unexpected(Error{}));
      if (!t) {
        return report_error(
            Error{ErrorKind::invalid_input, fmt::format("--since '{}' is not a day; use YYYY-MM-DD", o->since)});
      }
      since = std::chrono::floor<std::chrono::days>(*t);
    }
    if (o->source == "pypi") {
      auto synced = run_pypi_sync(c, since);
      return synced ? exit_ok : report_error(synced.error());
    }
    if (c.orgs.empty()) {
      return report_error(
          Error{ErrorKind::invalid_input, "no organization configured; run `ampere init ORG` or set AMPERE_ORGS"});
    }
    if (c.github_token.empty()) {
      fmt::print(stderr,
                 "ampere: no GitHub token (GITHUB_TOKEN or github.token_file): GitHub allows 60 requests an "
                 "hour without one, which is enough for a very small organization only\n");
    }
    for (const auto& org : c.orgs) {
      pipeline::GithubSyncOptions options;
      options.data_dir = c.data_dir;
      options.org = org;
      options.api_url = c.github_api_url;
      options.token = c.github_token;
      // Pacing for GitHub's secondary limits; a loopback server is not GitHub.
      options.pace_requests =
          !(c.github_api_url.starts_with("http://127.0.0.1") || c.github_api_url.starts_with("http://localhost") ||
            c.github_api_url.starts_with("http://[::1]"));
      if (auto ok = run_github_sync(options); !ok) return report_error(ok.error());
    }
    if (o->source == "all" && !(c.pypi_packages.empty() && c.pypi_dependencies.empty())) {
      if (auto ok = run_pypi_sync(c, since); !ok) return report_error(ok.error());
    }
    return exit_ok;
  };
}

}  // namespace ampere::cli
