#include "simulator/payload_builder.hpp"

#include <array>

#include <fmt/format.h>

#include "simulator/hostile_strings.hpp"

namespace ampere::simulator {

namespace {

using nlohmann::json;

/// A hostile issue body (--hostile): markdown and HTML that must render inert.
std::string hostile_body(int32_t number) {
  const auto hostile = hostile_strings();
  const auto n = static_cast<size_t>(number);
  return fmt::format("{}\n\n{}\n\n[docs](javascript:window.__pwned=1) ![pixel](https://tracker.invalid/{}.gif)",
                     hostile[n % hostile.size()], hostile[(n + 1) % hostile.size()], number);
}

// GitHub's placeholder for deleted accounts.
constexpr int64_t ghost_id = 10'137;
constexpr std::string_view ghost_login = "ghost";

struct LicenseInfo {
  std::string_view key, name, spdx;
};
constexpr std::array<LicenseInfo, 3> license_table = {
    LicenseInfo{"mit", "MIT License", "MIT"}, LicenseInfo{"apache-2.0", "Apache License 2.0", "Apache-2.0"},
    LicenseInfo{"bsd-3-clause", "BSD 3-Clause \"New\" or \"Revised\" License", "BSD-3-Clause"}};
constexpr std::array<std::string_view, 5> label_colors = {"d73a4a", "a2eeef", "0075ca", "7057ff", "d876e3"};

json user_object(std::string_view login, int64_t id, std::string_view type) {
  const std::string url = fmt::format("{}/users/{}", api_root, login);
  return json{{"login", login},
              {"id", id},
              {"node_id", node_id(type == "User" ? "User" : "Organization", id)},
              {"avatar_url", fmt::format("https://avatars.githubusercontent.com/u/{}?v=4", id)},
              {"gravatar_id", ""},
              {"url", url},
              {"html_url", fmt::format("{}/{}", web_root, login)},
              {"followers_url", url + "/followers"},
              {"following_url", url + "/following{/other_user}"},
              {"gists_url", url + "/gists{/gist_id}"},
              {"starred_url", url + "/starred{/owner}{/repo}"},
              {"subscriptions_url", url + "/subscriptions"},
              {"organizations_url", url + "/orgs"},
              {"repos_url", url + "/repos"},
              {"events_url", url + "/events{/privacy}"},
              {"received_events_url", url + "/received_events"},
              {"type", type},
              {"user_view_type", "public"},
              {"site_admin", false}};
}

json nullable(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

json time_or_null(EpochSeconds t) {
  return t == 0 ? json(nullptr) : json(format_time(t));
}

// The URL fields every repository payload carries.
void add_repo_urls(json& out, const std::string& full_name) {
  const std::string url = fmt::format("{}/repos/{}", api_root, full_name);
  out["url"] = url;
  out["html_url"] = fmt::format("{}/{}", web_root, full_name);
  out["forks_url"] = url + "/forks";
  out["issues_url"] = url + "/issues{/number}";
  out["pulls_url"] = url + "/pulls{/number}";
  out["commits_url"] = url + "/commits{/sha}";
  out["releases_url"] = url + "/releases{/id}";
  out["languages_url"] = url + "/languages";
  out["stargazers_url"] = url + "/stargazers";
  out["contributors_url"] = url + "/contributors";
  out["git_url"] = fmt::format("git://github.com/{}.git", full_name);
  out["ssh_url"] = fmt::format("git@github.com:{}.git", full_name);
  out["clone_url"] = fmt::format("{}/{}.git", web_root, full_name);
  out["svn_url"] = fmt::format("{}/{}", web_root, full_name);
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16U) | (static_cast<uint8_t>(bytes[i + 1]) << 8U) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += alphabet[(n >> 18U) & 63U];
    out += alphabet[(n >> 12U) & 63U];
    out += alphabet[(n >> 6U) & 63U];
    out += alphabet[n & 63U];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = static_cast<uint8_t>(bytes[i]) << 16U;
    out += alphabet[(n >> 18U) & 63U];
    out += alphabet[(n >> 12U) & 63U];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16U) | (static_cast<uint8_t>(bytes[i + 1]) << 8U);
    out += alphabet[(n >> 18U) & 63U];
    out += alphabet[(n >> 12U) & 63U];
    out += alphabet[(n >> 6U) & 63U];
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      int v = 0;
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
      } else if (pad > 0 || (v = value(c)) < 0) {
        return std::nullopt;
      }
      n = (n << 6U) | static_cast<uint32_t>(v);
    }
    out += static_cast<char>((n >> 16U) & 255U);
    if (pad < 2) out += static_cast<char>((n >> 8U) & 255U);
    if (pad < 1) out += static_cast<char>(n & 255U);
  }
  return out;
}

