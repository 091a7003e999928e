#include "simulator/org_model.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <functional>
#include <numeric>
#include <unordered_set>

#include <fmt/format.h>

#include "simulator/hostile_strings.hpp"
#include "util/strings.hpp"

namespace ampere::simulator {

namespace {

// How much of everything each size has. Totals are spread over the repos by heavy-tailed weights.
struct SizeProfile {
  int repos;
  int users;
  int64_t stars;
  int64_t top_repo_stars;  ///< the most starred repo gets at least this many (large: above the 40k REST cap)
  int64_t issues;
  int64_t pull_requests;
  int64_t commits;
  int64_t forks;
  int64_t releases;
  int64_t follower_edges;
};

constexpr SizeProfile small_profile{8, 400, 360, 120, 150, 70, 420, 40, 24, 1'600};
constexpr SizeProfile large_profile{200, 60'000, 300'000, 46'000, 40'000, 20'000, 150'000, 10'000, 2'000, 900'000};

constexpr int64_t first_repo_id = 500'000'000;
constexpr int64_t repo_id_stride = 7'919;
constexpr int64_t first_user_id = 1'000'000;
constexpr int64_t user_id_stride = 3;
constexpr int64_t first_fork_id = 700'000'000;
constexpr int64_t first_issue_id = 2'000'000'000;
constexpr int64_t first_release_id = 80'000'000;
constexpr EpochSeconds day = 86'400;
constexpr EpochSeconds mutation_step = 60;
constexpr EpochSeconds users_from = 1'230'768'000;   // 2009-01-01
constexpr EpochSeconds users_until = 1'546'300'800;  // 2019-01-01
constexpr int max_repo_age_days = 7 * 365;
constexpr int min_repo_age_days = 60;
constexpr double linked_commit_share = 0.85;
constexpr double closed_issue_share = 0.7;
constexpr double merged_pr_share = 0.75;
constexpr size_t commit_author_pool = 300;
constexpr double zipf_exponent = 0.8;

constexpr std::array<std::string_view, 16> repo_names = {
    "quill",    "ember", "tessera", "lumen", "sprocket", "arbor",   "halyard", "kiln",
    "meridian", "pylon", "quarry",  "rivet", "solstice", "tangent", "umbra",   "vesper"};
constexpr std::array<std::string_view, 6> repo_languages = {"Python", "Python", "Scala", "Rust", "Python", "Go"};
constexpr std::array<std::string_view, 6> topic_pool = {"spark",   "delta-lake", "data-engineering",
                                                        "pyspark", "testing",    "etl"};
constexpr std::array<std::string_view, 4> licenses = {"mit", "apache-2.0", "bsd-3-clause", "mit"};
constexpr std::array<std::string_view, 20> first_names = {
    "ada",   "grace",   "alan",  "edsger", "barbara", "donald",   "frances", "ken",    "dennis", "linus",
    "margo", "niklaus", "radia", "tim",    "guido",   "yukihiro", "anders",  "bjarne", "hedy",   "katherine"};
constexpr std::array<std::string_view, 20> last_names = {"lovelace",  "hopper",    "turing",     "dijkstra", "liskov",
                                                         "knuth",     "allen",     "thompson",   "ritchie",  "torvalds",
                                                         "seltzer",   "wirth",     "perlman",    "berners",  "rossum",
                                                         "matsumoto", "hejlsberg", "stroustrup", "lamarr",   "johnson"};
constexpr std::array<std::string_view, 9> company_pool = {
    "", "@databricks", "Acme Data", "Initech", "Globex", "@apache", "Umbrella Analytics", "Hooli", "Stark Industries"};
constexpr std::array<std::string_view, 9> location_pool = {
    "", "Berlin", "San Francisco", "Bangalore", "São Paulo", "Tokyo", "Lagos", "Toronto", "Paris, France"};
constexpr std::array<std::string_view, 7> bio_pool = {"",
                                                      "Data engineer. Spark, Delta Lake and too much coffee.",
                                                      "I write tests for a living.",
                                                      "PySpark <3 | opinions are my own",
                                                      "Building pipelines & breaking them.",
                                                      "Maintainer of \"small\" things.",
                                                      "ML + data platforms"};
constexpr std::array<std::string_view, 10> title_pool = {
    "Crash when the DataFrame is empty",      "Support Spark 4.0",     "Add type hints to the public API",
    "Docs: example for schema evolution",     "Flaky test on Windows", "Feature request: <merge> helper",
    "Performance regression in 1.2",          "Fix typo in README",    "Bump dependencies",
    "Unicode column names break \"describe\""};
constexpr std::array<std::string_view, 10> message_pool = {
    "Fix null handling in column helpers",
    "Add tests for schema comparison\n\nCovers nested structs and arrays.",
    "Bump version to next release",
    "Refactor DataFrame transforms",
    "Docs: explain the chaining API",
    "Merge pull request from feature branch",
    "Speed up approx equality (2x)",
    "CI: run on Python 3.12",
    "Handle \"quoted\" identifiers\n\nFixes a crash with backticks.",
    "Remove deprecated helpers"};
const std::vector<std::string> label_names = {"bug", "enhancement", "documentation", "good first issue", "question"};

// Splits `total` over `weights` proportionally (largest remainder ignored: rounding down, rest to the first).
std::vector<int64_t> spread(int64_t total, const std::vector<double>& weights) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<int64_t> out(weights.size());
  int64_t assigned = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    out[i] = static_cast<int64_t>(static_cast<double>(total) * weights[i] / sum);
    assigned += out[i];
  }
  if (!out.empty()) out[0] += total - assigned;
  return out;
}

// A user index skewed toward low indexes: a few prolific users, a long tail.
UserIndex skewed_user(Random& random, size_t users) {
  const double u = random.unit();
  return static_cast<UserIndex>(static_cast<double>(users) * u * u * u);
}

uint64_t mix(uint64_t x) {
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

}  // namespace

Expected<OrgSize> parse_org_size(std::string_view text) {
  if (text == "small") return OrgSize::small;
  if (text == "large") return OrgSize::large;
  return fail(ErrorKind::invalid_input, fmt::format("org size '{}' is not known; accepted: small, large", text));
}

std::string format_time(EpochSeconds t) {
  return format_iso8601(Timestamp{std::chrono::seconds{t}});
}

int64_t Repo::open_issues_count() const {
  return std::count_if(issues.begin(), issues.end(), [](const Issue& i) { return !i.deleted && i.is_open(); });
}

std::string Repo::commit_sha(uint32_t seq) const {
  const uint64_t base = static_cast<uint64_t>(id) * 0x100000001b3ULL + seq;
  return fmt::format("{:016x}{:016x}{:08x}", mix(base), mix(base ^ 0x5bd1e995ULL),
                     static_cast<uint32_t>(mix(base + 7) >> 32U));
}

size_t ModelCounts::total() const {
  return repos + users + stars + forks + issues + pull_requests + commits + releases + languages + follower_edges;
}

const std::vector<std::string>& OrgModel::labels() {
  return label_names;
}

OrgModel OrgModel::generate(const ModelSpec& spec) {
  const SizeProfile& p = spec.size == OrgSize::small ? small_profile : large_profile;
  OrgModel m;
  m.login_ = spec.login;
  m.now_ = spec.now;
  m.random_ = Random(spec.seed ^ 0x6d757461746f6e73ULL);
  Random random(spec.seed);
  for (auto s : company_pool) m.companies_.emplace_back(s);
  for (auto s : location_pool) m.locations_.emplace_back(s);
  for (auto s : bio_pool) m.bios_.emplace_back(s);
  for (auto s : title_pool) m.issue_titles_.emplace_back(s);
  for (auto s : message_pool) m.commit_messages_.emplace_back(s);
  for (size_t i = 0; i < commit_author_pool; ++i) {
    const auto first = first_names[i % first_names.size()];
    const auto last = last_names[(i / first_names.size() + i) % last_names.size()];
    m.commit_authors_.emplace_back(fmt::format("{} {} (unlinked)", first, last),
                                   fmt::format("{}.{}{}@example.com", first, last, i));
  }

  // Users.
  m.users_.resize(static_cast<size_t>(p.users));
  for (size_t i = 0; i < m.users_.size(); ++i) {
    User& u = m.users_[i];
    u.id = first_user_id + static_cast<int64_t>(i) * user_id_stride;
    const auto first = first_names[static_cast<size_t>(random.between(0, first_names.size() - 1))];
    const auto last = last_names[static_cast<size_t>(random.between(0, last_names.size() - 1))];
    u.login = fmt::format("{}-{}{}", first, last, i);
    u.name = fmt::format("{}{} {}{}", static_cast<char>(first[0] - 'a' + 'A'), first.substr(1),
                         static_cast<char>(last[0] - 'a' + 'A'), last.substr(1));
    u.company = random.unit() < 0.6 ? 0 : static_cast<uint16_t>(random.between(1, company_pool.size() - 1));
    u.location = random.unit() < 0.4 ? 0 : static_cast<uint16_t>(random.between(1, location_pool.size() - 1));
    u.bio = random.unit() < 0.5 ? 0 : static_cast<uint16_t>(random.between(1, bio_pool.size() - 1));
    u.created_at = random.between(users_from, users_until);
    u.updated_at = random.between(u.created_at, spec.now - day);
  }
  m.index_users();

  // Follower edges: each user follows a heavy-tailed number of others, popular users more often.
  m.followers_.assign(m.users_.size(), {});
  m.following_.assign(m.users_.size(), {});
  const double mean_following = static_cast<double>(p.follower_edges) / p.users;
  for (size_t i = 0; i < m.users_.size(); ++i) {
    const auto want = std::min<int64_t>(random.pareto(mean_following * 0.5, 2.0), p.users / 2);
    auto& out = m.following_[i];
    for (int64_t k = 0; k < want; ++k) {
      const UserIndex v = skewed_user(random, m.users_.size());
      if (v != i) out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    for (UserIndex v : out) m.followers_[v].push_back(static_cast<UserIndex>(i));
  }

  // Repos and their contents. Weights decide each repo's share of every entity.
  std::vector<double> weights(static_cast<size_t>(p.repos));
  // Zipf-like shares with some jitter: a few big repos, a long tail, none bigger than the user pool.
  for (size_t i = 0; i < weights.size(); ++i) {
    weights[i] = (0.75 + 0.5 * random.unit()) / std::pow(static_cast<double>(i + 1), zipf_exponent);
  }
  std::sort(weights.begin(), weights.end(), std::greater<>());
  auto stars = spread(p.stars, weights);
  if (stars[0] < p.top_repo_stars) {
    // Take the top repo's minimum from the others, proportionally, so the total stays.
    const int64_t need = p.top_repo_stars - stars[0];
    std::vector<double> rest(weights.begin() + 1, weights.end());
    const auto cut = spread(need, rest);
    stars[0] = p.top_repo_stars;
    for (size_t i = 1; i < stars.size(); ++i) stars[i] = std::max<int64_t>(0, stars[i] - cut[i - 1]);
  }
  const auto issues = spread(p.issues, weights);
  const auto pulls = spread(p.pull_requests, weights);
  const auto commits = spread(p.commits, weights);
  const auto forks = spread(p.forks, weights);
  const auto releases = spread(p.releases, weights);
  const size_t empty_repo = weights.size() - 1;  // the one repository without commits (409)

  std::vector<UserIndex> permutation(m.users_.size());
  std::iota(permutation.begin(), permutation.end(), 0);
  // The first k entries of the (shuffled) permutation are k distinct users.
  const auto distinct_users = [&](int64_t k) {
    k = std::min<int64_t>(k, static_cast<int64_t>(permutation.size()));
    for (int64_t j = 0; j < k; ++j) {
      const auto r = static_cast<size_t>(random.between(j, static_cast<int64_t>(permutation.size()) - 1));
      std::swap(permutation[static_cast<size_t>(j)], permutation[r]);
    }
    return k;
  };
  int64_t fork_id = first_fork_id;
  int64_t release_id = first_release_id;
  m.next_issue_id_ = first_issue_id;
  m.repos_.resize(weights.size());
  for (size_t r = 0; r < m.repos_.size(); ++r) {
    Repo& repo = m.repos_[r];
    repo.id = first_repo_id + static_cast<int64_t>(r) * repo_id_stride;
    const auto round = r / repo_names.size();
    const auto base = repo_names[r % repo_names.size()];
    repo.name = round == 0 ? std::string(base) : fmt::format("{}-{}", base, round + 1);
    repo.language = std::string(repo_languages[static_cast<size_t>(random.between(0, repo_languages.size() - 1))]);
    const auto topic = topic_pool[static_cast<size_t>(random.between(0, topic_pool.size() - 1))];
    repo.description = fmt::format("{}: {} tooling for {}", repo.name, repo.language, topic);
    repo.license_key = std::string(licenses[r % licenses.size()]);
    repo.topics = {std::string(topic), "spark"};
    std::sort(repo.topics.begin(), repo.topics.end());
    repo.topics.erase(std::unique(repo.topics.begin(), repo.topics.end()), repo.topics.end());
    repo.archived = r % 17 == 16;
    repo.created_at =
        spec.now - random.between(min_repo_age_days, max_repo_age_days) * day - random.between(0, day - 1);
    const EpochSeconds span = spec.now - repo.created_at;

    // Stars: distinct users, oldest first.
    const int64_t star_count = distinct_users(stars[r]);
    repo.stars.reserve(static_cast<size_t>(star_count));
    for (int64_t j = 0; j < star_count; ++j) {
      repo.stars.push_back({permutation[static_cast<size_t>(j)], repo.created_at + random.between(1, span)});
    }
    std::sort(repo.stars.begin(), repo.stars.end(), [](const Star& a, const Star& b) {
      return a.starred_at != b.starred_at ? a.starred_at < b.starred_at : a.user < b.user;
    });

    // Forks: distinct owners, oldest first.
    const int64_t fork_count = distinct_users(forks[r]);
    for (int64_t j = 0; j < fork_count; ++j) {
      repo.forks.push_back({0, permutation[static_cast<size_t>(j)], repo.created_at + random.between(day, span)});
    }
    std::sort(repo.forks.begin(), repo.forks.end(),
              [](const Fork& a, const Fork& b) { return a.created_at < b.created_at; });
    for (auto& f : repo.forks) f.id = fork_id++;

    // Issues and PRs: one number space, numbered in creation order.
    const int64_t item_count = issues[r] + pulls[r];
    const double pr_share = item_count == 0 ? 0.0 : static_cast<double>(pulls[r]) / static_cast<double>(item_count);
    std::vector<EpochSeconds> created(static_cast<size_t>(item_count));
    for (auto& c : created) c = repo.created_at + random.between(1, span);
    std::sort(created.begin(), created.end());
    repo.issues.reserve(created.size());
    for (size_t j = 0; j < created.size(); ++j) {
      Issue issue;
      issue.id = m.next_issue_id_++;
      issue.number = static_cast<int32_t>(j + 1);
      issue.is_pull_request = random.unit() < pr_share;
      issue.user = skewed_user(random, m.users_.size());
      issue.created_at = created[j];
      issue.updated_at = created[j];
      if (random.unit() < closed_issue_share) {
        const EpochSeconds closed = created[j] + random.between(3'600, 60 * day);
        if (closed < spec.now) {
          issue.closed_at = closed;
          issue.updated_at = closed;
          if (issue.is_pull_request && random.unit() < merged_pr_share) issue.merged_at = closed;
        }
      }
      issue.updated_at = std::min(spec.now, issue.updated_at + random.between(0, 3 * day));
      issue.comments = static_cast<uint16_t>(std::min<int64_t>(random.pareto(1.0, 1.3) - 1, 200));
      issue.title = static_cast<uint16_t>(random.between(0, title_pool.size() - 1));
      issue.labels = random.unit() < 0.5 ? 0 : static_cast<uint8_t>(1U << random.between(0, 4));
      repo.issues.push_back(issue);
    }

    // Commits on the default branch, oldest first; the empty repo has none.
    if (r != empty_repo) {
      const int64_t commit_count = std::max<int64_t>(1, commits[r]);
      std::vector<EpochSeconds> times(static_cast<size_t>(commit_count));
      for (auto& t : times) t = repo.created_at + random.between(0, span - day);
      std::sort(times.begin(), times.end());
      repo.commits.reserve(times.size());
      for (size_t j = 0; j < times.size(); ++j) {
        Commit c;
        c.seq = static_cast<uint32_t>(j);
        if (random.unit() < linked_commit_share) {
          c.user = skewed_user(random, std::min<size_t>(m.users_.size(), 2'000));
        } else {
          c.author = static_cast<uint32_t>(random.between(0, commit_author_pool - 1));
        }
        c.committed_at = times[j];
        c.authored_at = times[j] - random.between(0, day);
        c.additions = static_cast<uint32_t>(std::min<int64_t>(random.pareto(1.0, 0.9), 50'000));
        c.deletions = static_cast<uint32_t>(std::min<int64_t>(random.pareto(1.0, 1.0) - 1, 50'000));
        c.changed_files = static_cast<uint16_t>(std::min<int64_t>(random.pareto(1.0, 1.2), 300));
        c.message = static_cast<uint16_t>(random.between(0, message_pool.size() - 1));
        repo.commits.push_back(c);
      }
      // Releases, tagged in order.
      for (int64_t j = 0; j < releases[r]; ++j) {
        const EpochSeconds t = repo.created_at + (span * (j + 1)) / (releases[r] + 1);
        const auto author = repo.commits[static_cast<size_t>(random.between(0, commit_count - 1))].user;
        repo.releases.push_back({release_id++, fmt::format("v0.{}.0", j + 1), fmt::format("Release 0.{}", j + 1), t,
                                 author == no_user ? 0 : author});
      }
      // Languages: the main one plus a few others, largest first.
      const int64_t main_bytes = 20'000 + static_cast<int64_t>(repo.commits.size()) * 137;
      repo.languages.emplace_back(repo.language, main_bytes);
      if (repo.language != "Python") repo.languages.emplace_back("Python", main_bytes / random.between(3, 9));
      repo.languages.emplace_back("Shell", random.between(200, 4'000));
      if (r % 3 == 0) repo.languages.emplace_back("Dockerfile", random.between(100, 900));
      std::stable_sort(repo.languages.begin(), repo.languages.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    repo.pushed_at = repo.commits.empty() ? repo.created_at : repo.commits.back().committed_at;
    repo.updated_at = std::max(repo.pushed_at, repo.stars.empty() ? 0 : repo.stars.back().starred_at);
    if (!repo.forks.empty()) repo.updated_at = std::max(repo.updated_at, repo.forks.back().created_at);
  }
  if (spec.hostile) {
    // Every other title and message, every 7th user's name and every release's name is hostile.
    m.hostile_ = true;
    const auto hostile = hostile_strings();
    for (size_t i = 0; i < m.issue_titles_.size(); i += 2) m.issue_titles_[i] = hostile[(i / 2) % hostile.size()];
    for (size_t i = 0; i < m.commit_messages_.size(); i += 2)
      m.commit_messages_[i] = hostile[(i / 2 + 3) % hostile.size()];
    for (size_t i = 0; i < m.users_.size(); i += 7) m.users_[i].name = hostile[(i / 7) % hostile.size()];
    size_t r = 0;
    for (auto& repo : m.repos_) {
      for (auto& release : repo.releases) release.name = hostile[r++ % hostile.size()];
    }
  }
  return m;
}

void OrgModel::index_users() {
  user_by_login_.clear();
  user_by_login_.reserve(users_.size());
  for (size_t i = 0; i < users_.size(); ++i)
    user_by_login_.emplace(to_lower(users_[i].login), static_cast<UserIndex>(i));
}

std::optional<size_t> OrgModel::find_repo(std::string_view name) const {
  const std::string wanted = to_lower(name);
  for (size_t i = 0; i < repos_.size(); ++i) {
    if (!repos_[i].deleted && to_lower(repos_[i].name) == wanted) return i;
  }
  return std::nullopt;
}

std::optional<size_t> OrgModel::find_renamed_repo(std::string_view old_name) const {
  const std::string wanted = to_lower(old_name);
  for (size_t i = 0; i < repos_.size(); ++i) {
    for (const auto& n : repos_[i].old_names) {
      if (!repos_[i].deleted && to_lower(n) == wanted) return i;
    }
  }
  return std::nullopt;
}

std::optional<size_t> OrgModel::find_repo_by_id(int64_t id) const {
  for (size_t i = 0; i < repos_.size(); ++i) {
    if (repos_[i].id == id && !repos_[i].deleted) return i;
  }
  return std::nullopt;
}

std::optional<UserIndex> OrgModel::find_user(std::string_view login) const {
  const auto it = user_by_login_.find(to_lower(login));
  if (it == user_by_login_.end()) return std::nullopt;
  return it->second;
}

std::optional<UserIndex> OrgModel::find_user_by_id(int64_t id) const {
  if (id < first_user_id || (id - first_user_id) % user_id_stride != 0) return std::nullopt;
  const auto index = static_cast<size_t>((id - first_user_id) / user_id_stride);
  if (index >= users_.size()) return std::nullopt;
  return static_cast<UserIndex>(index);
}

ModelCounts OrgModel::counts() const {
  ModelCounts c;
  for (const auto& r : repos_) {
    if (r.deleted) continue;
    ++c.repos;
    c.stars += r.stars.size();
    c.forks += r.forks.size();
    for (const auto& i : r.issues) {
      if (i.deleted) continue;
      (i.is_pull_request ? c.pull_requests : c.issues) += 1;
    }
    c.commits += r.commits.size();
    c.releases += r.releases.size();
    c.languages += r.languages.size();
  }
  for (size_t u = 0; u < users_.size(); ++u) {
    if (users_[u].deleted) continue;
    ++c.users;
    c.follower_edges += following_[u].size();
  }
  return c;
}

EpochSeconds OrgModel::tick() {
  now_ += mutation_step;
  return now_;
}

Expected<Repo*> OrgModel::mutable_repo(size_t repo) {
  if (repo >= repos_.size() || repos_[repo].deleted) {
    return fail(ErrorKind::not_found, fmt::format("repo index {} does not exist", repo));
  }
  return &repos_[repo];
}

Expected<std::vector<UserIndex>> OrgModel::add_stars(size_t repo, int count) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  Repo& target = **r;
  std::unordered_set<UserIndex> starred;
  for (const auto& s : target.stars) starred.insert(s.user);
  size_t available = 0;
  for (UserIndex u = 0; u < users_.size(); ++u) available += users_[u].deleted || starred.contains(u) ? 0 : 1;
  if (static_cast<size_t>(count) > available) {
    return fail(ErrorKind::invalid_input, fmt::format("only {} users have not starred {} yet", available, target.name));
  }
  const EpochSeconds t = tick();
  std::vector<UserIndex> added;
  while (added.size() < static_cast<size_t>(count)) {
    const auto u = static_cast<UserIndex>(random_.between(0, static_cast<int64_t>(users_.size()) - 1));
    if (users_[u].deleted || !starred.insert(u).second) continue;
    target.stars.push_back({u, t + static_cast<EpochSeconds>(added.size())});
    added.push_back(u);
  }
  target.updated_at = target.stars.back().starred_at;
  now_ = std::max(now_, target.updated_at);
  return added;
}

Expected<std::vector<UserIndex>> OrgModel::remove_stars(size_t repo, int count) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  Repo& target = **r;
  if (static_cast<size_t>(count) > target.stars.size()) {
    return fail(ErrorKind::invalid_input, fmt::format("{} has only {} stars", target.name, target.stars.size()));
  }
  target.updated_at = tick();
  std::vector<UserIndex> removed;
  for (int i = 0; i < count; ++i) {
    removed.push_back(target.stars.back().user);
    target.stars.pop_back();
  }
  return removed;
}

Expected<std::vector<int32_t>> OrgModel::open_issues(size_t repo, int count) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  Repo& target = **r;
  const EpochSeconds t = tick();
  std::vector<int32_t> numbers;
  for (int i = 0; i < count; ++i) {
    Issue issue;
    issue.id = next_issue_id_++;
    issue.number = static_cast<int32_t>(target.issues.size() + 1);
    issue.user = skewed_user(random_, users_.size());
    while (users_[issue.user].deleted) issue.user = (issue.user + 1) % static_cast<UserIndex>(users_.size());
    issue.created_at = issue.updated_at = t + i;
    issue.title = static_cast<uint16_t>(random_.between(0, static_cast<int64_t>(issue_titles_.size()) - 1));
    target.issues.push_back(issue);
    numbers.push_back(issue.number);
  }
  target.updated_at = t + count;
  now_ = std::max(now_, target.updated_at);
  return numbers;
}

Expected<std::vector<int32_t>> OrgModel::close_issues(size_t repo, int count) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  const EpochSeconds t = tick();
  std::vector<int32_t> numbers;
  for (auto& issue : (*r)->issues) {
    if (static_cast<int>(numbers.size()) == count) break;
    if (issue.deleted || issue.is_pull_request || !issue.is_open()) continue;
    issue.closed_at = issue.updated_at = t;
    numbers.push_back(issue.number);
  }
  if (static_cast<int>(numbers.size()) < count) {
    return fail(ErrorKind::invalid_input, fmt::format("{} has only {} open issues", (*r)->name, numbers.size()));
  }
  return numbers;
}

Expected<std::vector<int32_t>> OrgModel::merge_pull_requests(size_t repo, int count) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  Repo& target = **r;
  std::vector<size_t> open;
  for (size_t i = 0; i < target.issues.size() && static_cast<int>(open.size()) < count; ++i) {
    const auto& issue = target.issues[i];
    if (!issue.deleted && issue.is_pull_request && issue.is_open()) open.push_back(i);
  }
  if (static_cast<int>(open.size()) < count) {
    return fail(ErrorKind::invalid_input, fmt::format("{} has only {} open pull requests", target.name, open.size()));
  }
  const EpochSeconds t = tick();
  std::vector<int32_t> numbers;
  for (size_t i : open) {
    auto& pr = target.issues[i];
    pr.closed_at = pr.merged_at = pr.updated_at = t;
    numbers.push_back(pr.number);
    // Merging lands a merge commit on the default branch, which moves pushed_at.
    Commit c;
    c.seq = static_cast<uint32_t>(target.commits.size());
    c.user = pr.user;
    c.authored_at = c.committed_at = t;
    c.additions = 10;
    c.deletions = 2;
    c.changed_files = 1;
    c.message = 5;  // "Merge pull request from feature branch"
    target.commits.push_back(c);
  }
  target.pushed_at = target.updated_at = t;
  return numbers;
}

Expected<std::vector<std::string>> OrgModel::push_commits(size_t repo, int count) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  Repo& target = **r;
  const EpochSeconds t = tick();
  std::vector<std::string> shas;
  for (int i = 0; i < count; ++i) {
    Commit c;
    c.seq = static_cast<uint32_t>(target.commits.size());
    c.user = skewed_user(random_, std::min<size_t>(users_.size(), 2'000));
    if (users_[c.user].deleted) c.user = no_user;
    c.authored_at = c.committed_at = t + i;
    c.additions = static_cast<uint32_t>(random_.between(1, 400));
    c.deletions = static_cast<uint32_t>(random_.between(0, 100));
    c.changed_files = static_cast<uint16_t>(random_.between(1, 12));
    c.message = static_cast<uint16_t>(random_.between(0, static_cast<int64_t>(commit_messages_.size()) - 1));
    target.commits.push_back(c);
    shas.push_back(target.commit_sha(c.seq));
  }
  if (target.languages.empty()) target.languages.emplace_back(target.language, 1'000);
  target.pushed_at = target.updated_at = t + count - 1;
  now_ = std::max(now_, target.pushed_at);
  return shas;
}

Expected<void> OrgModel::rename_repo(size_t repo, const std::string& new_name) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  if (new_name.empty() || find_repo(new_name)) {
    return fail(ErrorKind::invalid_input, fmt::format("cannot rename to '{}': empty or taken", new_name));
  }
  (*r)->old_names.push_back((*r)->name);
  (*r)->name = new_name;
  (*r)->updated_at = tick();
  return {};
}

Expected<void> OrgModel::delete_issue(size_t repo, int32_t number) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  if (number < 1 || static_cast<size_t>(number) > (*r)->issues.size() || (*r)->issues[number - 1].deleted) {
    return fail(ErrorKind::not_found, fmt::format("{} has no issue #{}", (*r)->name, number));
  }
  (*r)->issues[static_cast<size_t>(number - 1)].deleted = true;
  (*r)->updated_at = tick();
  return {};
}

Expected<void> OrgModel::delete_user(UserIndex user) {
  if (user >= users_.size() || users_[user].deleted) {
    return fail(ErrorKind::not_found, fmt::format("user index {} does not exist", user));
  }
  const EpochSeconds t = tick();
  users_[user].deleted = true;
  for (auto& repo : repos_) {
    const auto before = repo.stars.size();
    std::erase_if(repo.stars, [user](const Star& s) { return s.user == user; });
    if (repo.stars.size() != before) repo.updated_at = t;
  }
  for (UserIndex f : followers_[user]) std::erase(following_[f], user);
  for (UserIndex f : following_[user]) std::erase(followers_[f], user);
  followers_[user].clear();
  following_[user].clear();
  return {};
}

Expected<void> OrgModel::delete_repo(size_t repo) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  (*r)->deleted = true;
  tick();
  return {};
}

Expected<void> OrgModel::set_blocked(size_t repo, bool blocked) {
  auto r = mutable_repo(repo);
  if (!r) return tl::unexpected(r.error());
  (*r)->blocked = blocked;
  tick();
  return {};
}

}  // namespace ampere::simulator
