#pragma once
// A GoogleSQL query with named parameters (@name), as BigQuery's jobs.query takes it: the SQL text is
// fixed in the program and every value travels as a typed parameter, never spliced into the text.

#include <string>
#include <utility>
#include <vector>

namespace ampere::pypi {

/// One named parameter: a scalar or an array of one GoogleSQL type.
struct BigQueryParameter {
  std::string name;                 ///< without the '@'
  std::string type;                 ///< GoogleSQL type: STRING, INT64, TIMESTAMP, DATE, BOOL (element type for arrays)
  bool is_array = false;            ///< ARRAY<type>
  std::vector<std::string> values;  ///< one value for a scalar; TIMESTAMP as "2026-11-27 00:00:00+00"

  /// A scalar parameter.
  static BigQueryParameter scalar(std::string name, std::string type, std::string value) {
    return {std::move(name), std::move(type), false, {std::move(value)}};
  }
  /// An ARRAY<type> parameter.
  static BigQueryParameter array(std::string name, std::string type, std::vector<std::string> values) {
    return {std::move(name), std::move(type), true, std::move(values)};
  }
};

/// The SQL and its parameters.
struct BigQueryQuery {
  std::string sql;
  std::vector<BigQueryParameter> parameters;
};

}  // namespace ampere::pypi
