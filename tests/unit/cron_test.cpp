#include <gtest/gtest.h>

#include "util/cron.hpp"

namespace ampere {
namespace {

Timestamp at(std::string_view iso) {
  return *parse_iso8601(iso);
}

std::string next(std::string_view expression, std::string_view after) {
  auto schedule = CronSchedule::parse(expression);
  EXPECT_TRUE(schedule) << schedule.error().message;
  return format_iso8601(schedule->next_after(at(after)));
}

TEST(Cron, FourTimesADay) {
  EXPECT_EQ(next("0 0,6,12,18 * * *", "2026-11-28T04:35:20Z"), "2026-11-28T06:00:00Z");
  EXPECT_EQ(next("0 0,6,12,18 * * *", "2026-11-28T06:00:00Z"), "2026-11-28T12:00:00Z");
  EXPECT_EQ(next("0 0,6,12,18 * * *", "2026-11-28T18:00:00Z"), "2026-11-29T00:00:00Z");
}

TEST(Cron, DailyAndSteps) {
  EXPECT_EQ(next("0 10 * * *", "2026-12-31T10:00:00Z"), "2027-01-01T10:00:00Z");
  EXPECT_EQ(next("*/15 * * * *", "2026-11-28T04:35:20Z"), "2026-11-28T04:45:00Z");
  EXPECT_EQ(next("0-30/10 9 * * *", "2026-11-28T09:21:00Z"), "2026-11-28T09:30:00Z");
}

TEST(Cron, DayOfWeekAndMonth) {
  // 2026-11-28 is a Saturday; Monday is 2026-11-30. 0 and 7 are both Sunday.
  EXPECT_EQ(next("0 9 * * 1", "2026-11-28T12:00:00Z"), "2026-11-30T09:00:00Z");
  EXPECT_EQ(next("0 9 * * 7", "2026-11-28T12:00:00Z"), "2026-11-29T09:00:00Z");
  EXPECT_EQ(next("0 0 29 2 *", "2026-03-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  // Both day fields restricted: either matches (Vixie cron).
  EXPECT_EQ(next("0 0 1 * 1", "2026-11-28T00:00:00Z"), "2026-11-30T00:00:00Z");
}

TEST(Cron, RangesStepsAndListsCombine) {
  // A list of a range, a stepped range and a single value: minutes 5-7, 20, 40 and 45.
  EXPECT_EQ(next("5-7,20-45/20,45 * * * *", "2026-11-28T04:06:00Z"), "2026-11-28T04:07:00Z");
  EXPECT_EQ(next("5-7,20-45/20,45 * * * *", "2026-11-28T04:07:00Z"), "2026-11-28T04:20:00Z");
  EXPECT_EQ(next("5-7,20-45/20,45 * * * *", "2026-11-28T04:20:00Z"), "2026-11-28T04:40:00Z");
  EXPECT_EQ(next("5-7,20-45/20,45 * * * *", "2026-11-28T04:40:00Z"), "2026-11-28T04:45:00Z");
  EXPECT_EQ(next("5-7,20-45/20,45 * * * *", "2026-11-28T04:45:00Z"), "2026-11-28T05:05:00Z");
  // A number with a step runs from it to the end of the field: hours 22 and 23... then 1, 4, 7 the next day.
  EXPECT_EQ(next("0 1/3 * * *", "2026-11-28T22:00:00Z"), "2026-11-29T01:00:00Z");
  EXPECT_EQ(next("0 1/3 * * *", "2026-11-29T01:00:00Z"), "2026-11-29T04:00:00Z");
  // Weekdays 1-5 at 09:30: Saturday 2026-11-28 waits for Monday.
  EXPECT_EQ(next("30 9 * * 1-5", "2026-11-28T00:00:00Z"), "2026-11-30T09:30:00Z");
  // Months by list and range: January and June to August, on the 15th.
  EXPECT_EQ(next("0 0 15 1,6-8 *", "2026-08-15T00:00:00Z"), "2027-01-15T00:00:00Z");
  // Every other day of the month (a stepped star) is not a restriction of the day: both must match.
  EXPECT_EQ(next("0 0 */2 * 1", "2026-11-28T12:00:00Z"), "2026-12-07T00:00:00Z");
}

TEST(Cron, RejectsMalformedExpressions) {
  for (const char* bad :
       {"", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *",
        "a * * * *", "* * * * * *", "1,,2 * * * *", "1- * * * *", "*/ * * * *", "-5 * * * *", "1-2-3 * * * *"}) {
    EXPECT_FALSE(CronSchedule::parse(bad)) << bad;
  }
  auto error = CronSchedule::parse("0 0 * * 9");
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("day of week field '9'"), std::string::npos) << error.error().message;
}

}  // namespace
}  // namespace ampere
