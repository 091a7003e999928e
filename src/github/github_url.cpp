#include "github/github_url.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "util/strings.hpp"

namespace ampere::github {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

std::string display_path(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t path = url.find_first_of("/?", scheme + 3);
  if (path == std::string_view::npos) return "/";
  std::string out(url.substr(path));
  if (out.starts_with('?')) out.insert(out.begin(), '/');
  return out;
}

std::string endpoint_family(std::string_view url) {
  std::string path = display_path(url);
  if (const size_t query = path.find('?'); query != std::string::npos) path.resize(query);
  const std::vector<std::string> parts = split(path, '/');
  std::string out;
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& previous = parts[i - 1];
    std::string part = parts[i];
    if (all_digits(part)) {
      part = "{n}";
    } else if (i == 2 && (previous == "repos")) {
      part = "{owner}";
    } else if (i == 3 && parts[1] == "repos") {
      part = "{repo}";
    } else if (i == 2 && (previous == "orgs" || previous == "users")) {
      part = previous == "orgs" ? "{org}" : "{user}";
    }
    out += '/';
    out += part;
  }
  return out.empty() ? "/" : out;
}

std::optional<std::string> next_link(std::string_view header) {
  // Link: <url>; rel="next", <url>; rel="last". URLs are in angle brackets, so commas inside them are safe.
  size_t pos = 0;
  while (pos < header.size()) {
    const size_t open = header.find('<', pos);
    if (open == std::string_view::npos) break;
    const size_t close = header.find('>', open);
    if (close == std::string_view::npos) break;
    const std::string_view target = header.substr(open + 1, close - open - 1);
    const size_t next_entry = header.find('<', close);
    const std::string_view params = header.substr(
        close + 1, next_entry == std::string_view::npos ? std::string_view::npos : next_entry - close - 1);
    for (const std::string& param : split(params, ';')) {
      const std::string_view p = trim(param);
      if (!to_lower(p).starts_with("rel")) continue;
      const size_t eq = p.find('=');
      if (eq == std::string_view::npos) continue;
      std::string value(trim(p.substr(eq + 1)));
      value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
      value.erase(std::remove(value.begin(), value.end(), ','), value.end());
      for (const std::string& rel : split(value, ' ')) {
        if (to_lower(rel) == "next") return std::string(target);
      }
    }
    pos = close + 1;
  }
  return std::nullopt;
}

}  // namespace ampere::github
