#pragma once
// The simulator's truth: a deterministic synthetic GitHub organization (repos, users, stars, forks,
// issues and pull requests, commits, releases, languages, follower edges) plus the mutations that
// happen between two syncs. Tests compare what a sync stored with this model, field by field.
//
// Storage is compact (the large org holds about 1.5 million records): times are epoch seconds, users
// are indexes into users(), and repeated texts (companies, bios, commit messages) are interned in
// small pools and referenced by index.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "simulator/random.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::simulator {

/// Seconds since the Unix epoch, UTC: the model's time unit.
using EpochSeconds = int64_t;

/// Index of a user in OrgModel::users().
using UserIndex = uint32_t;

/// "No user" (an unlinked commit author).
inline constexpr UserIndex no_user = UINT32_MAX;

/// How big an organization to generate.
enum class OrgSize {
  small,  ///< 8 repos, a few hundred records per entity: unit tests and `ampere demo`
  large,  ///< 200 repos, about 1.5 million records: benchmarks and scale tests
};

/// Parses "small" or "large".
Expected<OrgSize> parse_org_size(std::string_view text);

/// What to generate. The same spec always yields the same organization, byte for byte.
struct ModelSpec {
  OrgSize size = OrgSize::small;
  uint64_t seed = 42;
  std::string login = "ampere-demo";
  EpochSeconds now = 1'793'491'200;  ///< 2026-10-31T00:00:00Z: the org's "present"
  bool hostile = false;              ///< hostile strings (hostile_strings.hpp) in titles, bodies, messages and names
};

/// A GitHub user (or a fork owner, stargazer, author...).
struct User {
  int64_t id = 0;
  std::string login;
  std::string name;
  uint16_t company = 0;   ///< index into OrgModel::companies() (0 = none)
  uint16_t location = 0;  ///< index into OrgModel::locations() (0 = none)
  uint16_t bio = 0;       ///< index into OrgModel::bios() (0 = none)
  EpochSeconds created_at = 0;
  EpochSeconds updated_at = 0;
  bool deleted = false;  ///< deleted accounts answer 404; their issues show "ghost"
};

/// One star: who and when.
struct Star {
  UserIndex user = 0;
  EpochSeconds starred_at = 0;
};

/// A fork: a repository owned by a user, named like its parent.
struct Fork {
  int64_t id = 0;
  UserIndex owner = 0;
  EpochSeconds created_at = 0;
};

/// An issue or a pull request: both share one number space per repository, as on GitHub.
struct Issue {
  int64_t id = 0;  ///< the issue id; a PR's pull-request id is pull_id()
  int32_t number = 0;
  UserIndex user = 0;
  EpochSeconds created_at = 0;
  EpochSeconds updated_at = 0;
  EpochSeconds closed_at = 0;  ///< 0 = open
  EpochSeconds merged_at = 0;  ///< PRs only; 0 = not merged
  uint16_t comments = 0;
  uint16_t title = 0;  ///< index into OrgModel::issue_titles()
  uint8_t labels = 0;  ///< bit i set = label i of OrgModel::labels()
  bool is_pull_request = false;
  bool deleted = false;  ///< deleted issues answer 404 and leave the lists

