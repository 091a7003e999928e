#include <gtest/gtest.h>

#include "db/database.hpp"
#include "warehouse/model.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::warehouse {
namespace {

constexpr const char* kSources = R"(version: 2
sources:
  - name: github
    tables:
      - name: repos
        keys: [{name: repo_id, type: bigint}]
      - name: commits
        keys:
          - {name: repo_id, type: bigint}
          - {name: sha, type: varchar}
)";

TEST(SourceCatalog, ParsesTablesAndTypedKeys) {
  auto sources = parse_sources("s.yml", kSources);
  ASSERT_TRUE(sources) << sources.error().message;
  ASSERT_EQ(sources->size(), 2U);
  EXPECT_EQ((*sources)[1].source, "github");
  EXPECT_EQ((*sources)[1].name, "commits");
  ASSERT_EQ((*sources)[1].keys.size(), 2U);
  EXPECT_EQ((*sources)[1].keys[1].name, "sha");
  EXPECT_EQ((*sources)[1].keys[1].type, "varchar");
}

TEST(SourceCatalog, ErrorsNameTheFileLineAndAcceptedValues) {
  auto bad_type = parse_sources("s.yml",
                                "sources:\n  - name: github\n    tables:\n      - name: repos\n"
                                "        keys:\n          - {name: repo_id, type: int}\n");
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error().message, "s.yml:6: key type 'int' is not one of: bigint, varchar");

  auto no_keys = parse_sources("s.yml", "sources:\n  - name: github\n    tables:\n      - name: repos\n");
  ASSERT_FALSE(no_keys);
  EXPECT_EQ(no_keys.error().message, "s.yml:4: a table needs `name` and a non-empty `keys:` list");

  auto not_yaml = parse_sources("s.yml", "sources: [\n");
  ASSERT_FALSE(not_yaml);
  EXPECT_TRUE(not_yaml.error().message.starts_with("s.yml:2: invalid YAML")) << not_yaml.error().message;

  auto no_sources = parse_sources("s.yml", "tables: []\n");
  ASSERT_FALSE(no_sources);
  EXPECT_EQ(no_sources.error().message, "s.yml:1: expected a top-level `sources:` list");
}

TEST(SourceCatalog, AnUndeclaredSourceIsRefusedWithASuggestion) {
  auto sources = parse_sources("s.yml", kSources);
  ASSERT_TRUE(sources);
  auto model = parse_model("sql/staging/github/stg_x.sql", "select 1\nfrom {{ source('github', 'commit') }}");
  ASSERT_TRUE(model);
  auto checked = check_model_sources({*model}, *sources);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message,
            "sql/staging/github/stg_x.sql:2: source 'github.commit' is not declared in any "
            "sql/staging/<source>/_<source>__sources.yml; did you mean 'github.commits'?");
}

TEST(SourceCatalog, AMissingRawTableReadsAsAnEmptyTypedView) {
  auto sources = parse_sources("s.yml", kSources);
  ASSERT_TRUE(sources);
  auto db = db::Database::open("");
  ASSERT_TRUE(db);
  auto c = (*db)->connect();
  ASSERT_TRUE(c);
  // repos already has a view (as if the lake had it); commits has none.
  ASSERT_TRUE(c->execute("CREATE SCHEMA raw_github; CREATE VIEW raw_github.repos AS SELECT 7::BIGINT AS repo_id"));
  ASSERT_TRUE(ensure_source_views(*c, *sources));
  auto repos = c->query("SELECT repo_id FROM raw_github.repos");
  ASSERT_TRUE(repos);
  EXPECT_EQ(repos->int64(0, 0), 7);
  auto commits = c->query(
      "SELECT count(*), (SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM "
      "information_schema.columns WHERE table_schema = 'raw_github' AND table_name = 'commits') FROM "
      "raw_github.commits");
  ASSERT_TRUE(commits) << commits.error().message;
  EXPECT_EQ(commits->int64(0, 0), 0);
  EXPECT_EQ(commits->text(1, 0),
            "repo_id BIGINT, sha VARCHAR, retrieved_at TIMESTAMP WITH TIME ZONE, sync_id VARCHAR, payload VARCHAR");
}

TEST(SourceCatalog, TheEmbeddedSourcesParse) {
  auto sources = embedded_sources();
  ASSERT_TRUE(sources) << sources.error().message;
  EXPECT_GE(sources->size(), 10U);
}

}  // namespace
}  // namespace ampere::warehouse
