#pragma once
// Every run (sync, build) leaves a record in the lake's ampere.runs table: run_id, retrieved_at (when
// it was written), sync_id (the run id again) and a JSON payload with what the run did and cost. The
// status page and `ampere status` read it through the warehouse. Never holds a credential.

#include <filesystem>
#include <map>
#include <string>

#include "db/connection.hpp"
#include "util/error.hpp"
#include "util/raw_record.hpp"
#include "util/time.hpp"

namespace ampere::pipeline {

/// The raw table ampere.runs, key run_id (text).
const RawTable& runs_table();

/// Appends one run record as its own commit.
Expected<void> append_run_record(db::Connection& connection, const std::filesystem::path& lake_root,
                                 const std::string& run_id, std::string payload);

/// When the latest sync of each source started ("github" -> ..., "pypi" -> ...), read from the lake's
/// run records (any outcome: a failed sync still used its slot). Sources never synced are absent.
Expected<std::map<std::string, Timestamp>> last_sync_starts(const std::filesystem::path& lake_root);

}  // namespace ampere::pipeline
