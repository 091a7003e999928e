#pragma once
// Builds models into the warehouse in DAG order, each one swapped in atomically.

#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "db/database.hpp"
#include "util/error.hpp"
#include "warehouse/data_test.hpp"
#include "warehouse/model.hpp"

namespace ampere::warehouse {

/// How one model's build ended.
enum class ModelStatus {
  built,         ///< built and every test passed
  failed,        ///< its SQL failed; the previous version stays
  tests_failed,  ///< built, but a test failed; rolled back, the previous version stays
  skipped,       ///< not built because a model it reads did not build
};

/// What one model's build did.
struct ModelResult {
  std::string name;
  Materialization materialization = Materialization::view;
  ModelStatus status = ModelStatus::built;
  size_t rows = 0;   ///< rows in the built relation
  size_t tests = 0;  ///< tests run
  /// Kept as it was: its SQL, tests, sources and upstream contents are the same as when it was last built
  /// (and tested), so it was neither rebuilt nor tested again.
  bool unchanged = false;
  double seconds = 0.0;
  std::string error;                      ///< why it failed or was skipped
  std::vector<DataTestFailure> failures;  ///< the tests that failed, with sample rows
};

/// What happened to a follow-up (BuildOptions::follow_ups).
struct FollowUpResult {
  std::string name;
  bool ran = false;   ///< false: skipped, because a model it follows did not build or the build stopped
  std::string error;  ///< why it failed or was skipped ("" when it ran and succeeded)
};

/// What a whole build did.
struct BuildReport {
  std::vector<ModelResult> models;
  std::vector<FollowUpResult> follow_ups;  ///< in the order they were given
  double seconds = 0.0;

  /// Whether every model built and passed its tests.
  [[nodiscard]] bool ok() const;
};

/// What a build is told besides its models.
struct BuildOptions {
  /// DuckDB variables set (SET VARIABLE name = 'value') before the first model; models read them with
  /// getvariable('name'): ampere_now, ampere_live_run_id, ampere_configured_sources, freshness thresholds.
  std::map<std::string, std::string> variables;
  /// Asked before each model; when it answers true the remaining models are skipped ("stopping").
  std::function<bool()> should_stop;
  /// The database of the build's connection, when models may build two at a time: a model starts as soon
  /// as the models it refs are built, on the build's connection or on a second one of this database (a
  /// model's statements keep both cores busy only part of the time), which gets the DuckDB variables of
  /// the build's connection. Null: one model after the other.
  db::Database* database = nullptr;
  /// Work that is not a model but reads some (the network layouts): run on a connection of the build as
  /// soon as the models it follows are built (or kept), before any model waiting then, so that it fills
  /// the time the build would leave a core idle; skipped when one of them did not build.
  struct FollowUp {
    std::string name;
    std::vector<std::string> after;  ///< models; one not in this build counts as built
    std::function<Expected<void>(db::Connection&)> run;
  };
  std::vector<FollowUp> follow_ups;
};

/// Sets each variable on `connection` (SET VARIABLE), values as text.
Expected<void> set_variables(db::Connection& connection, const std::map<std::string, std::string>& variables);

/// Builds `models` (already in DAG order) and runs each one's `tests` right after it, in the same
/// transaction: a reader sees the previous version or the new, tested one, never a half-built one. A
/// model whose SQL or tests fail is rolled back and every model downstream of it is skipped; the others
/// still build. The build is recorded in ampere.builds. Only a failure to record is an error. With
/// BuildOptions::database, independent models build concurrently; the report lists them in DAG order.
///
/// A model is kept as it is (ModelResult::unchanged) when nothing it is computed from changed since it was
/// last built: its compiled SQL and tests, the Parquet files behind each raw source it reads (the lake
/// views' definitions), and the content (row count and row hashes) of each model it refs. ampere.model_state
/// keeps, per model, that inputs fingerprint and its content hash, written in the model's transaction. A
/// model whose SQL reads the clock or build variables (current_timestamp, now(), getvariable, random), or
/// a source that is not a lake view, is always rebuilt.
Expected<BuildReport> build_models(db::Connection& connection, std::span<const Model> models,
                                   std::span<const DataTest> tests = {}, const BuildOptions& options = {});

/// Runs `tests` against the models as they are (`ampere test`), returning the failures.
Expected<std::vector<DataTestFailure>> run_data_tests(db::Connection& connection, std::span<const DataTest> tests);

/// The models compiled into this binary (the sql/ folder), parsed and in build order.
Expected<std::vector<Model>> embedded_models();

}  // namespace ampere::warehouse