std::string node_id(std::string_view type, int64_t id) {
  return base64_encode(fmt::format("0{}:{}{}", type.size(), type, id));
}

std::string PayloadBuilder::full_name(const Repo& repo) const {
  return model_.login() + "/" + repo.name;
}

json PayloadBuilder::simple_user(UserIndex user) const {
  const User& u = model_.users()[user];
  if (u.deleted) return user_object(ghost_login, ghost_id, "User");
  return user_object(u.login, u.id, "User");
}

json PayloadBuilder::public_user(UserIndex user) const {
  json out = simple_user(user);
  const User& u = model_.users()[user];
  out["name"] = u.name;
  out["company"] = nullable(model_.companies()[u.company]);
  out["blog"] = "";
  out["location"] = nullable(model_.locations()[u.location]);
  out["email"] = nullptr;
  out["hireable"] = nullptr;
  out["bio"] = nullable(model_.bios()[u.bio]);
  out["twitter_username"] = nullptr;
  out["public_repos"] = static_cast<int>(u.id % 40);
  out["public_gists"] = static_cast<int>(u.id % 7);
  out["followers"] = model_.followers(user).size();
  out["following"] = model_.following(user).size();
  out["created_at"] = format_time(u.created_at);
  out["updated_at"] = format_time(u.updated_at);
  return out;
}

json PayloadBuilder::repo(const Repo& repo) const {
  const std::string full = full_name(repo);
  json out{{"id", repo.id},
           {"node_id", node_id("Repository", repo.id)},
           {"name", repo.name},
           {"full_name", full},
           {"private", false},
           {"owner", user_object(model_.login(), model_.id(), "Organization")},
           {"description", repo.description},
           {"fork", false},
           {"created_at", format_time(repo.created_at)},
           {"updated_at", format_time(repo.updated_at)},
           {"pushed_at", format_time(repo.pushed_at)},
           {"homepage", nullptr},
           {"size", static_cast<int64_t>(repo.commits.size()) * 13 + (repo.commits.empty() ? 0 : 120)},
           {"stargazers_count", repo.stars.size()},
           {"watchers_count", repo.stars.size()},
           {"language", repo.commits.empty() ? json(nullptr) : json(repo.language)},
           {"has_issues", true},
           {"has_projects", true},
           {"has_downloads", true},
           {"has_wiki", true},
           {"has_pages", false},
           {"has_discussions", false},
           {"forks_count", repo.forks.size()},
           {"mirror_url", nullptr},
           {"archived", repo.archived},
           {"disabled", false},
           {"open_issues_count", repo.open_issues_count()},
           {"is_template", false},
           {"topics", repo.topics},
           {"visibility", "public"},
           {"forks", repo.forks.size()},
           {"open_issues", repo.open_issues_count()},
           {"watchers", repo.stars.size()},
           {"default_branch", repo.default_branch}};
  add_repo_urls(out, full);
  json license = nullptr;
  for (const auto& l : license_table) {
    if (l.key == repo.license_key) {
      license = json{{"key", l.key},
                     {"name", l.name},
                     {"spdx_id", l.spdx},
                     {"url", fmt::format("{}/licenses/{}", api_root, l.key)},
                     {"node_id", base64_encode(fmt::format("07:License{}", l.key))}};
    }
  }
  out["license"] = license;
  return out;
}

json PayloadBuilder::fork(const Repo& parent, const Fork& fork) const {
  const User& owner = model_.users()[fork.owner];
  const std::string full = owner.login + "/" + parent.name;
  json out{{"id", fork.id},
           {"node_id", node_id("Repository", fork.id)},
           {"name", parent.name},
           {"full_name", full},
           {"private", false},
           {"owner", simple_user(fork.owner)},
           {"description", parent.description},
           {"fork", true},
           {"created_at", format_time(fork.created_at)},
           {"updated_at", format_time(fork.created_at)},
           {"pushed_at", format_time(fork.created_at)},
           {"homepage", nullptr},
           {"size", 0},
           {"stargazers_count", 0},
           {"watchers_count", 0},
           {"language", nullptr},
           {"forks_count", 0},
           {"archived", false},
           {"disabled", false},
           {"open_issues_count", 0},
           {"topics", json::array()},
           {"visibility", "public"},
           {"forks", 0},
           {"open_issues", 0},
           {"watchers", 0},
           {"default_branch", parent.default_branch},
           {"license", nullptr}};
  add_repo_urls(out, full);
  return out;
}

