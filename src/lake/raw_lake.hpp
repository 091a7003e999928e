#pragma once
// Raw records into the lake: one Delta table per RawTable, rows shaped keys + retrieved_at + sync_id +
// payload (BIGINT keys for numeric ids, VARCHAR for names; TIMESTAMPTZ in UTC; the payload's JSON text).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "db/connection.hpp"
#include "util/error.hpp"
#include "util/raw_record.hpp"

namespace ampere::lake {

/// The Delta table of `table`: lake_root/<source>/<name>.
std::filesystem::path raw_table_root(const std::filesystem::path& lake_root, const RawTable& table);

/// Appends `records` to the table of `table` as one commit, creating the table on first use, and
/// returns the new version. With no records nothing is committed: it returns the current version, or
/// -1 when the table does not exist. Records with the wrong number or kinds of keys are refused.
Expected<int64_t> append_raw(db::Connection& connection, const std::filesystem::path& lake_root, const RawTable& table,
                             std::span<const RawRecord> records);

/// How many rows of `table`'s latest version carry `sync_id` (0 when the table does not exist), so a
/// sync can tell whether its batch already landed.
Expected<int64_t> count_raw_sync_rows(db::Connection& connection, const std::filesystem::path& lake_root,
                                      const RawTable& table, std::string_view sync_id);

}  // namespace ampere::lake
