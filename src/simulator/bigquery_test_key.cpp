#include "simulator/bigquery_test_key.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include <nlohmann/json.hpp>

namespace ampere::simulator {

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

}  // namespace

Expected<TestKeyPair> generate_test_key_pair(int bits) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) return fail(ErrorKind::internal, "OpenSSL could not generate an RSA key");
  std::unique_ptr<BIO, BioFree> private_bio(BIO_new(BIO_s_mem()));
  std::unique_ptr<BIO, BioFree> public_bio(BIO_new(BIO_s_mem()));
  if (!private_bio || !public_bio ||
      PEM_write_bio_PrivateKey(private_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(public_bio.get(), key.get()) != 1) {
    return fail(ErrorKind::internal, "OpenSSL could not write the RSA key as PEM");
  }
  return TestKeyPair{bio_text(private_bio.get()), bio_text(public_bio.get())};
}

std::string service_account_key_json(const TestKeyPair& pair, const std::string& client_email,
                                     const std::string& project_id, const std::string& token_uri) {
  const nlohmann::json key = {{"type", "service_account"},
                              {"project_id", project_id},
                              {"private_key_id", "standin-test-key"},
                              {"private_key", pair.private_key_pem},
                              {"client_email", client_email},
                              {"client_id", "100000000000000000000"},
                              {"auth_uri", "https://accounts.google.com/o/oauth2/auth"},
                              {"token_uri", token_uri}};
  return key.dump(2);
}

}  // namespace ampere::simulator
