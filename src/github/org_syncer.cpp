#include "github/org_syncer.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "github/github_tables.hpp"
#include "github/graphql_queries.hpp"
#include "github/json_page.hpp"
#include "github/ordered_work.hpp"

namespace ampere::github {

namespace {

using Json = nlohmann::json;

/// The users ampere asks about in one GraphQL query.
constexpr size_t kUsersPerQuery = 100;
/// Units of work fetched ahead of the oldest one not yet committed, per thread: bounds the memory
/// that waits for a large repo ahead in the order.
constexpr size_t kWindowPerThread = 4;

int64_t int_or(const Json& j, const char* key, int64_t fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string string_or(const Json& j, const char* key, std::string fallback = "") {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// A user who interacted with the org, as far as the records of this sync tell.
struct SeenUser {
  std::string login;
  std::string node_id;
};

// What one unit of work (the repo listing, one repo, one batch of profiles, one followers listing)
// fetched, in the order a sequential sync would have written it.
struct Batch {
  std::vector<std::pair<const RawTable*, RawRecord>> records;
  std::vector<std::string> validators;  ///< ETag keys staged by this unit's requests
  std::vector<RepoProblem> problems;
  std::vector<std::string> stars_restricted;
  std::map<int64_t, SeenUser> seen_users;
  bool changed = false;                                                  ///< a repo with news
  std::map<int64_t, std::pair<std::string, int64_t>> followers_to_list;  ///< id -> (login, followers)
};

using Say = std::function<void(const std::string& repo, const char* entity, size_t index, size_t count)>;

// Fetches one unit of work into a Batch. Many run at once, on different threads; they share only the
// (thread-safe) GithubApi and read-only state.
class Fetcher {
 public:
  Fetcher(GithubApi& api, const SyncState& state, const SyncOptions& options, const Say& say)
      : api_(api), state_(state), options_(options), say_(say) {}

  /// What was fetched; the fetcher is done after this.
  Batch take() { return std::move(out_); }

  /// Adds records fetched by another unit after this unit's own (a repo's row after its data).
  void append(std::vector<std::pair<const RawTable*, RawRecord>> records) {
    for (auto& r : records) out_.records.push_back(std::move(r));
  }

 private:
  void say(const std::string& repo, const char* entity, size_t index, size_t count = 0) {
    say_(repo, entity, index, count);
  }

  // The GithubApi, noting the validators each answer staged: they become permanent only once this
  // unit's records are committed.
  Expected<ApiPage> get(const std::string& path, std::string_view accept, Conditional conditional) {
    auto page = api_.get(path, accept, conditional);
    if (page && !page->validator_key.empty()) out_.validators.push_back(page->validator_key);
    return page;
  }
  Expected<void> paginate(const std::string& path, std::string_view accept, Conditional conditional,
                          const PageVisitor& visit) {
    return api_.paginate(path, accept, conditional, [&](const ApiPage& page) -> Expected<bool> {
      if (!page.validator_key.empty()) out_.validators.push_back(page.validator_key);
      return visit(page);
    });
  }

  Expected<void> add(const RawTable& table, std::vector<RawKey> keys, std::string payload,
                     std::optional<Timestamp> at = std::nullopt) {
    out_.records.emplace_back(
        &table, RawRecord{std::move(keys), at.value_or(options_.clock()), options_.sync_id, std::move(payload)});
    return {};
  }

  // Marks a complete listing of `list` for `owner_id` that started at `started`: rows of that list
  // retrieved before then are no longer current. Added after its rows, and the sink commits the
  // listings table last, so the marker never lands before them.
  Expected<void> mark_listing(int64_t owner_id, const std::string& list, Timestamp started,
                              Json extra = Json::object()) {
    extra["list"] = list;
    extra["owner_id"] = owner_id;
    return add(listings_table(), {RawKey{owner_id}, RawKey{list}}, extra.dump(), started);
  }

  void problem(const std::string& repo, const std::string& entity, const std::string& message) {
    out_.problems.push_back(RepoProblem{repo, entity, message});
  }

  // The user object at `at` ("/user", "/owner") of a REST item.
  void see_rest_user(const JsonValue& item, const std::string& at) {
    const int64_t id = item.int_at(at + "/id", 0);
    if (id <= 0) return;
    auto& seen = out_.seen_users[id];
    seen.login = item.string_at(at + "/login", seen.login);
    seen.node_id = item.string_at(at + "/node_id", seen.node_id);
  }

 public:
  // ---- repos ----------------------------------------------------------------------------------------

  Expected<std::vector<RepoState>> sync_repos() {
    say("", "repos", 0);
    std::vector<RepoState> listed;
    std::set<int64_t> seen;
    bool any_unchanged_page = false;
    int64_t org_id = 0;
    const Timestamp started = options_.clock();
    const std::string path = fmt::format("/orgs/{}/repos?type=all&per_page={}", options_.org, kPageSize);
    auto ok = paginate(path, kJsonMediaType, Conditional::yes, [&](const ApiPage& page) -> Expected<bool> {
      if (page.not_modified()) {
        any_unchanged_page = true;
        return true;
      }
      if (!page.ok()) {
        return fail(page.status == 404 ? ErrorKind::not_found : ErrorKind::protocol,
                    fmt::format("GitHub answered {} for the repositories of '{}'{}", page.status, options_.org,
                                page.status == 404 ? ": check the organization's name (github.orgs)" : ""));
      }
      auto items = JsonPage::parse_array(page);
      if (!items) return tl::unexpected(items.error());
      for (size_t i = 0; i < items->size(); ++i) {
        const JsonValue repo = (*items)[i];
        RepoState r;
        r.repo_id = repo.int_at("/id", 0);
        if (r.repo_id <= 0) continue;
        r.full_name = repo.string_at("/full_name");
        r.updated_at = repo.string_at("/updated_at");
        r.pushed_at = repo.string_at("/pushed_at");
        r.stargazers_count = repo.int_at("/stargazers_count", 0);
        r.forks_count = repo.int_at("/forks_count", 0);
        r.open_issues_count = repo.int_at("/open_issues_count", 0);
        if (org_id == 0) org_id = repo.int_at("/owner/id", 0);
        if (auto added = add(repos_table(), {RawKey{r.repo_id}}, repo.json()); !added) {
          return tl::unexpected(added.error());
        }
        seen.insert(r.repo_id);
        listed.push_back(std::move(r));
      }
      return true;
    });
    if (!ok) return tl::unexpected(ok.error());
    // Every page came back whole: a complete listing, so repos deleted or transferred away leave staging.
    if (!any_unchanged_page && org_id > 0) {
      if (auto marked = mark_listing(org_id, "repos", started); !marked) return tl::unexpected(marked.error());
    }
    // A page answered 304 holds repos the lake already has as they are.
    if (any_unchanged_page) {
      for (const auto& [id, known] : state_.repos) {
        if (!seen.contains(id)) listed.push_back(known);
      }
    }
    std::sort(listed.begin(), listed.end(),
              [](const RepoState& a, const RepoState& b) { return a.full_name < b.full_name; });
    return listed;
  }

  Expected<void> sync_repo(const RepoState& repo, size_t index) {
    const auto known_it = state_.repos.find(repo.repo_id);
    const RepoState* known = known_it == state_.repos.end() ? nullptr : &known_it->second;
    const bool changed = known == nullptr || known->updated_at != repo.updated_at ||
                         known->pushed_at != repo.pushed_at || known->stargazers_count != repo.stargazers_count ||
                         known->forks_count != repo.forks_count || known->open_issues_count != repo.open_issues_count;
    const bool pushed = known == nullptr || known->pushed_at != repo.pushed_at;
    out_.changed = changed;
    const RepoState empty;
    const RepoState& before = known != nullptr ? *known : empty;

    if (pushed || !before.has_languages) {
      say(repo.full_name, "languages", index);
      if (auto ok = sync_languages(repo); !ok) return ok;
    }
    if (known == nullptr || before.stargazers_count != repo.stargazers_count) {
      say(repo.full_name, "stargazers", index);
      if (auto ok = sync_stargazers(repo, before); !ok) return ok;
    }
    if (known == nullptr || before.forks_count != repo.forks_count) {
      say(repo.full_name, "forks", index);
      if (auto ok = sync_forks(repo, before); !ok) return ok;
    }
    say(repo.full_name, "releases", index);
    if (auto ok = sync_releases(repo); !ok) return ok;
    say(repo.full_name, "issues", index);
    if (auto ok = sync_issues(repo, before); !ok) return ok;
    if (pushed) {
      say(repo.full_name, "commits", index);
      if (auto ok = sync_commits(repo, before); !ok) return ok;
    }
    return {};
  }

  // A page GitHub answered with an error for one repo: recorded, and the repo's entity is skipped.
  bool repo_problem(const RepoState& repo, const char* entity, const ApiPage& page) {
    if (page.ok() || page.not_modified()) return false;
    std::string why;
    switch (page.status) {
      case 404:
        why = "not found (deleted, or no longer visible to this token)";
        break;
      case 409:
        why = "the repository is empty";
        break;
      case 451:
        why = "access blocked for legal reasons (451)";
        break;
      default:
        why = fmt::format("GitHub answered {}", page.status);
    }
    problem(repo.full_name, entity, why);
    return true;
  }

  Expected<void> sync_languages(const RepoState& repo) {
    auto page = get(fmt::format("/repos/{}/languages", repo.full_name), kJsonMediaType, Conditional::yes);
    if (!page) return tl::unexpected(page.error());
    if (page->not_modified() || repo_problem(repo, "languages", *page)) return {};
    const Json parsed = Json::parse(page->body, nullptr, false);
    if (!parsed.is_object())
      return fail(ErrorKind::protocol, fmt::format("{}: languages are not a JSON object", page->url));
    return add(languages_table(), {RawKey{repo.repo_id}}, page->body);
  }

  // ---- stargazers -----------------------------------------------------------------------------------

  Expected<void> record_star(const RepoState& repo, const JsonValue& star) {
    const int64_t user_id = star.int_at("/user/id", 0);
    if (user_id <= 0) return {};
    see_rest_user(star, "/user");
    return add(stargazers_table(), {RawKey{repo.repo_id}, RawKey{user_id}}, star.json());
  }

  Expected<void> sync_stargazers(const RepoState& repo, const RepoState& before) {
    if (repo.stargazers_count > options_.rest_star_cap) return sync_stargazers_graphql(repo, before);
    if (repo.stargazers_count == 0 && before.known_stars == 0) return {};
    // Grown, with the newest known star still at its place: only the pages from there on are new.
    const bool incremental =
        before.known_stars > 0 && repo.stargazers_count > before.known_stars && before.newest_star_user_id.has_value();
    const int64_t first_page = incremental ? (before.known_stars - 1) / kPageSize + 1 : 1;
    const int64_t newest_known_index = before.known_stars - 1;  // 0-based position of the newest known star
    const Timestamp started = options_.clock();
    bool restricted = false;
    bool shifted = false;
    int64_t page_number = first_page;
    int64_t listed = 0;
    const std::string path =
        fmt::format("/repos/{}/stargazers?per_page={}&page={}", repo.full_name, kPageSize, first_page);
    auto ok = paginate(path, kStarMediaType, Conditional::no, [&](const ApiPage& page) -> Expected<bool> {
      if (page.status == 403) {
        restricted = true;
        return false;
      }
      if (repo_problem(repo, "stargazers", page)) return false;
      auto items = JsonPage::parse_array(page);
      if (!items) return tl::unexpected(items.error());
      if (items->size() == 0 && page_number == 1 && repo.stargazers_count > 0) {
        restricted = true;
        return false;
      }
      for (size_t i = 0; i < items->size(); ++i) {
        const int64_t position = (page_number - 1) * kPageSize + static_cast<int64_t>(i);
        if (incremental && position == newest_known_index) {
          const int64_t user_id = (*items)[i].int_at("/user/id", 0);
          if (user_id != *before.newest_star_user_id) shifted = true;
        }
        if (auto added = record_star(repo, (*items)[i]); !added) return tl::unexpected(added.error());
      }
      listed += static_cast<int64_t>(items->size());
      ++page_number;
      return !shifted;
    });
    if (!ok) return ok;
    if (restricted) {
      out_.stars_restricted.push_back(repo.full_name);
      return {};
    }
    if (shifted) return sync_stargazers_complete(repo);  // stars were removed before the newest known one
    if (!incremental) return mark_listing(repo.repo_id, "stargazers", started);
    return {};
  }

  Expected<void> sync_stargazers_complete(const RepoState& repo) {
    const Timestamp started = options_.clock();
    bool restricted = false;
    const std::string path = fmt::format("/repos/{}/stargazers?per_page={}", repo.full_name, kPageSize);
    auto ok = paginate(path, kStarMediaType, Conditional::no, [&](const ApiPage& page) -> Expected<bool> {
      if (page.status == 403) {
        restricted = true;
        return false;
      }
      if (repo_problem(repo, "stargazers", page)) return false;
      auto items = JsonPage::parse_array(page);
      if (!items) return tl::unexpected(items.error());
      for (size_t i = 0; i < items->size(); ++i) {
        if (auto added = record_star(repo, (*items)[i]); !added) return tl::unexpected(added.error());
      }
      return true;
    });
    if (!ok) return ok;
    if (restricted) {
      out_.stars_restricted.push_back(repo.full_name);
      return {};
    }
    return mark_listing(repo.repo_id, "stargazers", started);
  }

  // One GraphQL stargazer edge, stored as REST star+json gives it, so staging reads one shape.
  Expected<void> record_graphql_star(const RepoState& repo, const Json& edge) {
    const Json& node = edge.value("node", Json::object());
    const int64_t user_id = int_or(node, "databaseId", 0);
    if (user_id <= 0) return {};
    const Json star{
        {"starred_at", edge.value("starredAt", "")},
        {"user", {{"id", user_id}, {"login", string_or(node, "login")}, {"node_id", string_or(node, "id")}}}};
    auto& seen = out_.seen_users[user_id];
    seen.login = string_or(node, "login", seen.login);
    seen.node_id = string_or(node, "id", seen.node_id);
    return add(stargazers_table(), {RawKey{repo.repo_id}, RawKey{user_id}}, star.dump());
  }

  // One page of a repo's stargazers connection; null (after recording a problem) when GitHub has no such
  // repository (NOT_FOUND: deleted or hidden since the listing). A query GitHub could not execute is asked
  // again by the client and, past its attempts, fails the sync (the next one carries on).
  Expected<std::optional<Json>> graphql_stars_page(const RepoState& repo, std::string_view query,
                                                   const Json& variables) {
    auto answer = api_.graphql(query, variables);
    if (!answer) return tl::unexpected(answer.error());
    const Json data = answer->value("data", Json::object());
    const Json repository = data.is_object() ? data.value("repository", Json()) : Json();
    if (!repository.is_object() || !repository.value("stargazers", Json()).is_object()) {
      problem(repo.full_name, "stargazers", fmt::format("GraphQL: {}", answer->value("errors", Json::array()).dump()));
      return std::optional<Json>();
    }
    return std::optional<Json>(repository["stargazers"]);
  }

  // Over REST's 400-page cap, through GraphQL (1 point per 100), which has no cap. Grown since the
  // last sync: newest first, down to the newest known star, so only the new pages are fetched (the
  // resume point is the newest star the lake holds). Otherwise, or when that shows stars were removed
  // too (unstars), a complete listing.
  Expected<void> sync_stargazers_graphql(const RepoState& repo, const RepoState& before) {
    if (before.known_stars > 0 && before.newest_star_user_id && repo.stargazers_count > before.known_stars) {
      auto complete = stargazers_graphql_newest(repo, before);
      if (!complete) return tl::unexpected(complete.error());
      if (*complete) return {};
    }
    return stargazers_graphql_complete(repo);
  }

  // The stars newer than the newest known one. True when they account for the whole growth; false
  // when a complete listing must follow (the newest known star is gone, or the counts disagree).
  Expected<bool> stargazers_graphql_newest(const RepoState& repo, const RepoState& before) {
    const auto slash = repo.full_name.find('/');
    Json variables{
        {"owner", repo.full_name.substr(0, slash)}, {"name", repo.full_name.substr(slash + 1)}, {"cursor", nullptr}};
    int64_t total = -1;
    int64_t fresh = 0;
    bool reached = false;
    bool passed = false;
    while (!reached && !passed) {
      auto page = graphql_stars_page(repo, queries::stargazers_newest, variables);
      if (!page) return tl::unexpected(page.error());
      if (!*page) return true;  // recorded as a problem: GitHub has no such repository (any more)
      const Json& connection = **page;
      // Counted by the first answer: stars added while paging are newer than the cursor and wait
      // for the next sync, so the count to check against is this one.
      if (total < 0) total = connection.value("totalCount", int64_t{-1});
      for (const auto& edge : connection.value("edges", Json::array())) {
        const int64_t user_id = int_or(edge.value("node", Json::object()), "databaseId", 0);
        if (user_id == *before.newest_star_user_id) {
          reached = true;
          break;
        }
        const auto starred = parse_iso8601(string_or(edge, "starredAt"));
        if (before.newest_starred_at && starred && *starred < *before.newest_starred_at) {
          passed = true;  // older than the newest known star without meeting it: it was removed
          break;
        }
        if (auto added = record_graphql_star(repo, edge); !added) return tl::unexpected(added.error());
        ++fresh;
      }
      const Json info = connection.value("pageInfo", Json::object());
      if (!info.value("hasNextPage", false)) break;
      variables["cursor"] = info.value("endCursor", "");
    }
    return reached && before.known_stars + fresh == total;
  }

  Expected<void> stargazers_graphql_complete(const RepoState& repo) {
    const Timestamp started = options_.clock();
    const auto slash = repo.full_name.find('/');
    Json variables{
        {"owner", repo.full_name.substr(0, slash)}, {"name", repo.full_name.substr(slash + 1)}, {"cursor", nullptr}};
    while (true) {
      auto page = graphql_stars_page(repo, queries::stargazers, variables);
      if (!page) return tl::unexpected(page.error());
      if (!*page) return {};
      const Json& connection = **page;
      for (const auto& edge : connection.value("edges", Json::array())) {
        if (auto added = record_graphql_star(repo, edge); !added) return added;
      }
      const Json info = connection.value("pageInfo", Json::object());
      if (!info.value("hasNextPage", false)) break;
      variables["cursor"] = info.value("endCursor", "");
    }
    return mark_listing(repo.repo_id, "stargazers", started);
  }

  // ---- forks, releases ------------------------------------------------------------------------------

  Expected<void> sync_forks(const RepoState& repo, const RepoState& before) {
    // Fewer forks than known: some were deleted; list them all. Otherwise newest first, to a known one.
    const bool complete = before.fork_ids.empty() || repo.forks_count < static_cast<int64_t>(before.fork_ids.size());
    if (repo.forks_count == 0 && before.fork_ids.empty()) return {};
    const Timestamp started = options_.clock();
    bool failed = false;
    const std::string path = fmt::format("/repos/{}/forks?sort=newest&per_page={}", repo.full_name, kPageSize);
    auto ok = paginate(path, kJsonMediaType, Conditional::no, [&](const ApiPage& page) -> Expected<bool> {
      if (repo_problem(repo, "forks", page)) {
        failed = true;
        return false;
      }
      auto items = JsonPage::parse_array(page);
      if (!items) return tl::unexpected(items.error());
      for (size_t i = 0; i < items->size(); ++i) {
        const JsonValue fork = (*items)[i];
        const int64_t fork_id = fork.int_at("/id", 0);
        if (fork_id <= 0) continue;
        if (!complete && before.fork_ids.contains(fork_id)) return false;
        see_rest_user(fork, "/owner");
        if (auto added = add(forks_table(), {RawKey{repo.repo_id}, RawKey{fork_id}}, fork.json()); !added) {
          return tl::unexpected(added.error());
        }
      }
      return true;
    });
    if (!ok) return ok;
    if (complete && !failed) return mark_listing(repo.repo_id, "forks", started);
    return {};
  }

  Expected<void> sync_releases(const RepoState& repo) {
    const std::string path = fmt::format("/repos/{}/releases?per_page={}", repo.full_name, kPageSize);
    return paginate(path, kJsonMediaType, Conditional::yes, [&](const ApiPage& page) -> Expected<bool> {
      if (page.not_modified()) return true;
      if (repo_problem(repo, "releases", page)) return false;
      auto items = JsonPage::parse_array(page);
      if (!items) return tl::unexpected(items.error());
      for (size_t i = 0; i < items->size(); ++i) {
        const JsonValue release = (*items)[i];
        const int64_t release_id = release.int_at("/id", 0);
        if (release_id <= 0) continue;
        see_rest_user(release, "/author");
        if (auto added = add(releases_table(), {RawKey{repo.repo_id}, RawKey{release_id}}, release.json()); !added) {
          return tl::unexpected(added.error());
        }
      }
      return true;
    });
  }

  // ---- issues and pull requests ---------------------------------------------------------------------

  Expected<void> sync_issues(const RepoState& repo, const RepoState& before) {
    std::set<int64_t> open = before.open_issue_ids;
    std::string max_updated = before.issues_updated_since;
    bool any_answer = false;
    // The payloads this sync added of the issues updated at max_updated (the stream comes oldest first):
    // the stream asked again from max_updated repeats them, and an unchanged one is not added twice.
    std::map<int64_t, std::string> added;
    auto stream = [&](const std::string& path, Conditional conditional, bool& failed) {
      return paginate(path, kJsonMediaType, conditional, [&](const ApiPage& page) -> Expected<bool> {
        if (page.not_modified()) return true;
        if (repo_problem(repo, "issues", page)) {
          failed = true;
          return false;
        }
        any_answer = true;
        auto items = JsonPage::parse_array(page);
        if (!items) return tl::unexpected(items.error());
        for (size_t i = 0; i < items->size(); ++i) {
          const JsonValue issue = (*items)[i];
          const int64_t issue_id = issue.int_at("/id", 0);
          if (issue_id <= 0) continue;
          if (issue.string_at("/state") == "open") {
            open.insert(issue_id);
          } else {
            open.erase(issue_id);
          }
          const std::string updated_at = issue.string_at("/updated_at");
          if (updated_at > max_updated) {
            max_updated = updated_at;
            added.clear();
          }
          see_rest_user(issue, "/user");
          std::string payload = issue.json();
          const auto known = added.find(issue_id);
          if (known != added.end() && known->second == payload) continue;
          if (updated_at == max_updated) added[issue_id] = payload;
          if (auto ok = add(issues_table(), {RawKey{repo.repo_id}, RawKey{issue_id}}, std::move(payload)); !ok) {
            return tl::unexpected(ok.error());
          }
        }
        return true;
      });
    };
    const std::string path =
        fmt::format("/repos/{}/issues?state=all&sort=updated&direction=asc&per_page={}", repo.full_name, kPageSize);
    const auto since_path = [&](const std::string& since) { return since.empty() ? path : path + "&since=" + since; };
    // Remember which since= was asked, so an unchanged stream is asked the same URL again (a free 304).
    // When the answer brought issues updated after that since=, the stream is first asked once more from
    // the newest of them: the next sync asks that URL, which answers 304 while nothing changed and only
    // the changed issues (and the few updated in that same second) when something did, instead of every
    // issue updated after the old since= (a whole listing, after the first sync).
    const auto remember = [&](const std::string& since, bool& failed) -> Expected<void> {
      std::string asked = since;
      if (max_updated != since) {
        asked = max_updated;
        if (auto ok = stream(since_path(asked), Conditional::yes, failed); !ok || failed) return ok;
      }
      return mark_listing(repo.repo_id, "issues_request", options_.clock(),
                          Json{{"since", asked}, {"max_updated_at", max_updated}});
    };
    std::string since = before.issues_updated_since;
    if (before.issues_request_since && before.issues_request_max_updated_at == before.issues_updated_since) {
      since = *before.issues_request_since;
    }
    bool failed = false;
    const Timestamp started = options_.clock();
    if (auto ok = stream(since_path(since), Conditional::yes, failed); !ok) return ok;
    if (failed) return {};
    // GitHub's open_issues_count counts open issues and pull requests. When ours disagrees, something
    // was deleted (or transferred away): list everything and mark the listing complete.
    if (static_cast<int64_t>(open.size()) == repo.open_issues_count) {
      if (any_answer) {
        if (auto ok = remember(since, failed); !ok || failed) return ok;
      }
      if (before.issues_updated_since.empty() && since.empty()) return mark_listing(repo.repo_id, "issues", started);
      return {};
    }
    // Staging keeps only this listing's rows of the issues it lists: each one is added again.
    open.clear();
    added.clear();
    const Timestamp relisted = options_.clock();
    if (auto ok = stream(path, Conditional::no, failed); !ok) return ok;
    if (failed) return {};
    if (auto ok = remember("", failed); !ok || failed) return ok;
    return mark_listing(repo.repo_id, "issues", relisted);
  }

  // ---- commits --------------------------------------------------------------------------------------

  Expected<void> sync_commits(const RepoState& repo, const RepoState& before) {
    const auto slash = repo.full_name.find('/');
    Json variables{{"owner", repo.full_name.substr(0, slash)},
                   {"name", repo.full_name.substr(slash + 1)},
                   {"since", before.commits_since.empty() ? Json(nullptr) : Json(before.commits_since)},
                   {"cursor", nullptr}};
    while (true) {
      auto answer = api_.graphql(queries::commits, variables);
      if (!answer) return tl::unexpected(answer.error());
      const Json& data = (*answer).value("data", Json::object());
      const Json repository = data.is_object() ? data.value("repository", Json()) : Json();
      if (!repository.is_object()) {
        problem(repo.full_name, "commits", fmt::format("GraphQL: {}", answer->value("errors", Json::array()).dump()));
        return {};
      }
      const Json& branch = repository["defaultBranchRef"];
      if (!branch.is_object()) return {};  // an empty repository has no default branch yet
      const Json& history = branch["target"]["history"];
      for (const auto& node : history["nodes"]) {
        const std::string sha = string_or(node, "oid");
        if (sha.empty()) continue;
        const Json& author = node.value("author", Json::object());
        const Json user = author.is_object() ? author.value("user", Json()) : Json();
        if (user.is_object() && int_or(user, "databaseId", 0) > 0) {
          auto& seen = out_.seen_users[int_or(user, "databaseId", 0)];
          seen.login = string_or(user, "login", seen.login);
          seen.node_id = string_or(user, "id", seen.node_id);
        }
        if (auto added = add(commits_table(), {RawKey{repo.repo_id}, RawKey{sha}}, node.dump()); !added) return added;
      }
      const Json& info = history["pageInfo"];
      if (!info.value("hasNextPage", false)) break;
      variables["cursor"] = info.value("endCursor", "");
    }
    return {};
  }

  // ---- users and followers --------------------------------------------------------------------------

  // Up to 100 profiles in one GraphQL query, each with its first 100 followers (nearly free).
  Expected<void> fetch_profiles(const std::vector<std::pair<int64_t, SeenUser>>& batch) {
    if (batch.empty()) return {};
    Json ids = Json::array();
    for (const auto& [id, user] : batch) ids.push_back(user.node_id);
    const Timestamp asked = options_.clock();
    auto answer = api_.graphql(queries::users, Json{{"ids", ids}});
    if (!answer) return tl::unexpected(answer.error());
    const Json nodes = answer->value("data", Json::object()).value("nodes", Json::array());
    for (size_t i = 0; i < batch.size(); ++i) {
      const int64_t id = batch[i].first;
      const Json node = i < nodes.size() ? nodes[i] : Json();
      if (!node.is_object()) {
        // GitHub answers null (with a NOT_FOUND error) for an account that no longer exists.
        if (auto added = add(users_table(), {RawKey{id}}, Json{{"id", id}, {"deleted", true}}.dump()); !added) {
          return added;
        }
        continue;
      }
      Json profile = node;
      Json first_followers = Json::array();
      if (profile.contains("followers") && profile["followers"].is_object() && profile["followers"].contains("nodes")) {
        first_followers = std::move(profile["followers"]["nodes"]);
        profile["followers"].erase("nodes");  // edges go to github.followers, not into the profile
      }
      if (auto added = add(users_table(), {RawKey{id}}, profile.dump()); !added) return added;
      const int64_t followers = profile.value("followers", Json::object()).value("totalCount", int64_t{0});
      const auto known = state_.users.find(id);
      const int64_t listed_with = known == state_.users.end() ? -1 : known->second.followers_listed_count;
      if (listed_with == followers) continue;
      if (first_followers.is_array() && static_cast<int64_t>(first_followers.size()) >= followers) {
        // The profile brought every follower: the listing is complete without another request.
        for (const auto& f : first_followers) {
          const int64_t follower_id = int_or(f, "databaseId", 0);
          if (follower_id <= 0) continue;
          const Json edge{{"id", follower_id}, {"login", string_or(f, "login")}, {"node_id", string_or(f, "id")}};
          if (auto added = add(followers_table(), {RawKey{id}, RawKey{follower_id}}, edge.dump()); !added) {
            return added;
          }
        }
        if (auto ok = mark_listing(id, "followers", asked, Json{{"count", followers}}); !ok) return ok;
      } else {
        out_.followers_to_list[id] = {string_or(profile, "login"), followers};
      }
    }
    return {};
  }

  // The complete followers list of a user whose follower count changed. Every edge is kept (the
  // network marts keep those between org users), so a user who joins the org later is connected
  // without listing anyone again.
  Expected<void> list_followers(int64_t user_id, const std::string& login, int64_t followers) {
    const Timestamp started = options_.clock();
    if (followers == 0 || login.empty()) return mark_listing(user_id, "followers", started, Json{{"count", followers}});
    bool failed = false;
    const std::string path = fmt::format("/users/{}/followers?per_page={}", login, kPageSize);
    auto ok = paginate(path, kJsonMediaType, Conditional::no, [&](const ApiPage& page) -> Expected<bool> {
      if (!page.ok()) {
        failed = true;
        problem(login, "followers", fmt::format("GitHub answered {}", page.status));
        return false;
      }
      auto items = JsonPage::parse_array(page);
      if (!items) return tl::unexpected(items.error());
      for (size_t i = 0; i < items->size(); ++i) {
        const JsonValue follower = (*items)[i];
        const int64_t follower_id = follower.int_at("/id", 0);
        if (follower_id <= 0) continue;
        if (auto added = add(followers_table(), {RawKey{user_id}, RawKey{follower_id}}, follower.json()); !added) {
          return tl::unexpected(added.error());
        }
      }
      return true;
    });
    if (!ok) return ok;
    // The marker carries the count it covered, so the next sync lists again only when it changes.
    if (!failed) return mark_listing(user_id, "followers", started, Json{{"count", followers}});
    return {};
  }

 private:
  GithubApi& api_;
  const SyncState& state_;
  const SyncOptions& options_;
  const Say& say_;
  Batch out_;
};

// The whole sync: the repo listing, then every repo, every batch of profiles and every followers
// listing as units of work on `options.concurrency` threads, committed to the sink in a fixed order.
class Syncer {
 public:
  Syncer(GithubApi& api, RawSink& sink, const SyncState& state, const SyncOptions& options,
         const std::function<void(const SyncProgress&)>& progress)
      : api_(api), sink_(sink), state_(state), options_(options), progress_(progress) {
    say_ = [this](const std::string& repo, const char* entity, size_t index, size_t count) {
      const std::lock_guard lock(progress_mutex_);
      last_ = SyncProgress{repo, entity, index, count == 0 ? report_.repos : count};
      if (progress_) progress_(last_);
    };
  }

  Expected<SyncReport> run() {
    Fetcher listing(api_, state_, options_, say_);
    auto listed = listing.sync_repos();
    if (!listed) return tl::unexpected(listed.error());
    // A repo's row is what the next sync compares with to find what changed, so it is the watermark of
    // the repo's stars, forks, issues ...: it is committed after them, with the repo's own unit. The
    // listing's marker and its pages' ETags (a 304 would skip the comparison) wait for the end.
    Batch deferred = listing.take();
    std::map<int64_t, std::vector<std::pair<const RawTable*, RawRecord>>> repo_rows;
    for (auto it = deferred.records.begin(); it != deferred.records.end();) {
      if (it->first != &repos_table()) {
        ++it;
        continue;
      }
      repo_rows[std::get<int64_t>(it->second.keys.at(0))].push_back(std::move(*it));
      it = deferred.records.erase(it);
    }
    const std::vector<RepoState> repos = std::move(*listed);
    report_.repos = repos.size();
    auto ok = parallel(repos.size(), [&](Fetcher& f, size_t i) -> Expected<void> {
      if (auto synced = f.sync_repo(repos[i], i); !synced) return synced;
      if (const auto row = repo_rows.find(repos[i].repo_id); row != repo_rows.end()) f.append(std::move(row->second));
      return {};
    });
    if (!ok) return tl::unexpected(ok.error());
    if (ok = sync_users(); !ok) return tl::unexpected(ok.error());
    if (ok = commit(std::move(deferred)); !ok) return tl::unexpected(ok.error());
    if (ok = sink_.flush(); !ok) return tl::unexpected(ok.error());
    return report_;
  }

 private:
  // Runs `fetch(fetcher, i)` for i in [0, count) on the worker threads; commits each unit in order.
  Expected<void> parallel(size_t count, const std::function<Expected<void>(Fetcher&, size_t)>& fetch) {
    const size_t threads = std::max<size_t>(1, options_.concurrency);
    const std::function<Expected<Batch>(size_t)> work = [&](size_t i) -> Expected<Batch> {
      Fetcher fetcher(api_, state_, options_, say_);
      if (auto ok = fetch(fetcher, i); !ok) return tl::unexpected(ok.error());
      return fetcher.take();
    };
    const std::function<Expected<void>(size_t, Batch &&)> done = [&](size_t, Batch&& batch) {
      return commit(std::move(batch));
    };
    const std::function<void()> idle = [&] {
      const std::lock_guard lock(progress_mutex_);
      if (progress_ && !last_.entity.empty()) progress_(last_);
    };
    return run_in_order(count, threads, threads * kWindowPerThread, work, done, idle);
  }

  // Hands one unit's records to the sink, then the validators they cover, and merges its findings.
  Expected<void> commit(Batch batch) {
    for (auto& [table, record] : batch.records) {
      ++report_.records[table->name];
      if (auto ok = sink_.add(*table, std::move(record)); !ok) return ok;
    }
    sink_.add_validators(std::move(batch.validators));
    for (auto& p : batch.problems) report_.problems.push_back(std::move(p));
    for (auto& r : batch.stars_restricted) report_.stars_restricted.push_back(std::move(r));
    if (batch.changed) ++report_.repos_changed;
    for (auto& [id, user] : batch.seen_users) {
      auto& seen = seen_users_[id];
      if (!user.login.empty()) seen.login = std::move(user.login);
      if (!user.node_id.empty()) seen.node_id = std::move(user.node_id);
    }
    for (auto& [id, entry] : batch.followers_to_list) followers_to_list_[id] = std::move(entry);
    return {};
  }

  Expected<void> sync_users() {
    // Everyone this sync saw, plus everyone known whose profile went stale.
    std::map<int64_t, SeenUser> wanted;
    const Timestamp now = options_.clock();
    const auto stale = [&](const UserState& known) {
      return !known.profile_at || now - *known.profile_at > (known.is_author ? kAuthorProfileMaxAge : kProfileMaxAge);
    };
    for (const auto& [id, seen] : seen_users_) {
      const auto known = state_.users.find(id);
      if (known == state_.users.end() || stale(known->second)) wanted[id] = seen;
    }
    for (const auto& [id, known] : state_.users) {
      if (known.deleted || known.node_id.empty()) continue;
      if (stale(known)) wanted.emplace(id, SeenUser{known.login, known.node_id});
    }
    say_("", "users", 0, 0);
    std::vector<std::vector<std::pair<int64_t, SeenUser>>> batches;
    for (const auto& [id, user] : wanted) {
      if (user.node_id.empty()) continue;
      if (batches.empty() || batches.back().size() == kUsersPerQuery) batches.emplace_back();
      batches.back().emplace_back(id, user);
    }
    auto ok = parallel(batches.size(), [&](Fetcher& f, size_t i) { return f.fetch_profiles(batches[i]); });
    if (!ok) return ok;
    const std::vector<std::pair<int64_t, std::pair<std::string, int64_t>>> listings(followers_to_list_.begin(),
                                                                                    followers_to_list_.end());
    return parallel(listings.size(), [&](Fetcher& f, size_t i) {
      const auto& [user_id, entry] = listings[i];
      say_(entry.first, "followers", i, listings.size());
      return f.list_followers(user_id, entry.first, entry.second);
    });
  }

  GithubApi& api_;
  RawSink& sink_;
  const SyncState& state_;
  const SyncOptions& options_;
  const std::function<void(const SyncProgress&)>& progress_;
  Say say_;
  std::mutex progress_mutex_;
  SyncProgress last_;
  SyncReport report_;
  std::map<int64_t, SeenUser> seen_users_;
  std::map<int64_t, std::pair<std::string, int64_t>> followers_to_list_;
};

}  // namespace

Expected<SyncReport> sync_org(GithubApi& api, RawSink& sink, const SyncState& state, const SyncOptions& options,
                              const std::function<void(const SyncProgress&)>& progress) {
  Syncer syncer(api, sink, state, options, progress);
  return syncer.run();
}

}  // namespace ampere::github
