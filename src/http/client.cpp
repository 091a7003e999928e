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

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
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
  return perform("GET", url, nullptr, headers);
}

Expected<Response> Client::post(const std::string& url, const std::string& body, const std::string& content_type,
                                const Headers& headers) {
  Headers all = headers;
  all.emplace("Content-Type", content_type);
  return perform("POST", url, &body, all);
}

Expected<Response> Client::perform(const std::string& method, const std::string& url, const std::string* body,
                                   const Headers& headers) {
  CURL* curl = impl_->curl;
  if (curl == nullptr) return fail(ErrorKind::internal, "libcurl could not be initialised");
  curl_easy_reset(curl);
  Response response;
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : headers) header_list = curl_slist_append(header_list, (name + ": " + value).c_str());

  const auto& o = impl_->options;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode (gzip, deflate, br)
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, o.max_redirects);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(o.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
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
    // The URL is safe to name (tokens travel in headers, never in URLs); headers are not repeated.
    return fail(ErrorKind::network, fmt::format("{} {}: {}", method, url, curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  if (const auto type = response.header("Content-Type")) response.content_type = *type;
  return response;
}

}  // namespace ampere::http
