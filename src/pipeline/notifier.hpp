#pragma once
// Tells people that a run failed: a JSON POST to a webhook (its `text` field is what Slack, Mattermost
// and Discord-compatible hooks show) and/or an e-mail over SMTP, each when configured. The message says
// which job failed, what failed in it and links the status page.

#include <string>
#include <vector>

#include "http/smtp_client.hpp"
#include "pipeline/job_runner.hpp"
#include "util/error.hpp"

namespace ampere::pipeline {

/// Where failure messages go; empty fields turn a channel off.
struct NotifierSettings {
  std::string webhook_url;
  http::SmtpSettings smtp;  ///< off when smtp.url is empty
  std::string status_url;   ///< linked from every message
  std::string label;        ///< who is speaking, e.g. the org names: "ampere (acme)"
};

/// Sends failure messages.
class Notifier {
 public:
  explicit Notifier(NotifierSettings settings) : settings_(std::move(settings)) {}

  /// Whether any channel is configured.
  [[nodiscard]] bool enabled() const;

  /// The one-paragraph text of the message about `run`.
  [[nodiscard]] std::string message(const JobRun& run) const;
  /// The webhook's JSON body: {"text": message, "run_id", "job", "status", "error", "status_url", "failed_assets"}.
  [[nodiscard]] std::string webhook_body(const JobRun& run) const;

  /// Sends the message through every configured channel; the error lists the channels that failed.
  Expected<void> notify(const JobRun& run) const;

 private:
  NotifierSettings settings_;
};

}  // namespace ampere::pipeline
