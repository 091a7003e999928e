// http::Client: transport failures classified, redirects reported, headers case-insensitive, gzip.

#include "http/client.hpp"

#include <gtest/gtest.h>

#include "github/github_test_support.hpp"

namespace ampere::http {
namespace {

using ampere::testing::Canned;
using ampere::testing::ScriptedServer;

TEST(HttpClient, ReportsRedirectsAndFinalUrl) {
  ScriptedServer server;
  server.push(Canned{307, "", {{"Location", "{base}/b"}}});
  server.push(Canned{302, "", {{"Location", "{base}/c"}}});
  server.push(Canned{200, "here", {{"X-Thing", "1"}}, "text/plain"});
  Client client;
  auto response = client.send("GET", server.base() + "/a", nullptr, {});
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->body, "here");
  EXPECT_EQ(response->redirects, 2);
  EXPECT_EQ(response->effective_url, server.base() + "/c");
  EXPECT_EQ(response->header("x-thing"), "1");
  EXPECT_EQ(response->header("X-THING"), "1");
}

TEST(HttpClient, DecodesCompressedBodies) {
  ScriptedServer server;
  server.push(Canned{200, std::string(20000, 'a'), {}, "text/plain"});
  Client client;
  auto response = client.send("GET", server.base() + "/big", nullptr, {});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, std::string(20000, 'a'));
  EXPECT_NE(server.requests().at(0).header("Accept-Encoding").value_or("").find("gzip"), std::string::npos);
}

TEST(HttpClient, ClassifiesTransportFailures) {
  ClientOptions options;
  options.total_timeout = std::chrono::milliseconds(200);
  Client client(options);
  const Headers secret{{"Authorization", "Bearer ghp_NEVERSHOWN"}};

  auto refused = client.send("GET", "http://127.0.0.1:1/x", nullptr, secret);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, TransportFailure::connect_failed);
  EXPECT_TRUE(refused.error().retryable());

  ScriptedServer slow;
  slow.push(Canned{200, "{}", {}, "application/json", std::chrono::milliseconds(800)});
  auto timed_out = client.send("GET", slow.base() + "/slow", nullptr, secret);
  ASSERT_FALSE(timed_out);
  EXPECT_EQ(timed_out.error().kind, TransportFailure::timeout);
  EXPECT_EQ(timed_out.error().to_error().kind, ErrorKind::network);

  ampere::testing::RawServer reset({""});
  auto dropped = client.send("GET", reset.base() + "/x", nullptr, secret);
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.error().kind, TransportFailure::connection_reset) << dropped.error().message;

  auto bad = client.send("GET", "nope://x", nullptr, secret);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, TransportFailure::bad_url);
  EXPECT_FALSE(bad.error().retryable());

  for (const auto* error : {&refused.error(), &timed_out.error(), &dropped.error(), &bad.error()}) {
    EXPECT_EQ(error->message.find("ghp_NEVERSHOWN"), std::string::npos) << error->message;
  }
}

TEST(HttpClient, RedactsUserInfo) {
  EXPECT_EQ(redact_url("https://user:pw@host:8080/p?q=1"), "https://host:8080/p?q=1");
  EXPECT_EQ(redact_url("https://host/p@x"), "https://host/p@x");
  EXPECT_EQ(redact_url("no-scheme"), "no-scheme");
}

}  // namespace
}  // namespace ampere::http
