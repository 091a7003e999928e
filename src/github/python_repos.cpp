#include "github/python_repos.hpp"

#include <fmt/format.h>

namespace ampere::github {

namespace {

using Json = nlohmann::json;

Expected<Json> parse(const ApiPage& page) {
  Json body = Json::parse(page.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_array()) return fail(ErrorKind::network, fmt::format("GitHub answered {} with no JSON list", page.url));
  return body;
}

// The Python repos of `listing` ("/orgs/x/repos" or "/users/x/repos"); nullopt when GitHub says 404.
Expected<std::optional<std::vector<std::string>>> python_repos(GithubApi& api, const std::string& listing) {
  std::vector<std::string> names;
  bool missing = false;
  std::optional<Error> failure;
  auto paged = api.paginate(
      listing + "?per_page=100", kJsonMediaType, Conditional::no, [&](const ApiPage& page) -> Expected<bool> {
        if (page.status == 404) {
          missing = true;
          return false;
        }
        if (!page.ok()) {
          return fail(ErrorKind::network, fmt::format("GitHub answered {} to {}", page.status, page.url));
        }
        auto repos = parse(page);
        if (!repos) return tl::unexpected(repos.error());
        for (const Json& repo : *repos) {
          if (repo.value("language", Json()) != "Python") continue;
          if (repo.value("fork", false) || repo.value("archived", false)) continue;
          names.push_back(repo.value("name", ""));
        }
        return true;
      });
  if (!paged) return tl::unexpected(paged.error());
  if (missing) return std::optional<std::vector<std::string>>();
  return std::optional(std::move(names));
}

}  // namespace

Expected<std::vector<std::string>> python_repos_with_releases(GithubApi& api, const std::string& org) {
  auto repos = python_repos(api, fmt::format("/orgs/{}/repos", org));
  if (repos && !*repos) repos = python_repos(api, fmt::format("/users/{}/repos", org));
  if (!repos) return tl::unexpected(repos.error());
  if (!*repos) {
    return fail(ErrorKind::invalid_input,
                fmt::format("GitHub has no organization or user named '{}': check the spelling", org));
  }
  std::vector<std::string> out;
  for (const std::string& name : **repos) {
    auto page = api.get(fmt::format("/repos/{}/{}/releases?per_page=1", org, name), kJsonMediaType, Conditional::no);
    if (!page) return tl::unexpected(page.error());
    if (!page->ok()) continue;  // gone since the listing, or not readable: nothing to suggest
    auto releases = parse(*page);
    if (!releases) return tl::unexpected(releases.error());
    if (!releases->empty()) out.push_back(name);
  }
  return out;
}

}  // namespace ampere::github
