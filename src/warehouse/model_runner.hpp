#pragma once
// Builds models into the warehouse in DAG order, each one swapped in atomically.

#include <span>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"
#include "warehouse/model.hpp"

namespace ampere::warehouse {

/// What one model's build did.
struct ModelResult {
  std::string name;
  Materialization materialization = Materialization::view;
  size_t rows = 0;  ///< rows in the built relation
  double seconds = 0.0;
};

/// What a whole build did.
struct BuildReport {
  std::vector<ModelResult> models;
  double seconds = 0.0;
};

/// Builds `models` (already in DAG order). Each model is created in one transaction
/// (CREATE OR REPLACE), so a reader sees the previous version or the new one, never a half-built one.
/// Stops at the first failing model, naming it and its file; models built before it stay built.
/// The build is recorded in ampere.builds.
Expected<BuildReport> build_models(db::Connection& connection, std::span<const Model> models);

/// The models compiled into this binary (the sql/ folder), parsed and in build order.
Expected<std::vector<Model>> embedded_models();

}  // namespace ampere::warehouse
