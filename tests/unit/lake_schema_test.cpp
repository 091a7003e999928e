// Delta schemas: the schemaString format, DuckDB type mapping, and what a schema may become.
#include <gtest/gtest.h>

#include "lake/delta_schema.hpp"

namespace ampere::lake {
namespace {

DeltaSchema schema_of(std::vector<std::pair<std::string, std::string>> columns) {
  DeltaSchema schema;
  for (auto& [name, type] : columns) schema.fields.push_back(DeltaField{name, type, true, "{}"});
  return schema;
}

TEST(LakeSchema, SerializesInDeltaJsonFormat) {
  const DeltaSchema schema = schema_of({{"repo_id", "long"}, {"retrieved_at", "timestamp"}, {"payload", "string"}});
  EXPECT_EQ(to_schema_string(schema),
            R"({"type":"struct","fields":[{"name":"repo_id","type":"long","nullable":true,"metadata":{}},)"
            R"({"name":"retrieved_at","type":"timestamp","nullable":true,"metadata":{}},)"
            R"({"name":"payload","type":"string","nullable":true,"metadata":{}}]})");
}

TEST(LakeSchema, ParsesSparkSchemaStringsIncludingNestedTypes) {
  auto parsed = parse_schema(
      R"j({"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{"comment":"x"}},)j"
      R"j({"name":"b","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}},)j"
      R"j({"name":"c","type":{"type":"map","keyType":"string","valueType":"long","valueContainsNull":true},"nullable":true,"metadata":{}},)j"
      R"j({"name":"d","type":{"type":"struct","fields":[{"name":"e","type":"decimal(10,2)","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]})j");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->fields.size(), 4u);
  EXPECT_EQ(parsed->fields[0].name, "a");
  EXPECT_EQ(parsed->fields[0].type, "integer");
  EXPECT_FALSE(parsed->fields[0].nullable);
  EXPECT_EQ(parsed->fields[0].metadata, R"({"comment":"x"})");
  EXPECT_EQ(*duckdb_type_for(parsed->fields[1].type), "VARCHAR[]");
  EXPECT_EQ(*duckdb_type_for(parsed->fields[2].type), "MAP(VARCHAR, BIGINT)");
  EXPECT_EQ(*duckdb_type_for(parsed->fields[3].type), "STRUCT(\"e\" DECIMAL(10,2))");
  // Serializing again gives back the same schema.
  EXPECT_EQ(*parse_schema(to_schema_string(*parsed)), *parsed);
}

TEST(LakeSchema, RejectsMalformedSchemaStrings) {
  auto parsed = parse_schema(R"({"type":"array"})");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind, ErrorKind::protocol);
  EXPECT_NE(parsed.error().message.find("not a Delta struct type"), std::string::npos);
}

TEST(LakeSchema, MapsPrimitiveTypesBothWays) {
  const std::vector<std::pair<std::string, std::string>> pairs = {{"string", "VARCHAR"},
                                                                  {"long", "BIGINT"},
                                                                  {"integer", "INTEGER"},
                                                                  {"short", "SMALLINT"},
                                                                  {"byte", "TINYINT"},
                                                                  {"float", "FLOAT"},
                                                                  {"double", "DOUBLE"},
                                                                  {"boolean", "BOOLEAN"},
                                                                  {"binary", "BLOB"},
                                                                  {"date", "DATE"},
                                                                  {"decimal(1,0)", "DECIMAL(1,0)"}};
  for (const auto& [delta, duck] : pairs) {
    EXPECT_EQ(*duckdb_type_for(delta), duck);
    EXPECT_EQ(*delta_type_for(duck), delta);
  }
  EXPECT_EQ(*duckdb_type_for("timestamp"), "TIMESTAMPTZ");
  EXPECT_EQ(*delta_type_for("TIMESTAMP WITH TIME ZONE"), "timestamp");
  EXPECT_FALSE(delta_type_for("TIMESTAMP"));  // needs the timestampNtz feature
  EXPECT_FALSE(delta_type_for("HUGEINT"));
  EXPECT_FALSE(duckdb_type_for("interval"));
}

TEST(LakeSchema, AddingAColumnEvolvesTheSchema) {
  const DeltaSchema current = schema_of({{"id", "long"}, {"name", "string"}});
  auto evolved = evolve_schema(current, schema_of({{"name", "string"}, {"stars", "long"}, {"id", "long"}}));
  ASSERT_TRUE(evolved) << evolved.error().message;
  EXPECT_EQ(*evolved, schema_of({{"id", "long"}, {"name", "string"}, {"stars", "long"}}));
  EXPECT_EQ(*evolve_schema(current, current), current);
}

TEST(LakeSchema, RefusesADroppedColumn) {
  auto evolved = evolve_schema(schema_of({{"id", "long"}, {"name", "string"}}), schema_of({{"id", "long"}}));
  ASSERT_FALSE(evolved);
  EXPECT_EQ(evolved.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(evolved.error().message,
            "incompatible schema change: column 'name' (string) is missing from the new data; Delta tables here only "
            "gain columns, so write it (NULL if unknown)");
}

TEST(LakeSchema, RefusesATypeChange) {
  auto evolved = evolve_schema(schema_of({{"id", "long"}}), schema_of({{"id", "string"}}));
  ASSERT_FALSE(evolved);
  EXPECT_EQ(evolved.error().message,
            "incompatible schema change: column 'id' would change type from long to string; cast the new data to long");
}

TEST(LakeSchema, QuotesIdentifiersAndLiterals) {
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
}

}  // namespace
}  // namespace ampere::lake
