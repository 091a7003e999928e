#include "server/api_problem.hpp"

#include <nlohmann/json.hpp>

namespace ampere::server {

Problem Problem::bad_parameter(std::string parameter, std::string detail, std::vector<std::string> allowed) {
  Problem p;
  p.parameter = std::move(parameter);
  p.detail = std::move(detail);
  p.allowed = std::move(allowed);
  return p;
}

Problem Problem::with_status(int status, std::string title, std::string detail) {
  Problem p;
  p.status = status;
  p.title = std::move(title);
  p.detail = std::move(detail);
  return p;
}

http::Response Problem::to_response() const {
  nlohmann::json body{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  body["parameter"] = parameter.empty() ? nlohmann::json(nullptr) : nlohmann::json(parameter);
  body["allowed"] = allowed;
  http::Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.headers.emplace("Cache-Control", "no-store");
  return r;
}

}  // namespace ampere::server
