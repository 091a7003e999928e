#pragma once
// BigQuery stand-in (not Google): what a query would scan under BigQuery's on-demand rule, which bills
// the bytes of the columns a query references (each leaf of a STRUCT on its own) in the partitions it
// cannot prune. file_downloads is partitioned by day on `timestamp`; a comparison of `timestamp` (or
// DATE(`timestamp`)) with a parameter or literal prunes, as in BigQuery; without one, every day is read.

#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "simulator/bigquery_sql_lexer.hpp"
#include "simulator/bigquery_sql_translator.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// The columns and partitions a query reads.
struct ScanPlan {
  std::set<std::string> columns;       ///< leaf column paths, e.g. "details.python"
  std::optional<Timestamp> first_day;  ///< midnight of the first partition scanned; nullopt: unbounded
  std::optional<Timestamp> last_day;   ///< midnight of the last partition scanned; nullopt: unbounded
};

/// Works out the scan of a query over a table with the given leaf columns (dotted paths).
Expected<ScanPlan> plan_scan(const std::vector<SqlToken>& tokens, const std::vector<StandinParameter>& parameters,
                             std::span<const std::string> leaf_columns);

}  // namespace ampere::simulator
