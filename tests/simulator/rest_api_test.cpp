// The REST API over loopback HTTP: shapes, pagination to the exact truth, filters, conditional
// requests, rate limits and the error statuses GitHub answers.
#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "large_org.hpp"
#include "simulator/payload_builder.hpp"
#include "simulator_fixture.hpp"

namespace ampere::testing {
namespace {

using nlohmann::json;
using simulator::format_time;

const http::Headers star_json = {{"Accept", "application/vnd.github.star+json"}};

TEST(Rest, OrgReposPaginateToTheTruthWithAllLinkRelations) {
  SimulatorFixture f;
  int pages = 0;
  const auto repos = f.get_all("/orgs/ampere-demo/repos?type=all&per_page=3&sort=full_name", {}, &pages);
  EXPECT_EQ(pages, 3);
  std::vector<std::string> expected;
  for (const auto& r : f.model().repos()) expected.push_back(r.name);
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(repos.size(), expected.size());
  for (size_t i = 0; i < repos.size(); ++i) {
    EXPECT_EQ(repos[i]["name"], expected[i]);
    EXPECT_EQ(repos[i]["full_name"], "ampere-demo/" + expected[i]);
  }
  const auto& truth = f.model().repos()[*f.model().find_repo(expected[0])];
  EXPECT_EQ(repos[0]["id"], truth.id);
  EXPECT_EQ(repos[0]["stargazers_count"], truth.stars.size());
  EXPECT_EQ(repos[0]["forks_count"], truth.forks.size());
  EXPECT_EQ(repos[0]["open_issues_count"], truth.open_issues_count());
  EXPECT_EQ(repos[0]["created_at"], format_time(truth.created_at));
  EXPECT_EQ(repos[0]["pushed_at"], format_time(truth.pushed_at));
  EXPECT_EQ(repos[0]["owner"]["type"], "Organization");
  EXPECT_EQ(repos[0]["fork"], false);
  EXPECT_TRUE(repos[0]["license"].contains("spdx_id"));
  EXPECT_TRUE(repos[0]["node_id"].get<std::string>().starts_with("MDEwOlJlcG9zaXRvcnk")) << repos[0]["node_id"];

  const auto middle = f.get("/orgs/ampere-demo/repos?per_page=3&page=2");
  const auto link = middle.header("Link");
  EXPECT_EQ(link_of(link, "next"), f.base + "/orgs/ampere-demo/repos?page=3&per_page=3");
  EXPECT_EQ(link_of(link, "last"), f.base + "/orgs/ampere-demo/repos?page=3&per_page=3");
  EXPECT_EQ(link_of(link, "prev"), f.base + "/orgs/ampere-demo/repos?page=1&per_page=3");
  EXPECT_EQ(link_of(link, "first"), f.base + "/orgs/ampere-demo/repos?page=1&per_page=3");
  EXPECT_EQ(f.get("/orgs/nobody/repos").status, 404);
  EXPECT_EQ(f.get_json("/orgs/ampere-demo/repos?type=forks").size(), 0U);
}

TEST(Rest, StargazersPlainAndWithTimestampsOldestFirst) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  const std::string path = "/repos/ampere-demo/" + repo.name + "/stargazers?per_page=100";
  const auto timed = f.get_all(path, star_json);
  ASSERT_EQ(timed.size(), repo.stars.size());
  for (size_t i = 0; i < timed.size(); ++i) {
    const auto& user = f.model().users()[repo.stars[i].user];
    EXPECT_EQ(timed[i]["starred_at"], format_time(repo.stars[i].starred_at));
    EXPECT_EQ(timed[i]["user"]["login"], user.login);
    EXPECT_EQ(timed[i]["user"]["id"], user.id);
    EXPECT_EQ(timed[i]["user"]["node_id"], simulator::node_id("User", user.id));
  }
  const auto plain = f.get_all(path);
  ASSERT_EQ(plain.size(), repo.stars.size());
  EXPECT_EQ(plain[0]["login"], f.model().users()[repo.stars[0].user].login);
  EXPECT_FALSE(plain[0].contains("starred_at"));
  EXPECT_EQ(simulator::node_id("User", 1), "MDQ6VXNlcjE=");  // GitHub's own example
}

TEST(Rest, LargeRepoStargazersStopAt400PagesWith422) {
  const auto& large = large_org();
  SimulatorFixture f({}, large.model);
  const auto& repo = f.model().repos()[0];
  ASSERT_GT(repo.stars.size(), 40'000U);
  const std::string path = "/repos/ampere-demo/" + repo.name + "/stargazers?per_page=100";
  const auto first = f.get(path, star_json);
  EXPECT_EQ(link_of(first.header("Link"), "last"),
            f.base + "/repos/ampere-demo/" + repo.name + "/stargazers?page=400&per_page=100");
  const auto page400 = f.get_json(path + "&page=400", star_json);
  ASSERT_EQ(page400.size(), 100U);
  EXPECT_EQ(page400[99]["starred_at"], format_time(repo.stars[39'999].starred_at));
  const auto capped = f.get(path + "&page=401", star_json);
  EXPECT_EQ(capped.status, 422);
  EXPECT_NE(capped.body.find("In order to keep the API fast for everyone, pagination is limited for this resource"),
            std::string::npos);
}

TEST(Rest, IssuesPageWithAnOpaqueCursorToTheTruthAndRefusePage100) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  const std::string path = "/repos/ampere-demo/" + repo.name + "/issues";
  const auto first = f.get(path + "?state=all&per_page=7&sort=created&direction=asc");
  const std::string next = next_link(first.header("Link"));
  EXPECT_NE(next.find("after="), std::string::npos) << next;
  EXPECT_EQ(next.find("&page="), std::string::npos) << next;
  EXPECT_EQ(next.find("?page="), std::string::npos) << next;
  const auto all = f.get_all(path + "?state=all&per_page=7&sort=created&direction=asc");
  ASSERT_EQ(all.size(), repo.issues.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& truth = repo.issues[i];
    EXPECT_EQ(all[i]["number"], truth.number);
    EXPECT_EQ(all[i]["id"], truth.id);
    EXPECT_EQ(all[i]["state"], truth.is_open() ? "open" : "closed");
    EXPECT_EQ(all[i]["created_at"], format_time(truth.created_at));
    EXPECT_EQ(all[i]["comments"], truth.comments);
    EXPECT_EQ(all[i].contains("pull_request"), truth.is_pull_request);
    if (truth.is_pull_request) {
      EXPECT_EQ(all[i]["pull_request"]["merged_at"],
                truth.merged_at == 0 ? json(nullptr) : json(format_time(truth.merged_at)));
    }
  }
  const auto paged = f.get_all(path + "?state=all&per_page=50&page=1");
  EXPECT_EQ(paged.size(), repo.issues.size());
  const auto refused = f.get(path + "?state=all&page=100");
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("Pagination with the page parameter is not supported for large datasets, please use "
                              "cursor based pagination (after/before)"),
            std::string::npos);
}

TEST(Rest, IssueFiltersStateSinceSortDirection) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  const std::string path = "/repos/ampere-demo/" + repo.name + "/issues?per_page=100";
  size_t open = 0;
  for (const auto& i : repo.issues) open += i.is_open() ? 1 : 0;
  EXPECT_EQ(f.get_all(path).size(), open) << "state defaults to open";
  EXPECT_EQ(f.get_all(path + "&state=closed").size(), repo.issues.size() - open);

  std::vector<simulator::EpochSeconds> updated;
  for (const auto& i : repo.issues) updated.push_back(i.updated_at);
  std::sort(updated.begin(), updated.end());
  const auto since = updated[updated.size() / 2];
  const auto recent = f.get_all(path + "&state=all&sort=updated&direction=asc&since=" + format_time(since));
  const auto expected =
      static_cast<size_t>(std::count_if(updated.begin(), updated.end(), [&](auto t) { return t >= since; }));
  ASSERT_EQ(recent.size(), expected);
  for (size_t i = 1; i < recent.size(); ++i) {
    EXPECT_LE(recent[i - 1]["updated_at"].get<std::string>(), recent[i]["updated_at"].get<std::string>());
  }
  const auto newest = f.get_json(path + "&state=all");
  EXPECT_EQ(newest[0]["number"], static_cast<int>(repo.issues.size())) << "default: created, desc";
}

TEST(Rest, PullsStateAndSort) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  size_t prs = 0;
  size_t merged = 0;
  for (const auto& i : repo.issues) {
    prs += i.is_pull_request ? 1 : 0;
    merged += i.merged_at != 0 ? 1 : 0;
  }
  const auto all =
      f.get_all("/repos/ampere-demo/" + repo.name + "/pulls?state=all&sort=updated&direction=desc&per_page=10");
  ASSERT_EQ(all.size(), prs);
  EXPECT_EQ(static_cast<size_t>(
                std::count_if(all.begin(), all.end(), [](const json& p) { return !p["merged_at"].is_null(); })),
            merged);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_GE(all[i - 1]["updated_at"].get<std::string>(), all[i]["updated_at"].get<std::string>());
  }
  EXPECT_TRUE(all[0].contains("head") && all[0].contains("base") && all[0].contains("merge_commit_sha"));
  EXPECT_NE(all[0]["id"], repo.issues[all[0]["number"].get<size_t>() - 1].id) << "a PR's id is not its issue id";
}

