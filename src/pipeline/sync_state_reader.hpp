#pragma once
// Reads a sync's watermarks from the lake itself: an in-memory DuckDB reads the raw tables' latest
// snapshots and builds the GitHub staging models over them (the same SQL the warehouse uses), so the
// state always matches what is committed.

#include <filesystem>

#include "github/sync_state.hpp"
#include "util/error.hpp"

namespace ampere::pipeline {

/// The watermarks of the GitHub data in lake_root.
Expected<github::SyncState> read_sync_state(const std::filesystem::path& lake_root);

}  // namespace ampere::pipeline
