// `ampere simulator`: a synthetic GitHub organization served over HTTP, for testing ampere's GitHub
// client (and anyone else's) without the internet or a token.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "cli/bigquery_standin_step.hpp"
#include "cli/command_support.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_steps.hpp"
#include "simulator/github_simulator.hpp"

namespace ampere::cli {

Handler define_simulator(CLI::App& app, const GlobalOptions& /*global*/) {
  struct Options {
    int port = 0;
    std::string bind = "127.0.0.1";
    std::string size = "small";
    uint64_t seed = 42;
    std::string token;
    int64_t rate_limit = 5'000;
    double error_rate = 0.0;
    double reset_rate = 0.0;
    double malformed_rate = 0.0;
    double secondary_rate = 0.0;
    int latency_ms = 0;
    std::string stargazers = "allowed";
    std::string bigquery_key;
    bool hostile = false;
  };
  auto o = std::make_shared<Options>();
  app.add_option("--port", o->port, "port (0 picks a free one and prints it)");
  app.add_option("--bind", o->bind, "address to listen on (default 127.0.0.1)");
  app.add_option("--org-size", o->size, "small (8 repos) or large (200 repos, ~1.5M records)");
  app.add_option("--seed", o->seed, "generator seed: the same seed serves the same bytes");
  app.add_flag("--hostile", o->hostile,
               "hostile strings (script tags, javascript: links, trackers, long and right-to-left text) in titles, "
               "bodies, commit messages, names and release names");
  app.add_option("--token", o->token, "require `Authorization: Bearer <token>` (a test token, not a secret)");
  app.add_option("--rate-limit", o->rate_limit, "REST requests per hour (default 5000)");
  app.add_option("--error-rate", o->error_rate, "fraction of API requests answered 502/503");
  app.add_option("--reset-rate", o->reset_rate, "fraction of API requests whose connection is dropped");
  app.add_option("--malformed-rate", o->malformed_rate, "fraction of API answers with truncated JSON");
  app.add_option("--secondary-rate", o->secondary_rate, "fraction of API requests answered with a secondary limit");
  app.add_option("--latency-ms", o->latency_ms, "delay added to every API request");
  app.add_option("--stargazers", o->stargazers, "stargazer list access: allowed, forbidden (403) or empty ([])");
  app.add_option("--bigquery-key", o->bigquery_key,
                 "also serve a BigQuery stand-in (on --port + 1) with 90 days of downloads of the org's Python "
                 "packages, and write a throwaway service-account key file for it here (for "
                 "GOOGLE_APPLICATION_CREDENTIALS)");
  return [o] {
    auto size = simulator::parse_org_size(o->size);
    if (!size) return report_error(size.error());
    auto access = simulator::parse_stargazer_access(o->stargazers);
    if (!access) return report_error(access.error());
    for (const double rate : {o->error_rate, o->reset_rate, o->malformed_rate, o->secondary_rate}) {
      if (rate < 0.0 || rate > 1.0) {
        return report_error(
            Error{ErrorKind::invalid_input, fmt::format("rate {} is not a fraction from 0 to 1", rate)});
      }
    }
    simulator::SimulatorOptions options;
    options.org.size = *size;
    options.org.seed = o->seed;
    options.org.hostile = o->hostile;
    options.token = o->token;
    options.rest_limit = o->rate_limit;
    options.faults.server_error_rate = o->error_rate;
    options.faults.connection_reset_rate = o->reset_rate;
    options.faults.malformed_json_rate = o->malformed_rate;
    options.faults.secondary_limit_rate = o->secondary_rate;
    options.faults.latency_ms = o->latency_ms;
    options.faults.stargazers = *access;

    // The stop signals are blocked in every thread; one thread waits for them and stops the server.
    block_stop_signals();
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);

    simulator::GithubSimulator sim(options);
    auto bound = sim.bind(o->bind, o->port);
    if (!bound) return report_error(bound.error());
    const auto counts = sim.model().counts();
    std::unique_ptr<simulator::BigQueryStandin> bigquery;
    if (!o->bigquery_key.empty()) {
      // The stand-in takes the port after the simulator's (any free one when the simulator's is picked).
      auto started = start_bigquery_standin(sim.model(), o->bind, o->port == 0 ? 0 : *bound + 1, o->bigquery_key);
      if (!started) return report_error(started.error());
      bigquery = std::move(*started);
    }
    std::thread stopper([&sim, signals] {
      int received = 0;
      sigwait(&signals, &received);
      sim.stop();
    });
    fmt::print(
        "ampere simulator: organization {} ({}, seed {}): {} repos, {} users, {} stars, {} forks, {} issues, "
        "{} pull requests, {} commits, {} releases, {} follower edges\n",
        sim.model().login(), o->size, o->seed, counts.repos, counts.users, counts.stars, counts.forks, counts.issues,
        counts.pull_requests, counts.commits, counts.releases, counts.follower_edges);
    fmt::print("simulator: {}/\n", sim.base_url());
    if (bigquery) {
      fmt::print("bigquery stand-in: {}/bigquery/v2 (token endpoint {}; key file {})\n", bigquery->base_url(),
                 bigquery->token_url(), o->bigquery_key);
    }
    std::fflush(stdout);
    auto served = sim.serve();
    // Wake the signal thread if the server stopped on its own (SIGTERM is blocked: sigwait takes it).
    pthread_kill(stopper.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
    stopper.join();
    if (!served) return report_error(served.error());
    if (bigquery) bigquery->stop();
    fmt::print("ampere simulator: stopped\n");
    return exit_ok;
  };
}

}  // namespace ampere::cli
