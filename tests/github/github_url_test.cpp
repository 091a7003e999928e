// URL helpers: display paths, endpoint families, Link headers.

#include "github/github_url.hpp"

#include <gtest/gtest.h>

namespace ampere::github {
namespace {

TEST(GithubUrl, DisplayPathDropsSchemeHostAndUserInfo) {
  EXPECT_EQ(display_path("https://x:secret@api.github.com/repos/o/r?page=2"), "/repos/o/r?page=2");
  EXPECT_EQ(display_path("https://api.github.com"), "/");
  EXPECT_EQ(display_path("/already/a/path"), "/already/a/path");
}

TEST(GithubUrl, EndpointFamilies) {
  EXPECT_EQ(endpoint_family("https://api.github.com/repos/acme/widgets/issues?since=x"),
            "/repos/{owner}/{repo}/issues");
  EXPECT_EQ(endpoint_family("https://api.github.com/repositories/42/issues?after=abc"), "/repositories/{n}/issues");
  EXPECT_EQ(endpoint_family("https://api.github.com/orgs/acme/repos"), "/orgs/{org}/repos");
  EXPECT_EQ(endpoint_family("https://api.github.com/users/octocat/followers"), "/users/{user}/followers");
  EXPECT_EQ(endpoint_family("https://api.github.com/graphql"), "/graphql");
}

TEST(GithubUrl, NextLinkIsTakenVerbatim) {
  EXPECT_EQ(next_link(R"(<https://api.github.com/repositories/1/issues?page=2>; rel="next", )"
                      R"(<https://api.github.com/repositories/1/issues?page=9>; rel="last")"),
            "https://api.github.com/repositories/1/issues?page=2");
  EXPECT_EQ(next_link(R"(<https://x/issues?after=Y3Vy%3D%3D&per_page=100>; rel="next")"),
            "https://x/issues?after=Y3Vy%3D%3D&per_page=100");
  EXPECT_EQ(next_link(R"(<https://x/?a=1,2>; rel="prev first", <https://x/?b>; REL=next)"), "https://x/?b");
  EXPECT_FALSE(next_link(R"(<https://x/?page=1>; rel="prev", <https://x/?page=1>; rel="first")"));
  EXPECT_FALSE(next_link(""));
}

}  // namespace
}  // namespace ampere::github
