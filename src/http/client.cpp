#include "http/client.hpp"

#include <curl/curl.h>

#include <mutex>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace ampere::http {

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Where a response body goes: a 2xx body to the stream when there is one, anything else to the buffer.
struct BodyTarget {
  CURL* curl = nullptr;
  std::string* buffer = nullptr;
  const BodyStream* stream = nullptr;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* target = static_cast<BodyTarget*>(user);
  if (target->stream != nullptr) {
    long status = 0;
    curl_easy_getinfo(target->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300)
      return (*target->stream)(std::string_view(data, size * count)) ? size * count : 0;
  }
  target->buffer->append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after a redirect or 100-continue) starts over
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

TransportFailure classify(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return TransportFailure::timeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return TransportFailure::dns;
    case CURLE_COULDNT_CONNECT:
      return TransportFailure::connect_failed;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportFailure::connection_reset;
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
      return TransportFailure::truncated;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return TransportFailure::tls;
    case CURLE_TOO_MANY_REDIRECTS:
      return TransportFailure::too_many_redirects;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return TransportFailure::bad_url;
    default:
      return TransportFailure::other;
  }
}

}  // namespace

struct Client::Impl {
  CURL* curl = nullptr;
  ClientOptions options;
  ~Impl() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  global_init_once();
  impl_->curl = curl_easy_init();
  impl_->options = std::move(options);
}

Client::~Client() = default;

Expected<Response> Client::get(const std::string& url, const Headers& headers) {
  auto response = send("GET", url, nullptr, headers);
  if (!response) return tl::unexpected(response.error().to_error());
  return std::move(*response);
}

Expected<Response> Client::post(const std::string& url, const std::string& body, const std::string& content_type,
                                const Headers& headers) {
  Headers all = headers;
  all.emplace("Content-Type", content_type);
  auto response = send("POST", url, &body, all);
  if (!response) return tl::unexpected(response.error().to_error());
  return std::move(*response);
}

tl::expected<Response, TransportError> Client::send(const std::string& method, const std::string& url,
                                                    const std::string* body, const Headers& headers) {
  return perform(method, url, body, headers, nullptr);
}

tl::expected<Response, TransportError> Client::stream(const std::string& method, const std::string& url,
                                                      const std::string* body, const Headers& headers,
                                                      const BodyStream& on_piece) {
  return perform(method, url, body, headers, &on_piece);
}

tl::expected<Response, TransportError> Client::perform(const std::string& method, const std::string& url,
                                                       const std::string* body, const Headers& headers,
                                                       const BodyStream* on_piece) {
  CURL* curl = impl_->curl;
  if (curl == nullptr) {
    return tl::unexpected(TransportError{TransportFailure::other, "libcurl could not be initialised",
                                         "libcurl could not be initialised"});
  }
  curl_easy_reset(curl);  // keeps the connection cache: later requests to the same host reuse connections
  Response response;
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : headers) header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  char error_buffer[CURL_ERROR_SIZE] = {};

  const auto& o = impl_->options;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode (gzip, deflate, br)
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPIDLE, static_cast<long>(o.tcp_keepalive_idle.count()));
  // Redirects: libcurl drops a custom Authorization header when a redirect leaves the original host.
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, o.max_redirects);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, o.low_speed_bytes_per_second);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.low_speed_time.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  BodyTarget target{curl, &response.body, on_piece};
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &target);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  if (body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  if (method != "GET" && method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());

  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(header_list);
  if (code != CURLE_OK) {
    // The URL is safe to name once user info is removed (tokens travel in headers); headers are never repeated.
    const std::string detail = error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(code);
    const TransportFailure kind = classify(code);
    std::string what = fmt::format("{} ({})", to_string(kind), detail);
    return tl::unexpected(TransportError{kind, fmt::format("{} {}: {}", method, redact_url(url), what), what});
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  const char* effective = nullptr;
  curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
  response.effective_url = effective != nullptr ? effective : url;
  long redirects = 0;
  curl_easy_getinfo(curl, CURLINFO_REDIRECT_COUNT, &redirects);
  response.redirects = static_cast<int>(redirects);
  if (const auto type = response.header("Content-Type")) response.content_type = *type;
  return response;
}

}  // namespace ampere::http
