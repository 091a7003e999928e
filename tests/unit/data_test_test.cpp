#include <gtest/gtest.h>

#include "db/database.hpp"
#include "warehouse/data_test.hpp"
#include "warehouse/model.hpp"
#include "warehouse/model_graph.hpp"
#include "warehouse/model_runner.hpp"

namespace ampere::warehouse {
namespace {

constexpr const char* kTests = R"(version: 2
models:
  - name: parent
    columns:
      - name: id
        tests: [unique, not_null]
  - name: child
    columns:
      - name: state
        tests:
          - accepted_values: {values: [open, closed]}
      - name: parent_id
        tests:
          - relationships: {to: ref('parent'), field: id}
    tests:
      - expression_is_true: {expression: "n >= 0"}
      - unique_combination: {columns: [parent_id, state]}
)";

std::vector<DataTest> parsed_tests(const char* text = kTests) {
  auto tests = parse_data_tests("m.yml", text);
  EXPECT_TRUE(tests) << tests.error().message;
  return tests ? *tests : std::vector<DataTest>{};
}

Model model(const std::string& name, const std::string& sql) {
  auto m = parse_model("sql/marts/" + name + ".sql", "{{ config(materialized='table') }}\n" + sql);
  EXPECT_TRUE(m) << m.error().message;
  return *m;
}

std::unique_ptr<db::Database> memory_db() {
  auto db = db::Database::open("");
  EXPECT_TRUE(db);
  return std::move(*db);
}

TEST(DataTests, ParsesEveryKindWithItsLine) {
  const auto tests = parsed_tests();
  ASSERT_EQ(tests.size(), 6U);
  EXPECT_EQ(tests[0].label(), "unique(id)");
  EXPECT_EQ(tests[0].line, 6);
  EXPECT_EQ(tests[1].label(), "not_null(id)");
  EXPECT_EQ(tests[2].model, "child");
  EXPECT_EQ(tests[2].label(), "expression_is_true(n >= 0)");
  EXPECT_EQ(tests[3].label(), "unique_combination(parent_id, state)");
  EXPECT_EQ(tests[4].label(), "accepted_values(state: open, closed)");
  EXPECT_EQ(tests[5].label(), "relationships(parent_id -> parent.id)");
}

TEST(DataTests, UnknownOrMisplacedTestsNameTheLineAndTheChoices) {
  auto unknown =
      parse_data_tests("m.yml", "models:\n  - name: a\n    columns:\n      - name: id\n        tests: [uniq]\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "m.yml:5: unknown test 'uniq'; accepted: unique, not_null, accepted_values, relationships, "
            "expression_is_true, unique_combination");
  auto misplaced = parse_data_tests("m.yml", "models:\n  - name: a\n    tests: [not_null]\n");
  ASSERT_FALSE(misplaced);
  EXPECT_EQ(misplaced.error().message, "m.yml:3: test 'not_null' belongs under a column");
  auto no_values = parse_data_tests(
      "m.yml",
      "models:\n  - name: a\n    columns:\n      - name: s\n        tests:\n          - accepted_values: {}\n");
  ASSERT_FALSE(no_values);
  EXPECT_EQ(no_values.error().message, "m.yml:6: accepted_values needs {values: [...]}");
}

TEST(DataTests, AFailingTestKeepsThePreviousVersionAndBlocksDownstream) {
  auto db = memory_db();
  auto c = db->connect();
  ASSERT_TRUE(c);
  const std::vector<Model> good{model("parent", "select 1 as id union all select 2"),
                                model("child", "select 1 as parent_id, 'open' as state, 0 as n"),
                                model("grandchild", "select * from {{ ref('child') }}"),
                                model("sibling", "select * from {{ ref('parent') }}")};
  const auto tests = parsed_tests();
  auto first = build_models(*c, good, tests);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->ok());

  // child now breaks three of its tests: a state outside the accepted values, an orphan parent_id and
  // a duplicate (parent_id, state).
  const std::vector<Model> bad{
      good[0],
      model("child",
            "select 9 as parent_id, 'merged' as state, 1 as n union all select 1, 'open', 2 union all select 1, "
            "'open', 3"),
      good[2], good[3]};
  auto second = build_models(*c, bad, tests);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(second->ok());
  ASSERT_EQ(second->models.size(), 4U);
  EXPECT_EQ(second->models[0].status, ModelStatus::built);
  EXPECT_EQ(second->models[1].status, ModelStatus::tests_failed);
  ASSERT_EQ(second->models[1].failures.size(), 3U);
  EXPECT_EQ(second->models[1].failures[0].test.label(), "unique_combination(parent_id, state)");
  EXPECT_EQ(second->models[1].failures[0].failing_rows, 1);
  EXPECT_EQ(second->models[1].failures[0].sample.at(0), "parent_id=1, state=open, occurrences=2");
  EXPECT_EQ(second->models[1].failures[1].test.label(), "accepted_values(state: open, closed)");
  EXPECT_EQ(second->models[1].failures[1].sample.at(0), "state=merged, occurrences=1");
  EXPECT_EQ(second->models[1].failures[2].test.label(), "relationships(parent_id -> parent.id)");
  EXPECT_EQ(second->models[1].failures[2].sample.at(0), "parent_id=9");
  EXPECT_EQ(second->models[2].status, ModelStatus::skipped);
  EXPECT_EQ(second->models[2].error, "skipped: child did not build");
  EXPECT_EQ(second->models[3].status, ModelStatus::built);

