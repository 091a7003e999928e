#pragma once
// GitHub's REST JSON shapes for the model's records (field names, formats and URLs as in the examples of
// GitHub's OpenAPI description). Internal to the simulator library: its interface uses nlohmann::json.

#include <string>

#include <nlohmann/json.hpp>

#include "simulator/org_model.hpp"

namespace ampere::simulator {

/// Renders model records as REST payloads. Holds a reference to the model: render under its lock.
class PayloadBuilder {
 public:
  explicit PayloadBuilder(const OrgModel& model) : model_(model) {}

  /// A "simple user" (the `user`/`owner`/`author` objects); a deleted user renders as "ghost".
  [[nodiscard]] nlohmann::json simple_user(UserIndex user) const;
  /// A full public user as GET /users/{login} returns it.
  [[nodiscard]] nlohmann::json public_user(UserIndex user) const;
  /// A repository of the org as GET /orgs/{org}/repos and GET /repos/{o}/{r} return it.
  [[nodiscard]] nlohmann::json repo(const Repo& repo) const;
  /// A fork of `parent` as GET /repos/{o}/{r}/forks returns it.
  [[nodiscard]] nlohmann::json fork(const Repo& parent, const Fork& fork) const;
  /// An issue (or a PR, with its `pull_request` object) as the issues list returns it.
  [[nodiscard]] nlohmann::json issue(const Repo& repo, const Issue& issue) const;
  /// A pull request as GET /repos/{o}/{r}/pulls returns it.
  [[nodiscard]] nlohmann::json pull_request(const Repo& repo, const Issue& pr) const;
  /// A commit as GET /repos/{o}/{r}/commits returns it.
  [[nodiscard]] nlohmann::json commit(const Repo& repo, const Commit& commit) const;
  /// A release.
  [[nodiscard]] nlohmann::json release(const Repo& repo, const Release& release) const;
  /// The full name "org/repo".
  [[nodiscard]] std::string full_name(const Repo& repo) const;
  /// Commit author's name and email (a linked user's noreply address, or the unlinked author's).
  [[nodiscard]] std::pair<std::string, std::string> commit_author(const Commit& commit) const;

 private:
  const OrgModel& model_;
};

/// GitHub's legacy global node id: base64("<len>:<Type><id>"), e.g. "MDQ6VXNlcjE=" for user 1.
std::string node_id(std::string_view type, int64_t id);

/// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

/// Decodes standard base64; nullopt if the text is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);

/// The REST API's root in payload URLs.
inline constexpr std::string_view api_root = "https://api.github.com";
/// The web root in html_url fields.
inline constexpr std::string_view web_root = "https://github.com";

}  // namespace ampere::simulator
