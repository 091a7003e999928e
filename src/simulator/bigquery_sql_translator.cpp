#include "simulator/bigquery_sql_translator.hpp"

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/strings.hpp"

namespace ampere::simulator {

namespace {

Expected<std::string> duckdb_type(const std::string& type) {
  static const std::map<std::string, std::string> kTypes = {
      {"STRING", "VARCHAR"},        {"INT64", "BIGINT"}, {"FLOAT64", "DOUBLE"},       {"BOOL", "BOOLEAN"},
      {"TIMESTAMP", "TIMESTAMPTZ"}, {"DATE", "DATE"},    {"NUMERIC", "DECIMAL(38,9)"}};
  const auto it = kTypes.find(type);
  if (it == kTypes.end()) {
    return fail(ErrorKind::invalid_input, fmt::format("Unsupported query parameter type {} (stand-in)", type));
  }
  return it->second;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string quote_string(std::string_view value) {
  std::string out = "'";
  for (const char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

bool is_word(const SqlToken& token, std::string_view word) {
  return token.kind == SqlTokenKind::identifier && to_lower(token.text) == to_lower(word);
}

class Translator {
 public:
  Translator(const std::vector<SqlToken>& tokens, const std::vector<StandinParameter>& parameters)
      : tokens_(tokens), parameters_(parameters) {}

  Expected<DuckdbQuery> run() {
    const size_t first = next_solid(0);
    if (first >= tokens_.size() || (!is_word(tokens_[first], "select") && !is_word(tokens_[first], "with"))) {
      return fail(ErrorKind::invalid_input, "the BigQuery stand-in runs only SELECT queries");
    }
    auto sql = translate(0, tokens_.size());
    if (!sql) return tl::unexpected(sql.error());
    return DuckdbQuery{std::move(*sql), std::move(binds_)};
  }

 private:
  // The index of the next token at or after i that is not space.
  size_t next_solid(size_t i) const {
    while (i < tokens_.size() && tokens_[i].kind == SqlTokenKind::space) ++i;
    return i;
  }
  // The index of the previous non-space token before i, or npos.
  size_t previous_solid(size_t i) const {
    while (i > 0) {
      --i;
      if (tokens_[i].kind != SqlTokenKind::space) return i;
    }
    return std::string::npos;
  }
  // The index of the ')' matching the '(' at `open`, or npos.
  size_t matching(size_t open) const {
    int depth = 0;
    for (size_t i = open; i < tokens_.size(); ++i) {
      if (tokens_[i].kind != SqlTokenKind::symbol) continue;
      if (tokens_[i].text == "(") ++depth;
      if (tokens_[i].text == ")" && --depth == 0) return i;
    }
    return std::string::npos;
  }

  Expected<std::string> parameter(const std::string& name) {
    for (const auto& p : parameters_) {
      if (p.name != name) continue;
      auto type = duckdb_type(p.type);
      if (!type) return tl::unexpected(type.error());
      auto [it, added] = indexes_.emplace(name, binds_.size() + 1);
      if (added) {
        binds_.push_back(p.is_array ? nlohmann::json(p.values).dump() : (p.values.empty() ? "" : p.values.front()));
      }
      if (p.is_array) return fmt::format("CAST(from_json(${}, '[\"VARCHAR\"]') AS {}[])", it->second, *type);
      return fmt::format("CAST(${} AS {})", it->second, *type);
    }
    return fail(ErrorKind::invalid_input, fmt::format("Query parameter '{}' not found", name));
  }

  Expected<std::string> translate(size_t begin, size_t end) {
    std::string out;
    for (size_t i = begin; i < end; ++i) {
      const SqlToken& token = tokens_[i];
      const size_t open = next_solid(i + 1);
      const bool call = open < end && tokens_[open].kind == SqlTokenKind::symbol && tokens_[open].text == "(";
      if (call && is_word(token, "timestamp_trunc")) {
        auto rewritten = timestamp_trunc(open, end, i);
        if (!rewritten) return tl::unexpected(rewritten.error());
        out += *rewritten;
        continue;
      }
      const size_t before = previous_solid(i);
      if (call && is_word(token, "unnest") && before != std::string::npos && is_word(tokens_[before], "in")) {
        const size_t close = matching(open);
        if (close == std::string::npos || close >= end)
          return fail(ErrorKind::invalid_input, "Syntax error: Unclosed (");
        auto inner = translate(open + 1, close);
        if (!inner) return inner;
        out += "(SELECT unnest(" + *inner + "))";
        i = close;
        continue;
      }
      switch (token.kind) {
        case SqlTokenKind::quoted: {
          if (token.text == public_downloads_table) {
            out += standin_downloads_table;
          } else {
            std::vector<std::string> parts;
            for (const auto& part : split(token.text, '.')) parts.push_back(quote_identifier(part));
            out += join(parts, ".");
          }
          break;
        }
        case SqlTokenKind::string:
          out += quote_string(token.text);
          break;
        case SqlTokenKind::parameter: {
          auto expression = parameter(token.text);
          if (!expression) return expression;
          out += *expression;
          break;
        }
        case SqlTokenKind::identifier:
          // GoogleSQL's TIMESTAMP is an instant (DuckDB's TIMESTAMPTZ): TIMESTAMP '2026-01-01' literals.
          if (is_word(token, "timestamp") && open < end && tokens_[open].kind == SqlTokenKind::string) {
            out += "TIMESTAMPTZ";
          } else {
            out += token.text;
          }
          break;
        default:
          out += token.text;
      }
    }
    return out;
  }

  // TIMESTAMP_TRUNC(expression, PART) -> date_trunc('part', expression); `name` is the function's index.
  Expected<std::string> timestamp_trunc(size_t open, size_t end, size_t& name) {
    const size_t close = matching(open);
    if (close == std::string::npos || close >= end) return fail(ErrorKind::invalid_input, "Syntax error: Unclosed (");
    size_t comma = std::string::npos;
    int depth = 0;
    for (size_t k = open + 1; k < close; ++k) {
      if (tokens_[k].kind != SqlTokenKind::symbol) continue;
      if (tokens_[k].text == "(") ++depth;
      if (tokens_[k].text == ")") --depth;
      if (tokens_[k].text == "," && depth == 0) comma = k;
    }
    const size_t part = comma == std::string::npos ? close : next_solid(comma + 1);
    if (part >= close || tokens_[part].kind != SqlTokenKind::identifier) {
      return fail(ErrorKind::invalid_input, "No matching signature for function TIMESTAMP_TRUNC");
    }
    auto inner = translate(open + 1, comma);
    if (!inner) return inner;
    name = close;
    return fmt::format("date_trunc('{}', {})", to_lower(tokens_[part].text), *inner);
  }

  const std::vector<SqlToken>& tokens_;
  const std::vector<StandinParameter>& parameters_;
  std::map<std::string, size_t> indexes_;
  std::vector<std::string> binds_;
};

}  // namespace

Expected<DuckdbQuery> translate_to_duckdb(const std::vector<SqlToken>& tokens,
                                          const std::vector<StandinParameter>& parameters) {
  return Translator(tokens, parameters).run();
}

}  // namespace ampere::simulator
