#include "util/cron.hpp"

#include <charconv>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace ampere {

namespace chr = std::chrono;

namespace {

struct FieldSpec {
  std::string_view name;
  int min;
  int max;
};

constexpr FieldSpec field_specs[] = {
    {"minute", 0, 59}, {"hour", 0, 23}, {"day of month", 1, 31}, {"month", 1, 12}, {"day of week", 0, 7}};

bool parse_int(std::string_view s, int& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

// Sets bits[v] for every value the field matches; false if the field is malformed.
template <size_t N>
bool parse_field(std::string_view field, const FieldSpec& spec, std::bitset<N>& bits) {
  for (const std::string& part : split(field, ',')) {
    std::string_view range = part;
    int step = 1;
    if (const size_t slash = range.find('/'); slash != std::string_view::npos) {
      if (!parse_int(range.substr(slash + 1), step) || step <= 0) return false;
      range = range.substr(0, slash);
    }
    int low = spec.min;
    int high = spec.max;
    if (range != "*") {
      const size_t dash = range.find('-');
      if (dash == std::string_view::npos) {
        if (!parse_int(range, low)) return false;
        high = part.find('/') == std::string::npos ? low : spec.max;
      } else if (!parse_int(range.substr(0, dash), low) || !parse_int(range.substr(dash + 1), high)) {
        return false;
      }
    }
    if (low < spec.min || high > spec.max || low > high) return false;
    for (int v = low; v <= high; v += step) bits.set(static_cast<size_t>(v));
  }
  return true;
}

}  // namespace

Expected<CronSchedule> CronSchedule::parse(std::string_view expression) {
  std::vector<std::string> fields;
  for (auto& piece : split(trim(expression), ' ')) {
    if (!piece.empty()) fields.push_back(std::move(piece));
  }
  if (fields.size() != 5) {
    return fail(ErrorKind::invalid_input,
                fmt::format("cron expression '{}' has {} fields; it needs 5: minute hour day-of-month month "
                            "day-of-week, e.g. \"0 0,6,12,18 * * *\"",
                            expression, fields.size()));
  }
  CronSchedule s;
  s.expression_ = std::string(trim(expression));
  const bool parsed[] = {
      parse_field(fields[0], field_specs[0], s.minutes_), parse_field(fields[1], field_specs[1], s.hours_),
      parse_field(fields[2], field_specs[2], s.days_of_month_), parse_field(fields[3], field_specs[3], s.months_),
      parse_field(fields[4], field_specs[4], s.days_of_week_)};
  for (size_t i = 0; i < 5; ++i) {
    if (parsed[i]) continue;
    const FieldSpec& spec = field_specs[i];
    return fail(ErrorKind::invalid_input,
                fmt::format("cron expression '{}': the {} field '{}' is not valid; use *, a number from {} to {}, "
                            "a list (a,b), a range (a-b) or a step (*/n)",
                            expression, spec.name, fields[i], spec.min, spec.max));
  }
  if (s.days_of_week_.test(7)) s.days_of_week_.set(0);
  // As in Vixie cron, a day field that starts with '*' (also "*/2") does not restrict the day.
  s.day_of_month_restricted_ = !fields[2].starts_with('*');
  s.day_of_week_restricted_ = !fields[4].starts_with('*');
  return s;
}

Timestamp CronSchedule::next_after(Timestamp t) const {
  auto minute = chr::floor<chr::minutes>(t) + chr::minutes{1};
  // Every schedule fires at least once in four years (29 February included), so this loop ends.
  const auto limit = minute + chr::days{366 * 4 + 1};
  while (minute < limit) {
    const auto day = chr::floor<chr::days>(minute);
    const chr::year_month_day ymd{day};
    const chr::weekday wd{day};
    const bool month_ok = months_.test(static_cast<unsigned>(ymd.month()));
    const bool dom_ok = days_of_month_.test(static_cast<unsigned>(ymd.day()));
    const bool dow_ok = days_of_week_.test(wd.c_encoding());
    bool day_ok = dom_ok && dow_ok;
    if (day_of_month_restricted_ && day_of_week_restricted_) day_ok = dom_ok || dow_ok;
    if (!month_ok || !day_ok) {
      minute = day + chr::days{1};
      continue;
    }
    const chr::hh_mm_ss hms{minute - day};
    if (!hours_.test(static_cast<size_t>(hms.hours().count()))) {
      minute = day + hms.hours() + chr::hours{1};
      continue;
    }
    if (minutes_.test(static_cast<size_t>(hms.minutes().count()))) return Timestamp{minute};
    minute += chr::minutes{1};
  }
  return Timestamp{limit};
}

}  // namespace ampere
