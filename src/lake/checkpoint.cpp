#include "lake/checkpoint.hpp"

#include <charconv>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lake/checkpoint_reader.hpp"
#include "lake/file_stats.hpp"
#include "lake/table_history.hpp"
#include "lake/uuid.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::ordered_json;

// The checkpoint's struct columns, with the field names and types Spark's Delta writes (compare the
// schema of a Spark checkpoint, e.g. the golden table basic-with-inserts-deletes-checkpoint).
constexpr std::string_view kDeletionVectorType =
    R"(STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT))";
constexpr std::string_view kTxnType = R"(STRUCT(appId VARCHAR, "version" BIGINT, lastUpdated BIGINT))";
constexpr std::string_view kAddFields =
    "path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, "
    "tags MAP(VARCHAR, VARCHAR), deletionVector {}, baseRowId BIGINT, defaultRowCommitVersion BIGINT, stats VARCHAR";
constexpr std::string_view kRemoveFields =
    "path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues "
    "MAP(VARCHAR, VARCHAR), size BIGINT, deletionVector {}, baseRowId BIGINT, defaultRowCommitVersion BIGINT";
constexpr std::string_view kMetadataType =
    R"(STRUCT(id VARCHAR, "name" VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, "options" MAP(VARCHAR, VARCHAR)), schemaString VARCHAR, partitionColumns VARCHAR[], "configuration" MAP(VARCHAR, VARCHAR), createdTime BIGINT))";
constexpr std::string_view kProtocolType =
    "STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])";
constexpr std::string_view kDomainMetadataType =
    R"(STRUCT("domain" VARCHAR, "configuration" VARCHAR, removed BOOLEAN))";

constexpr std::string_view kActionsTable = "__ampere_checkpoint_actions";

std::string parquet_list(const std::vector<fs::path>& files) {
  std::string out = "[";
  for (size_t i = 0; i < files.size(); ++i) out += (i > 0 ? ", " : "") + quote_literal(files[i].string());
  return out + "]";
}

Json json_map(const std::map<std::string, std::string>& map) {
  Json out = Json::object();
  for (const auto& [k, v] : map) out[k] = v;
  return out;
}

template <class T>
Json optional_json(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// Checkpoint rows carry every field of their struct (nulls included): DuckDB's JSON-to-STRUCT cast is strict.
Json protocol_row(const Protocol& p) {
  return Json{{"minReaderVersion", p.min_reader_version},
              {"minWriterVersion", p.min_writer_version},
              {"readerFeatures", p.min_reader_version >= 3 ? Json(p.reader_features) : Json(nullptr)},
              {"writerFeatures", p.min_writer_version >= 7 ? Json(p.writer_features) : Json(nullptr)}};
}

Json metadata_row(const Metadata& m) {
  return Json{{"id", m.id},
              {"name", optional_json(m.name)},
              {"description", optional_json(m.description)},
              {"format", Json{{"provider", m.format_provider}, {"options", json_map(m.format_options)}}},
              {"schemaString", m.schema_string},
              {"partitionColumns", m.partition_columns},
              {"configuration", json_map(m.configuration)},
              {"createdTime", optional_json(m.created_time)}};
}

Json add_row(const AddFile& a) {
  return Json{{"path", a.path},
              {"partitionValues", json_map(a.partition_values)},
              {"size", a.size},
              {"modificationTime", a.modification_time},
              {"dataChange", a.data_change},
              {"tags", a.tags.empty() ? Json(nullptr) : json_map(a.tags)},
              {"deletionVector", nullptr},
              {"baseRowId", nullptr},
              {"defaultRowCommitVersion", nullptr},
              {"stats", a.stats.empty() ? Json(nullptr) : Json(a.stats)}};
}

Json remove_row(const RemoveFile& r) {
  return Json{{"path", r.path},
              {"deletionTimestamp", optional_json(r.deletion_timestamp)},
              {"dataChange", r.data_change},
              {"extendedFileMetadata", r.extended_file_metadata},
              {"partitionValues", json_map(r.partition_values)},
              {"size", optional_json(r.size)},
              {"deletionVector", nullptr},
              {"baseRowId", nullptr},
              {"defaultRowCommitVersion", nullptr}};
}

Json txn_row(const Txn& t) {
  return Json{{"appId", t.app_id}, {"version", t.version}, {"lastUpdated", optional_json(t.last_updated)}};
}

struct ActionRow {
  std::string kind;
  std::string body;
};

std::vector<ActionRow> checkpoint_rows(const Snapshot& snapshot, Timestamp now) {
  std::vector<ActionRow> rows;
  rows.push_back({"protocol", protocol_row(snapshot.protocol).dump()});
  rows.push_back({"metaData", metadata_row(snapshot.metadata).dump()});
  for (const auto& [app, txn] : snapshot.txns) rows.push_back({"txn", txn_row(txn).dump()});
  for (const auto& [path, file] : snapshot.files) rows.push_back({"add", add_row(file.add).dump()});
  const int64_t expiry = to_millis(now - kTombstoneRetention);
  for (const auto& [path, remove] : snapshot.tombstones) {
    if (remove.deletion_timestamp && *remove.deletion_timestamp < expiry) continue;
    rows.push_back({"remove", remove_row(remove).dump()});
  }
  return rows;
}

std::string column_cast(std::string_view kind, std::string_view type) {
  return fmt::format("CAST(CAST(CASE WHEN kind = '{0}' THEN body END AS JSON) AS {1}) AS {2}", kind, type,
                     quote_identifier(kind));
}

std::string copy_sql(const fs::path& target) {
  const std::string add_type = "STRUCT(" + fmt::format(fmt::runtime(kAddFields), kDeletionVectorType) + ")";
  const std::string remove_type = "STRUCT(" + fmt::format(fmt::runtime(kRemoveFields), kDeletionVectorType) + ")";
  return fmt::format(
      "COPY (SELECT {}, {}, {}, {}, {}, CAST(NULL AS {}) AS \"domainMetadata\" FROM temp.main.{} ORDER BY ord) "
      "TO {} (FORMAT parquet)",
      column_cast("txn", kTxnType), column_cast("add", add_type), column_cast("remove", remove_type),
      column_cast("metaData", kMetadataType), column_cast("protocol", kProtocolType), kDomainMetadataType,
      kActionsTable, quote_literal(target.string()));
}

Expected<void> load_rows(db::Connection& connection, const std::vector<ActionRow>& rows) {
  if (auto ok = connection.execute(
          fmt::format("CREATE OR REPLACE TEMP TABLE {} (ord BIGINT, kind VARCHAR, body VARCHAR)", kActionsTable));
      !ok) {
    return ok;
  }
  auto appender = connection.appender("main", kActionsTable);
  if (!appender) return tl::unexpected(appender.error());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (auto ok = appender->append(static_cast<int64_t>(i)); !ok) return ok;
    if (auto ok = appender->append(std::string_view(rows[i].kind)); !ok) return ok;
    if (auto ok = appender->append(std::string_view(rows[i].body)); !ok) return ok;
    if (auto ok = appender->end_row(); !ok) return ok;
  }
  return appender->close();
}

