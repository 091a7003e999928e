#include "lake/delta_schema.hpp"

#include <array>
#include <regex>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ampere::lake {

namespace {

using Json = nlohmann::ordered_json;

// Delta primitive type name <-> DuckDB type, both directions where they agree.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kPrimitives{{
    {"string", "VARCHAR"},
    {"long", "BIGINT"},
    {"integer", "INTEGER"},
    {"short", "SMALLINT"},
    {"byte", "TINYINT"},
    {"float", "FLOAT"},
    {"double", "DOUBLE"},
    {"boolean", "BOOLEAN"},
    {"binary", "BLOB"},
    {"date", "DATE"},
    {"timestamp", "TIMESTAMPTZ"},
    {"timestamp_ntz", "TIMESTAMP"},
}};

Expected<std::string> duckdb_type_for_json(const Json& type);

Expected<std::string> duckdb_type_for_primitive(std::string_view name) {
  for (const auto& [delta, duck] : kPrimitives) {
    if (name == delta) return std::string(duck);
  }
  static const std::regex decimal(R"(decimal\(\s*(\d+)\s*,\s*(\d+)\s*\))");
  std::cmatch match;
  const std::string text(name);
  if (std::regex_match(text.c_str(), match, decimal))
    return fmt::format("DECIMAL({},{})", match[1].str(), match[2].str());
  return fail(ErrorKind::protocol, fmt::format("unsupported Delta column type '{}'", name));
}

Expected<std::string> duckdb_type_for_json(const Json& type) {
  if (type.is_string()) return duckdb_type_for_primitive(type.get<std::string>());
  if (!type.is_object() || !type.contains("type")) {
    return fail(ErrorKind::protocol, fmt::format("malformed Delta type {}", type.dump()));
  }
  const std::string kind = type.value("type", "");
  if (kind == "struct") {
    std::string out = "STRUCT(";
    bool first = true;
    for (const auto& field : type.value("fields", Json::array())) {
      auto inner = duckdb_type_for_json(field.value("type", Json()));
      if (!inner) return inner;
      out += fmt::format("{}{} {}", first ? "" : ", ", quote_identifier(field.value("name", "")), *inner);
      first = false;
    }
    return out + ")";
  }
  if (kind == "array") {
    auto element = duckdb_type_for_json(type.value("elementType", Json()));
    if (!element) return element;
    return *element + "[]";
  }
  if (kind == "map") {
    auto key = duckdb_type_for_json(type.value("keyType", Json()));
    if (!key) return key;
    auto value = duckdb_type_for_json(type.value("valueType", Json()));
    if (!value) return value;
    return fmt::format("MAP({}, {})", *key, *value);
  }
  return fail(ErrorKind::protocol, fmt::format("unsupported Delta column type {}", type.dump()));
}

// A field's type as stored in DeltaField::type: primitives by name, nested types as JSON text.
std::string type_text(const Json& type) {
  return type.is_string() ? type.get<std::string>() : type.dump();
}

Json type_json(const std::string& type) {
  if (!type.empty() && type.front() == '{') return Json::parse(type, nullptr, false);
  return type;
}

}  // namespace

const DeltaField* DeltaSchema::find(std::string_view name) const {
  for (const auto& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

Expected<DeltaSchema> parse_schema(std::string_view schema_string) {
  const Json parsed = Json::parse(schema_string, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || parsed.value("type", "") != "struct" ||
      !parsed.contains("fields") || !parsed["fields"].is_array()) {
    return fail(ErrorKind::protocol,
                fmt::format("schemaString is not a Delta struct type: {}", std::string(schema_string.substr(0, 200))));
  }
  DeltaSchema schema;
  for (const auto& field : parsed["fields"]) {
    if (!field.is_object() || !field.contains("name") || !field["name"].is_string() || !field.contains("type")) {
      return fail(ErrorKind::protocol, fmt::format("schemaString has a malformed field: {}", field.dump()));
    }
    DeltaField out;
    out.name = field["name"].get<std::string>();
    out.type = type_text(field["type"]);
    out.nullable = field.value("nullable", true);
    out.metadata = field.contains("metadata") ? field["metadata"].dump() : "{}";
    schema.fields.push_back(std::move(out));
  }
  return schema;
}

std::string to_schema_string(const DeltaSchema& schema) {
  Json fields = Json::array();
  for (const auto& field : schema.fields) {
    Json metadata = Json::parse(field.metadata, nullptr, false);
    if (metadata.is_discarded()) metadata = Json::object();
    fields.push_back(Json{
        {"name", field.name}, {"type", type_json(field.type)}, {"nullable", field.nullable}, {"metadata", metadata}});
  }
  return Json{{"type", "struct"}, {"fields", fields}}.dump();
}

Expected<std::string> duckdb_type_for(std::string_view delta_type) {
  if (!delta_type.empty() && delta_type.front() == '{') {
    const Json parsed = Json::parse(delta_type, nullptr, false);
    if (parsed.is_discarded()) return fail(ErrorKind::protocol, fmt::format("malformed Delta type {}", delta_type));
    return duckdb_type_for_json(parsed);
  }
  return duckdb_type_for_primitive(delta_type);
}

Expected<std::string> delta_type_for(std::string_view duckdb_type) {
  if (duckdb_type == "TIMESTAMP WITH TIME ZONE") return std::string("timestamp");
  if (duckdb_type == "TIMESTAMP") {
    return fail(ErrorKind::invalid_input,
                "TIMESTAMP (without time zone) needs Delta's timestampNtz feature; write TIMESTAMPTZ (UTC) instead");
  }
  for (const auto& [delta, duck] : kPrimitives) {
    if (duckdb_type == duck) return std::string(delta);
  }
  static const std::regex decimal(R"(DECIMAL\((\d+),(\d+)\))");
  std::cmatch match;
  const std::string text(duckdb_type);
  if (std::regex_match(text.c_str(), match, decimal))
    return fmt::format("decimal({},{})", match[1].str(), match[2].str());
  return fail(ErrorKind::invalid_input,
              fmt::format("DuckDB type {} has no Delta equivalent here; cast the column to BIGINT, DOUBLE, VARCHAR, "
                          "BOOLEAN, DATE, TIMESTAMPTZ, BLOB or DECIMAL",
                          duckdb_type));
}

Expected<DeltaSchema> evolve_schema(const DeltaSchema& current, const DeltaSchema& incoming) {
  for (const auto& field : current.fields) {
    const DeltaField* other = incoming.find(field.name);
    if (other == nullptr) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("incompatible schema change: column '{}' ({}) is missing from the new data; Delta "
                              "tables here only gain columns, so write it (NULL if unknown)",
                              field.name, field.type));
    }
    if (other->type != field.type) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("incompatible schema change: column '{}' would change type from {} to {}; cast the "
                              "new data to {}",
                              field.name, field.type, other->type, field.type));
    }
  }
  DeltaSchema evolved = current;
  for (const auto& field : incoming.fields) {
    if (current.find(field.name) != nullptr) continue;
    DeltaField added = field;
    added.nullable = true;  // rows written before this column existed read it as NULL
    evolved.fields.push_back(std::move(added));
  }
  return evolved;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string quote_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace ampere::lake
