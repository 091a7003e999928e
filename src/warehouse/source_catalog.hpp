#pragma once
// The raw tables the models may read, declared in sql/staging/<source>/_<source>__sources.yml as dbt
// declares sources, with each table's key columns and their types. The warehouse reads a table that
// has no data yet as an empty view of the same shape, so a source never synced (say, stargazers a
// token may not see) leaves its models empty instead of failing the build.

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"
#include "warehouse/model.hpp"

namespace ampere::warehouse {

/// A key column of a raw table and its SQL type ("bigint" or "varchar").
struct SourceKey {
  std::string name;
  std::string type;
};

/// One declared raw table: raw_<source>.<name>, with columns keys..., retrieved_at, sync_id, payload.
struct SourceTable {
  std::string source;
  std::string name;
  std::string description;
  std::vector<SourceKey> keys;
};

/// Parses a sources file. Errors name the file, the line and what is wrong.
Expected<std::vector<SourceTable>> parse_sources(const std::string& path, const std::string& text);

/// Every source table declared in the sql/ files embedded in the binary.
Expected<std::vector<SourceTable>> embedded_sources();

/// Fails when a model reads a source that no sources file declares, naming the model's file and line
/// and the closest declared table.
Expected<void> check_model_sources(const std::vector<Model>& models, const std::vector<SourceTable>& sources);

/// Creates raw_<source>.<table> as an empty, typed view for every declared table that has no view yet.
Expected<void> ensure_source_views(db::Connection& connection, const std::vector<SourceTable>& sources);

}  // namespace ampere::warehouse
