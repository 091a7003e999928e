// The progress line: where the sync is, what it spent, the limits left, and an ETA while it waits for
// a rate-limit reset.
#include <gtest/gtest.h>

#include "github/progress_line.hpp"

namespace ampere::github {
namespace {

TEST(ProgressLine, SaysWhereTheSyncIsAndWhatIsLeft) {
  ApiStats stats;
  stats.requests = 120;
  stats.not_modified = 4;
  stats.rest_remaining = 4880;
  stats.graphql_remaining = 4990;
  const SyncProgress p{"acme/widgets", "issues", 2, 8};
  const Timestamp now = *parse_iso8601("2026-11-28T14:00:00Z");
  EXPECT_EQ(progress_line("acme", p, stats, now),
            "sync acme: [3/8] acme/widgets issues (120 requests, 4 unchanged, rate limit left 4880, GraphQL 4990)");
}

TEST(ProgressLine, GivesAnEtaWhileWaitingForAReset) {
  ApiStats stats;
  stats.rest_remaining = 0;
  const Timestamp now = *parse_iso8601("2026-11-28T14:00:00Z");
  stats.waiting_until = now + std::chrono::seconds(192);
  const SyncProgress p{"acme/widgets", "stargazers", 0, 8};
  const std::string line = progress_line("acme", p, stats, now);
  EXPECT_NE(line.find("rate limit left 0"), std::string::npos) << line;
  EXPECT_NE(line.find("waiting for the rate limit until 2026-11-28T14:03:12Z (ETA 3m 12s)"), std::string::npos) << line;
  // A pacing pause of a second is not worth an ETA.
  stats.waiting_until = now + std::chrono::milliseconds(900);
  EXPECT_EQ(progress_line("acme", p, stats, now).find("waiting"), std::string::npos);
}

TEST(ProgressLine, ShortDurations) {
  EXPECT_EQ(short_duration(std::chrono::seconds(45)), "45s");
  EXPECT_EQ(short_duration(std::chrono::seconds(192)), "3m 12s");
  EXPECT_EQ(short_duration(std::chrono::seconds(3720)), "1h 02m");
}

}  // namespace
}  // namespace ampere::github