  /// Open until closed (a merged PR is closed).
  [[nodiscard]] bool is_open() const { return closed_at == 0; }
  /// The pull request's own id (PRs have one besides their issue id).
  [[nodiscard]] int64_t pull_id() const { return id + 1'000'000'000; }
};

/// A commit on the default branch. Its sha derives from (repo id, seq), so it is not stored.
struct Commit {
  uint32_t seq = 0;          ///< position on the branch, 0 = the first commit
  UserIndex user = no_user;  ///< the linked GitHub account, or no_user
  uint32_t author = 0;       ///< index into OrgModel::commit_authors(): name and email
  EpochSeconds authored_at = 0;
  EpochSeconds committed_at = 0;
  uint32_t additions = 0;
  uint32_t deletions = 0;
  uint16_t changed_files = 0;
  uint16_t message = 0;  ///< index into OrgModel::commit_messages()
};

/// A published release.
struct Release {
  int64_t id = 0;
  std::string tag;
  std::string name;
  EpochSeconds published_at = 0;
  UserIndex author = 0;
};

/// A repository of the organization with everything in it.
struct Repo {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::string language;
  std::string license_key;  ///< "mit", "apache-2.0", ...
  std::vector<std::string> topics;
  std::string default_branch = "main";
  EpochSeconds created_at = 0;
  EpochSeconds updated_at = 0;
  EpochSeconds pushed_at = 0;
  bool archived = false;
  bool deleted = false;                                    ///< answers 404 and leaves the org's list
  bool blocked = false;                                    ///< answers 451 "Repository access blocked"
  std::vector<std::string> old_names;                      ///< names it had before renames: they answer 301
  std::vector<Star> stars;                                 ///< oldest first
  std::vector<Fork> forks;                                 ///< oldest first
  std::vector<Issue> issues;                               ///< by number; issue n is issues[n - 1]
  std::vector<Commit> commits;                             ///< oldest first (history is served newest first)
  std::vector<Release> releases;                           ///< oldest first
  std::vector<std::pair<std::string, int64_t>> languages;  ///< bytes per language, largest first

  /// Open issues plus open PRs, as GitHub counts open_issues_count.
  [[nodiscard]] int64_t open_issues_count() const;
  /// The 40-hex sha of commit `seq`.
  [[nodiscard]] std::string commit_sha(uint32_t seq) const;
};

/// Record counts per entity, for reports and tests.
struct ModelCounts {
  size_t repos = 0;
  size_t users = 0;
  size_t stars = 0;
  size_t forks = 0;
  size_t issues = 0;
  size_t pull_requests = 0;
  size_t commits = 0;
  size_t releases = 0;
  size_t languages = 0;
  size_t follower_edges = 0;
  /// Everything above added up.
  [[nodiscard]] size_t total() const;
};

/// The organization and its history. Generated once from a ModelSpec; mutated by the methods below,
/// each of which advances the model's clock by one minute and updates counts and dates like GitHub.
class OrgModel {
 public:
  /// Generates the organization described by `spec`.
  static OrgModel generate(const ModelSpec& spec);

  /// The org's login.
  [[nodiscard]] const std::string& login() const { return login_; }
  /// True when the texts include hostile strings (ModelSpec::hostile).
  [[nodiscard]] bool hostile() const { return hostile_; }
  /// The org's numeric id.
  [[nodiscard]] int64_t id() const { return 90'000'001; }
  /// The model's present: the time of the last mutation (or the spec's `now`).
  [[nodiscard]] EpochSeconds now() const { return now_; }

  /// Every repo, deleted ones included (check Repo::deleted).
  [[nodiscard]] const std::vector<Repo>& repos() const { return repos_; }
  /// Every user, deleted ones included (check User::deleted).
  [[nodiscard]] const std::vector<User>& users() const { return users_; }
  /// Who follows user u (indexes, ascending).
  [[nodiscard]] const std::vector<UserIndex>& followers(UserIndex u) const { return followers_[u]; }
  /// Whom user u follows (indexes, ascending).
  [[nodiscard]] const std::vector<UserIndex>& following(UserIndex u) const { return following_[u]; }

