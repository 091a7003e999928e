// The pipeline end to end: failure notifications to loopback stand-ins (a webhook on http::Server, a
// tiny SMTP server), `ampere run` against the simulator, `ampere status`, and SIGTERM of `ampere serve`
// in the middle of a scheduled run (then a rerun: the warehouse is consistent).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "db/database.hpp"
#include "http/server.hpp"
#include "integration/process.hpp"
#include "pipeline/notifier.hpp"
#include "support/temp_dir.hpp"

namespace ampere {
namespace {

namespace fs = std::filesystem;
using testing::BackgroundProcess;
using testing::run_process;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A webhook stand-in: records every request's body, answers 200.
class WebhookStandIn {
 public:
  WebhookStandIn()
      : server_([this](const http::Request& r) {
          std::lock_guard lock(mutex_);
          bodies_.push_back(r.body);
          content_types_.push_back(r.header("Content-Type").value_or(""));
          http::Response response;
          response.body = "ok";
          return response;
        }) {
    auto port = server_.bind("127.0.0.1", 0);
    EXPECT_TRUE(port);
    url_ = "http://127.0.0.1:" + std::to_string(*port) + "/hook";
    thread_ = std::thread([this] { (void)server_.serve(); });
  }
  ~WebhookStandIn() {
    server_.stop();
    thread_.join();
  }
  const std::string& url() const { return url_; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard lock(mutex_);
    return content_types_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> bodies_;
  std::vector<std::string> content_types_;
  http::Server server_;
  std::string url_;
  std::thread thread_;
};

// An SMTP stand-in that accepts one message on loopback and keeps the conversation.
class SmtpStandIn {
 public:
  SmtpStandIn() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    socklen_t size = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve_one(); });
  }
  ~SmtpStandIn() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  int port() const { return port_; }
  std::string transcript() {
    std::lock_guard lock(mutex_);
    return transcript_;
  }

 private:
  void serve_one() {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    const auto say = [&](const std::string& line) {
      if (::write(client, line.data(), line.size()) < 0) return;
    };
    say("220 standin ESMTP\r\n");
    std::string pending;
    bool in_data = false;
    char buffer[4096];
    while (true) {
      const ssize_t n = ::read(client, buffer, sizeof buffer);
      if (n <= 0) break;
      pending.append(buffer, static_cast<size_t>(n));
      {
        std::lock_guard lock(mutex_);
        transcript_.append(buffer, static_cast<size_t>(n));
      }
      while (true) {
        if (in_data) {
          const size_t end = pending.find("\r\n.\r\n");
          if (end == std::string::npos) break;
          pending.erase(0, end + 5);
          in_data = false;
          say("250 queued\r\n");
          continue;
        }
        const size_t eol = pending.find("\r\n");
        if (eol == std::string::npos) break;
        const std::string line = pending.substr(0, eol);
        pending.erase(0, eol + 2);
        if (line.starts_with("EHLO") || line.starts_with("HELO")) {
          say("250 standin\r\n");
        } else if (line.starts_with("DATA")) {
          in_data = true;
          say("354 go ahead\r\n");
        } else if (line.starts_with("QUIT")) {
          say("221 bye\r\n");
          ::close(client);
          return;
        } else {
          say("250 ok\r\n");
        }
      }
    }
    ::close(client);
  }

  int listener_ = -1;
  int port_ = 0;
  std::mutex mutex_;
  std::string transcript_;
  std::thread thread_;
};

pipeline::JobRun failed_run() {
  pipeline::JobRun run;
  run.run_id = "run-github-1";
  run.job = "github";
  run.status = "failed";
  run.finished_at = *parse_iso8601("2026-11-28T06:01:00Z");
  pipeline::AssetRun sync;
  sync.asset = "github";
  sync.status = "failed";
  sync.attempts = 3;
  sync.error = "GitHub answered 502 for /orgs/acme/repos";
  run.assets.push_back(sync);
  run.error = "github: GitHub answered 502 for /orgs/acme/repos";
  return run;
}

TEST(Notifier, PostsTheFailureToTheWebhookAsSlackCompatibleJson) {
  WebhookStandIn hook;
  pipeline::NotifierSettings settings;
  settings.webhook_url = hook.url();
  settings.status_url = "http://127.0.0.1:8080/status";
  settings.label = "ampere (acme)";
  pipeline::Notifier notifier(settings);
  ASSERT_TRUE(notifier.enabled());
  auto sent = notifier.notify(failed_run());
  ASSERT_TRUE(sent) << sent.error().message;
  const auto bodies = hook.bodies();
  ASSERT_EQ(bodies.size(), 1U);
  EXPECT_TRUE(contains(hook.content_types()[0], "application/json"));
  const auto json = nlohmann::json::parse(bodies[0]);
  const std::string text = json.at("text");
  EXPECT_TRUE(contains(text, "ampere (acme): the github run run-github-1 failed at 2026-11-28T06:01:00Z")) << text;
  EXPECT_TRUE(contains(text, "github failed after 3 attempts: GitHub answered 502")) << text;
  EXPECT_TRUE(contains(text, "http://127.0.0.1:8080/status")) << text;
  EXPECT_EQ(json.at("status_url"), "http://127.0.0.1:8080/status");
  EXPECT_EQ(json.at("failed_assets").size(), 1U);
}

