#include "server/page_routes.hpp"

#include <gtest/gtest.h>

#include <string>

#include "http/gzip.hpp"
#include "server/static_assets.hpp"

namespace ampere::server {
namespace {

http::Request get(std::string path, http::Headers headers = {}) {
  http::Request r;
  r.method = "GET";
  r.path = std::move(path);
  r.headers = std::move(headers);
  return r;
}

/// The content-hashed name of the page's module script, read from its shell.
std::string module_script(const std::string& html) {
  const std::string marker = "<script type=\"module\" src=\"";
  const size_t at = html.find(marker);
  if (at == std::string::npos) return "";
  const size_t start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

TEST(PageRoutes, AcceptsGzipOnlyWhenTheClientDoes) {
  EXPECT_TRUE(http::accepts_gzip("gzip"));
  EXPECT_TRUE(http::accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(http::accepts_gzip("br;q=1.0, gzip;q=0.8"));
  EXPECT_TRUE(http::accepts_gzip("*"));
  EXPECT_FALSE(http::accepts_gzip(""));
  EXPECT_FALSE(http::accepts_gzip("br, deflate"));
  EXPECT_FALSE(http::accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(http::accepts_gzip("gzip; q=0.000"));
}

TEST(PageRoutes, ServesEveryPageShellWithoutAWarehouse) {
  auto db = db::Database::open("");
  ASSERT_TRUE(db);
  PageRoutes routes(**db);
  for (const char* path :
       {"/", "/downloads", "/feed", "/issues", "/network-stargazers", "/network-followers", "/status", "/about"}) {
    auto page = routes.handle(get(path));
    ASSERT_TRUE(page) << path;
    EXPECT_EQ(page->status, 200) << path;
    EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
    EXPECT_NE(page->body.find("not built yet"), std::string::npos) << path;
    EXPECT_EQ(page->body.find("{{"), std::string::npos) << "a placeholder was left in " << path;
    EXPECT_EQ(page->body.find("<script>"), std::string::npos) << "inline script in " << path;
    EXPECT_EQ(page->body.find("style=\""), std::string::npos) << "inline style in " << path;
    EXPECT_FALSE(module_script(page->body).empty()) << path;
  }
  EXPECT_FALSE(routes.handle(get("/api/v1/repos")));
  EXPECT_FALSE(routes.handle(get("/healthz")));
  EXPECT_FALSE(routes.handle(get("/feed/")));
  http::Request post = get("/feed");
  post.method = "POST";
  EXPECT_EQ(routes.handle(post)->status, 405);
}

TEST(PageRoutes, ServesAssetsGzippedWhenAcceptedAndCachedForAYear) {
  auto db = db::Database::open("");
  ASSERT_TRUE(db);
  PageRoutes routes(**db);
  const std::string script = module_script(routes.handle(get("/"))->body);
  ASSERT_TRUE(script.starts_with("/assets/home-")) << script;

  auto plain = routes.handle(get(script));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(plain->header("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
  EXPECT_FALSE(plain->header("Content-Encoding"));
  const StaticAsset* asset = find_asset(script.substr(1));
  ASSERT_NE(asset, nullptr);
  EXPECT_EQ(plain->payload(), asset->bytes);

  auto gzipped = routes.handle(get(script, {{"Accept-Encoding", "gzip, br"}}));
  EXPECT_EQ(gzipped->header("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(gzipped->payload(), asset->gzip);
  EXPECT_LT(gzipped->payload().size(), plain->payload().size());
  EXPECT_EQ(static_cast<unsigned char>(gzipped->payload()[0]), 0x1f);  // gzip magic

  auto again = routes.handle(get(script, {{"If-None-Match", plain->header("ETag").value_or("")}}));
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->payload().empty());

  EXPECT_EQ(routes.handle(get("/assets/nothing.js"))->status, 404);
  EXPECT_EQ(routes.handle(get(script + ".gz"))->status, 404);
  EXPECT_EQ(routes.handle(get("/assets/../pages/home.html"))->status, 404);
}

}  // namespace
}  // namespace ampere::server
