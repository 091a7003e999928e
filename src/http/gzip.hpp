#pragma once
// gzip compression of response bodies (zlib). The server compresses with this only: never brotli,
// whose encoder is far too slow for a request path.

#include <string>
#include <string_view>

namespace ampere::http {

/// `data` as a gzip stream (RFC 1952) at zlib's default level.
std::string gzip_compress(std::string_view data);

/// True when an Accept-Encoding header value accepts gzip (and does not give it q=0).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace ampere::http
