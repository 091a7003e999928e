// `ampere simulator` as a subprocess: prints its URL, serves the org, mutates over HTTP, stops on SIGTERM.
#include <signal.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.hpp"
#include "integration/process.hpp"

namespace ampere::testing {
namespace {

TEST(SimulatorCli, ServesTheOrgOnAFreePortUntilSigterm) {
  BackgroundProcess sim(
      {AMPERE_BINARY, "simulator", "--port", "0", "--org-size", "small", "--seed", "42", "--token", "t0k"},
      {{"AMPERE_CONFIG", ""}, {"GITHUB_TOKEN", ""}});
  std::string base = sim.wait_for_line("simulator: ", std::chrono::seconds(20));
  ASSERT_TRUE(base.starts_with("http://127.0.0.1:")) << sim.output();
  ASSERT_NE(base.find(":0/"), base.size() - 3) << "port 0 is replaced by the bound port";
  base.pop_back();  // trailing slash
  EXPECT_NE(sim.output().find("8 repos"), std::string::npos) << sim.output();

  http::Client client;
  const http::Headers auth = {{"Authorization", "Bearer t0k"}};
  auto repos = client.get(base + "/orgs/ampere-demo/repos?per_page=100", auth);
  ASSERT_TRUE(repos);
  EXPECT_EQ(repos->status, 200);
  EXPECT_EQ(nlohmann::json::parse(repos->body).size(), 8U);
  EXPECT_EQ(client.get(base + "/orgs/ampere-demo/repos")->status, 401);

  auto mutated = client.post(base + "/_simulator/mutate?kind=rename_repo&repo=quill&new_name=quill2", "", "text/plain");
  ASSERT_TRUE(mutated);
  EXPECT_EQ(mutated->status, 200) << mutated->body;
  EXPECT_EQ(nlohmann::json::parse(client.get(base + "/repos/ampere-demo/quill", auth)->body)["name"], "quill2");
  EXPECT_EQ(sim.stop(SIGTERM), 0);
}

TEST(SimulatorCli, RejectsAnUnknownSize) {
  const auto r = run_process({AMPERE_BINARY, "simulator", "--org-size", "huge"}, {{"AMPERE_CONFIG", ""}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("accepted: small, large"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ampere::testing
