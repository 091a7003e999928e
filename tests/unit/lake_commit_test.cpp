// The log's actions in their JSON form: what we write, what Spark writes, and damaged entries.
#include <gtest/gtest.h>

#include "lake/delta_commit.hpp"

namespace ampere::lake {
namespace {

TEST(LakeCommit, SerializesOneActionPerLineInOrder) {
  DeltaCommit commit;
  commit.commit_info = CommitInfo{1700000000123, "WRITE", {{"mode", "Append"}}, 4, true, {}, "ampere/0.1.0"};
  AddFile add;
  add.path = "part-1.parquet";
  add.size = 42;
  add.modification_time = 1700000000000;
  add.stats = R"({"numRecords":3})";
  commit.adds.push_back(add);
  RemoveFile remove;
  remove.path = "part-0.parquet";
  remove.deletion_timestamp = 1700000000123;
  remove.data_change = false;
  commit.removes.push_back(remove);
  EXPECT_EQ(
      serialize_commit(commit),
      R"({"commitInfo":{"timestamp":1700000000123,"operation":"WRITE","operationParameters":{"mode":"Append"},"readVersion":4,"isBlindAppend":true,"engineInfo":"ampere/0.1.0"}})"
      "\n"
      R"({"remove":{"path":"part-0.parquet","deletionTimestamp":1700000000123,"dataChange":false}})"
      "\n"
      R"({"add":{"path":"part-1.parquet","partitionValues":{},"size":42,"modificationTime":1700000000000,"dataChange":true,"stats":"{\"numRecords\":3}"}})"
      "\n");
}

TEST(LakeCommit, RoundTripsThroughParse) {
  DeltaCommit commit;
  commit.protocol = Protocol{};
  Metadata metadata;
  metadata.id = "11111111-2222-4333-8444-555555555555";
  metadata.schema.fields.push_back(DeltaField{"id", "long", true, "{}"});
  metadata.schema_string = to_schema_string(metadata.schema);
  metadata.created_time = 5;
  metadata.configuration = {{"delta.appendOnly", "false"}};
  commit.metadata = metadata;
  commit.txns.push_back(Txn{"app", 7, 9});
  auto parsed = parse_commit(serialize_commit(commit), "test");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->protocol->min_reader_version, 1);
  EXPECT_EQ(parsed->protocol->min_writer_version, 2);
  EXPECT_EQ(parsed->metadata->id, metadata.id);
  EXPECT_EQ(parsed->metadata->schema, metadata.schema);
  EXPECT_EQ(parsed->metadata->configuration, metadata.configuration);
  EXPECT_EQ(parsed->metadata->created_time, 5);
  ASSERT_EQ(parsed->txns.size(), 1u);
  EXPECT_EQ(parsed->txns[0].version, 7);
  EXPECT_FALSE(parsed->commit_info);
}

TEST(LakeCommit, ParsesSparkActionsAndIgnoresUnknownOnes) {
  const std::string entry =
      R"({"commitInfo":{"timestamp":1691426743015,"operation":"DELETE","operationParameters":{"predicate":"[\"(id >= 66)\"]"},"readVersion":12,"isBlindAppend":false,"engineInfo":"Apache-Spark/3.4.0"}})"
      "\n"
      R"({"remove":{"path":"a.parquet","deletionTimestamp":1691426743014,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{},"size":527}})"
      "\n"
      R"({"add":{"path":"b.parquet","partitionValues":{},"size":510,"modificationTime":1691426743013,"dataChange":true,"stats":"{\"numRecords\":6,\"minValues\":{\"id\":60}}"}})"
      "\n"
      R"({"domainMetadata":{"domain":"x","configuration":"{}","removed":false}})"
      "\n";
  auto parsed = parse_commit(entry, "spark");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->commit_info->operation, "DELETE");
  EXPECT_EQ(parsed->commit_info->read_version, 12);
  ASSERT_EQ(parsed->removes.size(), 1u);
  EXPECT_EQ(parsed->removes[0].size, 527);
  ASSERT_EQ(parsed->adds.size(), 1u);
  EXPECT_EQ(parsed->adds[0].num_records, 6);
  EXPECT_EQ(parsed->adds[0].size, 510);
}

TEST(LakeCommit, ATruncatedLineIsAnErrorNamingTheFileAndLine) {
  auto parsed = parse_commit("{\"protocol\":{\"minReaderVersion\":1}}\n{\"add\":{\"path\":\"x\",\"si",
                             "00000000000000000003.json");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind, ErrorKind::protocol);
  EXPECT_EQ(parsed.error().message,
            "00000000000000000003.json line 2: not a JSON action (corrupt or truncated log entry): "
            "{\"add\":{\"path\":\"x\",\"si");
}

TEST(LakeCommit, AnEmptyEntryIsAnError) {
  auto parsed = parse_commit("", "e.json");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "e.json: empty log entry");
}

}  // namespace
}  // namespace ampere::lake
