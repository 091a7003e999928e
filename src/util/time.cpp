#include "util/time.hpp"

#include <cctype>

#include <fmt/format.h>

namespace ampere {

namespace chr = std::chrono;

Timestamp now_utc() {
  return chr::time_point_cast<chr::microseconds>(chr::system_clock::now());
}

std::string format_date(Timestamp t) {
  const chr::year_month_day ymd{chr::floor<chr::days>(t)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string format_iso8601(Timestamp t) {
  const auto day = chr::floor<chr::days>(t);
  const chr::hh_mm_ss hms{t - day};
  std::string out = fmt::format("{}T{:02}:{:02}:{:02}", format_date(t), hms.hours().count(), hms.minutes().count(),
                                hms.seconds().count());
  if (hms.subseconds().count() != 0) out += fmt::format(".{:06}", hms.subseconds().count());
  return out + "Z";
}

Timestamp start_of_day(Timestamp t) {
  return Timestamp{chr::floor<chr::days>(t)};
}

namespace {

// Reads exactly `width` digits at text[pos], advancing pos; false if they are not all digits.
bool read_digits(std::string_view text, size_t& pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
    out = out * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool expect_char(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

Expected<Timestamp> parse_iso8601(std::string_view text) {
  const auto invalid = [&] {
    return fail(ErrorKind::invalid_input, fmt::format("'{}' is not a date or time; use YYYY-MM-DD or ISO 8601 "
                                                      "such as 2026-01-31T12:00:00Z",
                                                      text));
  };
  size_t pos = 0;
  int year = 0, month = 0, day = 0;
  if (!read_digits(text, pos, 4, year) || !expect_char(text, pos, '-') || !read_digits(text, pos, 2, month) ||
      !expect_char(text, pos, '-') || !read_digits(text, pos, 2, day)) {
    return invalid();
  }
  const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return invalid();
  Timestamp result{chr::sys_days{ymd}};
  if (pos == text.size()) return result;

  if (!expect_char(text, pos, 'T') && !expect_char(text, pos, ' ')) return invalid();
  int hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 2, hour) || !expect_char(text, pos, ':') || !read_digits(text, pos, 2, minute)) {
    return invalid();
  }
  if (expect_char(text, pos, ':') && !read_digits(text, pos, 2, second)) return invalid();
  if (hour > 23 || minute > 59 || second > 60) return invalid();
  result += chr::hours{hour} + chr::minutes{minute} + chr::seconds{second};
  if (expect_char(text, pos, '.')) {
    int64_t micros = 0;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return invalid();
    for (; digits < 6; ++digits) micros *= 10;
    result += chr::microseconds{micros};
  }
  if (pos == text.size()) return result;
  if (expect_char(text, pos, 'Z')) {
    if (pos != text.size()) return invalid();
    return result;
  }
  const char sign = text[pos];
  if (sign != '+' && sign != '-') return invalid();
  ++pos;
  int off_h = 0, off_m = 0;
  if (!read_digits(text, pos, 2, off_h)) return invalid();
  expect_char(text, pos, ':');
  if (!read_digits(text, pos, 2, off_m) || pos != text.size()) return invalid();
  const auto offset = chr::hours{off_h} + chr::minutes{off_m};
  return sign == '+' ? result - offset : result + offset;
}

}  // namespace ampere
