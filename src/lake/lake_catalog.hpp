#pragma once
// The lake: one Delta table per raw source table, at <data dir>/lake/<source>/<table>/.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace ampere::lake {

/// One table of the lake.
struct LakeTable {
  std::string source;  ///< "github"
  std::string name;    ///< "repos"
  std::filesystem::path root;

  /// "github/repos", as the CLI names tables.
  [[nodiscard]] std::string qualified_name() const { return source + "/" + name; }
};

/// The lake folder of a data dir.
std::filesystem::path lake_root(const std::filesystem::path& data_dir);

/// Whether `name` can name a source or table: letters, digits and '_' (they become SQL identifiers).
bool is_valid_lake_name(std::string_view name);

/// The Delta tables under `lake_root`, sorted by source and name. Folders that are not Delta tables, or
/// whose names are not valid, are skipped. An absent lake lists as empty.
Expected<std::vector<LakeTable>> list_lake_tables(const std::filesystem::path& lake_root);

/// The table named "source/table"; invalid_input for a malformed name, not_found (listing the tables
/// there are) when it does not exist.
Expected<LakeTable> find_lake_table(const std::filesystem::path& lake_root, std::string_view qualified_name);

}  // namespace ampere::lake
