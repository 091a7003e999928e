#include "http/http_types.hpp"

#include <algorithm>
#include <cctype>

namespace ampere::http {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<std::string> Request::param(std::string_view name) const {
  const auto it = params.find(std::string(name));
  if (it == params.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::header(std::string_view name) const {
  const auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Response::header(std::string_view name) const {
  const auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::string_view Response::payload() const {
  return shared_body ? *shared_body : std::string_view(body);
}

void Response::share_body(std::string_view bytes, std::shared_ptr<const void> owner) {
  body.clear();
  shared_body = bytes;
  body_owner = std::move(owner);
}

std::string_view to_string(TransportFailure failure) {
  switch (failure) {
    case TransportFailure::timeout:
      return "timeout";
    case TransportFailure::connection_reset:
      return "connection reset";
    case TransportFailure::truncated:
      return "truncated response";
    case TransportFailure::dns:
      return "DNS failure";
    case TransportFailure::connect_failed:
      return "connection failed";
    case TransportFailure::tls:
      return "TLS failure";
    case TransportFailure::too_many_redirects:
      return "too many redirects";
    case TransportFailure::bad_url:
      return "bad URL";
    case TransportFailure::other:
      return "transport failure";
  }
  return "transport failure";
}

bool TransportError::retryable() const {
  switch (kind) {
    case TransportFailure::timeout:
    case TransportFailure::connection_reset:
    case TransportFailure::truncated:
    case TransportFailure::dns:
    case TransportFailure::connect_failed:
      return true;
    case TransportFailure::tls:
    case TransportFailure::too_many_redirects:
    case TransportFailure::bad_url:
    case TransportFailure::other:
      return false;
  }
  return false;
}

Error TransportError::to_error() const {
  return Error{ErrorKind::network, message};
}

std::string redact_url(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t host_start = scheme + 3;
  const size_t host_end = url.find_first_of("/?#", host_start);
  const std::string_view authority =
      url.substr(host_start, host_end == std::string_view::npos ? std::string_view::npos : host_end - host_start);
  const size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, host_start));
  out += url.substr(host_start + at + 1);
  return out;
}

}  // namespace ampere::http
