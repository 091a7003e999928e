#pragma once
// A simulator served on loopback for one test, with a clock the test controls, and small helpers to
// GET JSON and follow Link pagination the way a GitHub client does.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.hpp"
#include "simulator/github_simulator.hpp"

namespace ampere::testing {

/// The starting time of every test clock: 2027-01-15T08:00:00Z.
inline constexpr int64_t test_clock_start = 1'800'000'000;

/// The URL of relation `rel` in a Link header, or "".
inline std::string link_of(const std::optional<std::string>& link, const std::string& rel) {
  if (!link) return "";
  const std::string needle = "; rel=\"" + rel + "\"";
  const size_t at = link->find(needle);
  if (at == std::string::npos) return "";
  const size_t open = link->rfind('<', at);
  return link->substr(open + 1, at - open - 2);
}

/// The rel="next" URL of a Link header, or "".
inline std::string next_link(const std::optional<std::string>& link) {
  return link_of(link, "next");
}

/// One simulator on 127.0.0.1 with an injected clock.
class SimulatorFixture {
 public:
  explicit SimulatorFixture(simulator::SimulatorOptions options = {}) {
    options.clock = [this] { return Timestamp{std::chrono::seconds{clock_seconds.load()}}; };
    sim = std::make_unique<simulator::GithubSimulator>(std::move(options));
    start();
  }
  SimulatorFixture(simulator::SimulatorOptions options, simulator::OrgModel model) {
    options.clock = [this] { return Timestamp{std::chrono::seconds{clock_seconds.load()}}; };
    sim = std::make_unique<simulator::GithubSimulator>(std::move(options), std::move(model));
    start();
  }

  /// GET base + path; fails the test on a transport error.
  http::Response get(const std::string& path, const http::Headers& headers = {}) {
    auto r = client.get(path.starts_with("http") ? path : base + path, headers);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : http::Response{};
  }

  /// GET and parse JSON (status must be 200).
  nlohmann::json get_json(const std::string& path, const http::Headers& headers = {}) {
    const auto r = get(path, headers);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  }

  /// Follows rel="next" from `path`, concatenating the pages' arrays; counts the requests in `pages`.
  std::vector<nlohmann::json> get_all(const std::string& path, const http::Headers& headers = {},
                                      int* pages = nullptr) {
    std::vector<nlohmann::json> items;
    std::string url = base + path;
    int count = 0;
    while (!url.empty() && count < 10'000) {
      const auto r = get(url, headers);
      EXPECT_EQ(r.status, 200) << url << ": " << r.body;
      if (r.status != 200) break;
      for (auto& item : nlohmann::json::parse(r.body)) items.push_back(std::move(item));
      url = next_link(r.header("Link"));
      ++count;
    }
    if (pages != nullptr) *pages = count;
    return items;
  }

  /// POST a GraphQL query with variables; returns the parsed document.
  nlohmann::json graphql(std::string_view query, const nlohmann::json& variables) {
    const nlohmann::json body{{"query", query}, {"variables", variables}};
    auto r = client.post(base + "/graphql", body.dump(), "application/json");
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    return nlohmann::json::parse(r->body, nullptr, false);
  }

  const simulator::OrgModel& model() const { return sim->model(); }

  std::atomic<int64_t> clock_seconds{test_clock_start};
  std::unique_ptr<simulator::GithubSimulator> sim;
  std::string base;
  http::Client client;

 private:
  void start() {
    auto started = sim->start();
    if (!started) throw std::runtime_error(started.error().message);
    base = *started;
  }
};

}  // namespace ampere::testing
