#include "pipeline/run_record.hpp"

#include "db/database.hpp"
#include "lake/lake_views.hpp"
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

Expected<std::map<std::string, Timestamp>> last_sync_starts(const std::filesystem::path& lake_root) {
  std::map<std::string, Timestamp> out;
  auto database = db::Database::open("");
  if (!database) return tl::unexpected(database.error());
  auto connection = (*database)->connect();
  if (!connection) return tl::unexpected(connection.error());
  if (auto ok = lake::attach_lake_views(*connection, lake_root); !ok) return tl::unexpected(ok.error());
  auto exists =
      connection->query("SELECT count(*) FROM duckdb_views() WHERE schema_name = 'raw_ampere' AND view_name = 'runs'");
  if (!exists) return tl::unexpected(exists.error());
  if (exists->int64(0, 0) == 0) return out;
  auto rows = connection->query(
      "SELECT payload->>'$.source', epoch_us(max(try_cast(payload->>'$.started_at' AS TIMESTAMPTZ))) "
      "FROM raw_ampere.runs WHERE payload->>'$.kind' = 'sync' AND payload->>'$.source' IS NOT NULL "
      "GROUP BY 1 HAVING max(try_cast(payload->>'$.started_at' AS TIMESTAMPTZ)) IS NOT NULL");
  if (!rows) return with_context(rows.error(), "reading the run records");
  for (size_t r = 0; r < rows->row_count(); ++r) {
    out[rows->text(0, r)] = Timestamp(std::chrono::microseconds(rows->int64(1, r)));
  }
  return out;
}

}  // namespace ampere::pipeline
