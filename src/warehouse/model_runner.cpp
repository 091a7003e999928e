#include "warehouse/model_runner.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "util/time.hpp"
#include "warehouse/model_graph.hpp"
#include "warehouse/sql_files.hpp"

namespace ampere::warehouse {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Expected<void> record_build(db::Connection& connection, Timestamp started, const std::string& status,
                            size_t model_count, const std::string& error) {
  if (auto ok = connection.execute(
          "CREATE SCHEMA IF NOT EXISTS ampere; CREATE TABLE IF NOT EXISTS ampere.builds (started_at TIMESTAMPTZ NOT "
          "NULL, finished_at TIMESTAMPTZ NOT NULL, status VARCHAR NOT NULL, models BIGINT NOT NULL, error VARCHAR)");
      !ok) {
    return ok;
  }
  auto inserted = connection.query(
      "INSERT INTO ampere.builds VALUES (make_timestamptz($1::BIGINT), make_timestamptz($2::BIGINT), $3, $4, $5)",
      started.time_since_epoch().count(), now_utc().time_since_epoch().count(), status,
      static_cast<int64_t>(model_count), error.empty() ? db::Param(nullptr) : db::Param(error));
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

// FNV-1a of the compiled SQL: an incremental model whose SQL changed is rebuilt in full.
std::string sql_hash(const std::string& sql) {
  uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : sql) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Bumped when the runner builds models differently, so that every model is rebuilt once.
constexpr std::string_view kRunnerVersion = "ampere model runner 2";

// FNV-1a over several parts, each ended by a separator byte so that ("ab", "c") differs from ("a", "bc").
class Fingerprint {
 public:
  void add(std::string_view part) {
    for (const unsigned char c : part) mix(c);
    mix(0xFF);
  }
  [[nodiscard]] std::string hex() const { return fmt::format("{:016x}", hash_); }

 private:
  void mix(unsigned char c) {
    hash_ ^= c;
    hash_ *= 1099511628211ULL;
  }
  uint64_t hash_ = 1469598103934665603ULL;
};

// What a build knows before it starts: each model's previous build, the lake views, what is in main.
struct BuildState {
  struct Stored {
    std::string inputs;   ///< the fingerprint of what the model was built from
    std::string content;  ///< its columns, row count and row hashes then
    double seconds = 0;   ///< how long building it and its tests took then
  };
  std::map<std::string, Stored, std::less<>> stored;
  /// The content of each model as it stands now (stored, then updated as models are rebuilt); a model
  /// missing here, or with an empty content, is unknown and everything reading it is rebuilt.
  std::map<std::string, std::string, std::less<>> content;
  /// "github.repos" -> the definition of the view raw_github.repos, when it reads the lake's Parquet files.
  std::map<std::string, std::string, std::less<>> lake_sources;
  std::set<std::string, std::less<>> relations;  ///< tables and views in main
  std::string engine;                            ///< DuckDB's version: another may compute differently
};

Expected<BuildState> load_build_state(db::Connection& c) {
  // Created here, before any model's transaction: two models building at once would both create them.
  if (auto ok = c.execute(
          "CREATE SCHEMA IF NOT EXISTS ampere; CREATE TABLE IF NOT EXISTS ampere.model_state (model VARCHAR NOT NULL, "
          "inputs_hash VARCHAR NOT NULL, content_hash VARCHAR NOT NULL); ALTER TABLE ampere.model_state ADD COLUMN IF "
          "NOT EXISTS seconds DOUBLE; CREATE TABLE IF NOT EXISTS "
          "ampere.incremental_syncs (model VARCHAR NOT NULL, sql_hash VARCHAR NOT NULL, sync_id VARCHAR NOT NULL); "
          "CREATE TABLE IF NOT EXISTS ampere.partition_inputs (model VARCHAR NOT NULL, sql_hash VARCHAR NOT NULL, ref "
          "VARCHAR NOT NULL, part VARCHAR, content VARCHAR NOT NULL)");
      !ok) {
    return tl::unexpected(ok.error());
  }
  BuildState state;
  auto stored = c.query("SELECT model, inputs_hash, content_hash, coalesce(seconds, 0) FROM ampere.model_state");
  if (!stored) return tl::unexpected(stored.error());
  for (size_t r = 0; r < stored->row_count(); ++r) {
    state.stored[stored->text(0, r)] = {stored->text(1, r), stored->text(2, r), stored->real(3, r)};
    state.content[stored->text(0, r)] = stored->text(2, r);
  }
  // A raw source's rows are fixed by the data files its view lists: Delta never rewrites a file in place.
  auto views = c.query(
      "SELECT substr(schema_name, 5) || '.' || view_name, sql FROM duckdb_views() WHERE database_name = "
      "current_database() AND schema_name LIKE 'raw\\_%' ESCAPE '\\'");
  if (!views) return tl::unexpected(views.error());
  for (size_t r = 0; r < views->row_count(); ++r) {
    // Only a view that reads Parquet files and nothing else (the lake's), or nothing at all (a source
    // not synced yet), is known by its definition.
    const std::string sql = views->text(1, r);
    const size_t from = sql.find(" FROM ");
    const bool constant = from == std::string::npos;
    const bool reads_files = from != std::string::npos && sql.compare(from, 19, " FROM read_parquet(") == 0 &&
                             sql.find(" FROM ", from + 1) == std::string::npos;
    if (constant || reads_files) state.lake_sources[views->text(0, r)] = sql;
  }
  auto relations = c.query(
      "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
      "UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = "
      "'main' AND NOT internal");
  if (!relations) return tl::unexpected(relations.error());
  for (size_t r = 0; r < relations->row_count(); ++r) state.relations.insert(relations->text(0, r));
  auto engine = c.query("SELECT version()");
  if (!engine) return tl::unexpected(engine.error());
  state.engine = engine->text(0, 0);
  return state;
}

// Whether the model's result can differ between two builds of the same inputs.
bool reads_clock_or_variables(const std::string& sql) {
  std::string lower = sql;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
  for (const std::string_view word : {"current_timestamp", "current_date", "current_time", "now()", "today()",
                                      "getvariable", "random()", "uuid()", "gen_random_uuid", "setseed"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

// The fingerprint of everything `model` is computed from, or "" when that cannot be known (the model
// reads the clock, a build variable, a source that is not a lake view, or a model of unknown content).
std::string inputs_fingerprint(const BuildState& state, const Model& model, const std::vector<const DataTest*>& tests) {
  const std::string sql = compile_model(model);
  if (reads_clock_or_variables(sql)) return "";
  Fingerprint f;
  f.add(kRunnerVersion);
  f.add(state.engine);
  f.add(materialization_name(model.materialization));
  f.add(sql);
  for (const auto& k : model.unique_key) f.add(k);
  auto content_of = [&](const std::string& name) -> std::string {
    const auto it = state.content.find(name);
    return it == state.content.end() ? "" : it->second;
  };
  for (const DataTest* test : tests) {
    f.add(data_test_sql(*test));
    if (test->kind == DataTestKind::relationships) {
      const std::string parent = content_of(test->to_model);
      if (parent.empty()) return "";
      f.add(parent);
    }
  }
  for (const auto& ref : model.refs) {
    const std::string content = content_of(ref.name);
    if (content.empty()) return "";
    f.add(ref.name);
    f.add(content);
  }
  for (const auto& source : model.sources) {
    const auto it = state.lake_sources.find(source.name);
    if (it == state.lake_sources.end()) return "";
    f.add(source.name);
    f.add(it->second);
  }
  return f.hex();
}

// What a built model holds: its columns, row count and two order-independent sums of row hashes. A view's
// content is its inputs (it is computed when read); unknown ("") when those are.
Expected<std::string> content_fingerprint(db::Connection& c, const Model& model, const std::string& inputs) {
  if (model.materialization == Materialization::view) return inputs;
  auto columns = c.query(
      "SELECT coalesce(string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index), '') FROM "
      "duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1",
      model.name);
  if (!columns) return tl::unexpected(columns.error());
  auto rows = c.query(fmt::format(
      "SELECT count(*), CAST(coalesce(sum(hash(t)), 0) AS VARCHAR), CAST(coalesce(bit_xor(hash(t)), 0) AS VARCHAR) "
      "FROM main.\"{}\" AS t",
      model.name));
  if (!rows) return tl::unexpected(rows.error());
  return fmt::format("{}|{}|{}|{}", columns->text(0, 0), rows->int64(0, 0), rows->text(1, 0), rows->text(2, 0));
}

// String compression the warehouse does without: FSST and dictionary compression of the rebuilt tables'
// text (logins, titles, links, ids) took about 40% of writing them, more than the time their smaller
// size saves when the API reads them; the file grows by about half.
constexpr std::string_view kDisabledCompression = "fsst,dictionary";

// An incremental model whose new syncs touched at least this many keys, and half of its rows, is built
// in full instead.
constexpr int64_t kFullRebuildKeys = 10'000;

// What an incremental model's rows were last built with: its SQL and its tests (tests that check only
// the rows a build wrote rely on the other rows having passed the same tests).
std::string incremental_hash(const std::string& sql, const std::vector<const DataTest*>& tests) {
  std::string text = sql;
  for (const DataTest* test : tests) text += "\n" + data_test_sql(*test);
  return sql_hash(text);
}

// The condition that a row of `rows` (a table's name or alias) has the key of the row k of
// ampere_changed_keys.
std::string same_key(const Model& model, const std::string& rows) {
  std::string match;
  for (const auto& key : model.unique_key) {
    match += fmt::format("{}k.\"{}\" IS NOT DISTINCT FROM {}.\"{}\"", match.empty() ? "" : " AND ", key, rows, key);
  }
  return match;
}

// An incremental model (one source, no refs): the first time, or when its SQL or tests changed, a full
// build that remembers every sync_id of the source; after that only the keys with rows from syncs it has
// not seen are recomputed, from all of their raw rows (so a sync that brings older data, or the same key
// again, gives the same result as a full build), and replaced in place. Returns the condition that picks
// the rows it wrote (the temp table ampere_changed_keys stays for it), or "" after a full build.
Expected<std::string> build_incremental(db::Connection& c, const Model& model,
                                        const std::vector<const DataTest*>& tests) {
  const std::string& source = model.sources.front().name;
  const size_t dot = source.find('.');
  const std::string raw = fmt::format("raw_{}.\"{}\"", source.substr(0, dot), source.substr(dot + 1));
  const std::string full_sql = compile_model(model);
  const std::string hash = incremental_hash(full_sql, tests);
  const std::string name = quoted(model.name);
  auto state = c.query(
      fmt::format("SELECT (SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = {0}), "
                  "(SELECT count(*) FROM ampere.incremental_syncs WHERE model = {0} AND sql_hash = {1}), "
                  "(SELECT count(*) FROM ampere.incremental_syncs WHERE model = {0} AND sql_hash <> {1})",
                  name, quoted(hash)));
  if (!state) return tl::unexpected(state.error());
  const bool incremental = state->int64(0, 0) == 1 && state->int64(1, 0) > 0 && state->int64(2, 0) == 0;
  const auto full_build = [&]() -> Expected<std::string> {
    if (auto ok = c.execute(fmt::format(
            "CREATE OR REPLACE TABLE main.\"{0}\" AS\n{1};\n"
            "DELETE FROM ampere.incremental_syncs WHERE model = {2};\n"
            "INSERT INTO ampere.incremental_syncs SELECT DISTINCT {2}, {3}, sync_id FROM {4} WHERE sync_id IS NOT NULL",
            model.name, full_sql, name, quoted(hash), raw));
        !ok) {
      return tl::unexpected(ok.error());
    }
    return std::string();
  };
  if (!incremental) return full_build();
  std::string keys;
  for (const auto& k : model.unique_key) keys += (keys.empty() ? "" : ", ") + fmt::format("\"{}\"", k);
  const std::string match = same_key(model, "t");
  if (auto ok = c.execute(fmt::format(
          "CREATE OR REPLACE TEMP TABLE ampere_new_syncs AS SELECT DISTINCT r.sync_id FROM {0} r WHERE r.sync_id IS "
          "NOT NULL AND NOT EXISTS (SELECT 1 FROM ampere.incremental_syncs s WHERE s.model = {1} AND s.sync_id = "
          "r.sync_id);\n"
          "CREATE OR REPLACE TEMP TABLE ampere_changed_keys AS SELECT DISTINCT {2} FROM {0} WHERE sync_id IN "
          "(SELECT sync_id FROM ampere_new_syncs)",
          raw, name, keys));
      !ok) {
    return tl::unexpected(ok.error());
  }
  // When the new syncs touched most keys of a big model (a sync that fetched everything again),
  // recomputing them one by one costs more than building the whole table, which gives the same rows.
  auto share = c.query(
      fmt::format("SELECT (SELECT count(*) FROM ampere_changed_keys), (SELECT count(*) FROM main.\"{}\")", model.name));
  if (!share) return tl::unexpected(share.error());
  if (share->int64(0, 0) >= kFullRebuildKeys && 2 * share->int64(0, 0) >= share->int64(1, 0)) {
    if (auto ok = c.execute("DROP TABLE ampere_new_syncs; DROP TABLE ampere_changed_keys"); !ok) {
      return tl::unexpected(ok.error());
    }
    return full_build();
  }
  // The changed keys' rows, from the syncs that hold any of them: each data file holds one sync, so the
  // scan skips the others' files by their sync_id statistics instead of decompressing every payload
  // (most of the cost of a raw scan). Rows without a sync_id (none are written today) disable the skip.
  if (auto ok = c.execute(fmt::format(
          "CREATE OR REPLACE TEMP TABLE ampere_changed_syncs AS SELECT DISTINCT t.sync_id FROM {0} t WHERE EXISTS "
          "(SELECT 1 FROM ampere_changed_keys k WHERE {1})",
          raw, match));
      !ok) {
    return tl::unexpected(ok.error());
  }
  auto unsynced = c.query("SELECT count(*) FROM ampere_changed_syncs WHERE sync_id IS NULL");
  if (!unsynced) return tl::unexpected(unsynced.error());
  const std::string in_syncs =
      unsynced->int64(0, 0) == 0 ? "t.sync_id IN (SELECT sync_id FROM ampere_changed_syncs) AND " : "";
  const std::string changed_rows = fmt::format(
      "SELECT t.* FROM {0} t WHERE {1}EXISTS (SELECT 1 FROM ampere_changed_keys k WHERE {2})", raw, in_syncs, match);
  if (auto ok = c.execute(
          fmt::format("DELETE FROM main.\"{0}\" t WHERE EXISTS (SELECT 1 FROM ampere_changed_keys k WHERE {1});\n"
                      "INSERT INTO main.\"{0}\"\n{2};\n"
                      "INSERT INTO ampere.incremental_syncs SELECT {3}, {4}, sync_id FROM ampere_new_syncs;\n"
                      "DROP TABLE ampere_new_syncs; DROP TABLE ampere_changed_syncs",
                      model.name, match, compile_model(model, {{source, changed_rows}}), name, quoted(hash)));
      !ok) {
    return tl::unexpected(ok.error());
  }
  return fmt::format("EXISTS (SELECT 1 FROM ampere_changed_keys AS k WHERE {})",
                     same_key(model, fmt::format("\"{}\"", model.name)));
}

// How a partitioned model's inputs stood when it was last built: per partitioned ref and partition value,
// and per lookup ref and key, the row count and two sums of row hashes.
constexpr std::string_view kPartitionInputsTable = "ampere.partition_inputs";

// Above this share of a partitioned model's partitions changed, it is built in full (same rows, less work).
constexpr double kFullRebuildPartitionShare = 0.5;

// The values of `column` of `rows` as constants of `type`, for a filter that the scans below it apply.
std::string constant_list(const db::Result& rows, size_t column, const std::string& type) {
  std::string out;
  for (size_t r = 0; r < rows.row_count(); ++r) {
    out += fmt::format("{}CAST({} AS {})", r > 0 ? ", " : "", quoted(rows.text(column, r)), type);
  }
  return out;
}

// Whether `ref` is one of the lookups of `model` (else, for a partitioned model, a ref read by partition).
bool is_lookup(const Model& model, const std::string& ref) {
  return std::any_of(model.lookups.begin(), model.lookups.end(), [&](const Lookup& l) { return l.ref == ref; });
}

// The SELECT of what a partitioned model's inputs are now (ref, part, content): for a partitioned ref,
// one row per value of the partition column; for a lookup, one row per key.
std::string partition_inputs_sql(const Model& model) {
  std::string sql;
  for (const auto& ref : model.refs) {
    const auto lookup =
        std::find_if(model.lookups.begin(), model.lookups.end(), [&](const Lookup& l) { return l.ref == ref.name; });
    const std::string column = lookup != model.lookups.end() ? lookup->key : model.partition_by;
    sql += fmt::format(
        "{}SELECT {} AS ref, CAST(t.\"{}\" AS VARCHAR) AS part, count(*) || ':' || CAST(sum(hash(t)) AS VARCHAR) || "
        "':' || CAST(bit_xor(hash(t)) AS VARCHAR) AS content FROM main.\"{}\" AS t GROUP BY ALL",
        sql.empty() ? "" : "\nUNION ALL ", quoted(ref.name), column, ref.name);
  }
  return sql;
}

// An incremental model over refs (partition_by): the first time, or when its SQL changed, a full build;
// after that only the partitions whose inputs changed are rebuilt: those where a partitioned ref's rows
// changed, and those holding a row whose lookup key's row changed. Each is deleted and built again from
// the refs' rows of that partition alone, so the result equals a full build as long as the model's rows
// of a partition depend only on those (what partition_by declares). Returns the condition that picks the
// rows it wrote ("false" when none), or "" after a full build.
Expected<std::string> build_partitioned(db::Connection& c, const Model& model,
                                        const std::vector<const DataTest*>& tests) {
  const std::string hash = incremental_hash(model.sql, tests);
  const std::string name = quoted(model.name);
  if (auto ok =
          c.execute(fmt::format("CREATE OR REPLACE TEMP TABLE ampere_inputs_now AS\n{}", partition_inputs_sql(model)));
      !ok) {
    return with_context(ok.error(), fmt::format("reading the inputs of {} by {}", model.name, model.partition_by));
  }
  auto state = c.query(fmt::format(
      "SELECT (SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = {0}), "
      "(SELECT count(*) FROM {1} WHERE model = {0}), (SELECT count(*) FROM {1} WHERE model = {0} AND sql_hash <> {2})",
      name, kPartitionInputsTable, quoted(hash)));
  if (!state) return tl::unexpected(state.error());
  const bool incremental = state->int64(0, 0) == 1 && state->int64(1, 0) > 0 && state->int64(2, 0) == 0;
  const std::string remember = fmt::format(
      "DELETE FROM {0} WHERE model = {1};\n"
      "INSERT INTO {0} SELECT {1}, {2}, ref, part, content FROM ampere_inputs_now;\n"
      "DROP TABLE ampere_inputs_now; DROP TABLE IF EXISTS ampere_changed_inputs",
      kPartitionInputsTable, name, quoted(hash));
  const auto full_build = [&]() -> Expected<std::string> {
    if (auto ok = c.execute(
            fmt::format("CREATE OR REPLACE TABLE main.\"{}\" AS\n{};\n{}", model.name, compile_model(model), remember));
        !ok) {
      return tl::unexpected(ok.error());
    }
    return std::string();
  };
  if (!incremental) return full_build();

  // The partitions to rebuild: changed inputs of partitioned refs, and the partitions holding a row whose
  // lookup row changed (appeared, went or differs).
  std::string lookups;
  for (const auto& lookup : model.lookups) {
    lookups += fmt::format(
        "\nUNION SELECT CAST(m.\"{0}\" AS VARCHAR) FROM main.\"{1}\" AS m WHERE CAST(m.\"{2}\" AS VARCHAR) IN (SELECT "
        "part FROM ampere_changed_inputs WHERE ref = {3})",
        model.partition_by, model.name, lookup.column, quoted(lookup.ref));
  }
  std::string partitioned_refs;
  for (const auto& ref : model.refs) {
    if (!is_lookup(model, ref.name)) partitioned_refs += (partitioned_refs.empty() ? "" : ", ") + quoted(ref.name);
  }
  auto parts = c.query(fmt::format(
      "CREATE OR REPLACE TEMP TABLE ampere_changed_inputs AS SELECT coalesce(n.ref, o.ref) AS ref, coalesce(n.part, "
      "o.part) AS part FROM ampere_inputs_now AS n FULL OUTER JOIN (SELECT ref, part, content FROM {0} WHERE model = "
      "{1}) AS o ON n.ref = o.ref AND n.part IS NOT DISTINCT FROM o.part WHERE n.content IS DISTINCT FROM o.content;\n"
      "SELECT part, (SELECT count(DISTINCT part) FROM ampere_inputs_now WHERE ref IN ({2})) FROM (SELECT DISTINCT part "
      "FROM ampere_changed_inputs WHERE ref IN ({2}){3}) ORDER BY part",
      kPartitionInputsTable, name, partitioned_refs, lookups));
  if (!parts) return tl::unexpected(parts.error());
  // Only the changed inputs are written again: a lookup of every user would otherwise rewrite 60k rows.
  const std::string remember_changes = fmt::format(
      "DELETE FROM {0} AS p WHERE model = {1} AND EXISTS (SELECT 1 FROM ampere_changed_inputs AS c WHERE c.ref = "
      "p.ref AND c.part IS NOT DISTINCT FROM p.part);\n"
      "INSERT INTO {0} SELECT {1}, {2}, n.ref, n.part, n.content FROM ampere_inputs_now AS n WHERE EXISTS (SELECT 1 "
      "FROM ampere_changed_inputs AS c WHERE c.ref = n.ref AND c.part IS NOT DISTINCT FROM n.part);\n"
      "DROP TABLE ampere_inputs_now; DROP TABLE ampere_changed_inputs",
      kPartitionInputsTable, name, quoted(hash));
  const size_t changed = parts->row_count();
  if (changed == 0) {
    if (auto ok = c.execute(remember_changes); !ok) return tl::unexpected(ok.error());
    return std::string("false");
  }
  const auto total = static_cast<double>(parts->int64(1, 0));
  bool null_part = false;
  for (size_t r = 0; r < changed; ++r) null_part = null_part || parts->is_null(0, r);
  // Rows without a partition value cannot be picked out by it: they change with a full build.
  if (null_part || static_cast<double>(changed) > kFullRebuildPartitionShare * total) return full_build();
  // Typed constants: DuckDB pushes them through the refs (views included) into their tables' scans.
  auto type = c.query(
      "SELECT data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' "
      "AND table_name = $1 AND column_name = $2",
      model.name, model.partition_by);
  if (!type) return tl::unexpected(type.error());
  if (type->row_count() != 1) return full_build();
  const std::string in_parts =
      fmt::format("\"{}\" IN ({})", model.partition_by, constant_list(*parts, 0, type->text(0, 0)));
  std::map<std::string, std::string> overrides;
  for (const auto& ref : model.refs) {
    if (!is_lookup(model, ref.name))
      overrides[ref.name] = fmt::format("SELECT * FROM main.\"{}\" WHERE {}", ref.name, in_parts);
  }
  if (auto ok = c.execute(fmt::format("DELETE FROM main.\"{0}\" WHERE {1};\nINSERT INTO main.\"{0}\"\n{2};\n{3}",
                                      model.name, in_parts, compile_model(model, overrides), remember_changes));
      !ok) {
    return tl::unexpected(ok.error());
  }
  return fmt::format("\"{}\".{}", model.name, in_parts);
}

// Drops what stands in main under the model's name when it is of the other kind (a table where the model
// is now a view, or a view where it is now a table): CREATE OR REPLACE replaces only its own kind.
Expected<void> drop_other_kind(db::Connection& connection, const Model& model) {
  const bool view = model.materialization == Materialization::view;
  auto other = connection.query(
      view ? "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
             "AND table_name = $1"
           : "SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' "
             "AND view_name = $1",
      model.name);
  if (!other) return tl::unexpected(other.error());
  if (other->int64(0, 0) == 0) return {};
  return connection.execute(fmt::format("DROP {} main.\"{}\"", view ? "TABLE" : "VIEW", model.name));
}

// The statements that build `model`. Returns the condition that picks the rows it wrote when it wrote
// some rows only (an incremental build: see data_test_sql), else "".
Expected<std::string> materialize(db::Connection& connection, const Model& model,
                                  const std::vector<const DataTest*>& tests) {
  if (auto ok = drop_other_kind(connection, model); !ok) return tl::unexpected(ok.error());
  if (model.materialization == Materialization::incremental && !model.partition_by.empty()) {
    return build_partitioned(connection, model, tests);
  }
  if (model.materialization == Materialization::incremental && model.sources.size() == 1 && model.refs.empty()) {
    return build_incremental(connection, model, tests);
  }
  const std::string kind = model.materialization == Materialization::view ? "VIEW" : "TABLE";
  if (auto ok = connection.execute(
          fmt::format("CREATE OR REPLACE {} main.\"{}\" AS\n{}", kind, model.name, compile_model(model)));
      !ok) {
    return tl::unexpected(ok.error());
  }
  return std::string();
}

// Builds one model and runs its tests in one transaction; rolls back when either fails. When it built,
// records its inputs and content in ampere.model_state (same transaction) and sets `content`. The content
// is hashed only when `content_needed` (another model reads this one): otherwise it is left unknown (""),
// which hashing every row of a big mart (0.2 s for the feed) would only have stored.
ModelResult build_one(db::Connection& connection, const Model& model, const std::vector<const DataTest*>& tests,
                      const std::string& inputs, bool content_needed, std::string& content) {
  const auto start = std::chrono::steady_clock::now();
  ModelResult result;
  result.name = model.name;
  result.materialization = model.materialization;
  auto built = connection.transaction([&]() -> Expected<void> {
    auto written = materialize(connection, model, tests);
    if (!written) return tl::unexpected(written.error());
    auto count = connection.query(fmt::format("SELECT count(*) FROM main.\"{}\"", model.name));
    if (!count) return tl::unexpected(count.error());
    result.rows = static_cast<size_t>(count->int64(0, 0));
    for (const DataTest* test : tests) {
      auto outcome = run_data_test(connection, *test, *written);
      if (!outcome) return tl::unexpected(outcome.error());
      ++result.tests;
      if (*outcome) result.failures.push_back(std::move(**outcome));
    }
    if (auto ok = connection.execute("DROP TABLE IF EXISTS ampere_changed_keys"); !ok) return ok;
    if (!result.failures.empty()) {
      return fail(ErrorKind::invalid_input, fmt::format("{} of {} tests failed", result.failures.size(), result.tests));
    }
    if (content_needed) {
      auto fingerprint = content_fingerprint(connection, model, inputs);
      if (!fingerprint) return tl::unexpected(fingerprint.error());
      content = std::move(*fingerprint);
    }
    auto forgot = connection.query("DELETE FROM ampere.model_state WHERE model = $1", model.name);
    if (!forgot) return tl::unexpected(forgot.error());
    auto recorded = connection.query(
        "INSERT INTO ampere.model_state (model, inputs_hash, content_hash, seconds) VALUES ($1, $2, $3, $4)",
        model.name, inputs, content, seconds_since(start));
    if (!recorded) return tl::unexpected(recorded.error());
    return {};
  });
  if (!built) {
    result.status = result.failures.empty() ? ModelStatus::failed : ModelStatus::tests_failed;
    result.error =
        result.failures.empty() ? fmt::format("{} ({})", built.error().message, model.path) : built.error().message;
  }
  result.seconds = seconds_since(start);
  return result;
}

// Whether `model` can be kept as it is: nothing it is computed from (`inputs`) changed since its last
// build, it is still there, and its content is known when another model needs it.
bool can_keep(const BuildState& state, const Model& model, const std::string& inputs, bool content_needed) {
  const auto stored = state.stored.find(model.name);
  if (stored == state.stored.end() || !state.relations.contains(model.name)) return false;
  if (content_needed && stored->second.content.empty()) return false;
  return !inputs.empty() && inputs == stored->second.inputs;
}

// The result of keeping `model` as it is (can_keep); nullopt when it must be built after all.
std::optional<ModelResult> keep_unchanged(db::Connection& connection, const Model& model) {
  const auto start = std::chrono::steady_clock::now();
  auto count = connection.query(fmt::format("SELECT count(*) FROM main.\"{}\"", model.name));
  if (!count) return std::nullopt;
  ModelResult result;
  result.name = model.name;
  result.materialization = model.materialization;
  result.unchanged = true;
  result.rows = static_cast<size_t>(count->int64(0, 0));
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace

bool BuildReport::ok() const {
  return std::all_of(models.begin(), models.end(), [](const ModelResult& m) { return m.status == ModelStatus::built; });
}

Expected<void> set_variables(db::Connection& connection, const std::map<std::string, std::string>& variables) {
  for (const auto& [name, value] : variables) {
    if (auto ok = connection.execute(fmt::format("SET VARIABLE {} = {}", name, quoted(value))); !ok) {
      return with_context(ok.error(), "setting the build variable " + name);
    }
  }
  return {};
}

namespace {

// Sets on `to` every DuckDB variable of `from` (the build's, and any its caller set), with its type.
Expected<void> copy_variables(db::Connection& from, db::Connection& to) {
  auto variables = from.query("SELECT name, CAST(value AS VARCHAR), type FROM duckdb_variables()");
  if (!variables) return tl::unexpected(variables.error());
  for (size_t r = 0; r < variables->row_count(); ++r) {
    const std::string value = variables->is_null(1, r) ? "NULL" : quoted(variables->text(1, r));
    if (auto ok = to.execute(
            fmt::format("SET VARIABLE {} = CAST({} AS {})", variables->text(0, r), value, variables->text(2, r)));
        !ok) {
      return with_context(ok.error(), "setting the build variable " + variables->text(0, r));
    }
  }
  return {};
}

// What the connections of one build share, behind `mutex`: the models' progress, results and state.
struct BuildProgress {
  enum class Step { pending, running, done };
  std::span<const Model> models;
  std::span<const DataTest> tests;
  const BuildOptions& options;
  BuildState state;
  std::map<std::string, size_t, std::less<>> position;  ///< model name -> index in models
  std::vector<Step> steps;
  std::vector<ModelResult> results;
  std::set<std::string, std::less<>> not_built;
  /// The models another model of this build, one that can be kept, refs or tests a relationship with:
  /// their content is hashed.
  std::set<std::string, std::less<>> read_by_others;
  /// Per model (by index), how long the longest chain of models from it to the end of the build took
  /// last time: the ready model with the longest chain is built first, so that the two connections
  /// finish together (the follower network's chain of big models would otherwise start late).
  std::vector<double> chain_seconds;
  std::vector<Step> follow_up_steps;  ///< per BuildOptions::follow_ups
  std::vector<FollowUpResult> follow_up_results;
  bool stopping = false;
  std::mutex mutex;
  std::condition_variable changed;

  // Whether the model `name` is done (or not in this build).
  bool done(const std::string& name) const {
    const auto it = position.find(name);
    return it == position.end() || steps[it->second] == Step::done;
  }
  // Whether every model `model` refs (of this build) is done.
  bool ready(const Model& model) const {
    return std::all_of(model.refs.begin(), model.refs.end(), [&](const ModelDependency& d) { return done(d.name); });
  }
};

ModelResult skipped_result(const Model& model, std::string error) {
  ModelResult skipped;
  skipped.name = model.name;
  skipped.materialization = model.materialization;
  skipped.status = ModelStatus::skipped;
  skipped.error = std::move(error);
  return skipped;
}

// Runs the first pending follow-up whose models are done, if any (on `connection`, with `lock` released
// meanwhile); whether there was one.
bool run_follow_up(db::Connection& connection, BuildProgress& p, std::unique_lock<std::mutex>& lock) {
  const auto& follow_ups = p.options.follow_ups;
  for (size_t f = 0; f < follow_ups.size(); ++f) {
    const auto& follow_up = follow_ups[f];
    if (p.follow_up_steps[f] != BuildProgress::Step::pending) continue;
    if (!std::all_of(follow_up.after.begin(), follow_up.after.end(), [&](const std::string& m) { return p.done(m); })) {
      continue;
    }
    p.follow_up_steps[f] = BuildProgress::Step::running;
    FollowUpResult& result = p.follow_up_results[f];
    result.name = follow_up.name;
    const auto blocked = std::find_if(follow_up.after.begin(), follow_up.after.end(),
                                      [&](const std::string& m) { return p.not_built.contains(m); });
    if (p.stopping) {
      result.error = "skipped: ampere is stopping";
    } else if (blocked != follow_up.after.end()) {
      result.error = fmt::format("skipped: {} did not build", *blocked);
    } else {
      lock.unlock();
      auto ran = follow_up.run(connection);
      lock.lock();
      result.ran = true;
      if (!ran) result.error = ran.error().message;
    }
    p.follow_up_steps[f] = BuildProgress::Step::done;
    p.changed.notify_all();
    return true;
  }
  return false;
}

// Runs a follow-up whose models are done, else takes the model with the longest chain after it among those
// whose refs are built (the first in DAG order on a tie) and builds or keeps it on `connection`; again,
// until every model and follow-up is done.
void build_on(db::Connection& connection, BuildProgress& p) {
  std::unique_lock lock(p.mutex);
  for (;;) {
    if (run_follow_up(connection, p, lock)) continue;
    size_t next = p.models.size();
    bool pending = std::any_of(p.follow_up_steps.begin(), p.follow_up_steps.end(),
                               [](BuildProgress::Step s) { return s != BuildProgress::Step::done; });
    for (size_t i = 0; i < p.models.size(); ++i) {
      if (p.steps[i] != BuildProgress::Step::pending) continue;
      pending = true;
      if (p.ready(p.models[i]) && (next == p.models.size() || p.chain_seconds[i] > p.chain_seconds[next])) next = i;
    }
    if (!pending) return;
    if (next == p.models.size()) {
      p.changed.wait(lock);
      continue;
    }
    const Model& model = p.models[next];
    p.steps[next] = BuildProgress::Step::running;
    auto finish = [&](ModelResult result) {
      if (result.status != ModelStatus::built) p.not_built.insert(model.name);
      p.results[next] = std::move(result);
      p.steps[next] = BuildProgress::Step::done;
      p.changed.notify_all();
    };
    p.stopping = p.stopping || (p.options.should_stop && p.options.should_stop());
    if (p.stopping) {
      finish(skipped_result(model, "skipped: ampere is stopping; the model keeps its previous version"));
      continue;
    }
    const auto blocked = std::find_if(model.refs.begin(), model.refs.end(),
                                      [&](const ModelDependency& d) { return p.not_built.contains(d.name); });
    if (blocked != model.refs.end()) {
      finish(skipped_result(model, fmt::format("skipped: {} did not build", blocked->name)));
      continue;
    }
    std::vector<const DataTest*> own;
    for (const auto& t : p.tests) {
      if (t.model == model.name) own.push_back(&t);
    }
    const std::string inputs = inputs_fingerprint(p.state, model, own);
    const bool content_needed = p.read_by_others.contains(model.name);
    const bool keep = can_keep(p.state, model, inputs, content_needed);
    lock.unlock();
    std::optional<ModelResult> result = keep ? keep_unchanged(connection, model) : std::nullopt;
    std::string content;
    if (!result) result = build_one(connection, model, own, inputs, content_needed, content);
    lock.lock();
    if (!result->unchanged && result->status == ModelStatus::built) {
      p.state.content[model.name] = content;
      p.state.stored[model.name] = {inputs, content, result->seconds};
      p.state.relations.insert(model.name);
    }
    finish(std::move(*result));
  }
}

}  // namespace

Expected<BuildReport> build_models(db::Connection& connection, std::span<const Model> models,
                                   std::span<const DataTest> tests, const BuildOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Timestamp started = now_utc();
  BuildReport report;
  if (auto ok = set_variables(connection, options.variables); !ok) return tl::unexpected(ok.error());
  if (auto ok = connection.execute(fmt::format("SET disabled_compression_methods = '{}'", kDisabledCompression)); !ok) {
    return tl::unexpected(ok.error());
  }
  auto state = load_build_state(connection);
  if (!state) return tl::unexpected(state.error());
  BuildProgress progress{models, tests, options, std::move(*state), {}, {}, {}, {}, {}, {}, {}, {}, false, {}, {}};
  for (size_t i = 0; i < models.size(); ++i) progress.position[models[i].name] = i;
  // A model's content matters to the models that may be kept when it is unchanged: those that do not
  // read the clock or build variables (int_status_assets reads every mart, and is rebuilt each time).
  std::set<std::string, std::less<>> always_rebuilt;
  for (const auto& model : models) {
    if (reads_clock_or_variables(compile_model(model))) {
      always_rebuilt.insert(model.name);
      continue;
    }
    for (const auto& ref : model.refs) progress.read_by_others.insert(ref.name);
  }
  for (const auto& test : tests) {
    if (test.kind == DataTestKind::relationships && !always_rebuilt.contains(test.model)) {
      progress.read_by_others.insert(test.to_model);
    }
  }
  // Models come in DAG order: a model's dependents come after it.
  progress.chain_seconds.assign(models.size(), 0.0);
  for (size_t i = models.size(); i-- > 0;) {
    const auto stored = progress.state.stored.find(models[i].name);
    progress.chain_seconds[i] += stored == progress.state.stored.end() ? 0.0 : stored->second.seconds;
    for (const auto& ref : models[i].refs) {
      const auto it = progress.position.find(ref.name);
      if (it != progress.position.end()) {
        progress.chain_seconds[it->second] = std::max(progress.chain_seconds[it->second], progress.chain_seconds[i]);
      }
    }
  }
  progress.steps.assign(models.size(), BuildProgress::Step::pending);
  progress.results.resize(models.size());
  progress.follow_up_steps.assign(options.follow_ups.size(), BuildProgress::Step::pending);
  progress.follow_up_results.resize(options.follow_ups.size());
  // A second connection builds alongside this one when the caller gave the database.
  std::optional<db::Connection> second;
  if (options.database != nullptr && models.size() > 1) {
    auto c = options.database->connect();
    if (!c) return tl::unexpected(c.error());
    if (auto ok = copy_variables(connection, *c); !ok) return tl::unexpected(ok.error());
    if (auto ok = c->execute(fmt::format("SET disabled_compression_methods = '{}'", kDisabledCompression)); !ok) {
      return tl::unexpected(ok.error());
    }
    second.emplace(std::move(*c));
  }
  {
    std::optional<std::jthread> helper;
    if (second) helper.emplace([&] { build_on(*second, progress); });
    build_on(connection, progress);
  }
  report.models = std::move(progress.results);
  report.follow_ups = std::move(progress.follow_up_results);
  report.seconds = seconds_since(start);
  const size_t failed = progress.not_built.size();
  const std::string error = failed == 0 ? "" : fmt::format("{} of {} models did not build", failed, models.size());
  if (auto ok = record_build(connection, started, failed == 0 ? "success" : "failed", report.models.size(), error);
      !ok) {
    return tl::unexpected(ok.error());
  }
  return report;
}

Expected<std::vector<DataTestFailure>> run_data_tests(db::Connection& connection, std::span<const DataTest> tests) {
  std::vector<DataTestFailure> failures;
  for (const auto& test : tests) {
    auto outcome = run_data_test(connection, test);
    if (!outcome) return tl::unexpected(outcome.error());
    if (*outcome) failures.push_back(std::move(**outcome));
  }
  return failures;
}

Expected<std::vector<Model>> embedded_models() {
  std::vector<Model> models;
  for (const auto& file : sql_files::embedded_files()) {
    if (!file.path.ends_with(".sql")) continue;
    auto model = parse_model("sql/" + std::string(file.path), std::string(file.bytes));
    if (!model) return tl::unexpected(model.error());
    models.push_back(std::move(*model));
  }
  return order_models(std::move(models));
}

}  // namespace ampere::warehouse
