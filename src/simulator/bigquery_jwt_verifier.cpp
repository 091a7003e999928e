#include "simulator/bigquery_jwt_verifier.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

namespace ampere::simulator {

namespace {

using Json = nlohmann::json;

// Google's clock-skew allowance for iat in the future.
constexpr int64_t kSkewSeconds = 60;
constexpr int64_t kMaxLifetimeSeconds = 3600;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

tl::unexpected<JwtRejection> reject(std::string error, std::string description) {
  return tl::unexpected(JwtRejection{std::move(error), std::move(description)});
}

bool signature_valid(std::string_view input, std::string_view signature, const std::string& public_key_pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())));
  if (!bio) return false;
  std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '-') value = 62;
    if (c == '_') value = 63;
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

tl::expected<void, JwtRejection> verify_assertion(std::string_view assertion, const JwtExpectations& expected,
                                                  Timestamp now) {
  const size_t first = assertion.find('.');
  const size_t second = first == std::string_view::npos ? first : assertion.find('.', first + 1);
  if (second == std::string_view::npos || assertion.find('.', second + 1) != std::string_view::npos) {
    return reject("invalid_grant", "Invalid JWT: not three dot-separated parts.");
  }
  const auto header_text = base64url_decode(assertion.substr(0, first));
  const auto claims_text = base64url_decode(assertion.substr(first + 1, second - first - 1));
  const auto signature = base64url_decode(assertion.substr(second + 1));
  if (!header_text || !claims_text || !signature) return reject("invalid_grant", "Invalid JWT: bad base64url.");
  const Json header = Json::parse(*header_text, nullptr, false);
  if (!header.is_object() || header.value("alg", "") != "RS256") {
    return reject("invalid_grant", "Invalid JWT: the algorithm must be RS256.");
  }
  if (!signature_valid(assertion.substr(0, second), *signature, expected.public_key_pem)) {
    return reject("invalid_grant", "Invalid JWT Signature.");
  }
  const Json claims = Json::parse(*claims_text, nullptr, false);
  if (!claims.is_object()) return reject("invalid_grant", "Invalid JWT: the claims are not JSON.");
  if (!expected.issuer.empty() && claims.value("iss", "") != expected.issuer) {
    return reject("invalid_client", "The OAuth client was not found.");
  }
  if (claims.value("aud", "") != expected.audience) {
    return reject("invalid_grant", "Invalid JWT: Failed audience check. The expected value was " + expected.audience);
  }
  const std::string scope = " " + claims.value("scope", "") + " ";
  if (!expected.scope.empty() && scope.find(" " + expected.scope + " ") == std::string::npos) {
    return reject("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
  }
  const auto iat = claims.find("iat");
  const auto exp = claims.find("exp");
  const int64_t t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (iat == claims.end() || exp == claims.end() || !iat->is_number_integer() || !exp->is_number_integer() ||
      exp->get<int64_t>() <= t || iat->get<int64_t>() > t + kSkewSeconds ||
      exp->get<int64_t>() - iat->get<int64_t>() > kMaxLifetimeSeconds) {
    return reject("invalid_grant",
                  "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check "
                  "your iat and exp values in the JWT claim.");
  }
  return {};
}

}  // namespace ampere::simulator
