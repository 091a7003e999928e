#pragma once
// One SQL model (dbt conventions): a SELECT in sql/<layer>/.../<name>.sql with {{ ref() }},
// {{ source() }} and an optional {{ config(materialized='...') }} (incremental models also name their
// key: {{ config(materialized='incremental', unique_key='repo_id,sha') }}; an incremental model over other
// models names the column its rows are rebuilt by, and the refs it only looks rows up in:
// {{ config(materialized='incremental', unique_key='event_id', partition_by='repo_id',
//            lookups='stg_github__users.user_id=actor_user_id') }}).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace ampere::warehouse {

/// How a model is stored in the warehouse. An incremental model is a table that, once built, is
/// updated only for the keys (unique_key) that have raw rows from syncs it has not seen yet.
enum class Materialization { view, table, incremental };

/// A `{{ ref('x') }}` or `{{ source('s', 't') }}` found in a model, with its line for error messages.
struct ModelDependency {
  std::string name;  ///< the model name, or "source.table" for sources
  int line = 0;
};

/// A ref that a partitioned model only looks rows up in: its row with `key` = the model's `column`.
struct Lookup {
  std::string ref;     ///< "stg_github__users"
  std::string key;     ///< the ref's key column: "user_id"
  std::string column;  ///< the model's column holding that key: "actor_user_id"
};

/// A parsed model.
struct Model {
  std::string name;  ///< file name without .sql: "stg_github__repos"
  std::string path;  ///< "sql/staging/github/stg_github__repos.sql", for messages
  std::string sql;   ///< the text as written
  Materialization materialization = Materialization::view;
  /// incremental: the source's key columns, which the model keeps; its rows for a key are replaced whole
  std::vector<std::string> unique_key;
  /// incremental over refs: the column (of the model and of every ref but the lookups) whose values are
  /// rebuilt independently: a value's rows depend only on the refs' rows with that value and on lookups
  std::string partition_by;
  std::vector<Lookup> lookups;
  std::vector<ModelDependency> refs;
  std::vector<ModelDependency> sources;
};

/// Parses a model file. Fails on an unknown materialization or a malformed {{ }} block, naming the line.
Expected<Model> parse_model(const std::string& path, const std::string& text);

/// The model's SQL with every ref and source replaced by the relation it names:
/// ref('x') -> main."x", source('github', 'repos') -> raw_github."repos". A source named in
/// `overrides` ("github.repos" for a source, "stg_github__repos" for a ref) is replaced by the SQL given
/// there instead (in parentheses).
std::string compile_model(const Model& model, const std::map<std::string, std::string>& overrides = {});

/// "view", "table" or "incremental".
std::string_view materialization_name(Materialization materialization);

}  // namespace ampere::warehouse
