#pragma once
// Raw tables inside the warehouse (schema raw_<source>): where raw records land until they are read
// from the lake's Delta tables instead. Same row shape either way: keys, retrieved_at, sync_id, payload.

#include <span>

#include "db/connection.hpp"
#include "util/error.hpp"
#include "util/raw_record.hpp"

namespace ampere::warehouse {

/// Appends `records` to raw_<source>.<table> in one transaction, creating the table on first use.
/// Returns the number of rows written.
Expected<size_t> append_raw(db::Connection& connection, const RawTable& table, std::span<const RawRecord> records);

}  // namespace ampere::warehouse
