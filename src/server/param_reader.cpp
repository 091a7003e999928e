#include "server/param_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace ampere::server {

namespace {

constexpr auto one_day = std::chrono::days{1};

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// Well-formed UTF-8 without control characters: what a value must be before it is bound to SQL.
bool valid_text(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    uint32_t code = 0;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    const uint32_t min_code = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace

std::string DayRange::from_day() const {
  return from ? format_date(*from) : std::string();
}

std::string DayRange::to_day() const {
  return to_exclusive ? format_date(*to_exclusive - one_day) : std::string();
}

std::vector<std::string> to_strings(std::span<const std::string_view> values) {
  return {values.begin(), values.end()};
}

ParamReader::ParamReader(std::vector<http::QueryParam> params, std::span<const std::string_view> accepted)
    : params_(std::move(params)), accepted_(accepted) {}

Checked<void> ParamReader::check_names() const {
  for (size_t i = 0; i < params_.size(); ++i) {
    const auto& name = params_[i].first;
    if (std::find(accepted_.begin(), accepted_.end(), name) == accepted_.end()) {
      return tl::unexpected(Problem::bad_parameter(
          name,
          accepted_.empty() ? fmt::format("unknown parameter '{}': this route takes no parameters", name)
                            : fmt::format("unknown parameter '{}'", name),
          to_strings(accepted_)));
    }
    if (!valid_text(params_[i].second) || params_[i].second.size() > 1000) {
      return tl::unexpected(Problem::bad_parameter(
          name,
          fmt::format("parameter '{}' must be UTF-8 text of at most 1000 bytes without control characters", name)));
    }
    for (size_t j = 0; j < i; ++j) {
      if (params_[j].first == name) {
        return tl::unexpected(
            Problem::bad_parameter(name, fmt::format("parameter '{}' is given more than once; give it once", name)));
      }
    }
  }
  return {};
}

std::optional<std::string> ParamReader::text(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v.empty() ? std::nullopt : std::optional<std::string>(v);
  }
  return std::nullopt;
}

Checked<std::string> ParamReader::choice(std::string_view name, std::span<const std::string_view> allowed,
                                         std::string_view fallback) const {
  const auto value = text(name);
  if (!value) {
    if (fallback.empty()) {
      return tl::unexpected(Problem::bad_parameter(std::string(name), fmt::format("parameter '{}' is required", name),
                                                   to_strings(allowed)));
    }
    return std::string(fallback);
  }
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    return tl::unexpected(Problem::bad_parameter(
        std::string(name),
        fmt::format("'{}' is not a valid {}; use one of: {}", *value, name, fmt::join(allowed, ", ")),
        to_strings(allowed)));
  }
  return *value;
}

Checked<int64_t> ParamReader::integer(std::string_view name, int64_t min, int64_t max, int64_t fallback) const {
  const auto value = text(name);
  if (!value) return fallback;
  int64_t parsed = 0;
  const auto* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, parsed);
  if (ec != std::errc() || ptr != end || parsed < min || parsed > max) {
    return tl::unexpected(Problem::bad_parameter(
        std::string(name),
        fmt::format("'{}' is not a valid {}: use a whole number from {} to {}", *value, name, min, max),
        {fmt::format("{}..{}", min, max)}));
  }
  return parsed;
}

Checked<DayRange> ParamReader::day_range() const {
  const std::vector<std::string> accepted_forms{"YYYY-MM-DD", "ISO 8601 (2026-01-31T12:00:00Z)",
                                                fmt::format("{}..{}", earliest_day, latest_day)};
  const Timestamp earliest = *parse_iso8601(earliest_day);
  const Timestamp latest = *parse_iso8601(latest_day);
  DayRange range;
  for (const std::string_view name : {"from", "to"}) {
    const auto value = text(name);
    if (!value) continue;
    auto parsed = parse_iso8601(*value);
    if (!parsed) {
      return tl::unexpected(Problem::bad_parameter(
          std::string(name),
          fmt::format("'{}' is not a date: use YYYY-MM-DD or ISO 8601 such as 2026-01-31T12:00:00Z", *value),
          accepted_forms));
    }
    const Timestamp day = start_of_day(*parsed);
    if (day < earliest || day > latest) {
      return tl::unexpected(Problem::bad_parameter(
          std::string(name),
          fmt::format("{} {} is out of bounds: use a day from {} to {}", name, *value, earliest_day, latest_day),
          accepted_forms));
    }
    if (name == "from") {
      range.from = day;
    } else {
      range.to_exclusive = day + one_day;
    }
  }
  if (range.from && range.to_exclusive && *range.from >= *range.to_exclusive) {
    return tl::unexpected(Problem::bad_parameter(
        "from", fmt::format("the range is reversed: from {} is after to {}", range.from_day(), range.to_day()),
        accepted_forms));
  }
  return range;
}

std::vector<std::string> ParamReader::list(std::string_view name) const {
  std::vector<std::string> items;
  const auto value = text(name);
  if (!value) return items;
  for (const auto& piece : split(*value, ',')) {
    const auto item = trim(piece);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

std::string ParamReader::normalized() const {
  std::vector<http::QueryParam> sorted = params_;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (v.empty()) continue;
    if (!out.empty()) out.push_back('&');
    out += percent_encode(k);
    out.push_back('=');
    out += percent_encode(v);
  }
  return out;
}

}  // namespace ampere::server
