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

TEST(Cron, RejectsMalformedExpressions) {
  for (const char* bad : {"", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8",
                          "*/0 * * * *", "5-1 * * * *", "a * * * *", "* * * * * *"}) {
    EXPECT_FALSE(CronSchedule::parse(bad)) << bad;
  }
  auto error = CronSchedule::parse("0 0 * * 9");
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("day of week field '9'"), std::string::npos) << error.error().message;
}

}  // namespace
}  // namespace ampere
