#pragma once
// How the warehouse reads the lake: each table's snapshot as a DuckDB view over its active Parquet
// files, raw_<source>.<table>, recreated on every build so it follows the latest version.

#include <filesystem>
#include <string>

#include "db/connection.hpp"
#include "lake/snapshot.hpp"
#include "util/error.hpp"

namespace ampere::lake {

/// A SELECT of `snapshot`'s rows: its columns in schema order, typed, from its active files (columns
/// a file lacks read as NULL). For a table with no files, an empty SELECT of the same columns. A
/// missing data file is a not_found error naming the file and the version that added it.
Expected<std::string> snapshot_select_sql(db::Connection& connection, const Snapshot& snapshot);

/// For every table under lake_root/<source>/<table>: CREATE SCHEMA IF NOT EXISTS raw_<source> and
/// CREATE OR REPLACE VIEW raw_<source>.<table> over its latest snapshot. An absent lake attaches nothing.
Expected<void> attach_lake_views(db::Connection& connection, const std::filesystem::path& lake_root);

}  // namespace ampere::lake
