#include "github/etag_store.hpp"

#include <fmt/format.h>

#include "util/files.hpp"
#include "util/strings.hpp"

namespace ampere::github {

namespace {

constexpr std::string_view header_line = "ampere-etags\t1";

bool storable(std::string_view s) {
  return s.find_first_of("\t\r\n") == std::string_view::npos;
}

}  // namespace

std::filesystem::path EtagStore::default_path(const std::filesystem::path& data_dir) {
  return data_dir / "github" / "etags.tsv";
}

std::string EtagStore::key(std::string_view accept, std::string_view url) {
  return fmt::format("{} {}", accept, url);
}

EtagStore::EtagStore(std::filesystem::path file) : file_(std::move(file)) {}

Expected<std::shared_ptr<EtagStore>> EtagStore::load(const std::filesystem::path& file) {
  auto store = std::make_shared<EtagStore>(file);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return store;
  auto text = read_file(file);
  if (!text) return tl::unexpected(text.error());
  const auto corrupt = [&](size_t line, std::string_view why) {
    return fail(ErrorKind::protocol,
                fmt::format("the ETag store {} is corrupt (line {}: {}); delete it and the next sync re-fetches "
                            "everything once",
                            file.string(), line, why));
  };
  const std::vector<std::string> lines = split(*text, '\n');
  if (lines.empty() || lines[0] != header_line) return corrupt(1, "expected the line \"ampere-etags<TAB>1\"");
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      if (i + 1 == lines.size()) break;  // the final newline
      return corrupt(i + 1, "empty line");
    }
    const std::vector<std::string> fields = split(lines[i], '\t');
    if (fields.size() != 3 || fields[0].empty()) return corrupt(i + 1, "expected key, etag and last-modified");
    store->committed_[fields[0]] = Validators{fields[1], fields[2]};
  }
  if (!text->empty() && text->back() != '\n') return corrupt(lines.size(), "the file ends mid-line");
  return store;
}

std::optional<Validators> EtagStore::lookup(const std::string& key) const {
  const std::lock_guard lock(mutex_);
  const auto it = committed_.find(key);
  if (it == committed_.end()) return std::nullopt;
  return it->second;
}

void EtagStore::stage(const std::string& key, Validators validators) {
  if (!storable(key)) return;
  if (!storable(validators.etag)) validators.etag.clear();
  if (!storable(validators.last_modified)) validators.last_modified.clear();
  if (validators.empty()) return;
  const std::lock_guard lock(mutex_);
  staged_[key] = std::move(validators);
}

Expected<void> EtagStore::commit() {
  const std::lock_guard lock(mutex_);
  if (staged_.empty()) return {};
  for (auto& [key, validators] : staged_) committed_[key] = std::move(validators);
  staged_.clear();
  return save_locked();
}

Expected<void> EtagStore::commit(std::span<const std::string> keys) {
  const std::lock_guard lock(mutex_);
  bool changed = false;
  for (const std::string& key : keys) {
    const auto it = staged_.find(key);
    if (it == staged_.end()) continue;
    committed_[key] = std::move(it->second);
    staged_.erase(it);
    changed = true;
  }
  if (!changed) return {};
  return save_locked();
}

void EtagStore::discard() {
  const std::lock_guard lock(mutex_);
  staged_.clear();
}

size_t EtagStore::staged_count() const {
  const std::lock_guard lock(mutex_);
  return staged_.size();
}

size_t EtagStore::committed_count() const {
  const std::lock_guard lock(mutex_);
  return committed_.size();
}

Expected<void> EtagStore::save_locked() const {
  if (file_.empty()) return {};
  std::string out(header_line);
  out += '\n';
  for (const auto& [key, v] : committed_) out += fmt::format("{}\t{}\t{}\n", key, v.etag, v.last_modified);
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec) return fail(ErrorKind::io, fmt::format("cannot create {}: {}", file_.parent_path().string(), ec.message()));
  auto written = write_file_atomic(file_, out);
  if (!written) return with_context(written.error(), "saving the ETag store");
  return {};
}

}  // namespace ampere::github
