#pragma once
// Finished API bodies kept until the data changes (a build finishes): key = route + normalized query,
// value = body, its ETag and its gzip form, each computed once.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ampere::server {

/// One cached answer.
struct CachedBody {
  std::string content_type;
  std::string body;
  std::string gzip_body;  ///< empty when the body is too small to be worth compressing
  std::string etag;       ///< strong ETag, quoted
};

/// The strong ETag of a body: FNV-1a 64 over its bytes, as "\"<16 hex digits>\"".
std::string etag_of(std::string_view body);

/// True when an If-None-Match header value names `etag` (or is "*"); weak tags compare by their value.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

/// Thread-safe cache of bodies for the current generation of the data.
class ResponseCache {
 public:
  /// Keeps at most `max_bytes` of bodies; when full, it starts over (the working set is small).
  explicit ResponseCache(size_t max_bytes = size_t{256} << 20);

  /// The entry for `key`, or nullptr.
  [[nodiscard]] std::shared_ptr<const CachedBody> find(const std::string& key) const;

  /// Builds an entry (ETag, gzip) and keeps it unless the data changed since `generation` was read.
  std::shared_ptr<const CachedBody> store(const std::string& key, uint64_t generation, std::string content_type,
                                          std::string body);

  /// Builds an entry without keeping it (routes whose data changes between builds).
  static std::shared_ptr<const CachedBody> make(std::string content_type, std::string body);

  /// Forgets every entry: the data changed.
  void clear();

  /// Bumped by every clear(); read before computing a body to store.
  [[nodiscard]] uint64_t generation() const;

  /// Entries held now.
  [[nodiscard]] size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const CachedBody>> entries_;
  size_t bytes_ = 0;
  size_t max_bytes_;
  uint64_t generation_ = 0;
};

}  // namespace ampere::server