TEST(Rest, CommitsNewestFirstWithSinceShaAndTheEmptyRepo409) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  const std::string path = "/repos/ampere-demo/" + repo.name + "/commits?per_page=100";
  const auto all = f.get_all(path);
  ASSERT_EQ(all.size(), repo.commits.size());
  const auto& newest = repo.commits.back();
  EXPECT_EQ(all[0]["sha"], repo.commit_sha(newest.seq));
  EXPECT_EQ(all[0]["commit"]["author"]["date"], format_time(newest.authored_at));
  EXPECT_EQ(all[0]["commit"]["committer"]["date"], format_time(newest.committed_at));
  EXPECT_EQ(all.back()["parents"].size(), 0U);
  EXPECT_EQ(all[0]["parents"][0]["sha"], repo.commit_sha(newest.seq - 1));
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& c = repo.commits[repo.commits.size() - 1 - i];
    EXPECT_EQ(all[i]["author"].is_null(), c.user == simulator::no_user);
  }
  const auto since = repo.commits[repo.commits.size() - 5].committed_at;
  EXPECT_GE(f.get_all(path + "&since=" + format_time(since)).size(), 5U);
  const auto from = f.get_json(path + "&sha=" + repo.commit_sha(3));
  EXPECT_EQ(from.size(), 4U);

  for (const auto& r : f.model().repos()) {
    if (!r.commits.empty()) continue;
    const auto empty = f.get("/repos/ampere-demo/" + r.name + "/commits");
    EXPECT_EQ(empty.status, 409);
    EXPECT_EQ(json::parse(empty.body)["message"], "Git Repository is empty.");
    EXPECT_EQ(f.get_json("/repos/ampere-demo/" + r.name + "/languages"), json::object());
  }
}

