#include "lake/snapshot.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "lake/checkpoint.hpp"
#include "lake/delta_log.hpp"
#include "lake/table_history.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

/// The newest reader protocol version this reader implements (3 = table features, checked one by one).
constexpr int kMaxReaderVersion = 3;
/// Reader features that change nothing for a reader of ours (deletion vectors are checked per file).
constexpr std::array<std::string_view, 2> kSupportedReaderFeatures{"timestampNtz", "deletionVectors"};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool column_mapping_off(const Metadata& metadata) {
  const auto it = metadata.configuration.find("delta.columnMapping.mode");
  return it == metadata.configuration.end() || it->second == "none";
}

Expected<void> check_readable(const Snapshot& s) {
  const Protocol& p = s.protocol;
  const std::string table = s.table_root.string();
  if (p.min_reader_version > kMaxReaderVersion) {
    return fail(ErrorKind::protocol,
                fmt::format("the Delta table {} (version {}) needs reader protocol version {}; ampere reads versions "
                            "1 to {}. Upgrade ampere or rewrite the table with an older protocol",
                            table, s.version, p.min_reader_version, kMaxReaderVersion));
  }
  if (p.min_reader_version >= 2 && !column_mapping_off(s.metadata)) {
    return fail(ErrorKind::protocol, fmt::format("the Delta table {} (version {}) uses column mapping, which ampere "
                                                 "cannot read",
                                                 table, s.version));
  }
  if (p.min_reader_version == kMaxReaderVersion) {
    for (const auto& feature : p.reader_features) {
      const bool supported = std::find(kSupportedReaderFeatures.begin(), kSupportedReaderFeatures.end(), feature) !=
                                 kSupportedReaderFeatures.end() ||
                             (feature == "columnMapping" && column_mapping_off(s.metadata));
      if (!supported) {
        return fail(ErrorKind::protocol, fmt::format("the Delta table {} (version {}) needs the reader feature '{}', "
                                                     "which ampere does not implement",
                                                     table, s.version, feature));
      }
    }
  }
  for (const auto& [path, file] : s.files) {
    if (file.add.has_deletion_vector) {
      return fail(ErrorKind::protocol,
                  fmt::format("the Delta table {} (version {}): data file {} has a deletion vector, which ampere "
                              "cannot apply; run OPTIMIZE/PURGE with Spark first",
                              table, s.version, path));
    }
  }
  return {};
}

Error gap_error(const fs::path& root, const std::vector<int64_t>& commits, int64_t missing, int64_t checkpoint) {
  const DeltaLog log(root);
  const auto after = std::upper_bound(commits.begin(), commits.end(), missing);
  const auto before = std::lower_bound(commits.begin(), commits.end(), missing);
  std::string neighbours;
  if (before != commits.begin() && after != commits.end()) {
    neighbours = fmt::format(" between versions {} and {}", *std::prev(before), *after);
  } else if (after != commits.end()) {
    neighbours =
        fmt::format(" before version {}{}", *after, checkpoint < 0 ? " and there is no checkpoint to start from" : "");
  }
  return Error{ErrorKind::protocol,
               fmt::format("the Delta log of {} is broken: versions are not contiguous, version {} ({}) is missing{}",
                           root.string(), missing, log.commit_path(missing).filename().string(), neighbours)};
}

Expected<int64_t> target_version(const fs::path& root, const LogListing& listing, const ReadAt& at) {
  const int64_t latest = listing.latest();
  if (at.version) {
    if (*at.version < 0 || *at.version > latest) {
      return fail(ErrorKind::not_found, fmt::format("the Delta table {} has no version {} (latest is {})",
                                                    root.string(), *at.version, latest));
    }
    return *at.version;
  }
  if (at.timestamp) {
    auto history = read_history(root);
    if (!history) return tl::unexpected(history.error());
    return version_at(*history, *at.timestamp, root);
  }
  return latest;
}

}  // namespace

fs::path Snapshot::file_path(std::string_view log_path) const {
  std::string decoded = percent_decode(log_path);
  if (decoded.starts_with("file://")) {
    decoded.erase(0, std::string_view("file://").size());
  } else if (decoded.starts_with("file:")) {
    decoded.erase(0, std::string_view("file:").size());
  }
  const fs::path path(decoded);
  return path.is_absolute() ? path : table_root / path;
}

