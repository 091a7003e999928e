// numRecords read from add actions' stats JSON by a scan, as a full JSON parse would read it.
#include <gtest/gtest.h>

#include "lake/file_stats.hpp"

namespace ampere::lake {
namespace {

TEST(LakeFileStats, ReadsTopLevelNumRecordsWhereverItIs) {
  EXPECT_EQ(stats_num_records(R"({"numRecords":3})"), 3);
  EXPECT_EQ(stats_num_records(R"( { "numRecords" : 12 , "minValues" : {} } )"), 12);
  // Spark's order puts it first; another writer may put it last, after nested objects and tricky strings.
  EXPECT_EQ(
      stats_num_records(
          R"({"minValues":{"numRecords":1,"s":"a\"},{[\\"},"maxValues":{"a":[1,{"b":"}"}]},"numRecords":4000000000})"),
      4000000000);
  EXPECT_EQ(stats_num_records(R"({"nullCount":{"x":0},"numRecords":0})"), 0);
}

TEST(LakeFileStats, NestedOrAbsentOrNonIntegerCountsAreNone) {
  EXPECT_EQ(stats_num_records(""), std::nullopt);
  EXPECT_EQ(stats_num_records("{}"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"minValues":{"numRecords":5}})"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"numRecords":"5"})"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"numRecords":null})"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"numRecords":1.5})"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"numRecords":99999999999999999999})"), std::nullopt);
}

TEST(LakeFileStats, DamagedTextBeforeTheCountIsNone) {
  EXPECT_EQ(stats_num_records("not json"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"([{"numRecords":5}])"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"minValues":{"a":"unterminated)"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"minValues":{"a":1} "numRecords":5})"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"minValues" {"a":1},"numRecords":5})"), std::nullopt);
  EXPECT_EQ(stats_num_records(R"({"minValues":{"a":1},"numRecords":)"), std::nullopt);
}

}  // namespace
}  // namespace ampere::lake
