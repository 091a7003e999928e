#pragma once
// HTML output helpers. Everything from GitHub is untrusted: it goes through escape_html.

#include <map>
#include <string>
#include <string_view>

namespace ampere::server {

/// Escapes &, <, >, " and ' so that text is inert in element content and quoted attributes.
std::string escape_html(std::string_view text);

/// Replaces each {{name}} in `page` with values[name] (inserted as given: escape first).
/// Unknown placeholders are left as they are so that a missing value shows up in tests.
std::string fill_template(std::string_view page, const std::map<std::string, std::string>& values);

}  // namespace ampere::server
