#pragma once
// Data tests declared beside the models, dbt-style, in sql/<layer>/.../_<dir>__models.yml:
//
//   models:
//     - name: stg_github__issues
//       columns:
//         - name: issue_id
//           tests: [unique, not_null]
//         - name: state
//           tests: [{accepted_values: {values: [open, closed]}}]
//         - name: repo_id
//           tests: [{relationships: {to: ref('stg_github__repos'), field: repo_id}}]
//       tests:
//         - expression_is_true: {expression: "comments >= 0"}
//         - unique_combination: {columns: [repo_id, user_id]}
//
// Each test is a query for the rows that break it; a test passes when there are none.

#include <optional>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"

namespace ampere::warehouse {

/// The kinds of test, as dbt names them.
enum class DataTestKind { unique, not_null, accepted_values, relationships, expression_is_true, unique_combination };

/// One declared test of one model.
struct DataTest {
  std::string model;
  DataTestKind kind = DataTestKind::unique;
  std::string column;                ///< empty for model-level tests
  std::vector<std::string> values;   ///< accepted_values
  std::string to_model;              ///< relationships: the parent model
  std::string to_field;              ///< relationships: its key column
  std::string expression;            ///< expression_is_true: a boolean SQL expression over the model's rows
  std::vector<std::string> columns;  ///< unique_combination: columns whose values together are unique
  std::string path;                  ///< the YAML file and line, for messages
  int line = 0;

  /// "unique(issue_id)", "accepted_values(state: open, closed)", ...: how reports name the test.
  [[nodiscard]] std::string label() const;
};

/// A failed test: how many rows break it and the first few of them, rendered as text.
struct DataTestFailure {
  DataTest test;
  int64_t failing_rows = 0;
  std::vector<std::string> sample;
};

/// Parses a models file. Errors name the file, the line and the accepted test names.
Expected<std::vector<DataTest>> parse_data_tests(const std::string& path, const std::string& text);

/// Every test declared in the sql/ files embedded in the binary.
Expected<std::vector<DataTest>> embedded_data_tests();

/// The query returning the rows that break `test` (over main."<model>"). With `written`, a condition
/// on main."<model>"'s columns (qualified by the model's name) that holds for the rows a build has just
/// written, when the other rows passed this same test before and are unchanged: the query checks only
/// what the written rows can break. A column test and an expression without a subquery check the written
/// rows; a unique test checks the values the written rows hold, against every row. A relationships test
/// and an expression with a subquery read other rows or models, which may have changed: they check
/// every row.
std::string data_test_sql(const DataTest& test, const std::string& written = "");

/// Runs `test` (over the `written` rows: see data_test_sql); nullopt when it passes. A query error (say,
/// a column that does not exist) is an error.
Expected<std::optional<DataTestFailure>> run_data_test(db::Connection& connection, const DataTest& test,
                                                       const std::string& written = "");

}  // namespace ampere::warehouse
