#pragma once
// The warehouse: one DuckDB file in the data dir holding raw sources, staging, intermediate and marts.

#include <filesystem>
#include <memory>

#include "db/database.hpp"
#include "util/error.hpp"

namespace ampere::warehouse {

/// The warehouse file inside a data dir.
std::filesystem::path warehouse_file(const std::filesystem::path& data_dir);

/// Opens (creating the data dir and file if needed) the warehouse of `data_dir`.
/// Read-only opens fail with a clear message when there is no warehouse yet.
Expected<std::unique_ptr<db::Database>> open_warehouse(const std::filesystem::path& data_dir, bool read_only = false);

}  // namespace ampere::warehouse
