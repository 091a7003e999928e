#include "lake/file_stats.hpp"

#include <charconv>
#include <string_view>

namespace ampere::lake {

namespace {

constexpr size_t kEnd = std::string_view::npos;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t skip_space(std::string_view text, size_t i) {
  while (i < text.size() && is_space(text[i])) ++i;
  return i;
}

// The index just past the string that starts at text[i] (a '"'), or kEnd when it does not end.
size_t skip_string(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return kEnd;
}

// The index just past the value that starts at text[i], or kEnd when it does not end.
size_t skip_value(std::string_view text, size_t i) {
  if (i >= text.size()) return kEnd;
  if (text[i] == '"') return skip_string(text, i);
  if (text[i] != '{' && text[i] != '[') {  // a number or a literal
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && !is_space(text[i])) ++i;
    return i;
  }
  int depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      i = skip_string(text, i);
      if (i == kEnd) return kEnd;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return i + 1;
    ++i;
  }
  return kEnd;
}

std::optional<int64_t> integer(std::string_view token) {
  int64_t value = 0;
  const auto [ptr, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (token.empty() || error != std::errc() || ptr != token.data() + token.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int64_t> stats_num_records(std::string_view stats) {
  size_t i = skip_space(stats, 0);
  if (i >= stats.size() || stats[i] != '{') return std::nullopt;
  i = skip_space(stats, i + 1);
  while (i < stats.size() && stats[i] == '"') {
    const size_t key_end = skip_string(stats, i);
    if (key_end == kEnd) return std::nullopt;
    const std::string_view key = stats.substr(i + 1, key_end - i - 2);
    i = skip_space(stats, key_end);
    if (i >= stats.size() || stats[i] != ':') return std::nullopt;
    i = skip_space(stats, i + 1);
    const size_t value_end = skip_value(stats, i);
    if (value_end == kEnd) return std::nullopt;
    if (key == "numRecords") return integer(stats.substr(i, value_end - i));
    i = skip_space(stats, value_end);
    if (i >= stats.size() || stats[i] != ',') return std::nullopt;
    i = skip_space(stats, i + 1);
  }
  return std::nullopt;
}

}  // namespace ampere::lake
