#pragma once
// BigQuery stand-in (not Google): a deterministic synthetic copy of `bigquery-public-data.pypi.file_downloads`
// in DuckDB, one row per download with the public table's columns (timestamp, country_code, url,
// project, file{...}, details{installer, python, implementation, distro, system, cpu, ..., ci},
// tls_protocol, tls_cipher), plus the bytes of every leaf column per day partition, which is what
// BigQuery's dry runs and billing count.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "simulator/bigquery_scan_plan.hpp"
#include "simulator/org_model.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// One synthetic package.
struct PackageSpec {
  std::string name;                   ///< the PyPI project name as the table holds it (normalized)
  std::vector<std::string> versions;  ///< released versions; downloads are spread over them
  int64_t daily_downloads = 100;      ///< about this many a day (each day varies from 70% to 130%)
};

/// The synthetic table: packages over consecutive UTC days.
struct DownloadsSpec {
  std::vector<PackageSpec> packages;
  std::string first_day = "2026-08-01";  ///< YYYY-MM-DD
  int days = 30;
  uint64_t seed = 7;  ///< the same spec and seed always give the same rows
};

/// Packages for a synthetic organization's Python repos with releases (what `ampere init` would suggest):
/// the repo name in PEP 503 form, its release tags as versions (a leading "v" dropped), and a daily
/// volume that grows with the repo's stars.
std::vector<PackageSpec> python_packages_of(const OrgModel& org);

/// The leaf columns of file_downloads as dotted paths ("details.installer.name"), in table order.
std::span<const std::string> file_downloads_leaf_columns();

/// Creates file_downloads and partition_column_bytes in the connection's database and fills them.
/// The connection's TimeZone is set to UTC.
Expected<void> create_file_downloads(db::Connection& connection, const DownloadsSpec& spec);

/// The bytes a scan reads by BigQuery's rule: for each leaf column referenced, the sum over the scanned
/// day partitions of its values' sizes (STRING 2 + UTF-8 bytes, TIMESTAMP 8, BOOL 1, NULL 0).
Expected<int64_t> bytes_scanned(db::Connection& connection, const ScanPlan& plan);

}  // namespace ampere::simulator
