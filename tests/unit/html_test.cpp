#include <gtest/gtest.h>

#include "server/html.hpp"

namespace ampere::server {
namespace {

TEST(Html, EscapesEverythingThatCanOpenMarkup) {
  EXPECT_EQ(escape_html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_EQ(escape_html("plain"), "plain");
}

TEST(Html, FillsKnownPlaceholdersAndLeavesUnknownOnes) {
  EXPECT_EQ(fill_template("<p>{{a}} {{b}} {{missing}}</p>", {{"a", "1"}, {"b", "two"}}), "<p>1 two {{missing}}</p>");
  EXPECT_EQ(fill_template("{{a", {{"a", "1"}}), "{{a");
}

}  // namespace
}  // namespace ampere::server
