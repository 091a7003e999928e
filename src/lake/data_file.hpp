#pragma once
// Data files: Parquet (zstd) written by DuckDB into the table folder under a unique name, described by
// an add action with its size, time and column statistics (numRecords, minValues, maxValues, nullCount).

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "db/connection.hpp"
#include "lake/delta_commit.hpp"
#include "lake/delta_schema.hpp"
#include "util/error.hpp"

namespace ampere::lake {

/// Columns that get min/max statistics (Delta's default delta.dataSkippingNumIndexedCols).
inline constexpr size_t kStatsColumns = 32;
/// String statistics are prefixes of at most this many characters (a longer max is left out).
inline constexpr size_t kStatsStringPrefix = 32;

/// The column names of a query's result, as DuckDB describes them.
Expected<std::set<std::string>> query_columns(db::Connection& connection, std::string_view select_sql);

/// A SELECT list giving `schema`'s columns in order, each cast to its DuckDB type; a column missing
/// from `available` reads as a typed NULL (a file written before the column was added).
Expected<std::string> schema_select_list(const DeltaSchema& schema, const std::set<std::string>& available);

/// Writes the rows of `select_sql`, shaped to `schema`, as a new Parquet file in `table_root` and
/// returns its add action (path relative to the table, size, modificationTime, stats). Returns
/// nullopt, leaving no file, when the query has no rows. The file is not part of the table until a
/// commit adds it; if the process dies first it is an orphan that vacuum removes.
Expected<std::optional<AddFile>> write_data_file(db::Connection& connection, const std::filesystem::path& table_root,
                                                 std::string_view select_sql, const DeltaSchema& schema,
                                                 bool data_change);

/// The stats JSON of a written Parquet file, computed by reading it back.
Expected<std::string> compute_stats(db::Connection& connection, const std::filesystem::path& file,
                                    const DeltaSchema& schema);

}  // namespace ampere::lake
