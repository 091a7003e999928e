// EtagStore: two-phase staging, atomic persistence, reload, corrupt files.

#include "github/etag_store.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "util/files.hpp"

namespace ampere::github {
namespace {

using testing::TempDir;

TEST(EtagStore, KeysIncludeTheMediaType) {
  EXPECT_NE(EtagStore::key("application/vnd.github+json", "https://x/r"),
            EtagStore::key("application/vnd.github.star+json", "https://x/r"));
  EXPECT_EQ(EtagStore::default_path("/data"), std::filesystem::path("/data/github/etags.tsv"));
}

TEST(EtagStore, StagedEntriesBecomePersistentOnlyOnCommit) {
  TempDir dir;
  const auto file = EtagStore::default_path(dir.path());
  auto store = EtagStore::load(file);
  ASSERT_TRUE(store) << store.error().message;
  (*store)->stage("a", {"\"1\"", ""});
  (*store)->stage("b", {"", "Sat, 28 Nov 2026 00:00:00 GMT"});
  EXPECT_FALSE((*store)->lookup("a"));
  EXPECT_FALSE(std::filesystem::exists(file));  // a crash now: next run re-fetches, never skips

  const std::vector<std::string> just_a{"a"};
  ASSERT_TRUE((*store)->commit(just_a));
  EXPECT_EQ((*store)->lookup("a"), (Validators{"\"1\"", ""}));
  EXPECT_FALSE((*store)->lookup("b"));
  EXPECT_EQ((*store)->staged_count(), 1u);

  auto reloaded = EtagStore::load(file);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ((*reloaded)->committed_count(), 1u);
  EXPECT_EQ((*reloaded)->lookup("a"), (Validators{"\"1\"", ""}));

  (*store)->discard();
  ASSERT_TRUE((*store)->commit());
  EXPECT_FALSE((*store)->lookup("b"));
}

TEST(EtagStore, PersistsAcrossReloadInAVersionedTsv) {
  TempDir dir;
  const auto file = dir.path() / "etags.tsv";
  EtagStore store(file);
  store.stage("application/vnd.github+json https://api.github.com/orgs/acme/repos?per_page=100",
              {"W/\"abc\"", "Sat, 28 Nov 2026 00:00:00 GMT"});
  store.stage("bad\tkey", {"\"x\"", ""});  // cannot be stored: dropped
  ASSERT_TRUE(store.commit());
  EXPECT_EQ(read_file(file).value(),
            "ampere-etags\t1\n"
            "application/vnd.github+json https://api.github.com/orgs/acme/repos?per_page=100\tW/\"abc\"\t"
            "Sat, 28 Nov 2026 00:00:00 GMT\n");
  auto again = EtagStore::load(file);
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->lookup("application/vnd.github+json https://api.github.com/orgs/acme/repos?per_page=100"),
            (Validators{"W/\"abc\"", "Sat, 28 Nov 2026 00:00:00 GMT"}));
}

TEST(EtagStore, CorruptFileIsAClearError) {
  TempDir dir;
  for (const std::string content : {"garbage\n", "ampere-etags\t1\nonly-a-key\n", "ampere-etags\t1\nk\t\"e\"\t"}) {
    const auto file = dir.write("etags.tsv", content);
    auto store = EtagStore::load(file);
    ASSERT_FALSE(store) << content;
    EXPECT_EQ(store.error().kind, ErrorKind::protocol);
    EXPECT_NE(store.error().message.find(file.string()), std::string::npos) << store.error().message;
    EXPECT_NE(store.error().message.find("delete it and the next sync re-fetches"), std::string::npos);
  }
}

TEST(EtagStore, InMemoryStoreSavesNothing) {
  EtagStore store;
  store.stage("k", {"\"e\"", ""});
  ASSERT_TRUE(store.commit());
  EXPECT_EQ(store.lookup("k"), (Validators{"\"e\"", ""}));
}

}  // namespace
}  // namespace ampere::github
