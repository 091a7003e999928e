#pragma once
// The large organization, generated once per test binary (it takes a few seconds) and shared.

#include <chrono>

#include "simulator/org_model.hpp"

namespace ampere::testing {

/// The large org (seed 42) and how long generating it took.
struct LargeOrg {
  simulator::OrgModel model;
  double generation_seconds = 0;
};

/// Generated on first use.
inline const LargeOrg& large_org() {
  static const LargeOrg org = [] {
    const auto start = std::chrono::steady_clock::now();
    auto model = simulator::OrgModel::generate(simulator::ModelSpec{.size = simulator::OrgSize::large});
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    return LargeOrg{std::move(model), took.count()};
  }();
  return org;
}

}  // namespace ampere::testing
