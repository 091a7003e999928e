#pragma once
// Sends one plain-text e-mail over SMTP (smtp:// with STARTTLS when the server offers it, or smtps://)
// through libcurl.

#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/secret.hpp"

namespace ampere::http {

/// Where and as whom to send.
struct SmtpSettings {
  std::string url;   ///< smtp://host:587 or smtps://host:465
  std::string user;  ///< empty: no login
  Secret password;
  std::string from;
  std::vector<std::string> to;
};

/// Sends `subject` and `body` (plain text, UTF-8) to settings.to. A network error names the server's
/// answer; the password never appears in it.
Expected<void> send_mail(const SmtpSettings& settings, const std::string& subject, const std::string& body);

}  // namespace ampere::http
