#pragma once
// BigQuery stand-in (not Google): turns the GoogleSQL a client sends into DuckDB SQL over the stand-in's
// synthetic table, so queries are computed, not canned. It knows the table name
// `bigquery-public-data.pypi.file_downloads`, `backtick` names, typed named parameters (@name ->
// DuckDB $n), TIMESTAMP_TRUNC(x, PART), `IN UNNEST(array)` and TIMESTAMP literals; anything else is
// passed through, and DuckDB's error becomes the stand-in's invalidQuery answer.

#include <string>
#include <vector>

#include "simulator/bigquery_sql_lexer.hpp"
#include "util/error.hpp"

namespace ampere::simulator {

/// The public table the stand-in serves, and the DuckDB table that holds it.
inline constexpr std::string_view public_downloads_table = "bigquery-public-data.pypi.file_downloads";
inline constexpr std::string_view standin_downloads_table = "file_downloads";

/// A named query parameter as jobs.query declares it (queryParameters[]).
struct StandinParameter {
  std::string name;
  std::string type;  ///< STRING, INT64, FLOAT64, BOOL, TIMESTAMP, DATE (the element type for arrays)
  bool is_array = false;
  std::vector<std::string> values;
};

/// DuckDB SQL with positional parameters and the text to bind to each ($1 first).
struct DuckdbQuery {
  std::string sql;
  std::vector<std::string> bind_values;
};

/// Translates a read-only GoogleSQL query. Errors read like BigQuery's invalidQuery messages.
Expected<DuckdbQuery> translate_to_duckdb(const std::vector<SqlToken>& tokens,
                                          const std::vector<StandinParameter>& parameters);

}  // namespace ampere::simulator
