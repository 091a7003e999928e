#include "warehouse/model_runner.hpp"

#include <algorithm>
#include <chrono>
#include <set>

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

// Builds one model and runs its tests in one transaction; rolls back when either fails.
ModelResult build_one(db::Connection& connection, const Model& model, const std::vector<const DataTest*>& tests) {
  const auto start = std::chrono::steady_clock::now();
  ModelResult result;
  result.name = model.name;
  result.materialization = model.materialization;
  const std::string kind = model.materialization == Materialization::table ? "TABLE" : "VIEW";
  const std::string statement =
      fmt::format("CREATE OR REPLACE {} main.\"{}\" AS\n{}", kind, model.name, compile_model(model));
  auto built = connection.transaction([&]() -> Expected<void> {
    if (auto ok = connection.execute(statement); !ok) return ok;
    auto count = connection.query(fmt::format("SELECT count(*) FROM main.\"{}\"", model.name));
    if (!count) return tl::unexpected(count.error());
    result.rows = static_cast<size_t>(count->int64(0, 0));
    for (const DataTest* test : tests) {
      auto outcome = run_data_test(connection, *test);
      if (!outcome) return tl::unexpected(outcome.error());
      ++result.tests;
      if (*outcome) result.failures.push_back(std::move(**outcome));
    }
    if (!result.failures.empty()) {
      return fail(ErrorKind::invalid_input, fmt::format("{} of {} tests failed", result.failures.size(), result.tests));
    }
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

}  // namespace

bool BuildReport::ok() const {
  return std::all_of(models.begin(), models.end(), [](const ModelResult& m) { return m.status == ModelStatus::built; });
}

Expected<BuildReport> build_models(db::Connection& connection, std::span<const Model> models,
                                   std::span<const DataTest> tests) {
  const auto start = std::chrono::steady_clock::now();
  const Timestamp started = now_utc();
  BuildReport report;
  std::set<std::string, std::less<>> not_built;
  for (const auto& model : models) {
    const auto blocked = std::find_if(model.refs.begin(), model.refs.end(),
                                      [&](const ModelDependency& d) { return not_built.contains(d.name); });
    if (blocked != model.refs.end()) {
      ModelResult skipped;
      skipped.name = model.name;
      skipped.materialization = model.materialization;
      skipped.status = ModelStatus::skipped;
      skipped.error = fmt::format("skipped: {} did not build", blocked->name);
      report.models.push_back(std::move(skipped));
      not_built.insert(model.name);
      continue;
    }
    std::vector<const DataTest*> own;
    for (const auto& t : tests) {
      if (t.model == model.name) own.push_back(&t);
    }
    report.models.push_back(build_one(connection, model, own));
    if (report.models.back().status != ModelStatus::built) not_built.insert(model.name);
  }
  report.seconds = seconds_since(start);
  const size_t failed = not_built.size();
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
