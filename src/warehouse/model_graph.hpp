#pragma once
// The DAG of models: ref() edges, checked for unknown names and cycles, in build order.

#include <string>
#include <vector>

#include "util/error.hpp"
#include "warehouse/model.hpp"

namespace ampere::warehouse {

/// Returns the models so that every model comes after the models it refs. Fails on a ref to a model
/// that does not exist, a duplicate name, or a cycle, naming the file and line.
Expected<std::vector<Model>> order_models(std::vector<Model> models);

/// The models `selector` picks, dbt-style, keeping build order: names separated by spaces or commas,
/// each `name`, `name+` (with everything downstream) or `+name` (with everything upstream). An empty
/// selector picks all. An unknown name fails with the closest model name.
Expected<std::vector<Model>> select_models(const std::vector<Model>& ordered, const std::string& selector);

}  // namespace ampere::warehouse
