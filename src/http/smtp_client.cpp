#include "http/smtp_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>

#include <fmt/format.h>

namespace ampere::http {

namespace {

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t read_payload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// RFC 5322 date, UTC.
std::string mail_date() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return text;
}

// The body with bare LF turned into CRLF (SMTP's line ending).
std::string crlf(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

}  // namespace

Expected<void> send_mail(const SmtpSettings& settings, const std::string& subject, const std::string& body) {
  if (settings.url.empty() || settings.from.empty() || settings.to.empty()) {
    return fail(ErrorKind::invalid_input,
                "e-mail needs notify.smtp_url, notify.smtp_from and at least one address in notify.smtp_to");
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return fail(ErrorKind::internal, "libcurl could not start a transfer");
  curl_slist* recipients = nullptr;
  std::string to_header;
  for (const auto& to : settings.to) {
    recipients = curl_slist_append(recipients, fmt::format("<{}>", to).c_str());
    to_header += (to_header.empty() ? "" : ", ") + to;
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients_guard(recipients, curl_slist_free_all);
  Upload upload;
  upload.data = crlf(fmt::format(
      "Date: {}\nTo: {}\nFrom: {}\nSubject: {}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{}\n",
      mail_date(), to_header, settings.from, subject, body));
  const std::string from = fmt::format("<{}>", settings.from);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 60'000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (!settings.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.reveal().c_str());
  }
  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    long response = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response);
    return fail(ErrorKind::network,
                fmt::format("sending e-mail through {} failed: {}{}; check notify.smtp_url, notify.smtp_user and "
                            "AMPERE_SMTP_PASSWORD",
                            settings.url, *error_text != '\0' ? error_text : curl_easy_strerror(code),
                            response > 0 ? fmt::format(" (server answered {})", response) : ""));
  }
  return {};
}

}  // namespace ampere::http
