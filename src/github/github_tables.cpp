#include "github/github_tables.hpp"

namespace ampere::github {

namespace {

RawTable table(const char* name, std::vector<std::string> keys) {
  return RawTable{"github", name, std::move(keys)};
}

}  // namespace

const RawTable& repos_table() {
  static const RawTable t = table("repos", {"repo_id"});
  return t;
}
const RawTable& languages_table() {
  static const RawTable t = table("languages", {"repo_id"});
  return t;
}
const RawTable& stargazers_table() {
  static const RawTable t = table("stargazers", {"repo_id", "user_id"});
  return t;
}
const RawTable& forks_table() {
  static const RawTable t = table("forks", {"repo_id", "fork_id"});
  return t;
}
const RawTable& releases_table() {
  static const RawTable t = table("releases", {"repo_id", "release_id"});
  return t;
}
const RawTable& issues_table() {
  static const RawTable t = table("issues", {"repo_id", "issue_id"});
  return t;
}
const RawTable& commits_table() {
  static const RawTable t = table("commits", {"repo_id", "sha"});
  return t;
}
const RawTable& users_table() {
  static const RawTable t = table("users", {"user_id"});
  return t;
}
const RawTable& followers_table() {
  static const RawTable t = table("followers", {"user_id", "follower_id"});
  return t;
}
const RawTable& listings_table() {
  static const RawTable t = table("listings", {"owner_id", "list"});
  return t;
}

}  // namespace ampere::github
