#include "http/query_string.hpp"

#include <fmt/format.h>

namespace ampere::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool valid_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

constexpr size_t max_name_bytes = 64;

}  // namespace

Expected<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return fail(ErrorKind::invalid_input,
                    fmt::format("malformed percent escape at byte {}: '%' must be followed by two hex digits", i));
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Expected<std::vector<QueryParam>> parse_query_string(std::string_view query, size_t max_params) {
  std::vector<QueryParam> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    if (params.size() == max_params) {
      return fail(ErrorKind::invalid_input, fmt::format("too many query parameters: at most {}", max_params));
    }
    const size_t eq = piece.find('=');
    auto name = percent_decode(piece.substr(0, eq));
    if (!name) return tl::unexpected(name.error());
    if (name->empty() || name->size() > max_name_bytes) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("a query parameter name must have 1 to {} characters", max_name_bytes));
    }
    for (const char c : *name) {
      if (!valid_name_char(c)) {
        return fail(ErrorKind::invalid_input, "a query parameter name may hold only letters, digits, '_', '.' and '-'");
      }
    }
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1));
    if (!value) return tl::unexpected(value.error());
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

}  // namespace ampere::http
