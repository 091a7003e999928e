#include "simulator/bigquery_sql_lexer.hpp"

#include <cctype>

#include <fmt/format.h>

namespace ampere::simulator {

namespace {

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Decodes a GoogleSQL quoted string body's backslash escapes (the common ones).
char unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    default:
      return c;
  }
}

}  // namespace

Expected<std::vector<SqlToken>> lex_bigquery_sql(std::string_view sql) {
  std::vector<SqlToken> tokens;
  size_t i = 0;
  const auto at = [&](size_t k) { return k < sql.size() ? sql[k] : '\0'; };
  while (i < sql.size()) {
    const char c = sql[i];
    const size_t start = i;
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i])) != 0) ++i;
      tokens.push_back({SqlTokenKind::space, std::string(sql.substr(start, i - start))});
    } else if (c == '#' || (c == '-' && at(i + 1) == '-')) {
      while (i < sql.size() && sql[i] != '\n') ++i;
      tokens.push_back({SqlTokenKind::space, " "});
    } else if (c == '/' && at(i + 1) == '*') {
      const size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) return fail(ErrorKind::invalid_input, "Syntax error: Unclosed comment");
      i = end + 2;
      tokens.push_back({SqlTokenKind::space, " "});
    } else if (c == '\'' || c == '"') {
      if (at(i + 1) == c && at(i + 2) == c) {
        return fail(ErrorKind::invalid_input, "Syntax error: triple-quoted strings are not supported by the stand-in");
      }
      std::string value;
      ++i;
      while (i < sql.size() && sql[i] != c) {
        if (sql[i] == '\\' && i + 1 < sql.size()) {
          value += unescape(sql[i + 1]);
          i += 2;
        } else {
          value += sql[i++];
        }
      }
      if (i >= sql.size()) return fail(ErrorKind::invalid_input, "Syntax error: Unclosed string literal");
      ++i;
      tokens.push_back({SqlTokenKind::string, std::move(value)});
    } else if (c == '`') {
      const size_t end = sql.find('`', i + 1);
      if (end == std::string_view::npos) return fail(ErrorKind::invalid_input, "Syntax error: Unclosed identifier");
      tokens.push_back({SqlTokenKind::quoted, std::string(sql.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else if (c == '@' && is_name_start(at(i + 1))) {
      ++i;
      while (i < sql.size() && is_name_char(sql[i])) ++i;
      tokens.push_back({SqlTokenKind::parameter, std::string(sql.substr(start + 1, i - start - 1))});
    } else if (is_name_start(c)) {
      while (i < sql.size() && is_name_char(sql[i])) ++i;
      tokens.push_back({SqlTokenKind::identifier, std::string(sql.substr(start, i - start))});
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      while (i < sql.size() && (is_name_char(sql[i]) || sql[i] == '.')) ++i;
      tokens.push_back({SqlTokenKind::number, std::string(sql.substr(start, i - start))});
    } else {
      static constexpr std::string_view kPairs[] = {">=", "<=", "<>", "!=", "||"};
      size_t length = 1;
      for (const auto pair : kPairs) {
        if (sql.substr(i, 2) == pair) length = 2;
      }
      i += length;
      tokens.push_back({SqlTokenKind::symbol, std::string(sql.substr(start, length))});
    }
  }
  return tokens;
}

}  // namespace ampere::simulator
