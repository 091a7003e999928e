#include "github/github_client.hpp"

#include <algorithm>
#include <charconv>
#include <random>

#include <fmt/format.h>
#include <simdjson.h>

#include "github/github_url.hpp"
#include "util/log.hpp"
#include "util/strings.hpp"

#ifndef AMPERE_VERSION
#define AMPERE_VERSION "dev"
#endif

namespace ampere::github {

namespace {

constexpr std::string_view json_content_type = "application/json";

std::optional<long> number_header(const http::Response& response, std::string_view name) {
  const auto text = response.header(name);
  if (!text) return std::nullopt;
  long value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

bool is_json(const http::Response& response) {
  return to_lower(response.content_type).find("json") != std::string::npos;
}

/// A whole, well-formed JSON document (a truncated body is not). simdjson validates at several GB/s;
/// one parser per thread keeps its buffers.
bool well_formed_json(const std::string& body) {
  thread_local simdjson::dom::parser parser;
  return parser.parse(body).error() == simdjson::SUCCESS;
}

/// A 403/429 that is a rate limit rather than a refusal.
enum class Limit { none, primary, secondary };

Limit classify_limit(const http::Response& response) {
  if (response.status != 403 && response.status != 429) return Limit::none;
  if (number_header(response, "x-ratelimit-remaining") == 0) return Limit::primary;
  if (to_lower(response.body).find("secondary rate limit") != std::string::npos) return Limit::secondary;
  if (response.header("retry-after")) return Limit::secondary;
  return response.status == 429 ? Limit::secondary : Limit::none;
}

std::string seconds_text(std::chrono::duration<double> d) {
  return fmt::format("{:.1f} s", d.count());
}

}  // namespace

std::string default_user_agent() {
  return std::string("ampere/") + AMPERE_VERSION;
}

GithubClient::GithubClient(GithubClientOptions options, std::shared_ptr<RateLimiter> limiter,
                           std::shared_ptr<RequestStats> stats, std::shared_ptr<EtagStore> etags)
    : options_(std::move(options)),
      limiter_(limiter != nullptr ? std::move(limiter) : std::make_shared<RateLimiter>()),
      stats_(stats != nullptr ? std::move(stats) : std::make_shared<RequestStats>()),
      etags_(std::move(etags)) {
  while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
  options_.http.user_agent = options_.user_agent;
  http_ = std::make_unique<http::Client>(options_.http);
  jitter_ = options_.retry.jitter;
  if (!jitter_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    jitter_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

GithubClient::~GithubClient() = default;

std::string GithubClient::url(std::string_view path_or_url) const {
  if (path_or_url.starts_with("http://") || path_or_url.starts_with("https://")) return std::string(path_or_url);
  std::string out = options_.base_url;
  if (!path_or_url.starts_with('/')) out += '/';
  out += path_or_url;
  return out;
}

std::string GithubClient::graphql_url() const {
  return options_.base_url + "/graphql";
}

Expected<GithubResponse> GithubClient::get(const std::string& path_or_url, const RequestOptions& options) {
  return execute("GET", url(path_or_url), nullptr, Budget::rest, options);
}

Expected<GithubResponse> GithubClient::post_graphql(const std::string& body) {
  RequestOptions options;
  options.conditional = false;
  return execute("POST", graphql_url(), &body, Budget::graphql, options);
}

Expected<PaginationResult> GithubClient::paginate(const std::string& path_or_url, const PageCallback& on_page,
                                                  const RequestOptions& options) {
  PaginationResult result;
  std::string next = url(path_or_url);
  RequestOptions page_options = options;
  while (true) {
    result.last_url = next;
    auto page = execute("GET", next, nullptr, Budget::rest, page_options);
    if (!page)
      return with_context(page.error(), fmt::format("listing {} (page {})", display_path(next), result.pages + 1));
    if (result.pages == 0) result.final_url = page->final_url;
    if (page->not_modified) {
      result.not_modified = result.pages == 0;
      result.outcome = Outcome::not_modified;
      result.status = page->status;
      return result;
    }
    if (!page->ok()) {
      result.outcome = page->outcome;
      result.status = page->status;
      return result;
    }
    const std::optional<std::string> following = page->next_page_url();
    ++result.pages;
    auto action = on_page(*page, result.pages);
    if (!action) return tl::unexpected(action.error());
    if (*action == PageAction::stop) {
      result.stopped_early = true;
      return result;
    }
    if (!following) {
      result.complete = true;
      return result;
    }
    next = *following;
    page_options.conditional = false;  // a 304 on a later page would leave us without its Link header
  }
}

std::chrono::milliseconds GithubClient::backoff(int attempt) {
  // Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))).
  const auto exponent = std::min(attempt - 1, 30);
  const double ceiling =
      std::min(static_cast<double>(options_.retry.cap.count()),
               static_cast<double>(options_.retry.base.count()) * static_cast<double>(1LL << exponent));
  return std::chrono::milliseconds(static_cast<long long>(ceiling * std::clamp(jitter_(), 0.0, 1.0)));
}

bool GithubClient::retry_after_failure(std::string_view family, int attempt, std::string_view failure) {
  if (attempt >= options_.retry.attempts) return false;
  const auto delay = backoff(attempt);
  stats_->record_retry(family);
  log::warn("GitHub {}: {}; retrying in {} (attempt {} of {})", family, failure, seconds_text(delay), attempt + 1,
            options_.retry.attempts);
  Clock& clock = limiter_->clock();
  const Timestamp before = clock.now();
  clock.sleep_until(before + delay);
  stats_->record_wait(family, clock.now() - before, false);
  return true;
}

Expected<GithubResponse> GithubClient::execute(const std::string& method, const std::string& url,
                                               const std::string* body, Budget budget, const RequestOptions& options) {
  const std::string family = endpoint_family(url);
  const std::string path = display_path(url);
  const bool conditional = method == "GET" && options.conditional && etags_ != nullptr;
  const std::string etag_key = conditional ? EtagStore::key(options.accept, url) : std::string();

  http::Headers headers;
  headers.emplace("Accept", options.accept);
  headers.emplace("X-GitHub-Api-Version", std::string(api_version));
  if (!options_.token.empty()) headers.emplace("Authorization", "Bearer " + options_.token.reveal());
  if (body != nullptr) headers.emplace("Content-Type", std::string(json_content_type));
  if (conditional) {
    if (const auto validators = etags_->lookup(etag_key)) {
      if (!validators->etag.empty()) headers.emplace("If-None-Match", validators->etag);
      if (!validators->last_modified.empty()) headers.emplace("If-Modified-Since", validators->last_modified);
    }
  }

  int attempt = 0;
  int limit_waits = 0;
  int secondary_hits = 0;
  std::string last_failure;
  Clock& clock = limiter_->clock();
  while (true) {
    tl::expected<http::Response, http::TransportError> sent;
    {
      const RateLimiter::Permit permit = limiter_->acquire(budget, family);
      if (permit.waited().count() > 0) stats_->record_wait(family, permit.waited(), permit.rate_limited());
      sent = http_->send(method, url, body, headers);
    }
    bool retry = false;
    if (!sent) {
      last_failure = sent.error().detail;
      if (!sent.error().retryable()) {
        return fail(ErrorKind::network, fmt::format("GitHub {} {}: {}", method, path, last_failure));
      }
      retry = true;
    } else {
      http::Response& response = *sent;
      limiter_->observe(budget, response.headers);
      if (response.status == 304) {
        stats_->record_not_modified(family);
        GithubResponse out;
        out.status = 304;
        out.outcome = Outcome::not_modified;
        out.not_modified = true;
        out.headers = std::move(response.headers);
        out.url = url;
        out.final_url = response.effective_url;
        return out;
      }
      stats_->record_request(family);
      const Limit limit = classify_limit(response);
      if (limit != Limit::none) {
        if (++limit_waits > options_.retry.rate_limit_waits) {
          return fail(ErrorKind::network, fmt::format("GitHub {} {}: still rate limited after {} waits (HTTP {})",
                                                      method, path, limit_waits - 1, response.status));
        }
        const Timestamp now = clock.now();
        Timestamp until = now + secondary_limit_wait;
        if (limit == Limit::primary) {
          if (const auto reset = number_header(response, "x-ratelimit-reset")) {
            until = Timestamp(std::chrono::seconds(*reset)) + reset_margin;
          }
          log::info("GitHub primary rate limit exhausted ({}); waiting until {}", path, format_iso8601(until));
        } else {
          std::chrono::seconds wait = secondary_limit_wait;
          if (const auto retry_after = number_header(response, "retry-after"); retry_after && *retry_after >= 0) {
            wait = std::chrono::seconds(*retry_after);
          }
          if (secondary_hits > 0) {
            const auto doubled = secondary_limit_wait * (1LL << std::min(secondary_hits, 10));
            wait = std::max(
                wait, std::min(std::chrono::duration_cast<std::chrono::seconds>(doubled), secondary_limit_wait_cap));
          }
          ++secondary_hits;
          until = now + wait;
          log::info("GitHub secondary rate limit ({}); waiting {} s", path, wait.count());
        }
        limiter_->block_until(budget, until);
        continue;
      }
      if (response.status >= 500) {
        last_failure = fmt::format("HTTP {}", response.status);
        retry = true;
      } else if (response.status >= 200 && response.status < 300 && is_json(response) &&
                 !well_formed_json(response.body)) {
        last_failure = fmt::format("malformed or truncated JSON ({} bytes)", response.body.size());
        retry = true;
      } else {
        GithubResponse out;
        out.status = response.status;
        out.outcome = outcome_for_status(response.status);
        out.body = std::move(response.body);
        out.headers = std::move(response.headers);
        out.url = url;
        out.final_url = response.effective_url.empty() ? url : response.effective_url;
        if (conditional && out.ok()) {
          Validators validators{out.header("ETag").value_or(""), out.header("Last-Modified").value_or("")};
          if (!validators.empty()) {
            etags_->stage(etag_key, std::move(validators));
            out.validator_key = etag_key;
          }
        }
        return out;
      }
    }
    if (!retry) continue;
    ++attempt;
    if (attempt >= options_.retry.attempts) {
      return fail(ErrorKind::network, fmt::format("GitHub {} {}: gave up after {} attempts; last failure: {}", method,
                                                  path, attempt, last_failure));
    }
    const auto delay = backoff(attempt);
    stats_->record_retry(family);
    log::warn("GitHub {} {}: {}; retrying in {} (attempt {} of {})", method, path, last_failure, seconds_text(delay),
              attempt + 1, options_.retry.attempts);
    const Timestamp before = clock.now();
    clock.sleep_until(before + delay);
    stats_->record_wait(family, clock.now() - before, false);
  }
}

}  // namespace ampere::github
