#include "github/http_github_api.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace ampere::github {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kValidatorsHeader = "ampere-etags 1";

int64_t header_int(const http::Response& r, std::string_view name, int64_t fallback) {
  const auto value = r.header(name);
  if (!value) return fallback;
  try {
    return std::stoll(*value);
  } catch (...) {
    return fallback;
  }
}

bool is_json(const http::Response& r) {
  return r.content_type.find("json") != std::string::npos;
}

// The path of a URL, for messages: never the host's credentials, never a query's secrets (ampere puts
// none there, but the habit costs nothing).
std::string describe_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? url : url.substr(path);
}

}  // namespace

std::optional<std::string> next_link(std::string_view link_header) {
  for (const auto& part : split(link_header, ',')) {
    const auto open = part.find('<');
    const auto close = part.find('>');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    if (part.find("rel=\"next\"", close) == std::string::npos) continue;
    return part.substr(open + 1, close - open - 1);
  }
  return std::nullopt;
}

HttpGithubApi::HttpGithubApi(HttpGithubOptions options) : options_(std::move(options)), client_(http::ClientOptions{}) {
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

Expected<std::unique_ptr<HttpGithubApi>> HttpGithubApi::open(HttpGithubOptions options) {
  std::unique_ptr<HttpGithubApi> api(new HttpGithubApi(std::move(options)));
  const auto& file = api->options_.validators_file;
  std::error_code ec;
  if (!file.empty() && std::filesystem::exists(file, ec)) {
    auto text = read_file(file);
    if (!text) return tl::unexpected(text.error());
    const auto lines = split(*text, '\n');
    if (lines.empty() || lines[0] != kValidatorsHeader) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("{} is not an ampere ETag store; delete it (the next sync re-fetches, at full cost)",
                              file.string()));
    }
    for (size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      const auto tab = lines[i].find('\t');
      if (tab == std::string::npos) {
        return fail(ErrorKind::invalid_input, fmt::format("{}:{}: malformed line; delete the file (the next sync "
                                                          "re-fetches, at full cost)",
                                                          file.string(), i + 1));
      }
      api->validators_[lines[i].substr(0, tab)] = lines[i].substr(tab + 1);
    }
  }
  return api;
}

std::string HttpGithubApi::absolute(const std::string& path) const {
  if (path.starts_with("http://") || path.starts_with("https://")) return path;
  return options_.api_url + path;
}

http::Headers HttpGithubApi::headers(std::string_view accept) const {
  http::Headers h;
  h.emplace("Accept", std::string(accept));
  h.emplace("X-GitHub-Api-Version", "2022-11-28");
  h.emplace("User-Agent", "ampere/" AMPERE_VERSION);
  if (!options_.token.empty()) h.emplace("Authorization", "Bearer " + options_.token.reveal());
  return h;
}

void HttpGithubApi::wait(std::chrono::milliseconds duration) {
  if (duration.count() <= 0) return;
  stats_.waited_seconds += static_cast<double>(duration.count()) / 1000.0;
  options_.sleep(duration);
}

std::chrono::milliseconds HttpGithubApi::backoff(int attempt) {
  // Full jitter: uniform in [0, min(cap, base * 2^attempt)].
  const auto ceiling = std::min<int64_t>(kMaxBackoff.count(), options_.base_backoff.count() << std::min(attempt, 16));
  jitter_state_ ^= jitter_state_ << 13;
  jitter_state_ ^= jitter_state_ >> 7;
  jitter_state_ ^= jitter_state_ << 17;
  return std::chrono::milliseconds(
      ceiling <= 0 ? 0 : static_cast<int64_t>(jitter_state_ % static_cast<uint64_t>(ceiling + 1)));
}

Expected<http::Response> HttpGithubApi::send(const std::string& method, const std::string& url,
                                             const http::Headers& request_headers, const std::string* body) {
  std::string last_failure;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (attempt > 0) {
      ++stats_.retries;
      wait(backoff(attempt));
    }
    auto response = body != nullptr ? client_.post(url, *body, "application/json", request_headers)
                                    : client_.get(url, request_headers);
    if (!response) {
      last_failure = response.error().message;
      continue;
    }
    if (const auto remaining = header_int(*response, "x-ratelimit-remaining", -1); remaining >= 0) {
      (body != nullptr ? stats_.graphql_remaining : stats_.rest_remaining) = remaining;
    }
    const int status = response->status;
    if (status == 403 || status == 429) {
      const bool secondary = response->body.find("secondary rate limit") != std::string::npos;
      const int64_t retry_after = header_int(*response, "retry-after", -1);
      if (secondary || retry_after >= 0) {
        last_failure = "secondary rate limit";
        wait(retry_after >= 0 ? std::chrono::seconds(retry_after) : kSecondaryLimitWait);
        continue;
      }
      if (header_int(*response, "x-ratelimit-remaining", -1) == 0) {
        const int64_t reset = header_int(*response, "x-ratelimit-reset", 0);
        const int64_t now = now_utc().time_since_epoch().count() / 1'000'000;
        const int64_t seconds = std::max<int64_t>(reset - now, 0) + 1;
        log::info("GitHub rate limit exhausted; waiting {} s until it resets", seconds);
        last_failure = "rate limit exhausted";
        wait(std::chrono::seconds(seconds));
        --attempt;  // waiting out the limit is not a failed attempt
        continue;
      }
      return response;  // a plain 403 (e.g. the stargazer restriction): the caller decides
    }
    if (status >= 500) {
      last_failure = fmt::format("HTTP {}", status);
      continue;
    }
    if (status >= 200 && status < 300 && is_json(*response) && !Json::accept(response->body)) {
      last_failure = "a truncated or malformed JSON body";
      continue;
    }
    return response;
  }
  return fail(ErrorKind::network, fmt::format("GitHub: {} {} failed {} times; last: {}", method, describe_url(url),
                                              kMaxAttempts, last_failure));
}

