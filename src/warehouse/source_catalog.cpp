#include "warehouse/source_catalog.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "util/strings.hpp"
#include "warehouse/sql_files.hpp"

namespace ampere::warehouse {

namespace {

const std::set<std::string, std::less<>> kKeyTypes{"bigint", "varchar"};

Error source_error(const std::string& path, const YAML::Node& node, const std::string& what) {
  const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  return Error{ErrorKind::invalid_input, fmt::format("{}:{}: {}", path, line, what)};
}

bool is_identifier(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Expected<SourceKey> parse_key(const std::string& path, const YAML::Node& node) {
  if (!node.IsMap() || !node["name"] || !node["type"]) {
    return tl::unexpected(source_error(path, node, "a key needs `name` and `type` (bigint or varchar)"));
  }
  SourceKey key{node["name"].as<std::string>(), node["type"].as<std::string>()};
  if (!is_identifier(key.name)) {
    return tl::unexpected(
        source_error(path, node, fmt::format("key name '{}' is not a lower-case identifier", key.name)));
  }
  if (!kKeyTypes.contains(key.type)) {
    return tl::unexpected(
        source_error(path, node, fmt::format("key type '{}' is not one of: bigint, varchar", key.type)));
  }
  return key;
}

}  // namespace

Expected<std::vector<SourceTable>> parse_sources(const std::string& path, const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);
    const YAML::Node sources = root["sources"];
    if (!sources || !sources.IsSequence()) {
      return tl::unexpected(source_error(path, root, "expected a top-level `sources:` list"));
    }
    std::vector<SourceTable> out;
    for (const auto& source : sources) {
      if (!source["name"] || !source["tables"] || !source["tables"].IsSequence()) {
        return tl::unexpected(source_error(path, source, "a source needs `name` and a `tables:` list"));
      }
      const std::string source_name = source["name"].as<std::string>();
      for (const auto& table : source["tables"]) {
        if (!table["name"] || !table["keys"] || !table["keys"].IsSequence() || table["keys"].size() == 0) {
          return tl::unexpected(source_error(path, table, "a table needs `name` and a non-empty `keys:` list"));
        }
        SourceTable t{source_name,
                      table["name"].as<std::string>(),
                      table["description"] ? table["description"].as<std::string>() : "",
                      {}};
        if (!is_identifier(t.name)) {
          return tl::unexpected(
              source_error(path, table, fmt::format("table name '{}' is not a lower-case identifier", t.name)));
        }
        for (const auto& key : table["keys"]) {
          auto parsed = parse_key(path, key);
          if (!parsed) return tl::unexpected(parsed.error());
          t.keys.push_back(std::move(*parsed));
        }
        out.push_back(std::move(t));
      }
    }
    return out;
  } catch (const YAML::Exception& e) {
    return fail(ErrorKind::invalid_input, fmt::format("{}:{}: invalid YAML: {}", path, e.mark.line + 1, e.msg));
  }
}

Expected<std::vector<SourceTable>> embedded_sources() {
  std::vector<SourceTable> all;
  for (const auto& file : sql_files::embedded_files()) {
    if (!file.path.ends_with("__sources.yml")) continue;
    auto parsed = parse_sources("sql/" + std::string(file.path), std::string(file.bytes));
    if (!parsed) return tl::unexpected(parsed.error());
    all.insert(all.end(), parsed->begin(), parsed->end());
  }
  return all;
}

Expected<void> check_model_sources(const std::vector<Model>& models, const std::vector<SourceTable>& sources) {
  std::vector<std::string> declared;
  for (const auto& t : sources) declared.push_back(t.source + "." + t.name);
  for (const auto& model : models) {
    for (const auto& used : model.sources) {
      if (std::find(declared.begin(), declared.end(), used.name) != declared.end()) continue;
      const auto suggestion = closest_match(used.name, declared);
      return fail(ErrorKind::invalid_input,
                  fmt::format("{}:{}: source '{}' is not declared in any sql/staging/<source>/_<source>__sources.yml{}",
                              model.path, used.line, used.name,
                              suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : ""));
    }
  }
  return {};
}

Expected<void> ensure_source_views(db::Connection& connection, const std::vector<SourceTable>& sources) {
  for (const auto& table : sources) {
    const std::string schema = "raw_" + table.source;
    auto exists = connection.query(fmt::format(
        "SELECT count(*) FROM duckdb_views() WHERE schema_name = '{}' AND view_name = '{}'", schema, table.name));
    if (!exists) return tl::unexpected(exists.error());
    if (exists->int64(0, 0) > 0) continue;
    std::string columns;
    for (const auto& key : table.keys) columns += fmt::format("CAST(NULL AS {}) AS {}, ", key.type, key.name);
    const std::string sql = fmt::format(
        "CREATE SCHEMA IF NOT EXISTS {0}; CREATE OR REPLACE VIEW {0}.{1} AS SELECT {2}CAST(NULL AS TIMESTAMPTZ) AS "
        "retrieved_at, CAST(NULL AS VARCHAR) AS sync_id, CAST(NULL AS VARCHAR) AS payload WHERE false",
        schema, table.name, columns);
    if (auto ok = connection.execute(sql); !ok)
      return with_context(ok.error(), "creating the empty view " + schema + "." + table.name);
  }
  return {};
}

}  // namespace ampere::warehouse
