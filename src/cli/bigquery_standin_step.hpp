#pragma once
// The BigQuery stand-in as `ampere simulator --bigquery-key` and `ampere demo` start it: synthetic
// downloads of a synthetic organization's Python packages, and a throwaway service-account key for it.

#include <memory>
#include <string>

#include "simulator/bigquery_standin.hpp"
#include "simulator/org_model.hpp"
#include "util/error.hpp"

namespace ampere::cli {

/// Days of synthetic downloads the stand-in serves, ending yesterday (UTC).
inline constexpr int kStandinDays = 90;

/// Starts the stand-in on bind:port (0: any free port) with `org`'s Python packages (see
/// simulator::python_packages_of) and writes a fresh key file for it at `key_path` (mode 0600).
/// Fails when the organization has no Python repo with releases.
Expected<std::unique_ptr<simulator::BigQueryStandin>> start_bigquery_standin(const simulator::OrgModel& org,
                                                                             const std::string& bind, int port,
                                                                             const std::string& key_path);

}  // namespace ampere::cli