Expected<ApiPage> HttpGithubApi::get(const std::string& path, std::string_view accept, Conditional conditional) {
  const std::string url = absolute(path);
  http::Headers h = headers(accept);
  const std::string validator_key = std::string(accept) + " " + url;
  if (conditional == Conditional::yes) {
    if (const auto staged = staged_.find(validator_key); staged != staged_.end()) {
      h.emplace("If-None-Match", staged->second);
    } else if (const auto known = validators_.find(validator_key); known != validators_.end()) {
      h.emplace("If-None-Match", known->second);
    }
  }
  auto response = send("GET", url, h, nullptr);
  if (!response) return tl::unexpected(response.error());
  ++stats_.requests;
  if (response->status == 304) ++stats_.not_modified;
  if (response->status == 200) {
    if (const auto etag = response->header("ETag")) staged_[validator_key] = *etag;
  }
  return ApiPage{url, response->status, std::move(response->body), std::move(response->headers)};
}

Expected<void> HttpGithubApi::paginate(const std::string& path, std::string_view accept, Conditional conditional,
                                       const PageVisitor& visit) {
  std::string next = path;
  while (true) {
    auto page = get(next, accept, conditional);
    if (!page) return tl::unexpected(page.error());
    auto more = visit(*page);
    if (!more) return tl::unexpected(more.error());
    if (!*more || !(page->ok() || page->not_modified())) return {};
    const auto link = http::Response{0, "", "", page->headers}.header("Link");
    const auto following = link ? next_link(*link) : std::nullopt;
    if (!following) return {};
    next = *following;
  }
}

Expected<Json> HttpGithubApi::graphql(std::string_view query, const Json& variables) {
  const std::string body = Json{{"query", query}, {"variables", variables}}.dump();
  for (int limited = 0;; ++limited) {
    auto response = send("POST", absolute("/graphql"), headers("application/json"), &body);
    if (!response) return tl::unexpected(response.error());
    ++stats_.graphql_queries;
    if (response->status != 200) {
      return fail(ErrorKind::protocol,
                  fmt::format("GitHub GraphQL answered {}: {}", response->status, response->body.substr(0, 200)));
    }
    Json parsed = Json::parse(response->body, nullptr, false);
    if (!parsed.is_object()) return fail(ErrorKind::protocol, "GitHub GraphQL answered with a body that is not JSON");
    if (parsed.contains("data") && parsed["data"].is_object() && parsed["data"].contains("rateLimit")) {
      const Json& rate = parsed["data"]["rateLimit"];
      if (rate.is_object()) {
        stats_.graphql_points += rate.value("cost", int64_t{0});
        stats_.graphql_remaining = rate.value("remaining", stats_.graphql_remaining);
      }
    }
    bool rate_limited = false;
    for (const auto& error : parsed.value("errors", Json::array())) {
      if (error.is_object() && error.value("type", "") == "RATE_LIMITED") rate_limited = true;
    }
    if (!rate_limited) return parsed;
    if (limited >= kMaxAttempts) return fail(ErrorKind::network, "GitHub GraphQL stays rate limited");
    const int64_t reset = header_int(*response, "x-ratelimit-reset", 0);
    const int64_t now = now_utc().time_since_epoch().count() / 1'000'000;
    wait(std::chrono::seconds(std::max<int64_t>(reset - now, 0) + 1));
  }
}

Expected<void> HttpGithubApi::commit_validators() {
  if (staged_.empty()) return {};
  for (auto& [url, etag] : staged_) validators_[url] = std::move(etag);
  staged_.clear();
  if (options_.validators_file.empty()) return {};
  std::string text(kValidatorsHeader);
  text += '\n';
  for (const auto& [url, etag] : validators_) text += url + '\t' + etag + '\n';
  return write_file_atomic(options_.validators_file, text);
}

}  // namespace ampere::github