TEST(Notifier, AWebhookThatRefusesIsAnError) {
  pipeline::NotifierSettings settings;
  settings.webhook_url = "http://127.0.0.1:1/hook";  // nothing listens on port 1
  auto sent = pipeline::Notifier(settings).notify(failed_run());
  ASSERT_FALSE(sent);
  EXPECT_TRUE(contains(sent.error().message, "webhook")) << sent.error().message;
}

TEST(Notifier, SendsTheFailureByEmail) {
  SmtpStandIn smtp;
  pipeline::NotifierSettings settings;
  settings.smtp.url = "smtp://127.0.0.1:" + std::to_string(smtp.port());
  settings.smtp.from = "ampere@example.com";
  settings.smtp.to = {"ops@example.com", "dev@example.com"};
  settings.status_url = "http://ampere.example.com/status";
  auto sent = pipeline::Notifier(settings).notify(failed_run());
  ASSERT_TRUE(sent) << sent.error().message;
  const std::string t = smtp.transcript();
  EXPECT_TRUE(contains(t, "MAIL FROM:<ampere@example.com>")) << t;
  EXPECT_TRUE(contains(t, "RCPT TO:<ops@example.com>")) << t;
  EXPECT_TRUE(contains(t, "RCPT TO:<dev@example.com>")) << t;
  EXPECT_TRUE(contains(t, "Subject: [ampere] github run failed")) << t;
  EXPECT_TRUE(contains(t, "GitHub answered 502")) << t;
  EXPECT_TRUE(contains(t, "http://ampere.example.com/status")) << t;
}

// A simulator process of the small org, optionally slowed down.
struct Simulator {
  explicit Simulator(int latency_ms = 0)
      : process({AMPERE_BINARY, "simulator", "--port", "0", "--org-size", "small", "--seed", "42", "--latency-ms",
                 std::to_string(latency_ms)},
                {{"AMPERE_CONFIG", ""}}) {
    url = process.wait_for_line("simulator: ", std::chrono::seconds(20));
    EXPECT_TRUE(url.starts_with("http://127.0.0.1:")) << process.output();
    if (!url.empty()) url.pop_back();
  }
  BackgroundProcess process;
  std::string url;
};

std::map<std::string, std::string> github_env(const std::string& api_url) {
  return {{"AMPERE_CONFIG", ""},      {"AMPERE_ORGS", "ampere-demo"},   {"AMPERE_GITHUB_API_URL", api_url},
          {"GITHUB_TOKEN", ""},       {"AMPERE_SCHEDULE_RETRIES", "1"}, {"AMPERE_SCHEDULE_RETRY_BACKOFF_SECONDS", "0"},
          {"AMPERE_WEBHOOK_URL", ""}, {"AMPERE_PYPI_PACKAGES", ""},     {"AMPERE_PYPI_DEPENDENCIES", ""}};
}

// The rows of `sql` in the warehouse of `data`, cells joined by " | ".
std::vector<std::string> rows(const fs::path& data, const std::string& sql) {
  std::vector<std::string> out;
  auto database = db::Database::open(data / "warehouse.duckdb", db::OpenOptions{.read_only = true});
  EXPECT_TRUE(database) << database.error().message;
  if (!database) return out;
  auto connection = (*database)->connect();
  auto result = connection->query(sql);
  EXPECT_TRUE(result) << sql << ": " << result.error().message;
  if (!result) return out;
  for (size_t r = 0; r < result->row_count(); ++r) {
    std::string line;
    for (size_t c = 0; c < result->column_count(); ++c) {
      line += (c > 0 ? " | " : "") + (result->is_null(c, r) ? std::string("NULL") : result->text(c, r));
    }
    out.push_back(line);
  }
  return out;
}

