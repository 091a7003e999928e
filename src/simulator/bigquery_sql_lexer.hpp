#pragma once
// BigQuery stand-in (not Google): splits GoogleSQL text into tokens, so the stand-in can translate a
// query to DuckDB and see which columns and partitions it reads, without touching string literals.

#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace ampere::simulator {

/// What a token is.
enum class SqlTokenKind {
  space,       ///< whitespace and comments
  identifier,  ///< a bare name or keyword
  quoted,      ///< a `backtick` name; text is without the backticks
  string,      ///< a '...' or "..." literal; text is the decoded value
  number,
  parameter,  ///< @name; text is the name without '@'
  symbol,     ///< punctuation and operators (">=", "(", ",", "*", ...)
};

/// One token and its text.
struct SqlToken {
  SqlTokenKind kind = SqlTokenKind::space;
  std::string text;
};

/// Splits `sql`; an error (as BigQuery's invalidQuery message) for an unterminated literal or comment.
Expected<std::vector<SqlToken>> lex_bigquery_sql(std::string_view sql);

}  // namespace ampere::simulator
