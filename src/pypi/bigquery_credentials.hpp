#pragma once
// A Google service-account key (the JSON file GOOGLE_APPLICATION_CREDENTIALS names): who signs the
// BigQuery token request and where to send it. The private key is a Secret: it never reaches a message.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.hpp"
#include "util/secret.hpp"

namespace ampere::pypi {

/// Google's OAuth token endpoint, used when a key file names none.
inline constexpr std::string_view google_token_uri = "https://oauth2.googleapis.com/token";

/// The parts of a service-account key file that the JWT bearer flow needs.
struct ServiceAccountKey {
  std::string client_email;    ///< the JWT's issuer
  std::string private_key_id;  ///< the JWT header's "kid" (may be empty)
  Secret private_key;          ///< PEM "-----BEGIN PRIVATE KEY-----..."
  std::string token_uri;       ///< where the signed assertion is exchanged for an access token
  std::string project_id;      ///< the key's project: the default project queries are billed to
};

/// Reads and checks a key file. Errors name the file and what is wrong with it (missing, not JSON,
/// not a service-account key, a field missing) and say what to do; they never quote the key.
Expected<ServiceAccountKey> load_service_account_key(const std::filesystem::path& path);

/// Parses a key file's text; `origin` names it in errors.
Expected<ServiceAccountKey> parse_service_account_key(std::string_view json, std::string_view origin);

}  // namespace ampere::pypi