json PayloadBuilder::issue(const Repo& repo, const Issue& issue) const {
  const std::string full = full_name(repo);
  const std::string url = fmt::format("{}/repos/{}/issues/{}", api_root, full, issue.number);
  const std::string kind = issue.is_pull_request ? "pull" : "issues";
  json labels = json::array();
  for (size_t b = 0; b < OrgModel::labels().size(); ++b) {
    if ((issue.labels & (1U << b)) == 0) continue;
    const auto& name = OrgModel::labels()[b];
    const int64_t label_id = 9'000'000 + static_cast<int64_t>(b) + repo.id % 1000 * 10;
    labels.push_back({{"id", label_id},
                      {"node_id", node_id("Label", label_id)},
                      {"url", fmt::format("{}/repos/{}/labels/{}", api_root, full, name)},
                      {"name", name},
                      {"description", nullptr},
                      {"color", label_colors[b]},
                      {"default", true}});
  }
  json out{{"id", issue.id},
           {"node_id", node_id(issue.is_pull_request ? "PullRequest" : "Issue", issue.id)},
           {"url", url},
           {"repository_url", fmt::format("{}/repos/{}", api_root, full)},
           {"labels_url", url + "/labels{/name}"},
           {"comments_url", url + "/comments"},
           {"events_url", url + "/events"},
           {"html_url", fmt::format("{}/{}/{}/{}", web_root, full, kind, issue.number)},
           {"number", issue.number},
           {"state", issue.is_open() ? "open" : "closed"},
           {"title", model_.issue_titles()[issue.title]},
           {"body", model_.hostile() ? hostile_body(issue.number)
                                     : fmt::format("Reported on {}.\n\nSteps: run `{}` with <defaults> & \"quotes\".",
                                                   format_time(issue.created_at), repo.name)},
           {"user", simple_user(issue.user)},
           {"labels", labels},
           {"assignee", nullptr},
           {"assignees", json::array()},
           {"milestone", nullptr},
           {"locked", false},
           {"active_lock_reason", nullptr},
           {"comments", issue.comments},
           {"closed_at", time_or_null(issue.closed_at)},
           {"created_at", format_time(issue.created_at)},
           {"updated_at", format_time(issue.updated_at)},
           {"author_association", "CONTRIBUTOR"},
           {"state_reason", issue.is_open() ? json(nullptr) : json("completed")}};
  if (issue.is_pull_request) {
    const std::string pull_url = fmt::format("{}/repos/{}/pulls/{}", api_root, full, issue.number);
    const std::string html = fmt::format("{}/{}/pull/{}", web_root, full, issue.number);
    out["pull_request"] = {{"url", pull_url},
                           {"html_url", html},
                           {"diff_url", html + ".diff"},
                           {"patch_url", html + ".patch"},
                           {"merged_at", time_or_null(issue.merged_at)}};
  }
  return out;
}