TEST(RunCommand, SyncsBuildsRecordsTheRunAndStatusIsFresh) {
  Simulator sim;
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  const auto env = github_env(sim.url);
  const auto run = run_process({AMPERE_BINARY, "run", "--data-dir", data.string()}, env);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, ": github succeeded (1 attempt")) << run.out;
  EXPECT_TRUE(contains(run.out, ": build succeeded (1 attempt")) << run.out;
  // The job's run and its GitHub sync, both succeeded and complete.
  EXPECT_EQ(
      rows(data,
           "select run_kind, source_name, status, finished_at >= started_at, rows_written > 0 from main.runs "
           "order by run_kind"),
      (std::vector<std::string>{"run | all | succeeded | true | true", "sync | github | succeeded | true | true"}));
  // Every GitHub table and mart is fresh; no PyPI asset (not configured).
  EXPECT_EQ(rows(data,
                 "select count(*), count(*) filter (where state = 'ok'), count(*) filter (where asset like "
                 "'pypi.%' or asset in ('marts.downloads', 'marts.packages')) from main.status"),
            std::vector<std::string>{"19 | 19 | 0"});
  const auto status = run_process({AMPERE_BINARY, "status", "--data-dir", data.string()}, env);
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_TRUE(contains(status.out, "github.stargazers")) << status.out;
  EXPECT_TRUE(contains(status.out, "all 19 assets are fresh")) << status.out;
}

TEST(RunCommand, AFailedSyncIsRetriedNotifiesTheWebhookAndExitsNonZero) {
  WebhookStandIn hook;
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  auto env = github_env("http://127.0.0.1:1");  // nothing listens there
  env["AMPERE_WEBHOOK_URL"] = hook.url();
  env["AMPERE_STATUS_URL"] = "http://dash.example.com/status";
  const auto run = run_process({AMPERE_BINARY, "run", "--data-dir", data.string()}, env);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, ": github failed (2 attempts")) << run.out;
  EXPECT_TRUE(contains(run.out, ": build skipped")) << run.out;
  EXPECT_TRUE(contains(run.err, "failed: github:")) << run.err;
  const auto bodies = hook.bodies();
  ASSERT_EQ(bodies.size(), 1U);
  const std::string text = nlohmann::json::parse(bodies[0]).at("text");
  EXPECT_TRUE(contains(text, "the all run run-all-")) << text;
  EXPECT_TRUE(contains(text, "github failed after 2 attempts")) << text;
  EXPECT_TRUE(contains(text, "http://dash.example.com/status")) << text;
}

TEST(StatusCommand, ExitsOneWhenDataIsMissing) {
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  const auto env = github_env("http://127.0.0.1:1");
  // Built, but never synced: every GitHub asset is missing.
  ASSERT_EQ(run_process({AMPERE_BINARY, "build", "--data-dir", data.string()}, env).exit_code, 0);
  const auto status = run_process({AMPERE_BINARY, "status", "--data-dir", data.string()}, env);
  EXPECT_EQ(status.exit_code, 1) << status.out << status.err;
  EXPECT_TRUE(contains(status.out, "missing")) << status.out;
  EXPECT_TRUE(contains(status.out, "19 of 19 assets are stale or missing")) << status.out;
  // The build recorded itself as a run of its own.
  EXPECT_EQ(rows(data, "select run_kind, source_name, status from main.runs"),
            std::vector<std::string>{"build | NULL | succeeded"});
  const auto help = run_process({AMPERE_BINARY, "status", "--help"}, env);
  EXPECT_TRUE(contains(help.out, "1 something is stale or missing")) << help.out;
}

TEST(Serve, SigtermMidRunStopsCleanlyAndTheNextRunCarriesOn) {
  Simulator sim(3);  // slow enough for the signal to land mid-sync
  testing::TempDir dir;
  const fs::path data = dir.path() / "data";
  const auto env = github_env(sim.url);
  {
    BackgroundProcess serve({AMPERE_BINARY, "serve", "--data-dir", data.string(), "--port", "0", "--stop-grace", "60"},
                            env);
    ASSERT_FALSE(serve.wait_for_line("dashboard: ", std::chrono::seconds(20)).empty()) << serve.output();
    // The github job never ran, so it starts at once; stop the server while it syncs.
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    EXPECT_EQ(serve.stop(SIGTERM), 0) << serve.output();
    EXPECT_FALSE(fs::exists(data / "ampere.lock"));
  }
  // The stopped run is interrupted (it never built), and its sync's commits stay.
  const auto again = run_process({AMPERE_BINARY, "run", "--data-dir", data.string()}, env);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(rows(data, "select status, count(*) from main.runs where run_kind = 'run' group by all order by 1"),
            (std::vector<std::string>{"interrupted | 1", "succeeded | 1"}));
  // The warehouse is consistent: every data test passes, every repo is there.
  const auto tests = run_process({AMPERE_BINARY, "test", "--data-dir", data.string()}, env);
  EXPECT_EQ(tests.exit_code, 0) << tests.out << tests.err;
  EXPECT_EQ(rows(data, "select count(*) from main.repos"), std::vector<std::string>{"8"});
}

}  // namespace
}  // namespace ampere
