#pragma once
// BigQuery stand-in (not Google): a throwaway RSA key pair and the service-account key file that goes
// with it, made fresh for tests and `ampere demo`. The private key signs ampere's token requests; the
// stand-in verifies them with the public key. It opens nothing at Google.

#include <string>

#include "util/error.hpp"

namespace ampere::simulator {

/// A PEM key pair: PKCS#8 private key and SubjectPublicKeyInfo public key.
struct TestKeyPair {
  std::string private_key_pem;  ///< "-----BEGIN PRIVATE KEY-----..."
  std::string public_key_pem;   ///< "-----BEGIN PUBLIC KEY-----..."
};

/// A new RSA key pair (OpenSSL).
Expected<TestKeyPair> generate_test_key_pair(int bits = 2048);

/// A service-account key file's JSON for the pair, in Google's layout, pointing at `token_uri`.
std::string service_account_key_json(const TestKeyPair& pair, const std::string& client_email,
                                     const std::string& project_id, const std::string& token_uri);

}  // namespace ampere::simulator
