#include "lake/delta_table.hpp"

#include <random>
#include <thread>

#include <fmt/format.h>

#include "lake/checkpoint.hpp"
#include "lake/data_file.hpp"
#include "lake/delta_log.hpp"
#include "lake/table_history.hpp"
#include "lake/uuid.hpp"
#include "util/log.hpp"

#ifndef AMPERE_VERSION
#define AMPERE_VERSION "0.0.0"
#endif

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

/// The highest writer protocol version this writer implements (2: append-only tables, invariants).
constexpr int kMaxWriterVersion = 2;
/// After losing a race, wait up to this long before re-reading, so racing writers fall out of step.
constexpr std::chrono::microseconds kMaxRetryPause{2000};

bool is_empty(const DeltaCommit& commit) {
  return !commit.protocol && !commit.metadata && commit.adds.empty() && commit.removes.empty() && commit.txns.empty();
}

void pause_after_conflict() {
  static thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int64_t> pause(0, kMaxRetryPause.count());
  std::this_thread::sleep_for(std::chrono::microseconds{pause(random)});
}

// The schema of a query's result in Delta types.
Expected<DeltaSchema> query_schema(db::Connection& connection, std::string_view select_sql) {
  auto described = connection.query(fmt::format("DESCRIBE {}", select_sql));
  if (!described) return tl::unexpected(described.error());
  DeltaSchema schema;
  for (size_t r = 0; r < described->row_count(); ++r) {
    auto type = delta_type_for(described->text(1, r));
    if (!type) return with_context(type.error(), "column '" + described->text(0, r) + "'");
    schema.fields.push_back(DeltaField{described->text(0, r), *type, true, "{}"});
  }
  return schema;
}

Metadata new_metadata(const DeltaSchema& schema, Timestamp now) {
  Metadata metadata;
  metadata.id = new_uuid();
  metadata.schema = schema;
  metadata.schema_string = to_schema_string(schema);
  metadata.created_time = to_millis(now);
  return metadata;
}

// The metaData action a write needs: a new table's, an evolved schema's, or none.
Expected<std::optional<Metadata>> metadata_for(const Snapshot* current, const DeltaSchema& incoming, Timestamp now) {
  if (current == nullptr) return std::optional<Metadata>(new_metadata(incoming, now));
  auto evolved = evolve_schema(current->metadata.schema, incoming);
  if (!evolved) return with_context(evolved.error(), current->table_root.string());
  if (*evolved == current->metadata.schema) return std::optional<Metadata>();
  Metadata metadata = current->metadata;
  metadata.schema = std::move(*evolved);
  metadata.schema_string = to_schema_string(metadata.schema);
  return std::optional<Metadata>(std::move(metadata));
}

RemoveFile removal_of(const AddFile& add, int64_t when, bool data_change) {
  RemoveFile remove;
  remove.path = add.path;
  remove.deletion_timestamp = when;
  remove.data_change = data_change;
  remove.extended_file_metadata = true;
  remove.partition_values = add.partition_values;
  remove.size = add.size;
  return remove;
}

}  // namespace

std::string_view engine_info() {
  return "ampere/" AMPERE_VERSION;
}

Expected<void> check_writable(const Snapshot& snapshot) {
  const std::string table = snapshot.table_root.string();
  if (snapshot.protocol.min_writer_version > kMaxWriterVersion) {
    return fail(ErrorKind::protocol, fmt::format("the Delta table {} needs writer protocol version {}; ampere writes "
                                                 "version {} tables only, so it will not change this one",
                                                 table, snapshot.protocol.min_writer_version, kMaxWriterVersion));
  }
  for (const auto& field : snapshot.metadata.schema.fields) {
    if (field.metadata.find("delta.invariants") != std::string::npos) {
      return fail(ErrorKind::protocol, fmt::format("the Delta table {} has an invariant on column '{}', which ampere "
                                                   "cannot enforce, so it will not write to it",
                                                   table, field.name));
    }
  }
  if (!snapshot.metadata.partition_columns.empty()) {
    return fail(ErrorKind::protocol,
                fmt::format("the Delta table {} is partitioned; ampere writes unpartitioned tables only", table));
  }
  return {};
}

DeltaTable::DeltaTable(db::Connection& connection, fs::path root, TableOptions options)
    : connection_(connection), root_(std::move(root)), options_(std::move(options)) {}

bool DeltaTable::exists() const {
  return is_delta_table(root_);
}

Expected<Snapshot> DeltaTable::snapshot(const ReadAt& at) const {
  return load_snapshot(connection_, root_, at);
}

CommitInfo DeltaTable::commit_info(std::string operation, const Snapshot* current) const {
  CommitInfo info;
  info.timestamp = to_millis(now());
  info.operation = std::move(operation);
  if (current != nullptr) info.read_version = current->version;
  info.engine_info = std::string(engine_info());
  return info;
}

