#pragma once
// The raw GitHub tables of the lake, as sql/staging/github/_github__sources.yml declares them.

#include "util/raw_record.hpp"

namespace ampere::github {

/// github.repos: one item of GET /orgs/{org}/repos, key repo_id.
const RawTable& repos_table();
/// github.languages: GET /repos/{o}/{r}/languages, key repo_id.
const RawTable& languages_table();
/// github.stargazers: {starred_at, user}, keys repo_id, user_id.
const RawTable& stargazers_table();
/// github.forks: the fork's repository object, keys repo_id (the parent), fork_id.
const RawTable& forks_table();
/// github.releases: keys repo_id, release_id.
const RawTable& releases_table();
/// github.issues: issues and pull requests of the issues stream, keys repo_id, issue_id.
const RawTable& issues_table();
/// github.commits: GraphQL history nodes, keys repo_id, sha.
const RawTable& commits_table();
/// github.users: GraphQL user profiles or {"id", "deleted": true}, key user_id.
const RawTable& users_table();
/// github.followers: follower_id follows user_id, keys user_id, follower_id.
const RawTable& followers_table();
/// github.listings: a complete listing of one list of one owner, keys owner_id, list.
const RawTable& listings_table();

}  // namespace ampere::github
