#include "pipeline/notifier.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/client.hpp"

namespace ampere::pipeline {

bool Notifier::enabled() const {
  return !settings_.webhook_url.empty() || !settings_.smtp.url.empty();
}

std::string Notifier::message(const JobRun& run) const {
  std::string failed;
  for (const auto& a : run.assets) {
    if (a.status != "failed") continue;
    failed +=
        fmt::format("\n- {} failed after {} attempt{}: {}", a.asset, a.attempts, a.attempts == 1 ? "" : "s", a.error);
  }
  if (failed.empty() && !run.error.empty()) failed = "\n- " + run.error;
  return fmt::format("{}: the {} run {} {} at {}.{}\nStatus: {}", settings_.label.empty() ? "ampere" : settings_.label,
                     run.job, run.run_id, run.status == "interrupted" ? "was interrupted" : "failed",
                     format_iso8601(run.finished_at), failed, settings_.status_url);
}

std::string Notifier::webhook_body(const JobRun& run) const {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& a : run.assets) {
    if (a.status == "failed") failed.push_back({{"asset", a.asset}, {"error", a.error}, {"attempts", a.attempts}});
  }
  const nlohmann::json body{{"text", message(run)},   {"run_id", run.run_id}, {"job", run.job},
                            {"status", run.status},   {"error", run.error},   {"status_url", settings_.status_url},
                            {"failed_assets", failed}};
  return body.dump();
}

Expected<void> Notifier::notify(const JobRun& run) const {
  std::vector<std::string> problems;
  if (!settings_.webhook_url.empty()) {
    http::ClientOptions options;
    options.total_timeout = std::chrono::seconds(30);
    http::Client client(options);
    auto response = client.post(settings_.webhook_url, webhook_body(run), "application/json");
    if (!response) {
      problems.push_back(fmt::format("webhook: {}", response.error().message));
    } else if (response->status < 200 || response->status >= 300) {
      problems.push_back(fmt::format("webhook {} answered HTTP {}: {}", settings_.webhook_url, response->status,
                                     response->body.substr(0, 200)));
    }
  }
  if (!settings_.smtp.url.empty()) {
    const std::string subject =
        fmt::format("[ampere] {} run {}", run.job, run.status == "interrupted" ? "interrupted" : "failed");
    if (auto sent = http::send_mail(settings_.smtp, subject, message(run)); !sent) {
      problems.push_back(fmt::format("e-mail: {}", sent.error().message));
    }
  }
  if (problems.empty()) return {};
  std::string text;
  for (const auto& p : problems) text += (text.empty() ? "" : "; ") + p;
  return fail(ErrorKind::network, "could not send the failure notification: " + text);
}

}  // namespace ampere::pipeline
