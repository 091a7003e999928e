#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>

#include <fmt/format.h>

#include "db/database.hpp"
#include "warehouse/model.hpp"
#include "warehouse/model_graph.hpp"
#include "warehouse/model_runner.hpp"

namespace ampere::warehouse {
namespace {

Model parse(const std::string& path, const std::string& sql) {
  auto m = parse_model(path, sql);
  EXPECT_TRUE(m) << m.error().message;
  return *m;
}

std::vector<std::string> names(const std::vector<Model>& models) {
  std::vector<std::string> out;
  for (const auto& m : models) out.push_back(m.name);
  return out;
}

TEST(Model, ParsesRefsSourcesAndConfig) {
  const Model m = parse("sql/marts/x.sql",
                        "{{ config(materialized='table') }}\nselect * from {{ ref('a') }}\njoin {{source(\"github\", "
                        "'repos')}} using (id)");
  EXPECT_EQ(m.name, "x");
  EXPECT_EQ(m.materialization, Materialization::table);
  ASSERT_EQ(m.refs.size(), 1U);
  EXPECT_EQ(m.refs[0].name, "a");
  EXPECT_EQ(m.refs[0].line, 2);
  ASSERT_EQ(m.sources.size(), 1U);
  EXPECT_EQ(m.sources[0].name, "github.repos");
  EXPECT_EQ(compile_model(m), "\nselect * from main.\"a\"\njoin raw_github.\"repos\" using (id)");
}

TEST(Model, RejectsUnknownMaterializationAndMalformedBlocks) {
  auto bad = parse_model("sql/x.sql", "\n{{ config(materialized='ephemeral') }} select 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "sql/x.sql:2: materialized='ephemeral' is not known; use 'view', 'table' or 'incremental'");
  auto malformed = parse_model("sql/y.sql", "select * from {{ ref() }}");
  ASSERT_FALSE(malformed);
  EXPECT_NE(malformed.error().message.find("sql/y.sql:1: malformed {{ ref(...) }}"), std::string::npos)
      << malformed.error().message;
}

TEST(Model, ParsesAPartitionedModelAndRefOverrides) {
  const Model m = parse("sql/marts/feed.sql",
                        "{{ config(materialized='incremental', unique_key='event_id', partition_by='repo_id',\n"
                        "          lookups='users.user_id=actor_user_id, teams.team_id=team') }}\n"
                        "select * from {{ ref('events') }} left join {{ ref('users') }} using (user_id) "
                        "left join {{ ref('teams') }} using (team_id)");
  EXPECT_EQ(m.partition_by, "repo_id");
  ASSERT_EQ(m.lookups.size(), 2U);
  EXPECT_EQ(m.lookups[0].ref, "users");
  EXPECT_EQ(m.lookups[0].key, "user_id");
  EXPECT_EQ(m.lookups[0].column, "actor_user_id");
  EXPECT_EQ(m.lookups[1].ref, "teams");
  EXPECT_EQ(compile_model(m, {{"events", "SELECT 1"}}),
            "\nselect * from (SELECT 1) left join main.\"users\" using (user_id) left join main.\"teams\" using "
            "(team_id)");
}

TEST(Model, RejectsMalformedOrUnknownLookups) {
  const auto error = [](const std::string& config) {
    auto m = parse_model("sql/m.sql", "{{ config(materialized='incremental', unique_key='k'" + config +
                                          ") }}\nselect * from {{ ref('a') }} join {{ ref('u') }} using (k)");
    return m ? std::string("parsed") : m.error().message;
  };
  EXPECT_EQ(error(", partition_by='p', lookups='u.id'"),
            "sql/m.sql:1: lookups='u.id' is malformed; write lookups='model.key_column=column' (comma-separated), "
            "e.g. 'stg_github__users.user_id=actor_user_id'");
  EXPECT_EQ(error(", partition_by='p', lookups='v.id=uid'"),
            "sql/m.sql: the lookup v is not a ref of the model; name a model it reads with {{ ref('v') }}");
  EXPECT_EQ(error(", lookups='u.id=uid'"),
            "sql/m.sql: lookups need partition_by='column' (the column the model is rebuilt by)");
  EXPECT_EQ(error(", partition_by='p', lookups='a.id=aid, u.id=uid'"),
            "sql/m.sql: partition_by='p' needs a ref that is not a lookup (the rows the model is rebuilt from, by "
            "that column)");
  EXPECT_EQ(error(", partition_by='p', lookups='u.id=uid'"), "parsed");
}

TEST(ModelGraph, OrdersByDependencies) {
  std::vector<Model> models = {parse("c.sql", "select * from {{ ref('b') }}"), parse("a.sql", "select 1 as x"),
                               parse("b.sql", "select * from {{ ref('a') }}"),
                               parse("d.sql", "select * from {{ ref('a') }} join {{ ref('c') }} using (x)")};
  auto ordered = order_models(models);
  ASSERT_TRUE(ordered) << ordered.error().message;
  EXPECT_EQ(names(*ordered), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST(ModelGraph, UnknownRefNamesFileLineAndSuggestion) {
  auto ordered =
      order_models({parse("sql/stg_x.sql", "select 1"), parse("sql/m.sql", "\nselect * from {{ ref('stg_y') }}")});
  ASSERT_FALSE(ordered);
  EXPECT_EQ(ordered.error().message, "sql/m.sql:2: ref('stg_y') names no model (did you mean 'stg_x'?)");
}

TEST(ModelGraph, CyclesAreRejected) {
  auto ordered =
      order_models({parse("a.sql", "select * from {{ ref('c') }}"), parse("b.sql", "select * from {{ ref('a') }}"),
                    parse("c.sql", "select * from {{ ref('b') }}")});
  ASSERT_FALSE(ordered);
  EXPECT_NE(ordered.error().message.find("models form a cycle: a -> c -> b -> a"), std::string::npos)
      << ordered.error().message;
}

TEST(ModelRunner, BuildsInOrderAndRecordsTheBuild) {
  auto database = db::Database::open("");
  auto c = (*database)->connect();
  ASSERT_TRUE(
      c->execute("CREATE SCHEMA raw_github; CREATE TABLE raw_github.repos AS SELECT range AS id FROM range(5)"));
  auto models =
      order_models({parse("s.sql", "select id from {{ source('github', 'repos') }}"),
                    parse("m.sql", "{{ config(materialized='table') }} select count(*) as n from {{ ref('s') }}")});
  ASSERT_TRUE(models);
  auto report = build_models(*c, *models);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->models.size(), 2U);
  EXPECT_EQ(report->models[0].rows, 5U);
  EXPECT_EQ(c->query("SELECT n FROM m")->int64(0, 0), 5);
  EXPECT_EQ(c->query("SELECT table_type FROM information_schema.tables WHERE table_name = 's'")->text(0, 0), "VIEW");
  EXPECT_EQ(c->query("SELECT count(*), min(status) FROM ampere.builds")->int64(0, 0), 1);
}

TEST(ModelRunner, AFailingModelNamesItselfAndKeepsThePreviousVersion) {
  auto database = db::Database::open("");
  auto c = (*database)->connect();
  auto good = order_models({parse("sql/marts/m.sql", "{{ config(materialized='table') }} select 1 as x")});
  ASSERT_TRUE(build_models(*c, *good));
  auto bad = order_models({parse("sql/marts/m.sql", "{{ config(materialized='table') }} select x from nowhere")});
  auto report = build_models(*c, *bad);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_FALSE(report->ok());
  EXPECT_EQ(report->models.at(0).status, ModelStatus::failed);
  EXPECT_NE(report->models[0].error.find("(sql/marts/m.sql)"), std::string::npos) << report->models[0].error;
  EXPECT_EQ(c->query("SELECT x FROM m")->int64(0, 0), 1) << "readers still see the last good build";
  EXPECT_EQ(c->query("SELECT status FROM ampere.builds ORDER BY started_at DESC LIMIT 1")->text(0, 0), "failed");
}

TEST(ModelRunner, AModelThatTurnsFromTableToViewAndBackBuilds) {
  auto database = db::Database::open("");
  auto c = (*database)->connect();
  for (const char* kind : {"table", "view", "incremental", "view", "table"}) {
    const std::string config = std::string(kind) == "incremental"
                                   ? "{{ config(materialized='incremental', unique_key='x') }}"
                                   : fmt::format("{{{{ config(materialized='{}') }}}}", kind);
    auto models = order_models({parse("sql/marts/m.sql", config + " select 1 as x")});
    ASSERT_TRUE(models) << models.error().message;
    auto report = build_models(*c, *models);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok()) << kind << ": " << report->models.at(0).error;
    EXPECT_EQ(c->query("SELECT x FROM m")->int64(0, 0), 1) << kind;
    const std::string stored =
        c->query("SELECT table_type FROM information_schema.tables WHERE table_name = 'm'")->text(0, 0);
    EXPECT_EQ(stored, std::string(kind) == "view" ? "VIEW" : "BASE TABLE") << kind;
  }
}

TEST(ModelRunner, EmbeddedModelsParseAndOrder) {
  auto models = embedded_models();
  ASSERT_TRUE(models) << models.error().message;
  const auto n = names(*models);
  const auto stg = std::find(n.begin(), n.end(), "stg_github__repos");
  const auto mart = std::find(n.begin(), n.end(), "repos");
  ASSERT_NE(stg, n.end());
  ASSERT_NE(mart, n.end());
  EXPECT_LT(stg, mart);
}

// Models for the concurrent build: a view over the raw table, two incremental models, a slow and a quick
// table both reading the view, one reading both (and an incremental), a failing one and one downstream of it.
std::vector<Model> concurrent_models() {
  auto ordered = order_models({
      parse("s.sql", "select id, sync_id from {{ source('github', 'repos') }}"),
      parse("i1.sql",
            "{{ config(materialized='incremental', unique_key='id') }} select id, sync_id from {{ source('github', "
            "'repos') }}"),
      parse("i2.sql",
            "{{ config(materialized='incremental', unique_key='id') }} select id, id * 2 as twice, sync_id from {{ "
            "source('github', 'repos') }}"),
      parse("slow.sql",
            "{{ config(materialized='table') }} select count(*) + (select sum(id) from {{ ref('s') }}) as n from "
            "range(3000000) t(x) where hash(x) % 7 = 0"),
      parse("quick.sql", "{{ config(materialized='table') }} select count(*) as n from {{ ref('s') }}"),
      parse("c.sql",
            "{{ config(materialized='table') }} select slow.n + quick.n + (select count(*) from {{ ref('i1') }}) as n "
            "from {{ ref('slow') }} as slow, {{ ref('quick') }} as quick"),
      parse("f.sql", "{{ config(materialized='table') }} select x from {{ ref('quick') }}, nowhere"),
      parse("g.sql", "{{ config(materialized='table') }} select * from {{ ref('f') }}"),
      // Variables set on the build's connection are set on the second one too.
      parse("v1.sql", "{{ config(materialized='table') }} select getvariable('ampere_test') as v"),
      parse("v2.sql", "{{ config(materialized='table') }} select getvariable('ampere_test') as v"),
      parse("v3.sql", "{{ config(materialized='table') }} select getvariable('ampere_test') as v"),
  });
  EXPECT_TRUE(ordered) << ordered.error().message;
  return *ordered;
}

// The rows of every table the models built, as text.
std::vector<std::string> built_rows(db::Connection& c) {
  std::vector<std::string> out;
  for (const char* table : {"s", "i1", "i2", "slow", "quick", "c", "v1", "v2", "v3"}) {
    auto rows = c.query(fmt::format("SELECT CAST(t AS VARCHAR) FROM {} AS t ORDER BY ALL", table));
    EXPECT_TRUE(rows) << rows.error().message;
    for (size_t r = 0; rows && r < rows->row_count(); ++r)
      out.push_back(fmt::format("{}: {}", table, rows->text(0, r)));
  }
  return out;
}

const ModelResult& result_of(const BuildReport& report, const std::string& name) {
  const auto it =
      std::find_if(report.models.begin(), report.models.end(), [&](const ModelResult& m) { return m.name == name; });
  EXPECT_NE(it, report.models.end()) << name;
  return *it;
}

TEST(ModelRunner, TwoConnectionsBuildWhatOneBuildsAndKeepWhatDidNotChange) {
  const auto models = concurrent_models();
  // The raw table as a view that reads nothing, so that the models reading it can be kept unchanged.
  const std::string raw =
      "CREATE SCHEMA raw_github; CREATE VIEW raw_github.repos AS SELECT unnest(range(5)) AS id, 'sync-1' AS sync_id; "
      "SET VARIABLE ampere_test = 42";
  auto one_db = db::Database::open("");
  auto one = (*one_db)->connect();
  ASSERT_TRUE(one->execute(raw));
  auto alone = build_models(*one, models);
  ASSERT_TRUE(alone) << alone.error().message;

  auto two_db = db::Database::open("");
  auto two = (*two_db)->connect();
  ASSERT_TRUE(two->execute(raw));
  BuildOptions options;
  options.database = two_db->get();
  auto together = build_models(*two, models, {}, options);
  ASSERT_TRUE(together) << together.error().message;

  ASSERT_EQ(together->models.size(), alone->models.size());
  for (size_t i = 0; i < alone->models.size(); ++i) {
    EXPECT_EQ(together->models[i].name, alone->models[i].name) << "in DAG order";
    EXPECT_EQ(together->models[i].status, alone->models[i].status) << alone->models[i].name;
    EXPECT_EQ(together->models[i].rows, alone->models[i].rows) << alone->models[i].name;
  }
  EXPECT_EQ(result_of(*together, "f").status, ModelStatus::failed);
  EXPECT_EQ(result_of(*together, "g").status, ModelStatus::skipped);
  EXPECT_EQ(built_rows(*two), built_rows(*one));
  EXPECT_EQ(two->query("SELECT count(*) FROM ampere.incremental_syncs")->int64(0, 0), 2);

  // Again: every model that built is kept, as one connection keeps them.
  auto again = build_models(*two, models, {}, options);
  ASSERT_TRUE(again) << again.error().message;
  for (const char* name : {"s", "i1", "i2", "slow", "quick", "c"})
    EXPECT_TRUE(result_of(*again, name).unchanged) << name;
  EXPECT_EQ(result_of(*again, "g").status, ModelStatus::skipped);
  EXPECT_EQ(built_rows(*two), built_rows(*one));
}

// A follow-up runs once the models it follows are built, on a connection of the build, while the others
// build; it is skipped when one of them did not build, and its error is reported, not thrown.
TEST(ModelRunner, FollowUpsRunAfterTheirModelsAndAreSkippedWhenOneFailed) {
  const auto models = concurrent_models();
  auto database = db::Database::open("");
  auto c = (*database)->connect();
  ASSERT_TRUE(c->execute(
      "CREATE SCHEMA raw_github; CREATE VIEW raw_github.repos AS SELECT unnest(range(5)) AS id, 'sync-1' AS sync_id; "
      "SET VARIABLE ampere_test = 42"));
  std::mutex mutex;
  std::vector<std::string> seen;  // what each follow-up read of its models
  BuildOptions options;
  options.database = database->get();
  options.follow_ups.push_back({"after quick and slow", {"quick", "slow"}, [&](db::Connection& on) -> Expected<void> {
                                  auto n = on.query("SELECT (SELECT n FROM quick) + (SELECT n FROM slow)");
                                  if (!n) return tl::unexpected(n.error());
                                  std::lock_guard lock(mutex);
                                  seen.push_back("quick+slow " + n->text(0, 0));
                                  return {};
                                }});
  options.follow_ups.push_back({"after g", {"g"}, [&](db::Connection&) -> Expected<void> {
                                  std::lock_guard lock(mutex);
                                  seen.push_back("g");
                                  return {};
                                }});
  options.follow_ups.push_back({"failing", {"s"}, [](db::Connection&) -> Expected<void> {
                                  return fail(ErrorKind::internal, "the layout broke");
                                }});
  auto report = build_models(*c, models, {}, options);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->follow_ups.size(), 3U);
  EXPECT_TRUE(report->follow_ups[0].ran);
  EXPECT_EQ(report->follow_ups[0].error, "");
  auto n = c->query("SELECT (SELECT n FROM quick) + (SELECT n FROM slow)");
  ASSERT_TRUE(n);
  EXPECT_EQ(seen, std::vector<std::string>{"quick+slow " + n->text(0, 0)});
  EXPECT_FALSE(report->follow_ups[1].ran);
  EXPECT_EQ(report->follow_ups[1].error, "skipped: g did not build");
  EXPECT_TRUE(report->follow_ups[2].ran);
  EXPECT_EQ(report->follow_ups[2].error, "the layout broke");
}

// With the durations of the last build, the ready model with the longest chain after it goes first.
TEST(ModelRunner, TheLongestChainOfModelsStartsFirst) {
  // Every model reads the clock, so that each build builds them all.
  auto ordered = order_models({
      parse("a.sql", "{{ config(materialized='table') }} select 1 as n, now() as at"),
      parse("b.sql", "{{ config(materialized='table') }} select 2 as n, now() as at"),
      parse("long.sql", "{{ config(materialized='table') }} select n, now() as at from {{ ref('a') }}"),
      parse("after_long.sql", "{{ config(materialized='table') }} select n, now() as at from {{ ref('long') }}"),
  });
  ASSERT_TRUE(ordered) << ordered.error().message;
  std::vector<std::string> dag;
  for (const auto& m : *ordered) dag.push_back(m.name);
  ASSERT_EQ(dag, (std::vector<std::string>{"a", "long", "after_long", "b"}));
  auto database = db::Database::open("");
  auto c = (*database)->connect();
  // One connection: models build one after the other, each re-inserting its row of ampere.model_state.
  const auto build_order = [&] {
    auto report = build_models(*c, *ordered);
    EXPECT_TRUE(report && report->ok());
    auto rows = c->query("SELECT model FROM ampere.model_state ORDER BY rowid");
    std::vector<std::string> order;
    for (size_t r = 0; rows && r < rows->row_count(); ++r) order.push_back(rows->text(0, r));
    return order;
  };
  EXPECT_EQ(build_order(), dag) << "no durations yet: DAG order";
  // b took 5 s, the chain a, long, after_long 0.3 s: b first.
  ASSERT_TRUE(c->execute("UPDATE ampere.model_state SET seconds = CASE model WHEN 'b' THEN 5 ELSE 0.1 END"));
  EXPECT_EQ(build_order(), (std::vector<std::string>{"b", "a", "long", "after_long"}));
  // after_long took 5 s: the chain first, b last.
  ASSERT_TRUE(c->execute("UPDATE ampere.model_state SET seconds = CASE model WHEN 'after_long' THEN 5 ELSE 0.1 END"));
  EXPECT_EQ(build_order(), dag);
}

}  // namespace
}  // namespace ampere::warehouse
