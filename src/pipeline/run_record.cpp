#include "pipeline/run_record.hpp"

#include "lake/raw_lake.hpp"
#include "util/time.hpp"

namespace ampere::pipeline {

const RawTable& runs_table() {
  static const RawTable table{"ampere", "runs", {"run_id"}};
  return table;
}

Expected<void> append_run_record(db::Connection& connection, const std::filesystem::path& lake_root,
                                 const std::string& run_id, std::string payload) {
  const std::vector<RawRecord> records{RawRecord{{RawKey{run_id}}, now_utc(), run_id, std::move(payload)}};
  auto version = lake::append_raw(connection, lake_root, runs_table(), records);
  if (!version) return tl::unexpected(version.error());
  return {};
}

}  // namespace ampere::pipeline
