#pragma once
// Access tokens for BigQuery from a service-account key: a signed JWT exchanged at the key's token_uri
// (grant_type urn:ietf:params:oauth:grant-type:jwt-bearer), cached until shortly before it expires so
// that many queries share one exchange.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "http/client.hpp"
#include "pypi/bigquery_credentials.hpp"
#include "util/error.hpp"
#include "util/secret.hpp"
#include "util/time.hpp"

namespace ampere::pypi {

/// A cached token is replaced this long before it expires, so a query never starts with a dying token.
inline constexpr std::chrono::seconds token_refresh_margin{300};

/// How tokens are fetched.
struct TokenSourceOptions {
  std::chrono::seconds refresh_margin = token_refresh_margin;
  std::function<Timestamp()> clock;  ///< empty: the real time (tests inject their own)
  http::ClientOptions http;
};

/// Hands out a valid access token, exchanging a new assertion only when the cached one is near expiry
/// or was rejected. Thread-safe.
class BigQueryTokenSource {
 public:
  BigQueryTokenSource(ServiceAccountKey key, TokenSourceOptions options = {});
  ~BigQueryTokenSource();
  BigQueryTokenSource(const BigQueryTokenSource&) = delete;
  BigQueryTokenSource& operator=(const BigQueryTokenSource&) = delete;

  /// The cached token, or a fresh one. Errors: the key cannot sign, the endpoint is unreachable, or it
  /// refused the assertion (the message says why and what to check; it never contains the token).
  Expected<Secret> access_token();

  /// Forgets the cached token (after a 401), so the next access_token() exchanges again.
  void invalidate();

  /// Token exchanges made so far.
  [[nodiscard]] int exchanges() const;

  /// The key's project, the default project to bill queries to.
  [[nodiscard]] const std::string& project_id() const { return key_.project_id; }

 private:
  struct Cached {
    Secret token;
    Timestamp expires_at;
  };
  Expected<Cached> exchange(Timestamp now);
  [[nodiscard]] Timestamp now() const;

  ServiceAccountKey key_;
  TokenSourceOptions options_;
  std::unique_ptr<http::Client> http_;
  mutable std::mutex mutex_;
  std::optional<Cached> cached_;
  int exchanges_ = 0;
};

}  // namespace ampere::pypi
