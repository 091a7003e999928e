#pragma once
// The dashboard's files, compiled into the binary from web/ (see cmake/EmbedFiles.cmake).

#include <string>
#include <string_view>

namespace ampere::server {

/// An embedded web asset with its MIME type and a content hash (for ETags and cache-busting URLs).
struct StaticAsset {
  std::string_view path;
  std::string_view bytes;
  std::string_view content_type;
  std::string hash;       ///< 16 hex digits of FNV-1a over the bytes
  std::string_view gzip;  ///< the same bytes gzipped at build time (the "<path>.gz" twin), or empty
};

/// The asset at `path` ("assets/style-AB12CD34.css", "pages/home.html"), or nullptr; only embedded files
/// can ever be served. "<path>.gz" twins are not assets of their own: they are the `gzip` of `<path>`.
const StaticAsset* find_asset(std::string_view path);

/// The URL ("/assets/style-AB12CD34.css") of a bundle's shared file named in web/build.mjs's manifest
/// ("style", "theme", "favicon"), or "" when there is none.
std::string bundled_asset_url(std::string_view key);

}  // namespace ampere::server