TEST(Rest, ForksReleasesLanguagesUsersAndFollowers) {
  SimulatorFixture f;
  const auto& repo = f.model().repos()[0];
  const std::string base = "/repos/ampere-demo/" + repo.name;
  const auto newest = f.get_all(base + "/forks?sort=newest&per_page=100");
  ASSERT_EQ(newest.size(), repo.forks.size());
  EXPECT_EQ(newest[0]["id"], repo.forks.back().id);
  EXPECT_EQ(newest[0]["fork"], true);
  EXPECT_EQ(newest[0]["full_name"], f.model().users()[repo.forks.back().owner].login + "/" + repo.name);
  EXPECT_EQ(f.get_json(base + "/forks?sort=oldest")[0]["id"], repo.forks.front().id);

  const auto releases = f.get_all(base + "/releases");
  ASSERT_EQ(releases.size(), repo.releases.size());
  if (!releases.empty()) {
    EXPECT_EQ(releases[0]["tag_name"], repo.releases.back().tag);
  }

  const auto languages = f.get(base + "/languages");
  std::string expected = "{";
  for (const auto& [name, bytes] : repo.languages)
    expected += fmt::format("{}\"{}\":{}", expected.size() > 1 ? "," : "", name, bytes);
  EXPECT_EQ(languages.body, expected + "}") << "largest first, like GitHub";

  const auto& user = f.model().users()[0];
  const auto profile = f.get_json("/users/" + user.login);
  EXPECT_EQ(profile["id"], user.id);
  EXPECT_EQ(profile["name"], user.name);
  EXPECT_EQ(profile["followers"], f.model().followers(0).size());
  EXPECT_EQ(profile["created_at"], format_time(user.created_at));
  const auto followers = f.get_all("/users/" + user.login + "/followers?per_page=100");
  ASSERT_EQ(followers.size(), f.model().followers(0).size());
  for (size_t i = 0; i < followers.size(); ++i) {
    EXPECT_EQ(followers[i]["id"], f.model().users()[f.model().followers(0)[i]].id);
  }
  EXPECT_EQ(f.get_all("/users/" + user.login + "/following?per_page=100").size(), f.model().following(0).size());
  EXPECT_EQ(f.get("/users/no-such-user").status, 404);
}