Expected<int64_t> DeltaTable::commit(const CommitBuilder& build) {
  const DeltaLog delta_log(root_);
  for (int attempt = 0; attempt < options_.max_commit_attempts; ++attempt) {
    std::optional<Snapshot> current;
    if (exists()) {
      auto loaded = snapshot();
      if (!loaded) return tl::unexpected(loaded.error());
      if (auto ok = check_writable(*loaded); !ok) return tl::unexpected(ok.error());
      current = std::move(*loaded);
    }
    const Snapshot* base = current ? &*current : nullptr;
    auto actions = build(base);
    if (!actions) return tl::unexpected(actions.error());
    if (is_empty(*actions)) return current ? current->version : int64_t{-1};
    const int64_t version = current ? current->version + 1 : 0;
    auto written = delta_log.write_commit(version, *actions);
    if (!written) {
      if (written.error().kind != ErrorKind::conflict) return tl::unexpected(written.error());
      pause_after_conflict();  // another writer took this version: re-read and rebuild on top of it
      continue;
    }
    Snapshot after = current ? std::move(*current) : Snapshot{};
    after.table_root = root_;
    apply_commit(after, std::move(*actions), version);
    if (version > 0 && version % checkpoint_interval(after.metadata) == 0) {
      // The commit stands either way; a missing checkpoint only makes later reads replay more entries.
      if (auto ok = write_checkpoint(connection_, after, now()); !ok) {
        log::warn("lake: version {} of {} is committed but its checkpoint failed: {}", version, root_.string(),
                  ok.error().message);
      }
    }
    return version;
  }
  return fail(ErrorKind::conflict,
              fmt::format("gave up committing to {} after {} attempts: other writers kept taking the next version",
                          root_.string(), options_.max_commit_attempts));
}

Expected<void> DeltaTable::checkpoint() {
  auto latest = snapshot();
  if (!latest) return tl::unexpected(latest.error());
  return write_checkpoint(connection_, *latest, now());
}

Expected<int64_t> DeltaTable::create(const DeltaSchema& schema) {
  const DeltaLog delta_log(root_);
  DeltaCommit commit;
  commit.commit_info = commit_info("CREATE TABLE", nullptr);
  commit.commit_info->operation_parameters = {{"isManaged", "false"}, {"partitionBy", "[]"}};
  commit.protocol = Protocol{};
  commit.metadata = new_metadata(schema, now());
  if (auto ok = delta_log.write_commit(0, commit); !ok) {
    if (ok.error().kind == ErrorKind::conflict) {
      return fail(ErrorKind::conflict, fmt::format("the Delta table {} already exists", root_.string()));
    }
    return tl::unexpected(ok.error());
  }
  return int64_t{0};
}

Expected<int64_t> DeltaTable::append(std::string_view select_sql) {
  return write(select_sql, WriteMode::append);
}

Expected<int64_t> DeltaTable::overwrite(std::string_view select_sql) {
  return write(select_sql, WriteMode::overwrite);
}

Expected<int64_t> DeltaTable::write(std::string_view select_sql, WriteMode mode) {
  auto incoming = query_schema(connection_, select_sql);
  if (!incoming) return tl::unexpected(incoming.error());
  // Shape the file by the schema the table will have; a concurrent change is re-checked at commit.
  DeltaSchema file_schema = *incoming;
  if (exists()) {
    auto current = snapshot();
    if (!current) return tl::unexpected(current.error());
    if (auto ok = check_writable(*current); !ok) return tl::unexpected(ok.error());
    auto evolved = evolve_schema(current->metadata.schema, *incoming);
    if (!evolved) return with_context(evolved.error(), root_.string());
    file_schema = std::move(*evolved);
  }
  auto file = write_data_file(connection_, root_, select_sql, file_schema, true);
  if (!file) return tl::unexpected(file.error());

  const bool overwrite = mode == WriteMode::overwrite;
  auto committed = commit([&](const Snapshot* current) -> Expected<DeltaCommit> {
    DeltaCommit actions;
    auto metadata = metadata_for(current, *incoming, now());
    if (!metadata) return tl::unexpected(metadata.error());
    actions.metadata = std::move(*metadata);
    if (current == nullptr) actions.protocol = Protocol{};
    if (overwrite && current != nullptr) {
      const auto& config = current->metadata.configuration;
      if (const auto it = config.find("delta.appendOnly"); it != config.end() && it->second == "true") {
        return fail(ErrorKind::invalid_input,
                    fmt::format("the Delta table {} is append-only (delta.appendOnly=true); it cannot be overwritten",
                                root_.string()));
      }
      const int64_t when = to_millis(now());
      for (const auto& [path, active] : current->files) actions.removes.push_back(removal_of(active.add, when, true));
    }
    if (*file) actions.adds.push_back(**file);
    if (is_empty(actions)) return actions;
    actions.commit_info = commit_info("WRITE", current);
    actions.commit_info->operation_parameters = {{"mode", overwrite ? "Overwrite" : "Append"}, {"partitionBy", "[]"}};
    actions.commit_info->is_blind_append = !overwrite;
    const int64_t rows = *file ? (*file)->num_records.value_or(0) : 0;
    const int64_t bytes = *file ? (*file)->size : 0;
    actions.commit_info->operation_metrics = {{"numFiles", *file ? "1" : "0"},
                                              {"numOutputRows", std::to_string(rows)},
                                              {"numOutputBytes", std::to_string(bytes)}};
    return actions;
  });
  if (!committed && *file) {
    std::error_code ec;  // never committed: nothing references the file
    fs::remove(root_ / (*file)->path, ec);
  }
  return committed;
}

}  // namespace ampere::lake
