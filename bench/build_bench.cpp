// Warehouse build benchmark (issue 6): the large synthetic organization synced into a lake, then
//   1. a full build from an empty warehouse (every model and data test, and the network layouts),
//   2. a small sync (a few new stars, issues and commits) and the build after it,
// with the peak RSS of the building process. The syncs run in child processes (this program again, with
// `sync`), so the peak RSS is the build's alone. Targets: full < 60 s, after a small sync < 5 s, < 4 GB.
// Run: build/bench/build_bench [large|small] [--keep] [--repeat N]
//   --repeat N: the small sync and the build after it N times, each from a copy of the state after the
//   full build; --keep leaves the data dir for `ampere build --data-dir`, and with AMPERE_BENCH_SNAPSHOT=1
//   that copy too, <dir>-full, to time the after-sync build by hand (copy it, then
//   `build_bench sync large <copy> change` and `ampere build --data-dir <copy>`).
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/pipeline_steps.hpp"
#include "pipeline/github_sync.hpp"
#include "simulator/github_simulator.hpp"
#include "warehouse/warehouse.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The simulator's port of the full sync, kept in the data dir: the small sync serves on the same port, because
// its pages hold URLs with the port and an ETag is a hash of the page, so another port would change every
// ETag and turn the small sync into a full one (GitHub's URLs do not change between syncs).
fs::path port_file(const fs::path& data_dir) {
  return data_dir / "build_bench_port";
}

// `build_bench sync <size> <data dir> <full|change>`: syncs the org (after a small change) into the lake.
int sync_child(const std::string& size, const fs::path& data_dir, bool change) {
  ampere::simulator::SimulatorOptions options;
  options.org.size = size == "large" ? ampere::simulator::OrgSize::large : ampere::simulator::OrgSize::small;
  options.rest_limit = 10'000'000;
  options.graphql_limit = 10'000'000;
  ampere::simulator::GithubSimulator github(options);
  if (change) {
    // What a six-hourly sync typically brings: some stars, issues and commits in a few repos.
    const auto& repos = github.model().repos();
    for (size_t i = 0; i < 3 && i < repos.size(); ++i) {
      const std::string repo = repos[i].name;
      (void)github.apply_mutation("star", {{"repo", repo}, {"count", "20"}});
      (void)github.apply_mutation("open_issue", {{"repo", repo}, {"count", "3"}});
      (void)github.apply_mutation("push_commit", {{"repo", repo}, {"count", "5"}});
    }
  }
  int port = 0;
  if (change) {
    std::ifstream in(port_file(data_dir));
    in >> port;
  }
  auto url = github.start("127.0.0.1", port);
  if (!url) {
    std::fprintf(stderr, "build_bench sync: %s\n", url.error().message.c_str());
    return 1;
  }
  if (!change) {
    std::error_code ec;
    fs::create_directories(data_dir, ec);
    std::ofstream(port_file(data_dir)) << url->substr(url->rfind(':') + 1) << '\n';
  }
  ampere::pipeline::GithubSyncOptions sync;
  sync.data_dir = data_dir;
  sync.org = github.model().login();
  sync.api_url = *url;
  sync.pace_requests = false;
  auto result = ampere::pipeline::sync_github(sync);
  if (!result) {
    std::fprintf(stderr, "build_bench sync: %s\n", result.error().message.c_str());
    return 1;
  }
  int64_t records = 0;
  std::string tables;
  for (const auto& [table, n] : result->report.records) {
    records += n;
    if (n > 0) tables += fmt::format("{}{} {}", tables.empty() ? "" : ", ", table, n);
  }
  fmt::print("sync ({}): {} records ({}) in {:.1f} s; {} requests, {} answered 304\n", change ? "small change" : "full",
             records, tables, result->seconds, result->stats.requests, result->stats.not_modified);
  return 0;
}