  // The previous, tested child is still there.
  auto rows = c->query("select count(*), max(state) from main.child");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->int64(0, 0), 1);
  EXPECT_EQ(rows->text(1, 0), "open");
}

// After an incremental build, a test checks what the written rows can break: a column test or a
// row-local expression the written rows only, a unique test the written values against every row; a
// relationships test and an expression with a subquery every row.
TEST(DataTests, TestsOfWrittenRowsCheckWhatTheyCanBreak) {
  auto database = db::Database::open("");
  ASSERT_TRUE(database);
  auto c = (*database)->connect();
  ASSERT_TRUE(c);
  // Rows 1-3 unchanged (row 2 breaks the column tests and the expression, which were not declared when it
  // was written), rows 10-11 written: row 10 repeats row 1's parent_id and state, row 11 is fine.
  ASSERT_TRUE(c->execute(
      "CREATE TABLE parent AS SELECT 1 AS id; CREATE TABLE child AS SELECT * FROM (VALUES (1, 1, 'open', 5), "
      "(2, NULL, 'lost', -1), (3, 7, 'closed', 1), (10, 1, 'open', 2), (11, 1, 'closed', 3)) AS t(row_id, parent_id, "
      "state, n)"));
  const std::string written = "\"child\".row_id >= 10";
  auto tests = parsed_tests();
  auto failing = [&](const std::string& label, const std::string& scope) -> int64_t {
    for (const auto& test : tests) {
      if (test.model != "child" || test.label() != label) continue;
      auto outcome = run_data_test(*c, test, scope);
      EXPECT_TRUE(outcome) << outcome.error().message;
      return outcome && *outcome ? (**outcome).failing_rows : 0;
    }
    ADD_FAILURE() << "no test " << label;
    return -1;
  };
  EXPECT_EQ(failing("accepted_values(state: open, closed)", ""), 1);
  EXPECT_EQ(failing("accepted_values(state: open, closed)", written), 0);
  EXPECT_EQ(failing("expression_is_true(n >= 0)", ""), 1);
  EXPECT_EQ(failing("expression_is_true(n >= 0)", written), 0);
  // The duplicate pair has a written row: found either way; "false" (nothing written) checks nothing.
  EXPECT_EQ(failing("unique_combination(parent_id, state)", ""), 1);
  EXPECT_EQ(failing("unique_combination(parent_id, state)", written), 1);
  EXPECT_EQ(failing("unique_combination(parent_id, state)", "false"), 0);
  // Row 3's parent 7 is missing: a parent may have gone since, so every row is checked.
  EXPECT_EQ(failing("relationships(parent_id -> parent.id)", written), 1);

  // A single-column unique test, and an expression with a subquery (reads other rows: every row).
  ASSERT_TRUE(c->execute("INSERT INTO child VALUES (12, 3, 'open', 0)"));
  auto more = parse_data_tests("m.yml", R"yml(version: 2
models:
  - name: child
    columns:
      - name: parent_id
        tests: [unique]
    tests:
      - expression_is_true: {expression: "n < (select 5 from parent)"}
      - expression_is_true: {expression: "child.n >= 0"}
)yml");
  ASSERT_TRUE(more) << more.error().message;
  tests = *more;
  EXPECT_EQ(failing("unique(parent_id)", ""), 1);                       // parent_id 1, three times
  EXPECT_EQ(failing("unique(parent_id)", "\"child\".row_id = 12"), 0);  // the written 3 is unique
  EXPECT_EQ(failing("unique(parent_id)", "\"child\".row_id = 11"), 1);
  EXPECT_EQ(failing("expression_is_true(n < (select 5 from parent))", "\"child\".row_id = 12"), 1);
  // An expression naming the model's columns by the model's name reads the written rows under that name.
  EXPECT_EQ(failing("expression_is_true(child.n >= 0)", ""), 1);
  EXPECT_EQ(failing("expression_is_true(child.n >= 0)", "\"child\".row_id = 12"), 0);
}

TEST(DataTests, ASqlErrorFailsTheModelAndNamesItsFile) {
  auto db = memory_db();
  auto c = db->connect();
  ASSERT_TRUE(c);
  const std::vector<Model> models{model("parent", "select no_such_column from range(1)")};
  auto report = build_models(*c, models);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->models.size(), 1U);
  EXPECT_EQ(report->models[0].status, ModelStatus::failed);
  EXPECT_NE(report->models[0].error.find("(sql/marts/parent.sql)"), std::string::npos) << report->models[0].error;
}

TEST(SelectModels, PicksDownstreamUpstreamAndSuggestsNames) {
  auto ordered = order_models({model("a", "select 1"), model("b", "select * from {{ ref('a') }}"),
                               model("c", "select * from {{ ref('b') }}"), model("d", "select 1")});
  ASSERT_TRUE(ordered);
  const auto names = [](const Expected<std::vector<Model>>& ms) {
    std::string out;
    for (const auto& m : *ms) out += m.name;
    return out;
  };
  EXPECT_EQ(names(select_models(*ordered, "")), "abcd");
  EXPECT_EQ(names(select_models(*ordered, "b+")), "bc");
  EXPECT_EQ(names(select_models(*ordered, "+b")), "ab");
  EXPECT_EQ(names(select_models(*ordered, "a, d")), "ad");
  auto unknown = select_models(*ordered, "bb+");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message,
            "--select: no model named 'bb' (did you mean 'b'?); `ampere build --list` lists them");
}

}  // namespace
}  // namespace ampere::warehouse
