#pragma once
// The RawSink of a sync: buffers records per raw table and appends each table's batch to the lake as
// one Delta commit. A flush commits the listings table last, so a complete-listing marker never lands
// before the rows it covers, and only then makes the client's validators permanent.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "github/github_api.hpp"
#include "github/raw_sink.hpp"

namespace ampere::pipeline {

/// Records buffered before the sink flushes on its own.
inline constexpr size_t kFlushRecords = 50'000;
/// Longest time records wait in the buffer: what a crash can cost in requests to fetch again.
inline constexpr std::chrono::seconds kFlushInterval{30};

/// Appends to data_dir/lake through `connection`.
class LakeSink final : public github::RawSink {
 public:
  LakeSink(db::Connection& connection, std::filesystem::path lake_root, github::GithubApi& api);

  Expected<void> add(const RawTable& table, RawRecord record) override;
  void add_validators(std::vector<std::string> keys) override;
  Expected<void> flush() override;

  /// Delta commits made so far.
  [[nodiscard]] int64_t commits() const { return commits_; }

 private:
  struct Buffer {
    RawTable table;
    std::vector<RawRecord> records;
  };
  db::Connection& connection_;
  std::filesystem::path lake_root_;
  github::GithubApi& api_;
  std::map<std::string, Buffer> buffers_;  ///< by table name
  std::vector<std::string> validators_;    ///< ETag keys covered by the buffered records
  size_t buffered_ = 0;
  std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
  int64_t commits_ = 0;
};

}  // namespace ampere::pipeline
