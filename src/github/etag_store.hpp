#pragma once
// Conditional-request validators (ETag, Last-Modified) per URL, with two-phase persistence: what a
// response taught us is staged, and becomes persistent only when the caller commits it after the data
// it covers is safely in the lake. A crash in between means the next run re-fetches; it never skips.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace ampere::github {

/// What a server gave us to ask "changed since?" next time.
struct Validators {
  std::string etag;           ///< sent back as If-None-Match
  std::string last_modified;  ///< sent back as If-Modified-Since

  /// True when there is nothing to send.
  [[nodiscard]] bool empty() const { return etag.empty() && last_modified.empty(); }
  /// Equal when both fields are.
  bool operator==(const Validators&) const = default;
};

/// Thread-safe. File format (TSV, UTF-8): the line "ampere-etags<TAB>1", then one line per entry
/// "<key><TAB><etag><TAB><last-modified>". A corrupt file is an error naming the file and the fix
/// (delete it; the next sync re-fetches everything once) rather than silently costing a full re-fetch.
class EtagStore {
 public:
  /// Where a data dir keeps the store: <data_dir>/github/etags.tsv.
  static std::filesystem::path default_path(const std::filesystem::path& data_dir);

  /// The store key for a GET of `url` with `accept` (different media types have different ETags).
  static std::string key(std::string_view accept, std::string_view url);

  /// An empty store persisting to `file`; an empty path keeps it in memory only (commit() saves nothing).
  explicit EtagStore(std::filesystem::path file = {});

  /// Loads `file`; a missing file is an empty store, a corrupt one an error of kind protocol.
  static Expected<std::shared_ptr<EtagStore>> load(const std::filesystem::path& file);

  /// The committed validators for `key` (staged ones are never used: their data may not be stored yet).
  [[nodiscard]] std::optional<Validators> lookup(const std::string& key) const;

  /// Remembers validators from a fresh response; persistent only after commit(). Fields with tabs or
  /// line breaks are dropped (they cannot be stored and no honest server sends them).
  void stage(const std::string& key, Validators validators);

  /// Makes every staged entry persistent and saves the file atomically. Call after the lake commit.
  Expected<void> commit();
  /// Makes the staged entries for `keys` persistent and saves; other staged entries stay staged.
  Expected<void> commit(std::span<const std::string> keys);
  /// Forgets everything staged (the data they cover was not stored).
  void discard();

  /// Entries waiting for commit().
  [[nodiscard]] size_t staged_count() const;
  /// Entries that are persistent.
  [[nodiscard]] size_t committed_count() const;
  /// The file this store saves to (empty when in memory).
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  Expected<void> save_locked() const;

  std::filesystem::path file_;
  mutable std::mutex mutex_;
  std::map<std::string, Validators> committed_;
  std::map<std::string, Validators> staged_;
};

}  // namespace ampere::github
