#pragma once
// The actions of the Delta transaction log (protocol, metaData, add, remove, txn, commitInfo) and one
// commit's worth of them, with their newline-delimited JSON form (PROTOCOL.md, "Actions").

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lake/delta_schema.hpp"
#include "util/error.hpp"

namespace ampere::lake {

/// The reader and writer versions (and table features) a client needs to use the table.
struct Protocol {
  int min_reader_version = 1;
  int min_writer_version = 2;
  std::vector<std::string> reader_features;  ///< only with reader version 3
  std::vector<std::string> writer_features;  ///< only with writer version 7
};

/// The table's metadata: identity, schema, partitioning, configuration.
struct Metadata {
  std::string id;  ///< a UUID, fixed at creation
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::string format_provider = "parquet";
  std::map<std::string, std::string> format_options;
  std::string schema_string;  ///< as written in the log
  DeltaSchema schema;         ///< schema_string parsed
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;
  std::optional<int64_t> created_time;  ///< milliseconds since the epoch
};

/// A data file joining the table.
struct AddFile {
  std::string path;  ///< relative to the table root, URI-encoded as in the log
  std::map<std::string, std::string> partition_values;
  int64_t size = 0;               ///< bytes
  int64_t modification_time = 0;  ///< milliseconds since the epoch
  bool data_change = true;
  std::string stats;                   ///< the stats JSON text, empty when absent
  std::optional<int64_t> num_records;  ///< stats.numRecords, when present
  std::map<std::string, std::string> tags;
  bool has_deletion_vector = false;  ///< set by Spark tables with deletion vectors (which we cannot read)
};

/// A data file leaving the table; kept as a tombstone for vacuum.
struct RemoveFile {
  std::string path;
  std::optional<int64_t> deletion_timestamp;  ///< milliseconds since the epoch
  bool data_change = true;
  bool extended_file_metadata = false;
  std::map<std::string, std::string> partition_values;
  std::optional<int64_t> size;
};

/// An application's transaction identifier (idempotent writes by streaming engines).
struct Txn {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;
};

/// Provenance of a commit: when, what operation, by which engine.
struct CommitInfo {
  int64_t timestamp = 0;  ///< milliseconds since the epoch
  std::string operation;
  std::map<std::string, std::string> operation_parameters;
  std::optional<int64_t> read_version;
  bool is_blind_append = false;
  std::map<std::string, std::string> operation_metrics;
  std::string engine_info;
};

/// The actions of one log entry (or of a checkpoint, which holds no commitInfo).
struct DeltaCommit {
  std::optional<CommitInfo> commit_info;
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::vector<AddFile> adds;
  std::vector<RemoveFile> removes;
  std::vector<Txn> txns;
};

/// Parses one action line (a JSON object with one key) into `commit`. Unknown action kinds and fields
/// are ignored, as the protocol requires. `origin` ("<file> line 3") prefixes errors.
Expected<void> parse_action(std::string_view json, DeltaCommit& commit, std::string_view origin);

/// Parses a whole newline-delimited log entry. A malformed or truncated line is a protocol error that
/// names `origin` (the file) and the line.
Expected<DeltaCommit> parse_commit(std::string_view ndjson, std::string_view origin);

/// The log entry text: one action per line, commitInfo first, then protocol, metaData, txn, remove, add.
std::string serialize_commit(const DeltaCommit& commit);

/// The metaData action as one JSON object text (for checkpoints and tests).
std::string serialize_metadata(const Metadata& metadata);

}  // namespace ampere::lake
