#include "http/server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>

#include "http/gzip.hpp"

#include <fmt/format.h>

namespace ampere::http {

namespace {
constexpr time_t read_timeout_seconds = 10;
constexpr time_t write_timeout_seconds = 30;
constexpr time_t keep_alive_seconds = 5;
constexpr size_t max_request_body_bytes = 1 << 20;
constexpr size_t min_gzip_bytes = 512;
// Enough workers that every keep-alive connection of a busy client (a dashboard, a load test) has one.
constexpr size_t worker_threads = 96;
constexpr size_t keep_alive_max_requests = 10000;
// Debian's compiled httplib listens with a backlog of 5: when more clients connect at once (a load
// test's 64, a proxy's pool) the accept queue overflows, the handshake's last ACK is dropped and the
// client's first request waits for TCP retransmissions (1 s and more). Server::bind listens again
// with this backlog (Linux updates the backlog of a listening socket).
constexpr int listen_backlog = 1024;

bool compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/problem+json") || content_type.starts_with("application/javascript") ||
         content_type.starts_with("image/svg+xml");
}

// Compresses with gzip when the client accepts it, unless the handler already did (a cached body).
void encode(const httplib::Request& in, Response& response) {
  if (response.shared_body || response.headers.count("Content-Encoding") != 0 ||
      response.body.size() < min_gzip_bytes || !compressible(response.content_type)) {
    return;
  }
  if (!accepts_gzip(in.get_header_value("Accept-Encoding"))) return;
  response.body = gzip_compress(response.body);
  response.headers.emplace("Content-Encoding", "gzip");
  if (response.headers.count("Vary") == 0) response.headers.emplace("Vary", "Accept-Encoding");
}
}  // namespace

struct Server::Impl {
  httplib::Server server;
  Handler handler;
  int socket = -1;  ///< the last socket httplib made to listen on (the bound one once bind succeeded)
};

Server::Server(Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  auto& s = impl_->server;
  s.set_read_timeout(read_timeout_seconds, 0);
  s.set_write_timeout(write_timeout_seconds, 0);
  s.set_keep_alive_timeout(keep_alive_seconds);
  s.set_payload_max_length(max_request_body_bytes);
  // Without TCP_NODELAY a POST whose headers and body arrive in two segments waits for a delayed ACK
  // (40 ms per request on Linux loopback).
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(keep_alive_max_requests);
  s.set_socket_options([impl = impl_.get()](socket_t socket) {
    httplib::default_socket_options(socket);
    impl->socket = socket;
  });
  s.new_task_queue = [] { return new httplib::ThreadPool(worker_threads); };
  const auto dispatch = [this](const httplib::Request& in, httplib::Response& out) {
    Request request;
    request.method = in.method;
    request.path = in.path;
    for (const auto& [k, v] : in.params) request.params.emplace(k, v);
    for (const auto& [k, v] : in.headers) request.headers.emplace(k, v);
    const size_t question = in.target.find('?');
    if (question != std::string::npos) request.raw_query = in.target.substr(question + 1);
    request.body = in.body;
    request.remote_address = in.remote_addr;
    Response response = impl_->handler(request);
    out.status = response.status;
    if (!response.abort_connection) encode(in, response);
    for (const auto& [k, v] : response.headers) out.set_header(k, v);
    if (response.abort_connection) {
      // A provider that fails before writing anything makes httplib close the connection mid-response.
      const size_t announced = std::max<size_t>(response.payload().size(), 1);
      out.set_content_provider(announced, response.content_type,
                               [](size_t /*offset*/, size_t /*length*/, httplib::DataSink& /*sink*/) { return false; });
      return;
    }
    if (response.payload().empty()) {
      out.set_content(std::string(), response.content_type);
      return;
    }
    // Through a content provider with a known length, so httplib never compresses it again (its own
    // choice would be brotli whenever the client offers it, which costs milliseconds per response).
    // A shared body (a cached answer, an embedded asset) is written from where it lives, never copied:
    // 64 clients fetching a 20 MB network would otherwise hold 64 copies.
    std::shared_ptr<const void> owner = std::move(response.body_owner);
    std::string_view bytes = response.payload();
    if (!response.shared_body) {
      auto moved = std::make_shared<const std::string>(std::move(response.body));
      bytes = *moved;
      owner = std::move(moved);
    }
    out.set_content_provider(bytes.size(), response.content_type,
                             [owner, bytes](size_t offset, size_t length, httplib::DataSink& sink) {
                               return sink.write(bytes.data() + offset, std::min(length, bytes.size() - offset));
                             });
  };
  const std::string any = ".*";
  s.Get(any, dispatch);
  s.Post(any, dispatch);
  s.Put(any, dispatch);
  s.Delete(any, dispatch);
  s.Patch(any, dispatch);
  s.Options(any, dispatch);
}

Server::~Server() {
  stop();
}

Expected<int> Server::bind(const std::string& host, int port) {
  const int bound =
      port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    return fail(ErrorKind::io, fmt::format("cannot listen on {}:{}: the address is in use or not available; "
                                           "choose another with --port",
                                           host, port));
  }
  if (::listen(impl_->socket, listen_backlog) != 0) {
    return fail(ErrorKind::io, fmt::format("cannot listen on {}:{} with a backlog of {}", host, bound, listen_backlog));
  }
  return bound;
}

Expected<void> Server::serve() {
  if (!impl_->server.listen_after_bind()) return fail(ErrorKind::io, "the server stopped unexpectedly");
  return {};
}

void Server::stop() {
  if (impl_->server.is_running()) impl_->server.stop();
}

}  // namespace ampere::http
