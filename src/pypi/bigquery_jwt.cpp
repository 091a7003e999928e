#include "pypi/bigquery_jwt.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

namespace ampere::pypi {

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

constexpr std::string_view kKeyProblem =
    "the service-account key's \"private_key\" could not be used to sign the token request (not an RSA "
    "private key in PEM form); download a new JSON key for the service account";

int64_t unix_seconds(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

Expected<std::string> sign_rs256(std::string_view input, const Secret& private_key_pem) {
  const std::string& pem = private_key_pem.reveal();
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return fail(ErrorKind::internal, "out of memory reading the service-account key");
  std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    return fail(ErrorKind::invalid_input, std::string(kKeyProblem));
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
    return fail(ErrorKind::invalid_input, std::string(kKeyProblem));
  }
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) != 1) {
    return fail(ErrorKind::invalid_input, std::string(kKeyProblem));
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data, input.size()) != 1) {
    return fail(ErrorKind::invalid_input, std::string(kKeyProblem));
  }
  signature.resize(length);
  return signature;
}

Expected<Secret> make_token_assertion(const ServiceAccountKey& key, Timestamp issued_at, std::chrono::seconds lifetime,
                                      std::string_view scope) {
  lifetime = std::clamp(lifetime, std::chrono::seconds(1), max_assertion_lifetime);
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!key.private_key_id.empty()) header["kid"] = key.private_key_id;
  const int64_t iat = unix_seconds(issued_at);
  const nlohmann::json claims = {{"iss", key.client_email},
                                 {"scope", std::string(scope)},
                                 {"aud", key.token_uri},
                                 {"iat", iat},
                                 {"exp", iat + lifetime.count()}};
  const std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  auto signature = sign_rs256(input, key.private_key);
  if (!signature) return tl::unexpected(signature.error());
  return Secret(input + "." + base64url_encode(*signature));
}

}  // namespace ampere::pypi
