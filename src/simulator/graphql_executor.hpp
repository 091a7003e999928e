#pragma once
// Answers the GraphQL query shapes of graphql_queries.hpp from the model, like GitHub's
// POST /graphql would. Internal to the simulator library: its interface uses nlohmann::json.

#include <string_view>

#include <nlohmann/json.hpp>

#include "simulator/org_model.hpp"

namespace ampere::simulator {

/// Which of the supported queries a request is.
enum class QueryShape {
  commits,
  stargazers,         ///< oldest first (orderBy STARRED_AT ASC)
  stargazers_newest,  ///< newest first (orderBy STARRED_AT DESC)
  users,
  users_with_followers,  ///< users, each with the first page of followers(first:100){totalCount nodes{...}}
  unknown
};

/// Recognizes a query by its fields (whitespace and variable order do not matter).
QueryShape recognize_query(std::string_view query);

/// Runs recognized queries against the model. Holds a reference: run under the model's lock.
class GraphqlExecutor {
 public:
  /// Points a recognized query costs (GitHub: requests needed / 100, at least 1).
  static constexpr int query_cost = 1;

  explicit GraphqlExecutor(const OrgModel& model) : model_(model) {}

  /// The full response document {"data":{..., "rateLimit": rate_limit}, "errors":[...]} for `shape`.
  [[nodiscard]] nlohmann::json execute(QueryShape shape, const nlohmann::json& variables,
                                       const nlohmann::json& rate_limit) const;

 private:
  nlohmann::json commits(const nlohmann::json& variables, nlohmann::json& errors) const;
  nlohmann::json stargazers(const nlohmann::json& variables, nlohmann::json& errors, bool newest_first) const;
  nlohmann::json users(const nlohmann::json& variables, nlohmann::json& errors, bool with_followers = false) const;
  const Repo* find_repo(const nlohmann::json& variables, nlohmann::json& errors) const;
  const OrgModel& model_;
};

}  // namespace ampere::simulator