// Runs this program again with `args`; true when it exits 0.
bool run_self(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string self = fs::read_symlink("/proc/self/exe").string();
  argv.push_back(self.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  pid_t pid = 0;
  if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return false;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

double peak_rss_gib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB
}

// CPU seconds (user + system) this process has used: the builds run in it, the syncs in children.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "sync")
    return sync_child(argv[2], argv[3], std::string(argv[4]) == "change");
  const std::string size = argc > 1 ? argv[1] : "large";
  bool keep = false;
  int repeats = 1;
  bool usage = size != "large" && size != "small";
  for (int i = 2; i < argc && !usage; ++i) {
    const std::string arg = argv[i];
    if (arg == "--keep") {
      keep = true;
    } else if (arg == "--repeat" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      repeats = std::atoi(argv[++i]);
    } else {
      usage = true;
    }
  }
  if (usage) {
    const bool help = size == "--help" || size == "-h";
    std::fprintf(help ? stdout : stderr,
                 "usage: build_bench [large|small] [--keep] [--repeat N]\n"
                 "  times a full build from an empty warehouse, then a small sync and the build after it\n"
                 "  (N times, each from the state after the full build), and the peak RSS.\n"
                 "  --keep leaves the data dir (and, with AMPERE_BENCH_SNAPSHOT=1, the state after the full\n"
                 "  build, <dir>-full) for timing `ampere build --data-dir` by hand.\n");
    return help ? 0 : 2;
  }
  const fs::path dir = fs::temp_directory_path() / fmt::format("ampere-build-bench-{}", ::getpid());
  const fs::path snapshot = dir.string() + "-full";
  fmt::print("build_bench {}: data in {}\n", size, dir.string());
  if (!run_self({"sync", size, dir.string(), "full"})) return 1;

  auto warehouse = ampere::warehouse::open_warehouse(dir);
  if (!warehouse) {
    std::fprintf(stderr, "build_bench: %s\n", warehouse.error().message.c_str());
    return 1;
  }
  ampere::warehouse::BuildOptions options;
  options.variables = {{"ampere_configured_sources", "github"}};
  const auto full_start = std::chrono::steady_clock::now();
  const double full_cpu_start = cpu_seconds();
  if (auto ok = ampere::cli::build_warehouse(**warehouse, dir, "", options); !ok) {
    std::fprintf(stderr, "build_bench: full build: %s\n", ok.error().message.c_str());
    return 1;
  }
  const double full = seconds_since(full_start);
  const double full_cpu = cpu_seconds() - full_cpu_start;
  const double full_rss = peak_rss_gib();
  const bool snapshotting = repeats > 1 || (keep && std::getenv("AMPERE_BENCH_SNAPSHOT") != nullptr);
  if (snapshotting) {
    // The state after the full build (checkpointed): each repeat of the small sync and build starts from it.
    (void)(*warehouse)->connect()->execute("CHECKPOINT");
    fs::copy(dir, snapshot, fs::copy_options::recursive);
  }

  // The small sync and the build after it, `repeats` times: the first in this process, right after the full
  // build (as `ampere serve` does), the others from the snapshot with the warehouse opened again (as
  // `ampere run` does). The machine is shared, so the spread matters more than any one figure.
  std::vector<double> walls;
  std::vector<double> cpus;
  for (int i = 0; i < repeats; ++i) {
    if (i > 0) {
      warehouse->reset();
      std::error_code ec;
      fs::remove_all(dir, ec);
      fs::copy(snapshot, dir, fs::copy_options::recursive);
      warehouse = ampere::warehouse::open_warehouse(dir);
      if (!warehouse) {
        std::fprintf(stderr, "build_bench: %s\n", warehouse.error().message.c_str());
        return 1;
      }
    }
    if (!run_self({"sync", size, dir.string(), "change"})) return 1;
    const auto again_start = std::chrono::steady_clock::now();
    const double again_cpu_start = cpu_seconds();
    if (auto ok = ampere::cli::build_warehouse(**warehouse, dir, "", options); !ok) {
      std::fprintf(stderr, "build_bench: build after the small sync: %s\n", ok.error().message.c_str());
      return 1;
    }
    walls.push_back(seconds_since(again_start));
    cpus.push_back(cpu_seconds() - again_cpu_start);
  }

  fmt::print("\nbuild_bench {} (command: build/bench/build_bench {}{})\n", size, size,
             repeats > 1 ? fmt::format(" --repeat {}", repeats) : "");
  fmt::print("full build from an empty warehouse: {:.1f} s, {:.1f} s of CPU (target < 60 s)\n", full, full_cpu);
  std::string runs;
  for (size_t i = 0; i < walls.size(); ++i)
    runs += fmt::format("{}{:.1f} s ({:.1f} CPU)", i > 0 ? ", " : "", walls[i], cpus[i]);
  std::vector<double> sorted = walls;
  std::sort(sorted.begin(), sorted.end());
  fmt::print(
      "build after a small sync:           {} (target < 5 s){}\n", runs,
      walls.size() > 1 ? fmt::format("; median {:.1f} s, best {:.1f} s", sorted[sorted.size() / 2], sorted[0]) : "");
  fmt::print("peak RSS: {:.2f} GiB after the full build, {:.2f} GiB at the end (target < 4 GB)\n", full_rss,
             peak_rss_gib());
  warehouse->reset();
  std::error_code ec;
  if (!keep || repeats > 1) fs::remove_all(snapshot, ec);
  if (keep) {
    fmt::print("data kept in {}{}\n", dir.string(),
               fs::exists(snapshot) ? fmt::format(" and {}", snapshot.string()) : "");
    return 0;
  }
  fs::remove_all(dir, ec);
  return 0;
}
