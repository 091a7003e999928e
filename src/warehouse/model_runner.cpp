#include "warehouse/model_runner.hpp"

#include <chrono>

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

Expected<ModelResult> build_one(db::Connection& connection, const Model& model) {
  const auto start = std::chrono::steady_clock::now();
  const std::string kind = model.materialization == Materialization::table ? "TABLE" : "VIEW";
  const std::string statement =
      fmt::format("CREATE OR REPLACE {} main.\"{}\" AS\n{}", kind, model.name, compile_model(model));
  auto built = connection.transaction([&] { return connection.execute(statement); });
  if (!built) return with_context(built.error(), fmt::format("model {} ({})", model.name, model.path));
  auto count = connection.query(fmt::format("SELECT count(*) FROM main.\"{}\"", model.name));
  if (!count) return with_context(count.error(), fmt::format("model {} ({})", model.name, model.path));
  return ModelResult{model.name, model.materialization, static_cast<size_t>(count->int64(0, 0)), seconds_since(start)};
}

}  // namespace

Expected<BuildReport> build_models(db::Connection& connection, std::span<const Model> models) {
  const auto start = std::chrono::steady_clock::now();
  const Timestamp started = now_utc();
  BuildReport report;
  for (const auto& model : models) {
    auto result = build_one(connection, model);
    if (!result) {
      (void)record_build(connection, started, "failed", report.models.size(), result.error().message);
      return tl::unexpected(result.error());
    }
    report.models.push_back(std::move(*result));
  }
  report.seconds = seconds_since(start);
  if (auto ok = record_build(connection, started, "success", report.models.size(), ""); !ok) {
    return tl::unexpected(ok.error());
  }
  return report;
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
