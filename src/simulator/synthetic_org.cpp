#include "simulator/synthetic_org.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "simulator/random.hpp"

namespace ampere::simulator {

namespace chr = std::chrono;

namespace {

constexpr std::array<std::string_view, 16> repo_names = {
    "quill",    "ember", "tessera", "lumen", "sprocket", "arbor",   "halyard", "kiln",
    "meridian", "pylon", "quarry",  "rivet", "solstice", "tangent", "umbra",   "vesper"};
constexpr std::array<std::string_view, 5> languages = {"Python", "Python", "Scala", "Rust", "Python"};
constexpr std::array<std::string_view, 6> topics = {"spark",   "delta-lake", "data-engineering",
                                                    "pyspark", "testing",    "etl"};
constexpr int64_t first_repo_id = 500'000'000;
constexpr int64_t org_id = 90'000'001;
constexpr int max_age_days = 3 * 365;

}  // namespace

SyntheticOrg generate_org(const OrgSpec& spec) {
  Random random(spec.seed);
  SyntheticOrg org{spec.login, org_id, {}};
  const auto today = chr::floor<chr::days>(spec.now);
  for (int i = 0; i < spec.repo_count; ++i) {
    SyntheticRepo repo;
    repo.id = first_repo_id + static_cast<int64_t>(i) * 7919;
    const auto base = repo_names[static_cast<size_t>(i) % repo_names.size()];
    const auto round = static_cast<size_t>(i) / repo_names.size();
    repo.name = round == 0 ? std::string(base) : fmt::format("{}-{}", base, round + 1);
    repo.language = std::string(languages[static_cast<size_t>(random.between(0, languages.size() - 1))]);
    repo.description = fmt::format("{}: {} tooling for {}", repo.name, repo.language,
                                   topics[static_cast<size_t>(random.between(0, topics.size() - 1))]);
    repo.stargazers_count = random.pareto(25.0, 0.8);
    repo.forks_count = repo.stargazers_count / random.between(6, 14);
    repo.open_issues_count = random.between(0, 4 + repo.stargazers_count / 50);
    const auto age = chr::days{random.between(30, max_age_days)};
    repo.created_at = Timestamp{today - age} + chr::seconds{random.between(0, 86'399)};
    repo.pushed_at = Timestamp{today - chr::days{random.between(0, 20)}} + chr::seconds{random.between(0, 86'399)};
    if (repo.pushed_at > spec.now) repo.pushed_at = spec.now;
    org.repos.push_back(std::move(repo));
  }
  return org;
}

std::string repo_payload(const SyntheticOrg& org, const SyntheticRepo& repo) {
  const std::string full_name = org.login + "/" + repo.name;
  const nlohmann::json payload = {
      {"id", repo.id},
      {"node_id", fmt::format("R_kgDO{:08X}", repo.id)},
      {"name", repo.name},
      {"full_name", full_name},
      {"private", false},
      {"owner",
       {{"login", org.login},
        {"id", org.id},
        {"type", "Organization"},
        {"html_url", "https://github.com/" + org.login}}},
      {"html_url", "https://github.com/" + full_name},
      {"description", repo.description},
      {"fork", false},
      {"url", "https://api.github.com/repos/" + full_name},
      {"created_at", format_iso8601(chr::floor<chr::seconds>(repo.created_at))},
      {"updated_at", format_iso8601(chr::floor<chr::seconds>(repo.pushed_at))},
      {"pushed_at", format_iso8601(chr::floor<chr::seconds>(repo.pushed_at))},
      {"homepage", nullptr},
      {"size", repo.stargazers_count * 13 + 120},
      {"stargazers_count", repo.stargazers_count},
      {"watchers_count", repo.stargazers_count},
      {"language", repo.language},
      {"forks_count", repo.forks_count},
      {"archived", false},
      {"disabled", false},
      {"open_issues_count", repo.open_issues_count},
      {"license", {{"key", "mit"}, {"name", "MIT License"}, {"spdx_id", "MIT"}}},
      {"topics", nlohmann::json::array({"spark"})},
      {"visibility", "public"},
      {"forks", repo.forks_count},
      {"open_issues", repo.open_issues_count},
      {"watchers", repo.stargazers_count},
      {"default_branch", "main"},
  };
  return payload.dump();
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
