#include "github/graphql_client.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/log.hpp"

namespace ampere::github {

namespace {

constexpr std::string_view family = "/graphql";
constexpr long minimum_cost = 1;

std::vector<GraphqlError> read_errors(const nlohmann::json& json) {
  std::vector<GraphqlError> out;
  const auto it = json.find("errors");
  if (it == json.end() || !it->is_array()) return out;
  for (const auto& e : *it) {
    GraphqlError error;
    if (!e.is_object()) continue;
    if (const auto type = e.find("type"); type != e.end() && type->is_string()) error.type = type->get<std::string>();
    if (const auto m = e.find("message"); m != e.end() && m->is_string()) error.message = m->get<std::string>();
    if (const auto path = e.find("path"); path != e.end() && path->is_array()) {
      for (const auto& part : *path) {
        if (!error.path.empty()) error.path += '.';
        error.path += part.is_string() ? part.get<std::string>() : part.dump();
      }
    }
    out.push_back(std::move(error));
  }
  return out;
}

}  // namespace

Expected<GraphqlResponse> GraphqlClient::query(std::string_view text, const nlohmann::json& variables) {
  const std::string body = nlohmann::json{{"query", text}, {"variables", variables}}.dump();
  int limit_waits = 0;
  int failed_attempts = 0;
  while (true) {
    auto response = rest_.post_graphql(body);
    if (!response) return with_context(response.error(), "GraphQL query");
    if (!response->ok()) {
      const std::string message = response->error_message();
      return fail(ErrorKind::protocol, fmt::format("GraphQL query: HTTP {} ({}){}{}", response->status,
                                                   to_string(response->outcome), message.empty() ? "" : ": ", message));
    }
    const auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (!json.is_object()) return fail(ErrorKind::protocol, "GraphQL query: the answer is not a JSON object");

    GraphqlResponse out;
    out.cost = minimum_cost;
    if (const auto data = json.find("data"); data != json.end()) out.data = *data;
    if (out.data.is_object()) {
      if (const auto rl = out.data.find("rateLimit"); rl != out.data.end() && rl->is_object()) {
        if (const auto cost = rl->find("cost"); cost != rl->end() && cost->is_number()) {
          out.cost = cost->get<long>();
        }
        if (const auto rem = rl->find("remaining"); rem != rl->end() && rem->is_number()) {
          out.remaining = rem->get<long>();
        }
        if (const auto reset = rl->find("resetAt"); reset != rl->end() && reset->is_string()) {
          if (auto t = parse_iso8601(reset->get<std::string>())) out.reset_at = *t;
        }
      }
    }
    if (out.remaining && out.reset_at) rest_.limiter().observe_graphql(*out.remaining, *out.reset_at);

    const std::vector<GraphqlError> errors = read_errors(json);
    const bool rate_limited =
        std::any_of(errors.begin(), errors.end(), [](const GraphqlError& e) { return e.type == "RATE_LIMITED"; });
    if (rate_limited) {
      if (++limit_waits > max_rate_limit_waits) {
        return fail(ErrorKind::network,
                    fmt::format("GraphQL query: still RATE_LIMITED after {} waits", limit_waits - 1));
      }
      Clock& clock = rest_.limiter().clock();
      Timestamp until = clock.now() + secondary_limit_wait;
      if (out.reset_at) {
        until = *out.reset_at + reset_margin;
      } else if (const auto reset = response->header("x-ratelimit-reset")) {
        try {
          until = Timestamp(std::chrono::seconds(std::stoll(*reset))) + reset_margin;
        } catch (const std::exception&) {
          // keep the default wait
        }
      }
      log::info("GitHub GraphQL rate limit exhausted; waiting until {}", format_iso8601(until));
      rest_.limiter().block_until(Budget::graphql, until);
      continue;
    }
    rest_.stats().record_graphql_points(family, static_cast<std::uint64_t>(std::max(out.cost, 0L)));

    std::string failures;
    for (const auto& error : errors) {
      if (error.type == "NOT_FOUND") {
        out.not_found.push_back(error);
        continue;
      }
      if (!failures.empty()) failures += "; ";
      failures += fmt::format("{}{}{}{}", error.type.empty() ? "error" : error.type, ": ", error.message,
                              error.path.empty() ? "" : " (at " + error.path + ")");
    }
    // GitHub could not execute the query ("Something went wrong while executing your query. This may be
    // the result of a timeout, or it could be a GitHub bug"; no data): asked again with the REST faults'
    // backoff. Any other error (a field that does not exist, ...) would fail again: it fails now.
    const bool not_executed =
        !errors.empty() && out.data.is_null() && std::all_of(errors.begin(), errors.end(), [](const GraphqlError& e) {
          return e.message.starts_with("Something went wrong while executing your query");
        });
    if (not_executed && rest_.retry_after_failure(family, ++failed_attempts, failures)) continue;
    if (!failures.empty()) return fail(ErrorKind::protocol, "GraphQL query failed: " + failures);
    if (!out.data.is_object()) return fail(ErrorKind::protocol, "GraphQL query: the answer has no data");
    return out;
  }
}

}  // namespace ampere::github
