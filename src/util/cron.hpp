#pragma once
// Cron schedules ("0 0,6,12,18 * * *"), evaluated in UTC.

#include <bitset>
#include <string>
#include <string_view>

#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere {

/// A parsed five-field cron expression: minute hour day-of-month month day-of-week.
/// Fields take *, numbers, lists (1,2), ranges (1-5) and steps (*/15, 0-30/10); day-of-week 0 or 7 is Sunday.
/// As in Vixie cron, when both day fields are restricted (neither starts with *) a day matching either fires.
class CronSchedule {
 public:
  /// Parses `expression`; the error names the field that is wrong and its allowed range.
  static Expected<CronSchedule> parse(std::string_view expression);

  /// The first time strictly after `t` at which the schedule fires (whole minutes, UTC).
  [[nodiscard]] Timestamp next_after(Timestamp t) const;

  /// The expression as written.
  [[nodiscard]] const std::string& expression() const { return expression_; }

 private:
  std::string expression_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;
  std::bitset<13> months_;
  std::bitset<8> days_of_week_;
  bool day_of_month_restricted_ = false;
  bool day_of_week_restricted_ = false;
};

}  // namespace ampere
