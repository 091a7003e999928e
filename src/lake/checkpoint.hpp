#pragma once
// Parquet checkpoints (PROTOCOL.md, "Checkpoints", V1 spec, classic naming): the whole table state at
// one version, one action per row in struct columns txn/add/remove/metaData/protocol/domainMetadata
// with Delta's field names and types, so that Spark, delta-rs and DuckDB's delta extension read it.
// DuckDB writes the Parquet; our own reader (checkpoint_reader.hpp) reads it, with DuckDB's reader as
// the fallback for files it does not decode.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "db/connection.hpp"
#include "lake/delta_commit.hpp"
#include "lake/delta_log.hpp"
#include "lake/snapshot.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::lake {

/// Commits between checkpoints unless the table's delta.checkpointInterval says otherwise.
inline constexpr int64_t kDefaultCheckpointInterval = 10;

/// How long remove tombstones stay in checkpoints (delta.deletedFileRetentionDuration's default).
inline constexpr std::chrono::hours kTombstoneRetention{7 * 24};

/// The actions stored in a checkpoint (ours or another engine's; all parts of a multi-part one).
/// A file that cannot be read is an error naming it.
Expected<DeltaCommit> read_checkpoint(db::Connection& connection, const CheckpointFiles& checkpoint);

/// The same read through DuckDB's Parquet reader only: read_checkpoint's fallback (public for the tests
/// that compare the two readers).
Expected<DeltaCommit> read_checkpoint_duckdb(db::Connection& connection, const CheckpointFiles& checkpoint);

/// Writes `snapshot` as the checkpoint of its version (to a temporary file, then renamed into place so
/// a reader never sees a partial one) and points _last_checkpoint at it. Tombstones older than
/// kTombstoneRetention before `now` are left out.
Expected<void> write_checkpoint(db::Connection& connection, const Snapshot& snapshot, Timestamp now);

/// The checkpoint interval of a table: its delta.checkpointInterval, else kDefaultCheckpointInterval.
int64_t checkpoint_interval(const Metadata& metadata);

}  // namespace ampere::lake
