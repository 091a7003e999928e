#include "pypi/package_name.hpp"

#include <fmt/format.h>

namespace ampere::pypi {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_separator(char c) {
  return c == '-' || c == '_' || c == '.';
}

}  // namespace

bool is_valid_package_name(std::string_view name) {
  if (name.empty() || !is_alnum(name.front()) || !is_alnum(name.back())) return false;
  for (const char c : name) {
    if (!is_alnum(c) && !is_separator(c)) return false;
  }
  return true;
}

Expected<std::string> normalize_package_name(std::string_view name) {
  if (!is_valid_package_name(name)) {
    return fail(ErrorKind::invalid_input,
                fmt::format("'{}' is not a PyPI project name (ASCII letters, digits, and '-', '_' or '.' between "
                            "them)",
                            name));
  }
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (is_separator(c)) {
      if (out.back() != '-') out.push_back('-');
    } else {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  return out;
}

}  // namespace ampere::pypi
