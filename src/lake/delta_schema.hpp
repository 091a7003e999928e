#pragma once
// A Delta table's schema (the metaData action's schemaString), its mapping to DuckDB types, and the
// rules for changing it: adding a column is allowed, anything else is refused.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace ampere::lake {

/// One top-level column. `type` is Delta's type: a primitive name ("long", "string", "timestamp",
/// "decimal(10,2)") or, for struct/array/map columns, the type's JSON object text as Delta writes it.
struct DeltaField {
  std::string name;
  std::string type;
  bool nullable = true;
  std::string metadata = "{}";  ///< the column's metadata JSON object, kept as read

  bool operator==(const DeltaField&) const = default;
};

/// The table's columns in order (Delta's top-level struct type).
struct DeltaSchema {
  std::vector<DeltaField> fields;

  /// The column named `name`, or nullptr.
  [[nodiscard]] const DeltaField* find(std::string_view name) const;
  bool operator==(const DeltaSchema&) const = default;
};

/// Parses a schemaString ({"type":"struct","fields":[...]}); the error says what is malformed.
Expected<DeltaSchema> parse_schema(std::string_view schema_string);

/// The schemaString for `schema`, in Delta's JSON schema format (one line).
std::string to_schema_string(const DeltaSchema& schema);

/// The DuckDB SQL type that holds a Delta type: "long" -> "BIGINT", "timestamp" -> "TIMESTAMPTZ", ...
/// Nested types map recursively (STRUCT, LIST, MAP). Unknown types are an error naming the type.
Expected<std::string> duckdb_type_for(std::string_view delta_type);

/// The Delta type for a DuckDB column type as DESCRIBE prints it ("BIGINT" -> "long",
/// "TIMESTAMP WITH TIME ZONE" -> "timestamp"). Types Delta (reader 1, writer 2) cannot hold are refused.
Expected<std::string> delta_type_for(std::string_view duckdb_type);

/// The schema a write of `incoming` columns leaves the table with: `current` plus any new columns
/// appended (as nullable, since older files lack them). A dropped column or a changed type is an
/// invalid_input error that names the column and both types.
Expected<DeltaSchema> evolve_schema(const DeltaSchema& current, const DeltaSchema& incoming);

/// `name` as a double-quoted SQL identifier.
std::string quote_identifier(std::string_view name);

/// `text` as a single-quoted SQL string literal.
std::string quote_literal(std::string_view text);

}  // namespace ampere::lake
