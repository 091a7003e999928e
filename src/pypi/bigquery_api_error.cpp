#include "pypi/bigquery_api_error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ampere::pypi {

namespace {

// Server text goes into our messages; keep it to a readable size.
constexpr size_t kMaxMessage = 400;

std::string shorten(std::string text) {
  if (text.size() > kMaxMessage) {
    text.resize(kMaxMessage);
    text += "...";
  }
  return text;
}

std::string string_at(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return {};
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

BigQueryApiError BigQueryApiError::from_response(const http::Response& response) {
  BigQueryApiError out;
  out.status = response.status;
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    const auto error = body.find("error");
    if (error != body.end() && error->is_object()) {
      out.message = string_at(*error, "message");
      const auto errors = error->find("errors");
      if (errors != error->end() && errors->is_array() && !errors->empty()) {
        out.reason = string_at(errors->front(), "reason");
        if (out.message.empty()) out.message = string_at(errors->front(), "message");
      }
      if (out.reason.empty()) out.reason = string_at(*error, "status");
    } else if (error != body.end() && error->is_string()) {
      out.reason = error->get<std::string>();
      out.message = string_at(body, "error_description");
    }
  }
  if (out.message.empty()) out.message = body.is_discarded() ? response.body.substr(0, 200) : std::string();
  out.message = shorten(std::move(out.message));
  return out;
}

bool BigQueryApiError::retryable() const {
  return status >= 500 || status == 429 || reason == "rateLimitExceeded" || reason == "backendError";
}

Error BigQueryApiError::to_error(std::string_view what) const {
  const std::string said = message.empty() ? std::string() : ": " + message;
  const std::string code = reason.empty() ? std::to_string(status) : fmt::format("{} {}", status, reason);
  if (status == 401) {
    return Error{ErrorKind::invalid_input,
                 fmt::format("{}: BigQuery rejected the access token ({}){}; check that the service account in "
                             "GOOGLE_APPLICATION_CREDENTIALS still exists and its key is not revoked",
                             what, code, said)};
  }
  if (status == 403 && (reason == "quotaExceeded" || reason == "rateLimitExceeded")) {
    return Error{ErrorKind::protocol,
                 fmt::format("{}: BigQuery quota exceeded ({}){}; the window is left for the next run (daily "
                             "quotas reset at midnight Pacific time; limits are in the Google Cloud console under "
                             "IAM & Admin > Quotas)",
                             what, code, said)};
  }
  if (status == 403) {
    return Error{ErrorKind::invalid_input,
                 fmt::format("{}: BigQuery denied permission ({}){}; give the service account the BigQuery Job "
                             "User role in the billing project, and make sure billing or the sandbox is enabled",
                             what, code, said)};
  }
  if (status == 400 && reason == "bytesBilledLimitExceeded") {
    return Error{ErrorKind::invalid_input,
                 fmt::format("{}: the query would scan more than the maximum bytes billed ({}){}; raise "
                             "pypi.bigquery_max_bytes_billed or query a shorter window",
                             what, code, said)};
  }
  if (status == 400) {
    return Error{ErrorKind::protocol, fmt::format("{}: BigQuery rejected the query ({}){}", what, code, said)};
  }
  if (status == 404) {
    return Error{ErrorKind::not_found,
                 fmt::format("{}: not found ({}){}; check the billing project's id", what, code, said)};
  }
  return Error{ErrorKind::network, fmt::format("{}: BigQuery answered {}{}", what, code, said)};
}

Error BigQueryApiError::to_token_error(std::string_view token_uri) const {
  const std::string said = message.empty() ? std::string() : ": " + message;
  const std::string code = reason.empty() ? std::to_string(status) : fmt::format("{} {}", status, reason);
  if (status >= 400 && status < 500) {
    return Error{ErrorKind::invalid_input,
                 fmt::format("exchanging the service-account assertion for an access token at {} failed ({}){}; "
                             "check that the key in GOOGLE_APPLICATION_CREDENTIALS is current (not deleted or "
                             "revoked) and that this machine's clock is right",
                             token_uri, code, said)};
  }
  return Error{ErrorKind::network,
               fmt::format("exchanging the service-account assertion for an access token at {} failed ({}){}",
                           token_uri, code, said)};
}

}  // namespace ampere::pypi
