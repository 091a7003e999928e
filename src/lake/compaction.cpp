#include "lake/compaction.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "lake/data_file.hpp"
#include "lake/delta_schema.hpp"
#include "lake/table_history.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

using Bin = std::vector<const ActiveFile*>;

// Small files, oldest first, packed greedily into bins of at most the target size.
std::vector<Bin> plan_bins(const Snapshot& snapshot, const CompactOptions& options) {
  std::vector<const ActiveFile*> small;
  for (const auto& [path, file] : snapshot.files) {
    if (file.add.size < options.small_file_bytes) small.push_back(&file);
  }
  std::sort(small.begin(), small.end(), [](const ActiveFile* a, const ActiveFile* b) {
    return a->version != b->version ? a->version < b->version : a->add.path < b->add.path;
  });
  std::vector<Bin> bins;
  Bin bin;
  int64_t bin_bytes = 0;
  for (const ActiveFile* file : small) {
    if (!bin.empty() && bin_bytes + file->add.size > options.target_file_bytes) {
      bins.push_back(std::move(bin));
      bin.clear();
      bin_bytes = 0;
    }
    bin.push_back(file);
    bin_bytes += file->add.size;
  }
  bins.push_back(std::move(bin));
  std::erase_if(bins, [](const Bin& b) { return b.size() < 2; });
  return bins;
}

std::string bin_source(const Snapshot& snapshot, const Bin& bin) {
  std::string files;
  for (const ActiveFile* file : bin) {
    files += (files.empty() ? "" : ", ") + quote_literal(snapshot.file_path(file->add.path).string());
  }
  return fmt::format("SELECT * FROM read_parquet([{}], union_by_name = true)", files);
}

std::optional<int64_t> bin_rows(const Bin& bin) {
  int64_t rows = 0;
  for (const ActiveFile* file : bin) {
    if (!file->add.num_records) return std::nullopt;
    rows += *file->add.num_records;
  }
  return rows;
}

void remove_files(const fs::path& root, const std::vector<AddFile>& files) {
  std::error_code ec;
  for (const auto& file : files) fs::remove(root / file.path, ec);
}

}  // namespace

Expected<CompactReport> compact(DeltaTable& table, const CompactOptions& options) {
  auto snapshot = table.snapshot();
  if (!snapshot) return tl::unexpected(snapshot.error());
  if (auto ok = check_writable(*snapshot); !ok) return tl::unexpected(ok.error());
  CompactReport report;
  const std::vector<Bin> bins = plan_bins(*snapshot, options);
  if (bins.empty()) return report;

  std::vector<AddFile> written;
  std::vector<AddFile> replaced;
  for (const Bin& bin : bins) {
    auto file =
        write_data_file(table.connection(), table.root(), bin_source(*snapshot, bin), snapshot->metadata.schema, false);
    if (!file) {
      remove_files(table.root(), written);
      return tl::unexpected(file.error());
    }
    const auto expected_rows = bin_rows(bin);
    const int64_t rows = *file ? (*file)->num_records.value_or(0) : 0;
    if (expected_rows && *expected_rows != rows) {
      if (*file) written.push_back(**file);
      remove_files(table.root(), written);
      return fail(ErrorKind::internal, fmt::format("compacting {}: {} rows read back where the log counts {}; nothing "
                                                   "was committed",
                                                   table.root().string(), rows, *expected_rows));
    }
    if (*file) written.push_back(std::move(**file));
    for (const ActiveFile* old : bin) replaced.push_back(old->add);
  }

  auto committed = table.commit([&](const Snapshot* current) -> Expected<DeltaCommit> {
    if (current == nullptr) return fail(ErrorKind::not_found, "the table disappeared during compaction");
    DeltaCommit actions;
    const int64_t when = to_millis(table.now());
    for (const auto& old : replaced) {
      if (!current->files.contains(old.path)) {
        return fail(ErrorKind::conflict, fmt::format("a concurrent commit to {} removed {} while it was being "
                                                     "compacted; nothing was committed, run compact again",
                                                     table.root().string(), old.path));
      }
      RemoveFile remove;
      remove.path = old.path;
      remove.deletion_timestamp = when;
      remove.data_change = false;
      remove.extended_file_metadata = true;
      remove.partition_values = old.partition_values;
      remove.size = old.size;
      actions.removes.push_back(std::move(remove));
    }
    actions.adds = written;
    actions.commit_info = table.commit_info("OPTIMIZE", current);
    actions.commit_info->operation_parameters = {{"predicate", "[]"}, {"zOrderBy", "[]"}};
    actions.commit_info->operation_metrics = {{"numRemovedFiles", std::to_string(replaced.size())},
                                              {"numAddedFiles", std::to_string(written.size())}};
    return actions;
  });
  if (!committed) {
    remove_files(table.root(), written);
    return tl::unexpected(committed.error());
  }
  report.version = *committed;
  report.files_removed = static_cast<int64_t>(replaced.size());
  report.files_added = static_cast<int64_t>(written.size());
  for (const auto& f : replaced) report.bytes_removed += f.size;
  for (const auto& f : written) report.bytes_added += f.size;
  return report;
}

}  // namespace ampere::lake