json PayloadBuilder::pull_request(const Repo& repo, const Issue& pr) const {
  json as_issue = issue(repo, pr);
  const std::string full = full_name(repo);
  const std::string url = fmt::format("{}/repos/{}/pulls/{}", api_root, full, pr.number);
  const std::string html = fmt::format("{}/{}/pull/{}", web_root, full, pr.number);
  const std::string head_sha = repo.commit_sha(static_cast<uint32_t>(pr.id % 100'000) + 1'000'000);
  const std::string base_sha = repo.commits.empty() ? head_sha : repo.commit_sha(repo.commits.back().seq);
  const std::string branch = fmt::format("feature-{}", pr.number);
  json out{{"url", url},
           {"id", pr.pull_id()},
           {"node_id", node_id("PullRequest", pr.pull_id())},
           {"html_url", html},
           {"diff_url", html + ".diff"},
           {"patch_url", html + ".patch"},
           {"issue_url", fmt::format("{}/repos/{}/issues/{}", api_root, full, pr.number)},
           {"commits_url", url + "/commits"},
           {"review_comments_url", url + "/comments"},
           {"comments_url", fmt::format("{}/repos/{}/issues/{}/comments", api_root, full, pr.number)},
           {"number", pr.number},
           {"state", as_issue["state"]},
           {"locked", false},
           {"title", as_issue["title"]},
           {"user", as_issue["user"]},
           {"body", as_issue["body"]},
           {"labels", as_issue["labels"]},
           {"milestone", nullptr},
           {"active_lock_reason", nullptr},
           {"created_at", as_issue["created_at"]},
           {"updated_at", as_issue["updated_at"]},
           {"closed_at", as_issue["closed_at"]},
           {"merged_at", time_or_null(pr.merged_at)},
           {"merge_commit_sha", pr.merged_at == 0 ? json(nullptr) : json(head_sha)},
           {"assignee", nullptr},
           {"assignees", json::array()},
           {"requested_reviewers", json::array()},
           {"requested_teams", json::array()},
           {"head", {{"label", fmt::format("{}:{}", model_.login(), branch)}, {"ref", branch}, {"sha", head_sha}}},
           {"base",
            {{"label", fmt::format("{}:{}", model_.login(), repo.default_branch)},
             {"ref", repo.default_branch},
             {"sha", base_sha}}},
           {"author_association", "CONTRIBUTOR"},
           {"auto_merge", nullptr},
           {"draft", false}};
  return out;
}

std::pair<std::string, std::string> PayloadBuilder::commit_author(const Commit& commit) const {
  if (commit.user != no_user) {
    const User& u = model_.users()[commit.user];
    return {u.name, fmt::format("{}+{}@users.noreply.github.com", u.id, u.login)};
  }
  return model_.commit_authors()[commit.author];
}

json PayloadBuilder::commit(const Repo& repo, const Commit& commit) const {
  const std::string full = full_name(repo);
  const std::string sha = repo.commit_sha(commit.seq);
  const std::string url = fmt::format("{}/repos/{}/commits/{}", api_root, full, sha);
  const auto [name, email] = commit_author(commit);
  const json person_author{{"name", name}, {"email", email}, {"date", format_time(commit.authored_at)}};
  const json person_committer{
      {"name", "GitHub"}, {"email", "noreply@github.com"}, {"date", format_time(commit.committed_at)}};
  const json linked =
      commit.user == no_user || model_.users()[commit.user].deleted ? json(nullptr) : simple_user(commit.user);
  json parents = json::array();
  if (commit.seq > 0) {
    const std::string parent = repo.commit_sha(commit.seq - 1);
    parents.push_back({{"sha", parent},
                       {"url", fmt::format("{}/repos/{}/commits/{}", api_root, full, parent)},
                       {"html_url", fmt::format("{}/{}/commit/{}", web_root, full, parent)}});
  }
  const std::string tree = repo.commit_sha(commit.seq + 2'000'000);
  return json{{"sha", sha},
              {"node_id", base64_encode(fmt::format("06:Commit{}:{}", repo.id, sha))},
              {"commit",
               {{"author", person_author},
                {"committer", person_committer},
                {"message", model_.commit_messages()[commit.message]},
                {"tree", {{"sha", tree}, {"url", fmt::format("{}/repos/{}/git/trees/{}", api_root, full, tree)}}},
                {"url", fmt::format("{}/repos/{}/git/commits/{}", api_root, full, sha)},
                {"comment_count", 0},
                {"verification",
                 {{"verified", false},
                  {"reason", "unsigned"},
                  {"signature", nullptr},
                  {"payload", nullptr},
                  {"verified_at", nullptr}}}}},
              {"url", url},
              {"html_url", fmt::format("{}/{}/commit/{}", web_root, full, sha)},
              {"comments_url", url + "/comments"},
              {"author", linked},
              {"committer", user_object("web-flow", 19'864'447, "User")},
              {"parents", parents}};
}

json PayloadBuilder::release(const Repo& repo, const Release& release) const {
  const std::string full = full_name(repo);
  const std::string url = fmt::format("{}/repos/{}/releases/{}", api_root, full, release.id);
  return json{{"url", url},
              {"html_url", fmt::format("{}/{}/releases/tag/{}", web_root, full, release.tag)},
              {"assets_url", url + "/assets"},
              {"upload_url",
               fmt::format("https://uploads.github.com/repos/{}/releases/{}/assets{{?name,label}}", full, release.id)},
              {"tarball_url", fmt::format("{}/repos/{}/tarball/{}", api_root, full, release.tag)},
              {"zipball_url", fmt::format("{}/repos/{}/zipball/{}", api_root, full, release.tag)},
              {"id", release.id},
              {"node_id", node_id("Release", release.id)},
              {"tag_name", release.tag},
              {"target_commitish", repo.default_branch},
              {"name", release.name},
              {"body", fmt::format("## What's changed\n\n* {} highlights", release.name)},
              {"draft", false},
              {"prerelease", false},
              {"immutable", false},
              {"created_at", format_time(release.published_at)},
              {"published_at", format_time(release.published_at)},
              {"author", simple_user(release.author)},
              {"assets", json::array()}};
}

}  // namespace ampere::simulator