int64_t Snapshot::total_bytes() const {
  int64_t total = 0;
  for (const auto& [path, file] : files) total += file.add.size;
  return total;
}

std::optional<int64_t> Snapshot::total_rows() const {
  int64_t total = 0;
  for (const auto& [path, file] : files) {
    if (!file.add.num_records) return std::nullopt;
    total += *file.add.num_records;
  }
  return total;
}

void apply_commit(Snapshot& snapshot, DeltaCommit commit, int64_t version) {
  if (commit.protocol) snapshot.protocol = std::move(*commit.protocol);
  if (commit.metadata) snapshot.metadata = std::move(*commit.metadata);
  for (auto& txn : commit.txns) snapshot.txns[txn.app_id] = std::move(txn);
  // Removes before adds: a path both removed and re-added in one entry stays in the table.
  for (auto& remove : commit.removes) {
    snapshot.files.erase(remove.path);
    std::string path = remove.path;
    snapshot.tombstones.insert_or_assign(std::move(path), std::move(remove));
  }
  for (auto& add : commit.adds) {
    snapshot.tombstones.erase(add.path);
    std::string path = add.path;
    snapshot.files.insert_or_assign(std::move(path), ActiveFile{std::move(add), version});
  }
  snapshot.version = version;
}

bool is_delta_table(const fs::path& table_root) {
  const DeltaLog log(table_root);
  std::error_code ec;
  if (fs::exists(log.commit_path(0), ec)) return true;  // the usual case, without listing a long log
  auto listing = log.list();
  return listing && listing->latest() >= 0;
}

namespace {

// The table as of `target`: the newest checkpoint of `listing` not newer than it, then the entries after it.
Expected<Snapshot> replay(db::Connection& connection, const fs::path& table_root, const LogListing& listing,
                          int64_t target) {
  const DeltaLog log(table_root);
  const CheckpointFiles* checkpoint = nullptr;
  for (const auto& candidate : listing.checkpoints) {
    if (candidate.version <= target) checkpoint = &candidate;
  }
  const int64_t start = checkpoint != nullptr ? checkpoint->version + 1 : 0;
  const auto& commits = listing.commits;
  for (int64_t version = start; version <= target; ++version) {
    if (!std::binary_search(commits.begin(), commits.end(), version)) {
      return tl::unexpected(gap_error(table_root, commits, version, checkpoint != nullptr ? checkpoint->version : -1));
    }
  }
  Snapshot snapshot;
  snapshot.table_root = table_root;
  if (checkpoint != nullptr) {
    auto state = read_checkpoint(connection, *checkpoint);
    if (!state) return tl::unexpected(state.error());
    apply_commit(snapshot, std::move(*state), checkpoint->version);
    snapshot.checkpoint_version = checkpoint->version;
  }
  for (int64_t version = start; version <= target; ++version) {
    auto commit = log.read_commit(version);
    if (!commit) return tl::unexpected(commit.error());
    apply_commit(snapshot, std::move(*commit), version);
    ++snapshot.entries_read;
  }
  if (snapshot.metadata.id.empty() && snapshot.metadata.schema_string.empty()) {
    return fail(ErrorKind::protocol, fmt::format("the Delta log of {} has no metaData action up to version {}",
                                                 table_root.string(), target));
  }
  if (auto ok = check_readable(snapshot); !ok) return tl::unexpected(ok.error());
  return snapshot;
}

}  // namespace

Expected<Snapshot> load_snapshot(db::Connection& connection, const fs::path& table_root, const ReadAt& at) {
  const DeltaLog log(table_root);
  // The latest version without listing the whole log: from the checkpoint _last_checkpoint names. When that
  // read fails, the read from a full listing below decides (it may find a newer checkpoint) and names the error.
  if (!at.version && !at.timestamp) {
    if (const auto tail = log.list_from_last_checkpoint()) {
      if (auto snapshot = replay(connection, table_root, *tail, tail->latest())) return snapshot;
    }
  }
  auto listing = log.list();
  if (!listing) return tl::unexpected(listing.error());
  if (listing->latest() < 0) {
    return fail(ErrorKind::not_found,
                fmt::format("no Delta table at {} (its _delta_log has no entries)", table_root.string()));
  }
  auto target = target_version(table_root, *listing, at);
  if (!target) return tl::unexpected(target.error());
  return replay(connection, table_root, *listing, *target);
}

}  // namespace ampere::lake