// The fast read of a checkpoint: file actions field by field, the rare other actions as one JSON action line
// ({"metaData":..,"protocol":..,"txn":..}, nulls skipped): one conversion costs half of one per column.
constexpr std::string_view kFileActionsSql =
    "SELECT add.path, add.size, add.modificationTime, add.dataChange, add.stats, "
    "CASE WHEN cardinality(add.partitionValues) > 0 THEN CAST(to_json(add.partitionValues) AS VARCHAR) END, "
    "CASE WHEN cardinality(add.tags) > 0 THEN CAST(to_json(add.tags) AS VARCHAR) END, "
    "add.deletionVector IS NOT NULL, "
    "remove.path, remove.deletionTimestamp, remove.dataChange, remove.extendedFileMetadata, remove.size, "
    "CASE WHEN cardinality(remove.partitionValues) > 0 THEN CAST(to_json(remove.partitionValues) AS VARCHAR) END, "
    "CASE WHEN add.path IS NULL AND remove.path IS NULL THEN "
    "CAST(to_json({{'metaData': metaData, 'protocol': protocol, 'txn': txn}}) AS VARCHAR) END "
    "FROM read_parquet({})";

std::map<std::string, std::string> json_string_map(const std::string& text) {
  std::map<std::string, std::string> out;
  const Json parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_object()) return out;
  for (const auto& [k, v] : parsed.items()) out[k] = v.is_string() ? v.get<std::string>() : "";
  return out;
}

Expected<void> add_file_row(const db::Result& rows, size_t r, DeltaCommit& commit, const std::string& origin) {
  const auto opt_int = [&](size_t c) { return rows.is_null(c, r) ? std::optional<int64_t>() : rows.int64(c, r); };
  if (!rows.is_null(0, r)) {
    AddFile add;
    add.path = rows.text(0, r);
    add.size = opt_int(1).value_or(0);
    add.modification_time = opt_int(2).value_or(0);
    add.data_change = rows.is_null(3, r) || rows.boolean(3, r);
    add.stats = rows.text(4, r);
    add.num_records = stats_num_records(add.stats);
    if (!rows.is_null(5, r)) add.partition_values = json_string_map(rows.text(5, r));
    if (!rows.is_null(6, r)) add.tags = json_string_map(rows.text(6, r));
    add.has_deletion_vector = rows.boolean(7, r);
    commit.adds.push_back(std::move(add));
  }
  if (!rows.is_null(8, r)) {
    RemoveFile remove;
    remove.path = rows.text(8, r);
    remove.deletion_timestamp = opt_int(9);
    remove.data_change = rows.is_null(10, r) || rows.boolean(10, r);
    remove.extended_file_metadata = !rows.is_null(11, r) && rows.boolean(11, r);
    remove.size = opt_int(12);
    if (!rows.is_null(13, r)) remove.partition_values = json_string_map(rows.text(13, r));
    commit.removes.push_back(std::move(remove));
  }
  if (rows.is_null(14, r)) return {};
  return parse_action(rows.text(14, r), commit, fmt::format("{} row {}", origin, r));
}

