#include "warehouse/data_test.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/strings.hpp"
#include "warehouse/sql_files.hpp"

namespace ampere::warehouse {

namespace {

/// Failing rows shown per failed test.
constexpr int kSampleRows = 5;

const std::vector<std::string>& test_names() {
  static const std::vector<std::string> names{"unique",        "not_null",           "accepted_values",
                                              "relationships", "expression_is_true", "unique_combination"};
  return names;
}

int line_of(const YAML::Node& node) {
  return node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
}

Error yaml_error(const std::string& path, const YAML::Node& node, const std::string& what) {
  return Error{ErrorKind::invalid_input, fmt::format("{}:{}: {}", path, line_of(node), what)};
}

std::string quote_identifier(const std::string& name) {
  return "\"" + name + "\"";
}

std::string quote_literal(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// "ref('stg_github__repos')" or a bare model name -> the model name.
std::string ref_target(const std::string& text) {
  const std::string t(trim(text));
  if (t.starts_with("ref(") && t.ends_with(")")) {
    std::string inner(trim(std::string_view(t).substr(4, t.size() - 5)));
    if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"')) inner = inner.substr(1, inner.size() - 2);
    return inner;
  }
  return t;
}

Expected<DataTest> parse_test(const std::string& path, const std::string& model, const std::string& column,
                              const YAML::Node& node) {
  DataTest test;
  test.model = model;
  test.column = column;
  test.path = path;
  test.line = line_of(node);
  std::string name;
  YAML::Node args;
  if (node.IsScalar()) {
    name = node.as<std::string>();
  } else if (node.IsMap() && node.size() == 1) {
    name = node.begin()->first.as<std::string>();
    args = node.begin()->second;
  } else {
    return tl::unexpected(yaml_error(path, node, "a test is a name or a one-key map {name: {arguments}}"));
  }
  const auto& names = test_names();
  const auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) {
    return tl::unexpected(
        yaml_error(path, node, fmt::format("unknown test '{}'; accepted: {}", name, join(names, ", "))));
  }
  test.kind = static_cast<DataTestKind>(found - names.begin());
  const bool needs_column =
      test.kind != DataTestKind::expression_is_true && test.kind != DataTestKind::unique_combination;
  if (needs_column && column.empty()) {
    return tl::unexpected(yaml_error(path, node, fmt::format("test '{}' belongs under a column", name)));
  }
  switch (test.kind) {
    case DataTestKind::accepted_values:
      if (!args || !args["values"] || !args["values"].IsSequence() || args["values"].size() == 0) {
        return tl::unexpected(yaml_error(path, node, "accepted_values needs {values: [...]}"));
      }
      for (const auto& v : args["values"]) test.values.push_back(v.as<std::string>());
      break;
    case DataTestKind::relationships:
      if (!args || !args["to"] || !args["field"]) {
        return tl::unexpected(yaml_error(path, node, "relationships needs {to: ref('model'), field: column}"));
      }
      test.to_model = ref_target(args["to"].as<std::string>());
      test.to_field = args["field"].as<std::string>();
      break;
    case DataTestKind::expression_is_true:
      if (!args || !args["expression"]) {
        return tl::unexpected(yaml_error(path, node, "expression_is_true needs {expression: \"SQL\"}"));
      }
      test.expression = args["expression"].as<std::string>();
      break;
    case DataTestKind::unique_combination:
      if (!args || !args["columns"] || !args["columns"].IsSequence() || args["columns"].size() == 0) {
        return tl::unexpected(yaml_error(path, node, "unique_combination needs {columns: [...]}"));
      }
      for (const auto& c : args["columns"]) test.columns.push_back(c.as<std::string>());
      break;
    case DataTestKind::unique:
    case DataTestKind::not_null:
      break;
  }
  return test;
}

}  // namespace

std::string DataTest::label() const {
  switch (kind) {
    case DataTestKind::unique:
      return fmt::format("unique({})", column);
    case DataTestKind::not_null:
      return fmt::format("not_null({})", column);
    case DataTestKind::accepted_values:
      return fmt::format("accepted_values({}: {})", column, join(values, ", "));
    case DataTestKind::relationships:
      return fmt::format("relationships({} -> {}.{})", column, to_model, to_field);
    case DataTestKind::expression_is_true:
      return fmt::format("expression_is_true({})", expression);
    case DataTestKind::unique_combination:
      return fmt::format("unique_combination({})", join(columns, ", "));
  }
  return "?";
}

Expected<std::vector<DataTest>> parse_data_tests(const std::string& path, const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);
    const YAML::Node models = root["models"];
    if (!models || !models.IsSequence()) {
      return tl::unexpected(yaml_error(path, root, "expected a top-level `models:` list"));
    }
    std::vector<DataTest> out;
    for (const auto& model : models) {
      if (!model["name"]) return tl::unexpected(yaml_error(path, model, "a model entry needs `name`"));
      const std::string name = model["name"].as<std::string>();
      const auto add = [&](const std::string& column, const YAML::Node& tests) -> Expected<void> {
        if (!tests) return {};
        if (!tests.IsSequence()) return tl::unexpected(yaml_error(path, tests, "`tests:` must be a list"));
        for (const auto& t : tests) {
          auto parsed = parse_test(path, name, column, t);
          if (!parsed) return tl::unexpected(parsed.error());
          out.push_back(std::move(*parsed));
        }
        return {};
      };
      if (auto ok = add("", model["tests"]); !ok) return tl::unexpected(ok.error());
      if (const auto columns = model["columns"]) {
        for (const auto& column : columns) {
          if (!column["name"]) return tl::unexpected(yaml_error(path, column, "a column entry needs `name`"));
          if (auto ok = add(column["name"].as<std::string>(), column["tests"]); !ok) return tl::unexpected(ok.error());
        }
      }
    }
    return out;
  } catch (const YAML::Exception& e) {
    return fail(ErrorKind::invalid_input, fmt::format("{}:{}: invalid YAML: {}", path, e.mark.line + 1, e.msg));
  }
}

