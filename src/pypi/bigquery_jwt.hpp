#pragma once
// The signed JWT a service account exchanges for an access token (Google's OAuth 2.0 JWT bearer flow):
// header {"alg":"RS256","typ":"JWT"}, claims {iss, scope, aud, iat, exp}, signed with the key's RSA key
// through OpenSSL (EVP_DigestSign, SHA-256).

#include <chrono>
#include <string>
#include <string_view>

#include "pypi/bigquery_credentials.hpp"
#include "util/error.hpp"
#include "util/secret.hpp"
#include "util/time.hpp"

namespace ampere::pypi {

/// The OAuth scope BigQuery queries need.
inline constexpr std::string_view bigquery_scope = "https://www.googleapis.com/auth/bigquery";
/// Google accepts assertions valid for at most an hour.
inline constexpr std::chrono::seconds max_assertion_lifetime{3600};

/// RFC 4648 base64url without padding, as JWTs use.
std::string base64url_encode(std::string_view bytes);

/// The RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `input` with the PEM private key.
/// Errors say the key could not be read or is not RSA; they never quote it.
Expected<std::string> sign_rs256(std::string_view input, const Secret& private_key_pem);

/// The assertion for the token request: "<header>.<claims>.<signature>", base64url each, issued at
/// `issued_at` and expiring `lifetime` later (at most an hour); its audience is the key's token_uri.
Expected<Secret> make_token_assertion(const ServiceAccountKey& key, Timestamp issued_at,
                                      std::chrono::seconds lifetime = max_assertion_lifetime,
                                      std::string_view scope = bigquery_scope);

}  // namespace ampere::pypi