Expected<void> holds_actions(const DeltaCommit& commit, const CheckpointFiles& checkpoint) {
  if (commit.protocol || commit.metadata || !commit.adds.empty()) return {};
  return fail(ErrorKind::protocol, fmt::format("checkpoint {} (version {}) holds no Delta actions",
                                               checkpoint.parts.front().string(), checkpoint.version));
}

}  // namespace

int64_t checkpoint_interval(const Metadata& metadata) {
  const auto it = metadata.configuration.find("delta.checkpointInterval");
  if (it == metadata.configuration.end()) return kDefaultCheckpointInterval;
  int64_t interval = 0;
  const auto* end = it->second.data() + it->second.size();
  const auto [ptr, error] = std::from_chars(it->second.data(), end, interval);
  return error == std::errc() && ptr == end && interval > 0 ? interval : kDefaultCheckpointInterval;
}

Expected<DeltaCommit> read_checkpoint(db::Connection& connection, const CheckpointFiles& checkpoint) {
  // Our own reader first (no DuckDB query: its fixed cost is most of a small checkpoint's read time);
  // DuckDB's reader for what ours does not decode, and to name the error of a corrupt file.
  DeltaCommit commit;
  bool read = !checkpoint.parts.empty();
  for (const auto& part : checkpoint.parts) {
    if (read && !read_checkpoint_file(part, commit)) read = false;
  }
  if (!read) return read_checkpoint_duckdb(connection, checkpoint);
  if (auto ok = holds_actions(commit, checkpoint); !ok) return tl::unexpected(ok.error());
  return commit;
}

Expected<DeltaCommit> read_checkpoint_duckdb(db::Connection& connection, const CheckpointFiles& checkpoint) {
  const std::string origin = fmt::format("checkpoint {}", checkpoint.parts.front().string());
  const std::string files = parquet_list(checkpoint.parts);
  DeltaCommit commit;
  // Fast path: the file actions' fields read directly (to_json of every struct costs ten times more).
  if (auto rows = connection.query(fmt::format(kFileActionsSql, files))) {
    for (size_t r = 0; r < rows->row_count(); ++r) {
      if (auto ok = add_file_row(*rows, r, commit, origin); !ok) return tl::unexpected(ok.error());
    }
  } else {
    // Another engine's layout (say, without add.stats): each row as one JSON object, like a log line.
    rows = connection.query(fmt::format("SELECT CAST(to_json(cp) AS VARCHAR) FROM read_parquet({}) AS cp", files));
    if (!rows) return with_context(rows.error(), "cannot read " + origin);
    for (size_t r = 0; r < rows->row_count(); ++r) {
      if (auto ok = parse_action(rows->text(0, r), commit, origin); !ok) {
        return with_context(ok.error(), fmt::format("row {}", r));
      }
    }
  }
  if (auto ok = holds_actions(commit, checkpoint); !ok) return tl::unexpected(ok.error());
  return commit;
}

Expected<void> write_checkpoint(db::Connection& connection, const Snapshot& snapshot, Timestamp now) {
  const DeltaLog log(snapshot.table_root);
  const std::vector<ActionRow> rows = checkpoint_rows(snapshot, now);
  if (auto ok = load_rows(connection, rows); !ok) return with_context(ok.error(), "writing a checkpoint");
  const fs::path temporary = log.log_dir() / fmt::format(".tmp-checkpoint-{}.parquet", new_uuid());
  auto copied = connection.execute(copy_sql(temporary));
  (void)connection.execute(fmt::format("DROP TABLE IF EXISTS temp.main.{}", kActionsTable));
  std::error_code ec;
  if (!copied) {
    fs::remove(temporary, ec);
    return with_context(copied.error(), fmt::format("writing the checkpoint of version {}", snapshot.version));
  }
  const fs::path target = log.checkpoint_path(snapshot.version);
  const auto bytes = static_cast<int64_t>(fs::file_size(temporary, ec));
  // rename() replaces atomically: readers see no checkpoint or a whole one (racing writers write the same state).
  fs::rename(temporary, target, ec);
  if (ec) {
    const std::string reason = ec.message();
    fs::remove(temporary, ec);
    return fail(ErrorKind::io, fmt::format("cannot move the checkpoint into place at {}: {}", target.string(), reason));
  }
  return log.write_last_checkpoint(LastCheckpoint{snapshot.version, static_cast<int64_t>(rows.size()), bytes,
                                                  static_cast<int64_t>(snapshot.files.size()), std::nullopt});
}

}  // namespace ampere::lake
