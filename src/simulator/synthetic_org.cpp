#include "simulator/synthetic_org.hpp"

#include "simulator/org_model.hpp"
#include "simulator/payload_builder.hpp"

namespace ampere::simulator {

namespace chr = std::chrono;

SyntheticOrg generate_org(const OrgSpec& spec) {
  ModelSpec model_spec;
  model_spec.size = OrgSize::small;
  model_spec.seed = spec.seed;
  model_spec.login = spec.login;
  model_spec.now = chr::duration_cast<chr::seconds>(spec.now.time_since_epoch()).count();
  const OrgModel model = OrgModel::generate(model_spec);
  const PayloadBuilder payloads(model);
  SyntheticOrg org{model.login(), model.id(), {}};
  for (const auto& repo : model.repos()) {
    SyntheticRepo r;
    r.id = repo.id;
    r.name = repo.name;
    r.description = repo.description;
    r.language = repo.language;
    r.stargazers_count = static_cast<int64_t>(repo.stars.size());
    r.forks_count = static_cast<int64_t>(repo.forks.size());
    r.open_issues_count = repo.open_issues_count();
    r.created_at = Timestamp{chr::seconds{repo.created_at}};
    r.pushed_at = Timestamp{chr::seconds{repo.pushed_at}};
    r.payload = payloads.repo(repo).dump();
    org.repos.push_back(std::move(r));
  }
  return org;
}

std::string repo_payload(const SyntheticOrg& /*org*/, const SyntheticRepo& repo) {
  return repo.payload;
}

std::vector<RawRecord> repo_records(const SyntheticOrg& org, Timestamp retrieved_at, const std::string& sync_id) {
  std::vector<RawRecord> records;
  records.reserve(org.repos.size());
  for (const auto& repo : org.repos) {
    records.push_back(RawRecord{{repo.id}, retrieved_at, sync_id, repo_payload(org, repo)});
  }
  return records;
}

RawTable repos_table() {
  return RawTable{"github", "repos", {"repo_id"}};
}

}  // namespace ampere::simulator
