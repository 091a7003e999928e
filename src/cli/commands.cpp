#include <array>

#include "cli/command.hpp"
#include "cli/commands.hpp"

namespace ampere::cli {

namespace {

const std::array table = {
    Command{"init", "write a commented ampere.toml for an organization", define_init},
    Command{"config", "inspect the configuration (`ampere config show`)", define_config},
    Command{"sync", "fetch new data from GitHub and PyPI into the lake", define_sync},
    Command{"build", "build the warehouse's models from the raw data", define_build},
    Command{"test", "run the models' data tests against the warehouse as it is", define_test},
    Command{"run", "sync every configured source and build, once (for cron instead of `ampere serve`)", define_run},
    Command{"serve", "serve the dashboard and API, keeping data fresh on a schedule", define_serve},
    Command{"demo", "run ampere on a built-in synthetic organization and serve its dashboard", define_demo},
    Command{"status", "show what data there is and how fresh it is", define_status},
    Command{"repos", "list the organization's repositories (--format table|json|csv)", define_repos},
    Command{"feed", "report the events feed: `feed list`, `feed summary`", define_feed},
    Command{"downloads", "report PyPI downloads: `downloads list`, `downloads summary`", define_downloads},
    Command{"issues", "list open issues, or --summary per repository", define_issues},
    Command{"lake", "inspect and maintain the lake's Delta tables (ls, history, compact, vacuum)", define_lake},
    Command{"simulator", "serve a synthetic GitHub organization over HTTP, for tests and benchmarks", define_simulator},
};

}  // namespace

std::span<const Command> commands() {
  return table;
}

}  // namespace ampere::cli
