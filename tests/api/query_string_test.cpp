// The query-string parser, percent-decoding and Accept-Encoding.
#include <gtest/gtest.h>

#include "http/gzip.hpp"
#include "http/query_string.hpp"

namespace ampere::http {
namespace {

TEST(QueryString, DecodesPairsInOrder) {
  auto p = parse_query_string("a=1&b=x%20y+z&&c=&flag&name.with-dots_=%2C%26");
  ASSERT_TRUE(p) << p.error().message;
  const std::vector<QueryParam> expected{
      {"a", "1"}, {"b", "x y z"}, {"c", ""}, {"flag", ""}, {"name.with-dots_", ",&"}};
  EXPECT_EQ(*p, expected);
  EXPECT_TRUE(parse_query_string("")->empty());
  EXPECT_EQ(parse_query_string("q=a=b")->front().second, "a=b");
}

TEST(QueryString, RefusesMalformedInput) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "=1", "%zz=1", "a b=1", "a%00=1", "caf%C3%A9=1"}) {
    EXPECT_FALSE(parse_query_string(bad)) << bad;
  }
  EXPECT_FALSE(parse_query_string(std::string(65, 'a') + "=1"));
  std::string many;
  for (int i = 0; i < 65; ++i) many += "a=1&";
  EXPECT_FALSE(parse_query_string(many));
  EXPECT_TRUE(parse_query_string(many, 100));
  const auto error = parse_query_string("a=%g1").error().message;
  EXPECT_NE(error.find("two hex digits"), std::string::npos) << error;
}

TEST(QueryString, PercentDecodeKeepsBytes) {
  EXPECT_EQ(*percent_decode("%e2%82%ac+%41"), "\xe2\x82\xac A");
}

TEST(Gzip, AcceptEncoding) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("br, gzip, deflate"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_TRUE(gzip_compress("hello").starts_with("\x1f\x8b"));
}

}  // namespace
}  // namespace ampere::http
