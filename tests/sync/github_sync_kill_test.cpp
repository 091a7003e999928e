// Kill -9 of `ampere sync github` at several moments, then a rerun: staging ends up exactly the
// simulator's truth (nothing lost, nothing duplicated), and the lake always reads.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "integration/process.hpp"
#include "support/temp_dir.hpp"
#include "sync/sync_truth.hpp"

namespace ampere {
namespace {

using testing::BackgroundProcess;
using testing::run_process;

TEST(GithubSyncKill, AKilledSyncResumesToTheExactTruth) {
  // Latency makes the sync last long enough to be killed in the middle of it.
  BackgroundProcess sim(
      {AMPERE_BINARY, "simulator", "--port", "0", "--org-size", "small", "--seed", "42", "--latency-ms", "3"},
      {{"AMPERE_CONFIG", ""}});
  std::string base = sim.wait_for_line("simulator: ", std::chrono::seconds(20));
  ASSERT_TRUE(base.starts_with("http://127.0.0.1:")) << sim.output();
  base.pop_back();
  testing::TempDir dir;
  const std::string data = (dir.path() / "data").string();
  const std::map<std::string, std::string> env{
      {"AMPERE_CONFIG", ""}, {"AMPERE_ORGS", "ampere-demo"}, {"AMPERE_GITHUB_API_URL", base}, {"GITHUB_TOKEN", ""}};
  for (const int after_ms : {150, 400, 800, 1500}) {
    BackgroundProcess sync({AMPERE_BINARY, "sync", "github", "--data-dir", data}, env);
    std::this_thread::sleep_for(std::chrono::milliseconds(after_ms));
    sync.stop(SIGKILL);
  }
  const auto finished = run_process({AMPERE_BINARY, "sync", "github", "--data-dir", data}, env);
  ASSERT_EQ(finished.exit_code, 0) << finished.out << finished.err;
  simulator::ModelSpec spec;
  spec.size = simulator::OrgSize::small;
  spec.seed = 42;
  const auto model = simulator::OrgModel::generate(spec);
  testing::expect_staging_equals_truth(dir.path() / "data", model);
  // And once complete, a resync is free.
  const auto again = run_process({AMPERE_BINARY, "sync", "github", "--data-dir", data}, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(": 0 REST requests ("), std::string::npos) << again.out;
}

}  // namespace
}  // namespace ampere
