#include "lake/vacuum.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "lake/delta_log.hpp"
#include "lake/snapshot.hpp"
#include "lake/table_history.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;
namespace chr = std::chrono;

namespace {

Timestamp last_written(const fs::path& path) {
  std::error_code ec;
  const auto written = fs::last_write_time(path, ec);
  if (ec) return Timestamp::max();  // unknown age: never old enough to delete
  return chr::time_point_cast<chr::microseconds>(chr::file_clock::to_sys(written));
}

// Data files live anywhere under the table root except in hidden ("." or "_") folders and files.
bool is_hidden(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(), [](const fs::path& part) {
    const std::string name = part.string();
    return !name.empty() && (name.front() == '.' || name.front() == '_');
  });
}

// Files of the table referenced by any version from `oldest` to the latest.
Expected<std::set<fs::path>> referenced_files(db::Connection& connection, const fs::path& root, int64_t oldest,
                                              int64_t latest) {
  auto base = load_snapshot(connection, root, ReadAt{oldest, std::nullopt});
  if (!base) return tl::unexpected(base.error());
  std::set<fs::path> referenced;
  for (const auto& [path, file] : base->files) referenced.insert(base->file_path(path).lexically_normal());
  const DeltaLog log(root);
  // Every file added after the oldest live version is active in some live version.
  for (int64_t version = oldest + 1; version <= latest; ++version) {
    auto commit = log.read_commit(version);
    if (!commit) return tl::unexpected(commit.error());
    for (const auto& add : commit->adds) referenced.insert(base->file_path(add.path).lexically_normal());
  }
  return referenced;
}

void delete_file(const fs::path& path, const VacuumOptions& options, VacuumReport& report) {
  std::error_code ec;
  const auto bytes = fs::file_size(path, ec);
  if (!options.dry_run) {
    if (!fs::remove(path, ec) || ec) return;
  }
  report.deleted.push_back(path);
  if (!ec) report.bytes_deleted += static_cast<int64_t>(bytes);
}

}  // namespace

Expected<VacuumReport> vacuum(db::Connection& connection, const fs::path& table_root, const VacuumOptions& options) {
  if (options.retention < kMinVacuumRetention) {
    return fail(ErrorKind::invalid_input,
                fmt::format("a vacuum retention of {} hours is too short: files a writer has not committed yet could "
                            "be deleted; use at least {} hour(s)",
                            options.retention.count(), kMinVacuumRetention.count()));
  }
  const Timestamp now = options.now.value_or(now_utc());
  const Timestamp cutoff = now - options.retention;
  auto history = read_history(table_root);
  if (!history) return tl::unexpected(history.error());
  if (history->empty()) {
    return fail(ErrorKind::protocol, fmt::format("the Delta log of {} keeps no entries to date its versions by, so "
                                                 "vacuum cannot tell which files are still needed",
                                                 table_root.string()));
  }
  VacuumReport report;
  auto at_cutoff = version_at(*history, cutoff, table_root);
  report.oldest_live_version = at_cutoff ? *at_cutoff : history->front().version;
  auto referenced = referenced_files(connection, table_root, report.oldest_live_version, history->back().version);
  if (!referenced) return tl::unexpected(referenced.error());

  std::vector<fs::path> doomed;  // deleted after the walk, not while iterating the folder
  std::error_code ec;
  for (fs::recursive_directory_iterator it(table_root, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_error;
    if (!it->is_regular_file(type_error)) continue;
    const fs::path path = it->path().lexically_normal();
    const fs::path relative = path.lexically_relative(table_root);
    const bool in_log = !relative.empty() && *relative.begin() == "_delta_log";
    if (in_log) {
      // Temporaries of interrupted commits and checkpoints; never an entry, checkpoint or pointer.
      if (path.filename().string().find(".tmp-") != std::string::npos && last_written(path) < cutoff) {
        doomed.push_back(path);
      }
      continue;
    }
    if (is_hidden(relative)) continue;
    if (referenced->contains(path)) {
      ++report.files_kept;
    } else if (last_written(path) < cutoff) {
      doomed.push_back(path);
    }
  }
  if (ec) return fail(ErrorKind::io, fmt::format("cannot list {}: {}", table_root.string(), ec.message()));
  for (const auto& path : doomed) delete_file(path, options, report);
  std::sort(report.deleted.begin(), report.deleted.end());
  return report;
}

}  // namespace ampere::lake
