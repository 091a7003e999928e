#pragma once
// Small URL facts the GitHub layer needs: what to print, how to group endpoints, where the next page is.

#include <optional>
#include <string>
#include <string_view>

namespace ampere::github {

/// The path and query of `url` ("/repos/o/r/issues?page=2"): what messages and logs show of a URL.
std::string display_path(std::string_view url);

/// The endpoint family of `url` for pacing and statistics: owner, repo, user and org names and numbers
/// replaced by placeholders, query dropped ("/repos/{owner}/{repo}/issues", "/graphql").
std::string endpoint_family(std::string_view url);

/// The rel="next" target of an RFC 8288 Link header, verbatim (page= and after= cursors alike).
std::optional<std::string> next_link(std::string_view link_header);

}  // namespace ampere::github
