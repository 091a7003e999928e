#include "server/static_assets.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/embedded_file.hpp"

namespace ampere::web_files {
std::span<const ampere::EmbeddedFile> embedded_files();
}  // namespace ampere::web_files

namespace ampere::server {

namespace {

std::string_view content_type_for(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".json")) return "application/json";
  return "application/octet-stream";
}

std::string fnv1a(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", hash);
}

const std::vector<StaticAsset>& assets() {
  static const std::vector<StaticAsset> all = [] {
    std::vector<StaticAsset> out;
    const auto files = web_files::embedded_files();
    for (const auto& file : files) {
      if (file.path.ends_with(".gz")) continue;
      const EmbeddedFile* gz = find_embedded(files, std::string(file.path) + ".gz");
      out.push_back(StaticAsset{file.path, file.bytes, content_type_for(file.path), fnv1a(file.bytes),
                                gz != nullptr ? gz->bytes : std::string_view()});
    }
    return out;
  }();
  return all;
}

}  // namespace

const StaticAsset* find_asset(std::string_view path) {
  for (const auto& asset : assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

std::string bundled_asset_url(std::string_view key) {
  static const nlohmann::json manifest = [] {
    const StaticAsset* file = find_asset("manifest.json");
    return file == nullptr ? nlohmann::json::object() : nlohmann::json::parse(file->bytes, nullptr, false);
  }();
  if (!manifest.is_object()) return "";
  const auto it = manifest.find(key);
  return it != manifest.end() && it->is_string() ? "/assets/" + it->get<std::string>() : "";
}

}  // namespace ampere::server
