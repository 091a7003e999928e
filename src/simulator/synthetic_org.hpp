#pragma once
// A deterministic synthetic GitHub organization: the data behind `ampere demo`, the simulator's
// HTTP answers, the tests' expected values and the benchmarks.

#include <cstdint>
#include <string>
#include <vector>

#include "util/raw_record.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// What to generate. The same spec always yields the same organization.
struct OrgSpec {
  std::string login = "ampere-demo";
  int repo_count = 8;
  uint64_t seed = 42;
  Timestamp now;  ///< the organization's "present": creation and push dates lie before it
};

/// One repository of the synthetic organization.
struct SyntheticRepo {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string language;
  int64_t stargazers_count = 0;
  int64_t forks_count = 0;
  int64_t open_issues_count = 0;
  Timestamp created_at;
  Timestamp pushed_at;
};

/// The organization: its login, numeric id and repositories.
struct SyntheticOrg {
  std::string login;
  int64_t id = 0;
  std::vector<SyntheticRepo> repos;
};

/// Generates the organization described by `spec`.
SyntheticOrg generate_org(const OrgSpec& spec);

/// A repository as GitHub's REST API returns it in GET /orgs/{org}/repos (the fields ampere reads
/// and the ones around them, with GitHub's names and formats).
std::string repo_payload(const SyntheticOrg& org, const SyntheticRepo& repo);

/// The org's repositories as raw records of github.repos, retrieved at `retrieved_at` by `sync_id`.
std::vector<RawRecord> repo_records(const SyntheticOrg& org, Timestamp retrieved_at, const std::string& sync_id);

/// The raw table github.repos: key repo_id.
RawTable repos_table();

}  // namespace ampere::simulator
