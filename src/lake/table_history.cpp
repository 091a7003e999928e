#include "lake/table_history.hpp"

#include <chrono>

#include <fmt/format.h>

#include "lake/delta_log.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;
namespace chr = std::chrono;

int64_t to_millis(Timestamp t) {
  return chr::duration_cast<chr::milliseconds>(t.time_since_epoch()).count();
}

Timestamp from_millis(int64_t millis) {
  return Timestamp{chr::milliseconds{millis}};
}

namespace {

Timestamp file_time(const fs::path& path) {
  std::error_code ec;
  const auto written = fs::last_write_time(path, ec);
  if (ec) return Timestamp{};
  return chr::time_point_cast<chr::microseconds>(chr::file_clock::to_sys(written));
}

VersionInfo describe(const DeltaCommit& commit, int64_t version, const fs::path& entry) {
  VersionInfo info;
  info.version = version;
  if (commit.commit_info && commit.commit_info->timestamp > 0) {
    info.timestamp = from_millis(commit.commit_info->timestamp);
    info.operation = commit.commit_info->operation;
    if (const auto it = commit.commit_info->operation_parameters.find("mode");
        it != commit.commit_info->operation_parameters.end()) {
      info.mode = it->second;
    }
  } else {
    info.timestamp = file_time(entry);
  }
  int64_t rows = 0;
  bool known = true;
  for (const auto& add : commit.adds) {
    ++info.files_added;
    if (!add.data_change) continue;
    if (add.num_records) {
      rows += *add.num_records;
    } else {
      known = false;
    }
  }
  if (known) info.rows_added = rows;
  info.files_removed = static_cast<int64_t>(commit.removes.size());
  return info;
}

}  // namespace

Expected<std::vector<VersionInfo>> read_history(const fs::path& table_root) {
  const DeltaLog log(table_root);
  auto listing = log.list();
  if (!listing) return tl::unexpected(listing.error());
  if (listing->latest() < 0) {
    return fail(ErrorKind::not_found,
                fmt::format("{} is not a Delta table (no _delta_log entries)", table_root.string()));
  }
  std::vector<VersionInfo> history;
  for (const int64_t version : listing->commits) {
    auto commit = log.read_commit(version);
    if (!commit) return tl::unexpected(commit.error());
    VersionInfo info = describe(*commit, version, log.commit_path(version));
    // Times must increase with versions; a clock step back is absorbed as Delta does (+1 ms).
    if (!history.empty() && info.timestamp <= history.back().timestamp) {
      info.timestamp = history.back().timestamp + chr::milliseconds{1};
    }
    history.push_back(std::move(info));
  }
  return history;
}

Expected<int64_t> version_at(const std::vector<VersionInfo>& history, Timestamp t, const fs::path& table_root) {
  if (history.empty() || t < history.front().timestamp) {
    return fail(
        ErrorKind::not_found,
        fmt::format("the Delta table {} did not exist yet at {}{}", table_root.string(), format_iso8601(t),
                    history.empty() ? ""
                                    : fmt::format(" (its first version, {}, was committed at {})",
                                                  history.front().version, format_iso8601(history.front().timestamp))));
  }
  int64_t found = history.front().version;
  for (const auto& info : history) {
    if (info.timestamp > t) break;
    found = info.version;
  }
  return found;
}

}  // namespace ampere::lake
