#include "github/github_response.hpp"

#include <nlohmann/json.hpp>

#include "github/github_url.hpp"

namespace ampere::github {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok:
      return "ok";
    case Outcome::not_modified:
      return "not modified";
    case Outcome::not_found:
      return "not found";
    case Outcome::conflict:
      return "conflict";
    case Outcome::gone:
      return "gone";
    case Outcome::unavailable_for_legal_reasons:
      return "unavailable for legal reasons";
    case Outcome::unprocessable:
      return "unprocessable";
    case Outcome::forbidden:
      return "forbidden";
    case Outcome::unauthorized:
      return "unauthorized";
    case Outcome::client_error:
      return "client error";
  }
  return "client error";
}

Outcome outcome_for_status(int status) {
  if (status >= 200 && status < 300) return Outcome::ok;
  switch (status) {
    case 304:
      return Outcome::not_modified;
    case 401:
      return Outcome::unauthorized;
    case 403:
      return Outcome::forbidden;
    case 404:
      return Outcome::not_found;
    case 409:
      return Outcome::conflict;
    case 410:
      return Outcome::gone;
    case 422:
      return Outcome::unprocessable;
    case 451:
      return Outcome::unavailable_for_legal_reasons;
    default:
      return Outcome::client_error;
  }
}

std::optional<std::string> GithubResponse::header(std::string_view name) const {
  const auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> GithubResponse::next_page_url() const {
  const auto link = header("Link");
  if (!link) return std::nullopt;
  return next_link(*link);
}

std::string GithubResponse::error_message() const {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.contains("message") && json["message"].is_string()) {
    return json["message"].get<std::string>();
  }
  return "";
}

}  // namespace ampere::github
