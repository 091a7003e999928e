#pragma once
// The DAG of models: ref() edges, checked for unknown names and cycles, in build order.

#include <vector>

#include "util/error.hpp"
#include "warehouse/model.hpp"

namespace ampere::warehouse {

/// Returns the models so that every model comes after the models it refs. Fails on a ref to a model
/// that does not exist, a duplicate name, or a cycle, naming the file and line.
Expected<std::vector<Model>> order_models(std::vector<Model> models);

}  // namespace ampere::warehouse
