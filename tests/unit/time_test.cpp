#include <gtest/gtest.h>

#include "util/time.hpp"

namespace ampere {
namespace {

TEST(Time, ParsesDatesAndTimesInAnyOffset) {
  EXPECT_EQ(format_iso8601(*parse_iso8601("2026-11-28")), "2026-11-28T00:00:00Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2026-11-28T04:35:20Z")), "2026-11-28T04:35:20Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2026-11-28T04:35")), "2026-11-28T04:35:00Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2026-11-28T06:35:20+02:00")), "2026-11-28T04:35:20Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2026-11-27T23:35:20-05:00")), "2026-11-28T04:35:20Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2026-11-28T04:35:20.25Z")), "2026-11-28T04:35:20.250000Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2024-02-29 12:00:00")), "2024-02-29T12:00:00Z");
}

TEST(Time, RejectsInvalidDates) {
  for (const char* bad : {"", "2026", "2026-13-01", "2026-02-30", "2025-02-29", "26-01-01", "2026-01-01T25:00:00Z",
                          "2026-01-01T10:00:00Q", "2026-01-01Tnoon", "2026-01-01T10:00:00Zjunk", "2026-01-01T10:00."}) {
    auto parsed = parse_iso8601(bad);
    EXPECT_FALSE(parsed) << bad;
  }
  auto error = parse_iso8601("yesterday");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().message,
            "'yesterday' is not a date or time; use YYYY-MM-DD or ISO 8601 such as 2026-01-31T12:00:00Z");
}

TEST(Time, DayHelpers) {
  const Timestamp t = *parse_iso8601("2026-11-28T04:35:20Z");
  EXPECT_EQ(format_date(t), "2026-11-28");
  EXPECT_EQ(format_iso8601(start_of_day(t)), "2026-11-28T00:00:00Z");
}

}  // namespace
}  // namespace ampere
