#pragma once
// What `ampere init` suggests as the organization's own PyPI packages: its repos whose language is
// Python and that have published at least one release (forks and archived repos left out).

#include <string>
#include <vector>

#include "github/github_api.hpp"
#include "util/error.hpp"

namespace ampere::github {

/// The org's (or user's) Python repos with a release, by name. Costs one request per 100 repos plus one
/// per Python repo. Errors name the org and what GitHub answered.
Expected<std::vector<std::string>> python_repos_with_releases(GithubApi& api, const std::string& org);

}  // namespace ampere::github
