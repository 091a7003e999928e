#pragma once
// The commented ampere.toml that `ampere init` writes.

#include <string>
#include <vector>

namespace ampere {

/// A complete ampere.toml for `orgs`, every key present with its help as a comment and its default,
/// so a user can see and change anything without reading the docs.
std::string config_template(const std::vector<std::string>& orgs, const std::vector<std::string>& packages);

}  // namespace ampere
