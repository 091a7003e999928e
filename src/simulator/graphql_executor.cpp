#include "simulator/graphql_executor.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "simulator/payload_builder.hpp"
#include "util/strings.hpp"

namespace ampere::simulator {

namespace {

using nlohmann::json;

constexpr size_t page_size = 100;  // every supported query asks for first:100
constexpr size_t max_node_ids = 100;

bool has_all(std::string_view query, std::initializer_list<std::string_view> words) {
  return std::all_of(words.begin(), words.end(), [&](std::string_view w) { return query.find(w) != query.npos; });
}

std::string text_variable(const json& variables, const char* name) {
  const auto it = variables.find(name);
  return it != variables.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json not_found(std::string message, json path) {
  return json{{"type", "NOT_FOUND"}, {"path", std::move(path)}, {"message", std::move(message)}};
}

json graphql_user(const OrgModel& model, UserIndex u) {
  const User& user = model.users()[u];
  return json{{"databaseId", user.id}, {"login", user.login}, {"id", node_id("User", user.id)}};
}

}  // namespace

QueryShape recognize_query(std::string_view query) {
  if (has_all(query, {"repository(", "defaultBranchRef", "history(", "changedFiles"})) return QueryShape::commits;
  if (has_all(query, {"repository(", "stargazers(", "starredAt", "direction:DESC"})) {
    return QueryShape::stargazers_newest;
  }
  if (has_all(query, {"repository(", "stargazers(", "starredAt"})) return QueryShape::stargazers;
  if (has_all(query, {"nodes(", "ids", "on User", "databaseId", "followers(first:100)"})) {
    return QueryShape::users_with_followers;
  }
  if (has_all(query, {"nodes(", "ids", "on User", "databaseId"})) return QueryShape::users;
  return QueryShape::unknown;
}

json GraphqlExecutor::execute(QueryShape shape, const json& variables, const json& rate_limit) const {
  json errors = json::array();
  json data = json::object();
  switch (shape) {
    case QueryShape::commits:
      data["repository"] = commits(variables, errors);
      break;
    case QueryShape::stargazers:
      data["repository"] = stargazers(variables, errors, false);
      break;
    case QueryShape::stargazers_newest:
      data["repository"] = stargazers(variables, errors, true);
      break;
    case QueryShape::users:
      data["nodes"] = users(variables, errors);
      break;
    case QueryShape::users_with_followers:
      data["nodes"] = users(variables, errors, true);
      break;
    case QueryShape::unknown:
      break;
  }
  data["rateLimit"] = rate_limit;
  json out{{"data", data}};
  if (!errors.empty()) out["errors"] = errors;
  return out;
}

const Repo* GraphqlExecutor::find_repo(const json& variables, json& errors) const {
  const std::string owner = text_variable(variables, "owner");
  const std::string name = text_variable(variables, "name");
  std::optional<size_t> index;
  if (to_lower(owner) == to_lower(model_.login())) {
    index = model_.find_repo(name);
    if (!index) index = model_.find_renamed_repo(name);  // GraphQL follows renames too
  }
  if (!index) {
    errors.push_back(not_found(fmt::format("Could not resolve to a Repository with the name '{}/{}'.", owner, name),
                               {"repository"}));
    return nullptr;
  }
  return &model_.repos()[*index];
}

json GraphqlExecutor::commits(const json& variables, json& errors) const {
  const Repo* repo = find_repo(variables, errors);
  if (repo == nullptr) return nullptr;
  if (repo->commits.empty()) return json{{"defaultBranchRef", nullptr}};
  // The cursor pins the head it was made from ("<head seq> <offset>"), so new commits do not shift pages.
  uint32_t head = repo->commits.back().seq;
  size_t offset = 0;
  const std::string cursor = text_variable(variables, "cursor");
  if (!cursor.empty()) {
    const auto decoded = base64_decode(cursor);
    unsigned long long h = 0;
    unsigned long long o = 0;
    if (!decoded || std::sscanf(decoded->c_str(), "%llu %llu", &h, &o) != 2 || h > head) {
      errors.push_back(json{{"message", fmt::format("`{}` does not appear to be a valid cursor.", cursor)},
                            {"path", {"repository", "defaultBranchRef", "target", "history"}}});
      return nullptr;
    }
    head = static_cast<uint32_t>(h);
    offset = static_cast<size_t>(o) + 1;
  }
  EpochSeconds since = 0;
  if (const std::string s = text_variable(variables, "since"); !s.empty()) {
    if (auto t = parse_iso8601(s)) {
      since = std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
    }
  }
  // Newest first from the head, filtered by since.
  std::vector<const Commit*> history;
  for (size_t i = head + 1; i-- > 0;) {
    const Commit& c = repo->commits[i];
    if (c.committed_at >= since) history.push_back(&c);
  }
  PayloadBuilder payloads(model_);
  const std::string full = payloads.full_name(*repo);
  json nodes = json::array();
  const size_t end = std::min(history.size(), offset + page_size);
  for (size_t i = offset; i < end; ++i) {
    const Commit& c = *history[i];
    const std::string sha = repo->commit_sha(c.seq);
    const std::string& message = model_.commit_messages()[c.message];
    const auto [name, email] = payloads.commit_author(c);
    const bool linked = c.user != no_user && !model_.users()[c.user].deleted;
    nodes.push_back(json{{"oid", sha},
                         {"committedDate", format_time(c.committed_at)},
                         {"authoredDate", format_time(c.authored_at)},
                         {"additions", c.additions},
                         {"deletions", c.deletions},
                         {"changedFiles", c.changed_files},
                         {"messageHeadline", message.substr(0, message.find('\n'))},
                         {"message", message},
                         {"url", fmt::format("{}/{}/commit/{}", web_root, full, sha)},
                         {"author",
                          {{"name", name},
                           {"email", email},
                           {"date", format_time(c.authored_at)},
                           {"user", linked ? graphql_user(model_, c.user) : json(nullptr)}}}});
  }
  const bool more = end < history.size();
  const json end_cursor = end > offset ? json(base64_encode(fmt::format("{} {}", head, end - 1))) : json(nullptr);
  json history_json{{"totalCount", history.size()},
                    {"pageInfo", {{"hasNextPage", more}, {"endCursor", end_cursor}}},
                    {"nodes", nodes}};
  return json{
      {"defaultBranchRef", {{"name", repo->default_branch}, {"target", {{"history", std::move(history_json)}}}}}};
}

json GraphqlExecutor::stargazers(const json& variables, json& errors, bool newest_first) const {
  const Repo* repo = find_repo(variables, errors);
  if (repo == nullptr) return nullptr;
  // The cursor is the last star's key (time, user), so unstars before it do not shift pages.
  const auto key_of = [](const Star& s) { return std::pair<long long, unsigned long long>{s.starred_at, s.user}; };
  std::optional<std::pair<long long, unsigned long long>> after;
  const std::string cursor = text_variable(variables, "cursor");
  if (!cursor.empty()) {
    const auto decoded = base64_decode(cursor);
    long long t = 0;
    unsigned long long u = 0;
    if (!decoded || std::sscanf(decoded->c_str(), "cursor:v2:%lld:%llu", &t, &u) != 2) {
      errors.push_back(json{{"message", fmt::format("`{}` does not appear to be a valid cursor.", cursor)},
                            {"path", {"repository", "stargazers"}}});
      return nullptr;
    }
    after = std::pair<long long, unsigned long long>{t, u};
  }
  // [begin, end) of the stars (oldest first) that make this page.
  size_t begin = 0;
  size_t end = 0;
  if (newest_first) {
    end = repo->stars.size();
    if (after) {
      end = static_cast<size_t>(std::partition_point(repo->stars.begin(), repo->stars.end(),
                                                     [&](const Star& s) { return key_of(s) < *after; }) -
                                repo->stars.begin());
    }
    begin = end > page_size ? end - page_size : 0;
  } else {
    if (after) {
      begin = static_cast<size_t>(std::partition_point(repo->stars.begin(), repo->stars.end(),
                                                       [&](const Star& s) { return !(*after < key_of(s)); }) -
                                  repo->stars.begin());
    }
    end = std::min(repo->stars.size(), begin + page_size);
  }
  json edges = json::array();
  for (size_t n = 0; n < end - begin; ++n) {
    const Star& s = repo->stars[newest_first ? end - 1 - n : begin + n];
    edges.push_back(json{{"starredAt", format_time(s.starred_at)}, {"node", graphql_user(model_, s.user)}});
  }
  json end_cursor = nullptr;
  if (end > begin) {
    const Star& last = repo->stars[newest_first ? begin : end - 1];
    end_cursor = base64_encode(fmt::format("cursor:v2:{}:{}", last.starred_at, last.user));
  }
  const bool more = newest_first ? begin > 0 : end < repo->stars.size();
  return json{{"stargazerCount", repo->stars.size()},
              {"stargazers",
               {{"totalCount", repo->stars.size()},
                {"pageInfo", {{"hasNextPage", more}, {"endCursor", end_cursor}}},
                {"edges", edges}}}};
}

json GraphqlExecutor::users(const json& variables, json& errors, bool with_followers) const {
  const auto ids = variables.find("ids");
  if (ids == variables.end() || !ids->is_array()) {
    errors.push_back(json{{"message", "Variable $ids of type [ID!]! was provided invalid value"}});
    return nullptr;
  }
  if (ids->size() > max_node_ids) {
    errors.push_back(json{{"type", "EXCESSIVE_PAGINATION"},
                          {"message", fmt::format("You may not request more than {} nodes at once", max_node_ids)}});
    return nullptr;
  }
  // followers{totalCount}, or followers(first:100){totalCount nodes{databaseId login id}}: the first 100.
  const auto followers_of = [&](UserIndex u, bool with_nodes) {
    const auto& all = model_.followers(u);
    json connection{{"totalCount", all.size()}};
    if (!with_nodes) return connection;
    json first = json::array();
    for (size_t k = 0; k < all.size() && k < 100; ++k) {
      if (!model_.users()[all[k]].deleted) first.push_back(graphql_user(model_, all[k]));
    }
    connection["nodes"] = std::move(first);
    return connection;
  };
  json nodes = json::array();
  for (size_t i = 0; i < ids->size(); ++i) {
    const std::string id = (*ids)[i].is_string() ? (*ids)[i].get<std::string>() : std::string();
    std::optional<UserIndex> user;
    if (const auto decoded = base64_decode(id); decoded && decoded->starts_with("04:User")) {
      try {
        user = model_.find_user_by_id(std::stoll(decoded->substr(7)));
      } catch (const std::exception&) {
        user.reset();
      }
    }
    if (!user || model_.users()[*user].deleted) {
      nodes.push_back(nullptr);
      errors.push_back(
          not_found(fmt::format("Could not resolve to a node with the global id of '{}'", id), json{"nodes", i}));
      continue;
    }
    const User& u = model_.users()[*user];
    const auto nullable = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    nodes.push_back(json{{"id", id},
                         {"databaseId", u.id},
                         {"login", u.login},
                         {"name", u.name},
                         {"company", nullable(model_.companies()[u.company])},
                         {"location", nullable(model_.locations()[u.location])},
                         {"bio", nullable(model_.bios()[u.bio])},
                         {"avatarUrl", fmt::format("https://avatars.githubusercontent.com/u/{}?v=4", u.id)},
                         {"url", fmt::format("{}/{}", web_root, u.login)},
                         {"createdAt", format_time(u.created_at)},
                         {"followers", followers_of(*user, with_followers)},
                         {"following", {{"totalCount", model_.following(*user).size()}}}});
  }
  return nodes;
}

}  // namespace ampere::simulator
