#include "pipeline/lake_sink.hpp"

#include "lake/raw_lake.hpp"

namespace ampere::pipeline {

LakeSink::LakeSink(db::Connection& connection, std::filesystem::path lake_root, github::GithubApi& api)
    : connection_(connection), lake_root_(std::move(lake_root)), api_(api) {}

Expected<void> LakeSink::add(const RawTable& table, RawRecord record) {
  auto [it, inserted] = buffers_.try_emplace(table.source + "." + table.name, Buffer{table, {}});
  it->second.records.push_back(std::move(record));
  if (++buffered_ >= kFlushRecords || std::chrono::steady_clock::now() - last_flush_ > kFlushInterval) return flush();
  return {};
}

void LakeSink::add_validators(std::vector<std::string> keys) {
  validators_.insert(validators_.end(), std::make_move_iterator(keys.begin()), std::make_move_iterator(keys.end()));
}

Expected<void> LakeSink::flush() {
  const auto commit = [&](Buffer& buffer) -> Expected<void> {
    if (buffer.records.empty()) return {};
    auto version = lake::append_raw(connection_, lake_root_, buffer.table, buffer.records);
    if (!version) return tl::unexpected(version.error());
    ++commits_;
    buffer.records.clear();
    return {};
  };
  // The data first, then what says how far it goes: the repos' rows (the next sync compares with them
  // to decide what to fetch) and the complete-listing markers. A kill between two commits then leaves
  // a marker behind its data, never ahead of it.
  const auto rank = [](const RawTable& table) { return table.name == "listings" ? 2 : table.name == "repos" ? 1 : 0; };
  for (const int pass : {0, 1, 2}) {
    for (auto& [name, buffer] : buffers_) {
      if (rank(buffer.table) != pass) continue;
      if (auto ok = commit(buffer); !ok) return ok;
    }
  }
  buffered_ = 0;
  last_flush_ = std::chrono::steady_clock::now();
  if (validators_.empty()) return {};
  auto committed = api_.commit_validators(validators_);
  validators_.clear();
  return committed;
}

}  // namespace ampere::pipeline
