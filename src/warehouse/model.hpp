#pragma once
// One SQL model (dbt conventions): a SELECT in sql/<layer>/.../<name>.sql with {{ ref() }},
// {{ source() }} and an optional {{ config(materialized='...') }}.

#include <string>
#include <vector>

#include "util/error.hpp"

namespace ampere::warehouse {

/// How a model is stored in the warehouse.
enum class Materialization { view, table };

/// A `{{ ref('x') }}` or `{{ source('s', 't') }}` found in a model, with its line for error messages.
struct ModelDependency {
  std::string name;  ///< the model name, or "source.table" for sources
  int line = 0;
};

/// A parsed model.
struct Model {
  std::string name;  ///< file name without .sql: "stg_github__repos"
  std::string path;  ///< "sql/staging/github/stg_github__repos.sql", for messages
  std::string sql;   ///< the text as written
  Materialization materialization = Materialization::view;
  std::vector<ModelDependency> refs;
  std::vector<ModelDependency> sources;
};

/// Parses a model file. Fails on an unknown materialization or a malformed {{ }} block, naming the line.
Expected<Model> parse_model(const std::string& path, const std::string& text);

/// The model's SQL with every ref and source replaced by the relation it names:
/// ref('x') -> main."x", source('github', 'repos') -> raw_github."repos".
std::string compile_model(const Model& model);

}  // namespace ampere::warehouse
