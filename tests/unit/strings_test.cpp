#include <gtest/gtest.h>

#include "util/strings.hpp"

namespace ampere {
namespace {

TEST(Strings, TrimSplitJoin) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  const std::vector<std::string> pieces = {"x", "y", "z"};
  EXPECT_EQ(join(pieces, ", "), "x, y, z");
  EXPECT_EQ(to_lower("MrPowers-IO"), "mrpowers-io");
}

TEST(Strings, EditDistance) {
  EXPECT_EQ(edit_distance("sync", "sync"), 0U);
  EXPECT_EQ(edit_distance("sycn", "sync"), 2U);
  EXPECT_EQ(edit_distance("serve", "server"), 1U);
  EXPECT_EQ(edit_distance("", "abc"), 3U);
}

TEST(Strings, ClosestMatchSuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> commands = {"init", "config", "sync", "build", "serve", "demo", "status"};
  EXPECT_EQ(closest_match("sycn", commands), "sync");
  EXPECT_EQ(closest_match("biuld", commands), "build");
  EXPECT_EQ(closest_match("statsu", commands), "status");
  EXPECT_EQ(closest_match("SERVE", commands), "serve");
  EXPECT_EQ(closest_match("kubernetes", commands), std::nullopt);
}

}  // namespace
}  // namespace ampere
