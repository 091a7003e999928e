#pragma once
// GitHub's REST and GraphQL APIs for a synthetic organization, served over loopback HTTP: the stand-in
// that ampere's GitHub client is tested against. It follows GitHub's documented behaviour
// (reference/github-api.md): payload shapes, Link pagination, ETag/Last-Modified -> 304 for free,
// primary and secondary rate limits, the 40k stargazer cap, 301/404/409/451, and injected faults.
//
// Simulator-only routes (not GitHub's): GET /_simulator/stats and POST /_simulator/mutate?kind=...

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include "http/http_types.hpp"
#include "simulator/fault_injector.hpp"
#include "simulator/org_model.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// How the simulator behaves.
struct SimulatorOptions {
  ModelSpec org;                   ///< the organization to generate (ignored by the constructor taking a model)
  std::string token;               ///< empty: accept any request; else require `Authorization: Bearer <token>`
  int64_t rest_limit = 5'000;      ///< REST requests per hour
  int64_t graphql_limit = 5'000;   ///< GraphQL points per hour
  int primary_limit_status = 403;  ///< 403 or 429 when the REST budget is exhausted
  FaultOptions faults;
  std::function<Timestamp()> clock;  ///< rate-limit clock; empty: the real time (tests inject their own)
};

/// What the simulator has served, for tests and benchmarks.
struct SimulatorStats {
  int64_t requests = 0;                     ///< every request, simulator-only routes excluded
  std::map<std::string, int64_t> by_route;  ///< per route family ("issues", "stargazers", "graphql", ...)
  int64_t not_modified = 0;                 ///< 304 answers
  int64_t rate_limited = 0;                 ///< primary-limit refusals (REST 403/429, GraphQL RATE_LIMITED)
  int64_t faults = 0;                       ///< injected faults
  int64_t rest_limit = 0;                   ///< REST budget per hour
  int64_t rest_remaining = 0;               ///< REST requests left in the current window
  int64_t rest_used = 0;                    ///< REST requests counted in the current window
  int64_t graphql_points_spent = 0;         ///< since start, across windows
  int64_t graphql_remaining = 0;            ///< GraphQL points left in the current window
};

/// The simulator: owns the model, answers requests, optionally serves them on a background thread.
class GithubSimulator {
 public:
  /// Generates options.org and serves it.
  explicit GithubSimulator(SimulatorOptions options);
  /// Serves an already generated model (tests share one large model this way).
  GithubSimulator(SimulatorOptions options, OrgModel model);
  ~GithubSimulator();
  GithubSimulator(const GithubSimulator&) = delete;
  GithubSimulator& operator=(const GithubSimulator&) = delete;

  /// Binds host:port (0 = any free port) and serves on a background thread; returns the base URL
  /// "http://127.0.0.1:<port>" (no trailing slash: append "/repos/...").
  Expected<std::string> start(const std::string& host = "127.0.0.1", int port = 0);
  /// Binds host:port without serving yet (for serve()); returns the port bound.
  Expected<int> bind(const std::string& host, int port);
  /// Serves on the calling thread until stop(); after bind().
  Expected<void> serve();
  /// Stops serving (and joins the background thread if start() made one). Idempotent.
  void stop();
  /// The base URL once bound.
  [[nodiscard]] const std::string& base_url() const { return base_url_; }

  /// Answers one request; what the server calls, public so tests can inspect raw answers (a 301 before
  /// the client follows it).
  http::Response handle(const http::Request& request);

  /// The truth, read-only. Do not hold it across mutations made from another thread.
  [[nodiscard]] const OrgModel& model() const { return *model_; }
  /// Runs `change` on the model under the simulator's lock; returns what it returns.
  template <class F>
  auto mutate(F&& change) {
    std::lock_guard lock(mutex_);
    return change(*model_);
  }
  /// Applies a named mutation, as POST /_simulator/mutate does. `params`: repo (name), count, number,
  /// login, new_name. Kinds: star, unstar, open_issue, close_issue, merge_pr, push_commit, rename_repo,
  /// delete_issue, delete_user, delete_repo, block_repo, unblock_repo. Returns a JSON summary.
  Expected<std::string> apply_mutation(const std::string& kind, const std::map<std::string, std::string>& params);

  /// Forces `kind` on the next `count` API requests (not /rate_limit, not /_simulator).
  void fail_next(FaultKind kind, int count);
  /// The next `count` GraphQL queries answer 200 with GitHub's "Something went wrong while executing your
  /// query" error and no data (what a query that timed out on GitHub's side gets).
  void fail_graphql_next(int count);
  /// Replaces the fault options.
  void set_faults(const FaultOptions& faults);
  /// Changes the REST limit and starts a fresh window (tests exhaust a small budget quickly).
  void set_rest_limit(int64_t limit);
  /// Counters so far.
  [[nodiscard]] SimulatorStats stats() const;
  /// The stats as the JSON GET /_simulator/stats serves.
  [[nodiscard]] std::string stats_json() const;

 private:
  struct Impl;
  std::unique_ptr<OrgModel> model_;
  std::unique_ptr<Impl> impl_;
  /// Exclusive for mutations, counters and budgets; shared while answers are built from the model, so
  /// concurrent requests are answered in parallel.
  mutable std::shared_mutex mutex_;
  std::string base_url_;
  std::thread thread_;
};

}  // namespace ampere::simulator
