#include "pypi/bigquery_token_source.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pypi/bigquery_api_error.hpp"
#include "pypi/bigquery_jwt.hpp"

namespace ampere::pypi {

namespace {

constexpr std::string_view kGrantType = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

}  // namespace

BigQueryTokenSource::BigQueryTokenSource(ServiceAccountKey key, TokenSourceOptions options)
    : key_(std::move(key)), options_(std::move(options)), http_(std::make_unique<http::Client>(options_.http)) {}

BigQueryTokenSource::~BigQueryTokenSource() = default;

Timestamp BigQueryTokenSource::now() const {
  return options_.clock ? options_.clock() : now_utc();
}

Expected<Secret> BigQueryTokenSource::access_token() {
  std::lock_guard lock(mutex_);
  const Timestamp t = now();
  if (cached_ && t + options_.refresh_margin < cached_->expires_at) return cached_->token;
  auto fresh = exchange(t);
  if (!fresh) return tl::unexpected(fresh.error());
  cached_ = std::move(*fresh);
  return cached_->token;
}

void BigQueryTokenSource::invalidate() {
  std::lock_guard lock(mutex_);
  cached_.reset();
}

int BigQueryTokenSource::exchanges() const {
  std::lock_guard lock(mutex_);
  return exchanges_;
}

Expected<BigQueryTokenSource::Cached> BigQueryTokenSource::exchange(Timestamp now) {
  auto assertion = make_token_assertion(key_, now);
  if (!assertion) return tl::unexpected(assertion.error());
  // The assertion is base64url, which needs no form encoding.
  const std::string form = fmt::format("grant_type={}&assertion={}", kGrantType, assertion->reveal());
  ++exchanges_;
  auto response = http_->post(key_.token_uri, form, "application/x-www-form-urlencoded");
  if (!response) {
    return fail(ErrorKind::network, fmt::format("exchanging the service-account assertion for an access token: {}",
                                                response.error().message));
  }
  if (response->status != 200)
    return tl::unexpected(BigQueryApiError::from_response(*response).to_token_error(key_.token_uri));
  const nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
  const auto token = body.is_object() ? body.find("access_token") : body.end();
  const auto expires_in = body.is_object() ? body.find("expires_in") : body.end();
  if (!body.is_object() || token == body.end() || !token->is_string() || token->get_ref<const std::string&>().empty() ||
      expires_in == body.end() || !expires_in->is_number_integer()) {
    return fail(ErrorKind::protocol, fmt::format("the token endpoint {} answered 200 without an access_token and "
                                                 "expires_in; is token_uri in the key file right?",
                                                 key_.token_uri));
  }
  return Cached{Secret(token->get<std::string>()), now + std::chrono::seconds(expires_in->get<int64_t>())};
}

}  // namespace ampere::pypi
