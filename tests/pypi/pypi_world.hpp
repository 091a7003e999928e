#pragma once
// What the PyPI sync tests share: a local ClickHouse in ClickPy's schema loaded with deterministic
// downloads, the truth those downloads add up to, `ampere sync pypi` as a subprocess, and the warehouse
// built in-process over the resulting lake (the embedded models and their tests, as `ampere build`).

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "integration/process.hpp"
#include "pypi/local_clickhouse.hpp"
#include "support/temp_dir.hpp"

namespace ampere::testing {

/// The loopback ports this project's PyPI tests may use (from the helper's range).
inline constexpr int kFirstPort = 19120;
inline constexpr int kLastPort = 19199;

using Day = std::chrono::sys_days;

/// Today, UTC.
Day today_utc();
/// "YYYY-MM-DD".
std::string day_text(Day day);

/// The downloads of `project` on `day`: a few to a dozen, spread over hours, versions, pythons,
/// systems (including an AWS and an Azure kernel), countries and installers, all from `day`'s number.
std::vector<RawDownload> downloads_on(const std::string& project, Day day);

/// What a set of downloads adds up to.
struct Truth {
  std::map<std::string, int64_t> per_day;                            ///< "YYYY-MM-DD" -> downloads
  std::map<std::pair<std::string, std::string>, int64_t> per_group;  ///< (group, value) -> downloads
  int64_t total = 0;
  void add(const RawDownload& d);
};

/// Builds the warehouse over data_dir's lake in memory (every embedded model and data test, as `ampere
/// build`), then runs `sqls` and returns their rows, each as "a | b | c" (NULL for null). `build_ok` says
/// whether every model built and every test passed; `problems` lists what did not.
std::vector<std::string> query_warehouse(const std::string& data_dir, const std::vector<std::string>& sqls,
                                         bool* build_ok, std::string* problems);

/// The environment for `ampere sync pypi` against `clickhouse_url` with `packages`.
std::map<std::string, std::string> sync_env(const std::string& clickhouse_url, const std::string& packages,
                                            int window_days = 31);

}  // namespace ampere::testing
