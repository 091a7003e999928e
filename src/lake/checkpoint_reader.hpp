#pragma once
// Reads a Delta checkpoint file with our own Parquet reader (parquet_file.hpp): the columns of the
// add, remove, metaData, protocol and txn structs, assembled row by row into the actions of a
// DeltaCommit, as read_checkpoint's DuckDB query does, without DuckDB's fixed cost per query.
// Columns a writer left out (say, add.stats or add.tags) read as null.

#include <filesystem>

#include "lake/delta_commit.hpp"
#include "lake/parquet_file.hpp"

namespace ampere::lake {

/// Appends the actions of the checkpoint file (one part of a checkpoint) at `path` to `commit`.
/// `unsupported` when the file uses Parquet features this reader does not decode; `corrupt` when the
/// file or an action in it is malformed. Either way the caller can read the file another way.
ParquetResult<void> read_checkpoint_file(const std::filesystem::path& path, DeltaCommit& commit);

/// The same for a file already opened.
ParquetResult<void> read_checkpoint_actions(const ParquetFile& file, DeltaCommit& commit);

}  // namespace ampere::lake
