#include "server/response_cache.hpp"

#include <fmt/format.h>

#include "http/gzip.hpp"

namespace ampere::server {

namespace {
constexpr size_t min_gzip_bytes = 512;

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string etag_of(std::string_view body) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("\"{:016x}\"", hash);
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  size_t start = 0;
  while (start <= if_none_match.size()) {
    size_t end = if_none_match.find(',', start);
    if (end == std::string_view::npos) end = if_none_match.size();
    std::string_view tag = trim_spaces(if_none_match.substr(start, end - start));
    start = end + 1;
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (!tag.empty() && tag == etag) return true;
  }
  return false;
}

ResponseCache::ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

std::shared_ptr<const CachedBody> ResponseCache::find(const std::string& key) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<const CachedBody> ResponseCache::make(std::string content_type, std::string body) {
  auto entry = std::make_shared<CachedBody>();
  entry->etag = etag_of(body);
  if (body.size() >= min_gzip_bytes) entry->gzip_body = http::gzip_compress(body);
  entry->content_type = std::move(content_type);
  entry->body = std::move(body);
  return entry;
}

std::shared_ptr<const CachedBody> ResponseCache::store(const std::string& key, uint64_t generation,
                                                       std::string content_type, std::string body) {
  auto entry = make(std::move(content_type), std::move(body));
  const size_t size = key.size() + entry->body.size() + entry->gzip_body.size();
  std::lock_guard lock(mutex_);
  if (generation != generation_ || size > max_bytes_) return entry;
  if (bytes_ + size > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  const auto [it, inserted] = entries_.emplace(key, entry);
  if (inserted) bytes_ += size;
  return it->second;
}

void ResponseCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  bytes_ = 0;
  ++generation_;
}

uint64_t ResponseCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

size_t ResponseCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace ampere::server
