#pragma once
// BigQuery stand-in (not Google): checks a JWT bearer assertion the way Google's token endpoint does,
// independently of ampere's signing code: RS256 signature against the service account's public key,
// issuer, audience, scope, and a lifetime of at most an hour around the current time.

#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// What the token endpoint expects of an assertion.
struct JwtExpectations {
  std::string public_key_pem;  ///< "-----BEGIN PUBLIC KEY-----..." of the service account
  std::string issuer;          ///< the service account's client_email
  std::string audience;        ///< the token endpoint's URL
  std::string scope;           ///< a scope the assertion must include
};

/// Why an assertion was refused; `description` is what Google's endpoint would say.
struct JwtRejection {
  std::string error;        ///< OAuth error code: "invalid_grant", "invalid_client", "invalid_request"
  std::string description;  ///< "Invalid JWT Signature.", ...
};

/// Verifies `assertion` at time `now`. Returns nothing on success, else the rejection.
tl::expected<void, JwtRejection> verify_assertion(std::string_view assertion, const JwtExpectations& expected,
                                                  Timestamp now);

/// RFC 4648 base64url (padding optional); nullopt-like failure as an empty optional.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace ampere::simulator
