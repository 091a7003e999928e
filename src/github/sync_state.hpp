#pragma once
// What the lake already holds about an organization, as of the last committed sync: the watermarks the
// next sync starts from. It is read from the lake itself (pipeline/), so it can never run ahead of the
// data it describes: a crash re-fetches, it never skips.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "util/time.hpp"

namespace ampere::github {

/// One repository's watermarks.
struct RepoState {
  int64_t repo_id = 0;
  std::string full_name;
  // The last snapshot of the repo listing: when any of these change, the repo has news.
  std::string updated_at;
  std::string pushed_at;
  int64_t stargazers_count = -1;
  int64_t forks_count = -1;
  int64_t open_issues_count = -1;
  bool has_languages = false;
  // Stars currently known (oldest first, as GitHub lists them): how many, and the newest one.
  int64_t known_stars = 0;
  std::optional<int64_t> newest_star_user_id;
  std::optional<Timestamp> newest_starred_at;
  std::set<int64_t> fork_ids;        ///< forks currently known
  std::string issues_updated_since;  ///< max updated_at in the issues stream so far (ISO 8601)
  /// The since= the last issues request used, and the max updated_at as of its answer: while nothing
  /// newer arrived, asking the same URL again lets GitHub answer 304, which costs nothing.
  std::optional<std::string> issues_request_since;
  std::string issues_request_max_updated_at;
  std::set<int64_t> open_issue_ids;  ///< open issues and pull requests currently known
  std::string commits_since;         ///< max committedDate of the default branch so far (ISO 8601)
};

/// One user's watermarks.
struct UserState {
  int64_t user_id = 0;
  std::string login;
  std::string node_id;
  std::optional<Timestamp> profile_at;  ///< when the profile was last fetched
  int64_t followers_count = -1;         ///< from that profile
  int64_t followers_listed_count = -1;  ///< followers_count when the followers were last listed; -1: never
  bool deleted = false;
  bool is_author = false;  ///< opened issues or pull requests: a deletion must show as "ghost" soon
};

/// The organization's watermarks.
struct SyncState {
  std::map<int64_t, RepoState> repos;
  std::map<int64_t, UserState> users;
};

}  // namespace ampere::github