TEST(Rest, EtagAndLastModifiedAnswer304WithoutSpendingTheBudget) {
  SimulatorFixture f;
  const std::string path = "/repos/ampere-demo/" + f.model().repos()[0].name;
  const auto first = f.get(path);
  ASSERT_EQ(first.status, 200);
  const auto etag = first.header("ETag");
  ASSERT_TRUE(etag);
  EXPECT_TRUE(etag->starts_with("\"") && !etag->starts_with("W/")) << "a strong ETag";
  const auto remaining = first.header("x-ratelimit-remaining");
  EXPECT_EQ(remaining, "4999");

  const auto cached = f.get(path, {{"If-None-Match", *etag}});
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
  EXPECT_EQ(cached.header("x-ratelimit-remaining"), "4999");

  const auto modified = first.header("Last-Modified");
  ASSERT_TRUE(modified);
  EXPECT_EQ(f.get(path, {{"If-Modified-Since", *modified}}).status, 304);
  EXPECT_EQ(f.get(path, {{"If-Modified-Since", "Thu, 01 Jan 2015 00:00:00 GMT"}}).status, 200);
  EXPECT_EQ(f.sim->stats().not_modified, 2);
  EXPECT_EQ(f.sim->stats().rest_remaining, 4998);

  // Lists carry ETags too; a change invalidates them.
  const std::string stars = path + "/stargazers?per_page=100";
  const auto list = f.get(stars);
  EXPECT_EQ(f.get(stars, {{"If-None-Match", *list.header("ETag")}}).status, 304);
  f.sim->mutate([](simulator::OrgModel& m) { return m.add_stars(0, 1); });
  EXPECT_EQ(f.get(path, {{"If-None-Match", *etag}}).status, 200);
}

TEST(Rest, PrimaryLimitExhaustsThenResetsAtTheResetTime) {
  SimulatorFixture f;
  f.sim->set_rest_limit(3);
  const std::string path = "/orgs/ampere-demo/repos";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(f.get(path).status, 200);
  const auto limited = f.get(path);
  EXPECT_EQ(limited.status, 403);
  EXPECT_EQ(limited.header("x-ratelimit-remaining"), "0");
  EXPECT_EQ(limited.header("x-ratelimit-used"), "3");
  EXPECT_EQ(limited.header("x-ratelimit-resource"), "core");
  EXPECT_NE(limited.body.find("API rate limit exceeded"), std::string::npos);
  const auto reset = std::stoll(*limited.header("x-ratelimit-reset"));
  EXPECT_EQ(reset, test_clock_start + 3600);

  const auto status = f.get_json("/rate_limit");  // free, even when exhausted
  EXPECT_EQ(status["resources"]["core"]["remaining"], 0);
  EXPECT_EQ(status["resources"]["graphql"]["limit"], 5000);

  f.clock_seconds = reset - 1;
  EXPECT_EQ(f.get(path).status, 403);
  f.clock_seconds = reset;
  const auto again = f.get(path);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.header("x-ratelimit-remaining"), "2");
  EXPECT_EQ(f.sim->stats().rate_limited, 2);
}

