#include "pypi/bigquery_credentials.hpp"

#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/files.hpp"

namespace ampere::pypi {

namespace {

constexpr std::string_view kHowToGetOne =
    "create a key for a service account with the BigQuery Job User role (Google Cloud console > IAM > "
    "Service accounts > Keys > Add key > JSON) and point GOOGLE_APPLICATION_CREDENTIALS at it";

// The string field `name`, or an error naming it.
Expected<std::string> required_string(const nlohmann::json& key, std::string_view name, std::string_view origin) {
  const auto it = key.find(name);
  if (it == key.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return fail(ErrorKind::invalid_input,
                fmt::format("{}: the service-account key has no \"{}\"; {}", origin, name, kHowToGetOne));
  }
  return it->get<std::string>();
}

std::string optional_string(const nlohmann::json& key, std::string_view name) {
  const auto it = key.find(name);
  return it != key.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Expected<ServiceAccountKey> parse_service_account_key(std::string_view json, std::string_view origin) {
  // No exceptions and no message from the parser: its text could quote the key's bytes.
  const nlohmann::json key = nlohmann::json::parse(json, nullptr, false);
  if (key.is_discarded() || !key.is_object()) {
    return fail(ErrorKind::invalid_input,
                fmt::format("{}: not a JSON service-account key file; {}", origin, kHowToGetOne));
  }
  const std::string type = optional_string(key, "type");
  if (type != "service_account") {
    return fail(ErrorKind::invalid_input,
                fmt::format("{}: \"type\" is \"{}\", not \"service_account\" (user credentials from `gcloud auth "
                            "application-default login` are not supported); {}",
                            origin, type, kHowToGetOne));
  }
  ServiceAccountKey out;
  auto email = required_string(key, "client_email", origin);
  if (!email) return tl::unexpected(email.error());
  out.client_email = std::move(*email);
  auto pem = required_string(key, "private_key", origin);
  if (!pem) return tl::unexpected(pem.error());
  if (pem->find("-----BEGIN PRIVATE KEY-----") == std::string::npos &&
      pem->find("-----BEGIN RSA PRIVATE KEY-----") == std::string::npos) {
    return fail(ErrorKind::invalid_input,
                fmt::format("{}: \"private_key\" is not a PEM private key; {}", origin, kHowToGetOne));
  }
  out.private_key = Secret(std::move(*pem));
  out.private_key_id = optional_string(key, "private_key_id");
  out.token_uri = optional_string(key, "token_uri");
  if (out.token_uri.empty()) out.token_uri = std::string(google_token_uri);
  out.project_id = optional_string(key, "project_id");
  return out;
}

Expected<ServiceAccountKey> load_service_account_key(const std::filesystem::path& path) {
  const std::string origin = "GOOGLE_APPLICATION_CREDENTIALS (" + path.string() + ")";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorKind::not_found, fmt::format("{}: no such file; {}", origin, kHowToGetOne));
  }
  auto text = read_file(path);
  if (!text) return with_context(text.error(), origin);
  return parse_service_account_key(*text, origin);
}

}  // namespace ampere::pypi