  /// Interned companies (User::company); entry 0 is "" (none).
  [[nodiscard]] const std::vector<std::string>& companies() const { return companies_; }
  /// Interned locations (User::location); entry 0 is "" (none).
  [[nodiscard]] const std::vector<std::string>& locations() const { return locations_; }
  /// Interned bios (User::bio); entry 0 is "" (none).
  [[nodiscard]] const std::vector<std::string>& bios() const { return bios_; }
  /// Interned issue and PR titles (Issue::title).
  [[nodiscard]] const std::vector<std::string>& issue_titles() const { return issue_titles_; }
  /// Interned commit messages (Commit::message); some have a body after a blank line.
  [[nodiscard]] const std::vector<std::string>& commit_messages() const { return commit_messages_; }
  /// Name and email of commit authors without a GitHub account (Commit::author).
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& commit_authors() const {
    return commit_authors_;
  }
  /// Label names; bit i of Issue::labels is label i.
  [[nodiscard]] static const std::vector<std::string>& labels();

  /// The repo currently named `name` (not deleted), if any.
  [[nodiscard]] std::optional<size_t> find_repo(std::string_view name) const;
  /// The repo that was once named `name` and has been renamed since.
  [[nodiscard]] std::optional<size_t> find_renamed_repo(std::string_view old_name) const;
  /// The repo with numeric id `id`.
  [[nodiscard]] std::optional<size_t> find_repo_by_id(int64_t id) const;
  /// The user with `login` (deleted ones too).
  [[nodiscard]] std::optional<UserIndex> find_user(std::string_view login) const;
  /// The user with numeric id `id` (deleted ones too).
  [[nodiscard]] std::optional<UserIndex> find_user_by_id(int64_t id) const;

  /// Record counts (deleted records excluded).
  [[nodiscard]] ModelCounts counts() const;

  // Mutations. Each returns what it changed (ids, numbers, logins) or an error for a bad argument.

  /// `count` users who have not starred `repo` star it now.
  Expected<std::vector<UserIndex>> add_stars(size_t repo, int count);
  /// The `count` most recent stargazers of `repo` unstar it.
  Expected<std::vector<UserIndex>> remove_stars(size_t repo, int count);
  /// Opens `count` new issues; returns their numbers.
  Expected<std::vector<int32_t>> open_issues(size_t repo, int count);
  /// Closes the `count` oldest open issues (not PRs); returns their numbers.
  Expected<std::vector<int32_t>> close_issues(size_t repo, int count);
  /// Merges the `count` oldest open PRs; returns their numbers.
  Expected<std::vector<int32_t>> merge_pull_requests(size_t repo, int count);
  /// Pushes `count` new commits to the default branch; returns their shas.
  Expected<std::vector<std::string>> push_commits(size_t repo, int count);
  /// Renames a repo; its old name answers 301 from then on.
  Expected<void> rename_repo(size_t repo, const std::string& new_name);
  /// Deletes issue `number` of `repo`: it answers 404 and leaves the lists.
  Expected<void> delete_issue(size_t repo, int32_t number);
  /// Deletes a user account: 404 for the user, "ghost" on their issues, PRs and releases, their stars
  /// and follower edges gone.
  Expected<void> delete_user(UserIndex user);
  /// Deletes a repo: 404 and gone from the org's list.
  Expected<void> delete_repo(size_t repo);
  /// Flags a repo as blocked (451) or unblocks it.
  Expected<void> set_blocked(size_t repo, bool blocked);

 private:
  OrgModel() = default;
  Expected<Repo*> mutable_repo(size_t repo);
  EpochSeconds tick();
  void index_users();

  std::string login_;
  bool hostile_ = false;
  EpochSeconds now_ = 0;
  Random random_{0};
  std::vector<Repo> repos_;
  std::vector<User> users_;
  std::vector<std::vector<UserIndex>> followers_;
  std::vector<std::vector<UserIndex>> following_;
  std::vector<std::string> companies_, locations_, bios_, issue_titles_, commit_messages_;
  std::vector<std::pair<std::string, std::string>> commit_authors_;
  std::unordered_map<std::string, UserIndex> user_by_login_;
  int64_t next_issue_id_ = 0;
};

/// Formats epoch seconds as GitHub does: "2026-10-31T12:00:00Z".
std::string format_time(EpochSeconds t);

}  // namespace ampere::simulator