TEST(Rest, PrimaryLimitCanAnswer429) {
  simulator::SimulatorOptions options;
  options.rest_limit = 1;
  options.primary_limit_status = 429;
  SimulatorFixture f(options);
  EXPECT_EQ(f.get("/orgs/ampere-demo/repos").status, 200);
  EXPECT_EQ(f.get("/orgs/ampere-demo/repos").status, 429);
}

TEST(Rest, RenamedRepoAnswers301DeletedRepo404BlockedRepo451) {
  SimulatorFixture f;
  const std::string old_name = f.model().repos()[1].name;
  ASSERT_TRUE(f.sim->apply_mutation("rename_repo", {{"repo", old_name}, {"new_name", "renamed"}}));
  http::Request request;
  request.method = "GET";
  request.path = "/repos/ampere-demo/" + old_name + "/issues";
  request.params = {{"state", "all"}};
  request.headers = {{"Host", "example.test"}};
  const auto moved = f.sim->handle(request);
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.header("Location"),
            fmt::format("http://example.test/repositories/{}/issues?state=all", f.model().repos()[1].id));
  // A client that follows redirects lands on the renamed repository.
  const auto followed = f.get_json("/repos/ampere-demo/" + old_name);
  EXPECT_EQ(followed["name"], "renamed");
  EXPECT_EQ(followed["id"], f.model().repos()[1].id);

  ASSERT_TRUE(f.sim->apply_mutation("delete_repo", {{"repo", "renamed"}}));
  EXPECT_EQ(f.get("/repos/ampere-demo/renamed").status, 404);
  EXPECT_EQ(f.get_json("/orgs/ampere-demo/repos?per_page=100").size(), 7U);

  const std::string blocked = f.model().repos()[2].name;
  ASSERT_TRUE(f.sim->apply_mutation("block_repo", {{"repo", blocked}}));
  const auto r = f.get("/repos/ampere-demo/" + blocked + "/issues");
  EXPECT_EQ(r.status, 451);
  EXPECT_EQ(json::parse(r.body)["message"], "Repository access blocked");
}

TEST(Rest, WrongOrMissingTokenAnswers401) {
  simulator::SimulatorOptions options;
  options.token = "sim-token";
  SimulatorFixture f(options);
  EXPECT_EQ(f.get("/orgs/ampere-demo/repos").status, 401);
  const auto wrong = f.get("/orgs/ampere-demo/repos", {{"Authorization", "Bearer other"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(json::parse(wrong.body)["message"], "Bad credentials");
  EXPECT_EQ(f.get("/orgs/ampere-demo/repos", {{"Authorization", "Bearer sim-token"}}).status, 200);
}

TEST(Rest, SameSeedServesIdenticalBytes) {
  SimulatorFixture a;
  SimulatorFixture b;
  for (const std::string& path :
       std::vector<std::string>{"/orgs/ampere-demo/repos?per_page=100", "/repos/ampere-demo/quill/issues?state=all",
                                "/repos/ampere-demo/quill/commits", "/repos/ampere-demo/quill/stargazers",
                                "/users/" + a.model().users()[5].login}) {
    const auto x = a.get(path, star_json);
    const auto y = b.get(path, star_json);
    EXPECT_EQ(x.status, 200) << path;
    EXPECT_EQ(x.body, y.body) << path;
    EXPECT_EQ(x.header("ETag"), y.header("ETag")) << path;
  }
}

}  // namespace
}  // namespace ampere::testing