Expected<std::vector<DataTest>> embedded_data_tests() {
  std::vector<DataTest> all;
  for (const auto& file : sql_files::embedded_files()) {
    if (!file.path.ends_with("__models.yml")) continue;
    auto parsed = parse_data_tests("sql/" + std::string(file.path), std::string(file.bytes));
    if (!parsed) return tl::unexpected(parsed.error());
    all.insert(all.end(), parsed->begin(), parsed->end());
  }
  return all;
}

namespace {

// Whether `test` reads only the row it checks (not other rows, nor other models).
bool is_row_local(const DataTest& test) {
  switch (test.kind) {
    case DataTestKind::not_null:
    case DataTestKind::accepted_values:
      return true;
    case DataTestKind::expression_is_true: {
      std::string lower = test.expression;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      return lower.find("select") == std::string::npos;
    }
    default:
      return false;
  }
}

}  // namespace

std::string data_test_sql(const DataTest& test, const std::string& written) {
  const std::string model = "main." + quote_identifier(test.model);
  const std::string column = quote_identifier(test.column);
  // The rows to check: every row, or the written ones for a test that reads only the row it checks.
  const std::string rows =
      !written.empty() && is_row_local(test)
          ? fmt::format("(SELECT * FROM {} WHERE {}) AS {}", model, written, quote_identifier(test.model))
          : model;
  switch (test.kind) {
    case DataTestKind::unique: {
      // Two equal values among unchanged rows were caught before: a duplicate now holds a written value.
      const std::string scope =
          written.empty() ? "" : fmt::format(" AND {0} IN (SELECT {0} FROM {1} WHERE {2})", column, model, written);
      return fmt::format(
          "SELECT {0}, count(*) AS occurrences FROM {1} WHERE {0} IS NOT NULL{2} GROUP BY {0} HAVING count(*) > 1",
          column, model, scope);
    }
    case DataTestKind::not_null:
      return fmt::format("SELECT * FROM {} WHERE {} IS NULL", rows, column);
    case DataTestKind::accepted_values: {
      std::vector<std::string> literals;
      for (const auto& v : test.values) literals.push_back(quote_literal(v));
      return fmt::format(
          "SELECT {0}, count(*) AS occurrences FROM {1} WHERE {0} IS NOT NULL AND CAST({0} AS VARCHAR) "
          "NOT IN ({2}) GROUP BY {0}",
          column, rows, join(literals, ", "));
    }
    case DataTestKind::relationships:
      return fmt::format(
          "SELECT child.{0} FROM {1} AS child WHERE child.{0} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
          "main.{2} AS parent WHERE parent.{3} = child.{0})",
          column, model, quote_identifier(test.to_model), quote_identifier(test.to_field));
    case DataTestKind::expression_is_true:
      return fmt::format("SELECT * FROM {} WHERE NOT coalesce(({}), false)", is_row_local(test) ? rows : model,
                         test.expression);
    case DataTestKind::unique_combination: {
      std::vector<std::string> quoted;
      std::vector<std::string> same;
      for (const auto& c : test.columns) {
        quoted.push_back(quote_identifier(c));
        same.push_back(
            fmt::format("w.{0} IS NOT DISTINCT FROM {1}.{0}", quote_identifier(c), quote_identifier(test.model)));
      }
      const std::string list = join(quoted, ", ");
      const std::string scope = written.empty()
                                    ? ""
                                    : fmt::format(
                                          " WHERE EXISTS (SELECT 1 FROM (SELECT DISTINCT {0} FROM {1} WHERE {2}) AS w "
                                          "WHERE {3})",
                                          list, model, written, join(same, " AND "));
      return fmt::format("SELECT {0}, count(*) AS occurrences FROM {1}{2} GROUP BY {0} HAVING count(*) > 1", list,
                         model, scope);
    }
  }
  return "";
}

Expected<std::optional<DataTestFailure>> run_data_test(db::Connection& connection, const DataTest& test,
                                                       const std::string& written) {
  const std::string sql = data_test_sql(test, written);
  auto count = connection.query(fmt::format("SELECT count(*) FROM ({})", sql));
  if (!count) {
    return with_context(count.error(),
                        fmt::format("test {} of model {} ({}:{})", test.label(), test.model, test.path, test.line));
  }
  const int64_t failing = count->int64(0, 0);
  if (failing == 0) return std::optional<DataTestFailure>();
  DataTestFailure failure{test, failing, {}};
  auto sample = connection.query(fmt::format("SELECT * FROM ({}) LIMIT {}", sql, kSampleRows));
  if (sample) {
    for (size_t r = 0; r < sample->row_count(); ++r) {
      std::vector<std::string> cells;
      for (size_t c = 0; c < sample->column_count(); ++c) {
        cells.push_back(
            fmt::format("{}={}", sample->column_name(c), sample->is_null(c, r) ? "NULL" : sample->text(c, r)));
      }
      failure.sample.push_back(join(cells, ", "));
    }
  }
  return std::optional<DataTestFailure>(std::move(failure));
}

}  // namespace ampere::warehouse
