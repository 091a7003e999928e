#pragma once
// The repository listing of the small synthetic organization (OrgModel, org_model.hpp) as `ampere demo`
// loads it: the same repos, counts and payloads the simulator serves for the same seed and date.

#include <cstdint>
#include <string>
#include <vector>

#include "util/raw_record.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// What to generate. The same spec always yields the same organization (the small OrgModel).
struct OrgSpec {
  std::string login = "ampere-demo";
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
  std::string payload;  ///< the repo as GET /orgs/{org}/repos returns it (JSON)
};

/// The organization: its login, numeric id and repositories.
struct SyntheticOrg {
  std::string login;
  int64_t id = 0;
  std::vector<SyntheticRepo> repos;
};

/// Generates the organization described by `spec`.
SyntheticOrg generate_org(const OrgSpec& spec);

/// A repository as GitHub's REST API returns it in GET /orgs/{org}/repos, byte for byte what the
/// simulator serves.
std::string repo_payload(const SyntheticOrg& org, const SyntheticRepo& repo);

/// The org's repositories as raw records of github.repos, retrieved at `retrieved_at` by `sync_id`.
std::vector<RawRecord> repo_records(const SyntheticOrg& org, Timestamp retrieved_at, const std::string& sync_id);

/// The raw table github.repos: key repo_id.
RawTable repos_table();

}  // namespace ampere::simulator
