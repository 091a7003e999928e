#pragma once
// Reads of the repos mart: what the pages, the API and the CLI show about repositories.

#include <cstdint>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "util/error.hpp"

namespace ampere::warehouse {

/// One row of the repos mart.
struct RepoRow {
  int64_t repo_id = 0;
  std::string org;
  std::string repo_name;
  std::string description;
  std::string language;
  int64_t stars = 0;
  int64_t forks = 0;
  int64_t open_issues = 0;
  std::string html_url;
  std::string created_at;  ///< ISO 8601 UTC
  std::string pushed_at;   ///< ISO 8601 UTC
};

/// Every repository, most stars first (ties by name).
Expected<std::vector<RepoRow>> list_repos(db::Connection& connection);

/// When the last successful build finished (ISO 8601 UTC), or "" if there was none.
Expected<std::string> last_build_time(db::Connection& connection);

}  // namespace ampere::warehouse
