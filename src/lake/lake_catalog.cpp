#include "lake/lake_catalog.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lake/snapshot.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

fs::path lake_root(const fs::path& data_dir) {
  return data_dir / "lake";
}

bool is_valid_lake_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Expected<std::vector<LakeTable>> list_lake_tables(const fs::path& lake_root) {
  std::vector<LakeTable> tables;
  std::error_code ec;
  if (!fs::is_directory(lake_root, ec)) return tables;
  for (fs::directory_iterator source(lake_root, ec), end; !ec && source != end; source.increment(ec)) {
    const std::string source_name = source->path().filename().string();
    std::error_code inner;
    if (!source->is_directory(inner) || !is_valid_lake_name(source_name)) continue;
    for (fs::directory_iterator table(source->path(), inner); !inner && table != end; table.increment(inner)) {
      const std::string table_name = table->path().filename().string();
      std::error_code type_error;
      if (!table->is_directory(type_error) || !is_valid_lake_name(table_name) || !is_delta_table(table->path())) {
        continue;
      }
      tables.push_back(LakeTable{source_name, table_name, table->path()});
    }
    if (inner) return fail(ErrorKind::io, fmt::format("cannot list {}: {}", source->path().string(), inner.message()));
  }
  if (ec) return fail(ErrorKind::io, fmt::format("cannot list {}: {}", lake_root.string(), ec.message()));
  std::sort(tables.begin(), tables.end(),
            [](const LakeTable& a, const LakeTable& b) { return a.qualified_name() < b.qualified_name(); });
  return tables;
}

Expected<LakeTable> find_lake_table(const fs::path& lake_root, std::string_view qualified_name) {
  const auto slash = qualified_name.find('/');
  if (slash == std::string_view::npos || !is_valid_lake_name(qualified_name.substr(0, slash)) ||
      !is_valid_lake_name(qualified_name.substr(slash + 1))) {
    return fail(
        ErrorKind::invalid_input,
        fmt::format("'{}' is not a lake table name; write <source>/<table>, e.g. github/repos", qualified_name));
  }
  auto tables = list_lake_tables(lake_root);
  if (!tables) return tl::unexpected(tables.error());
  std::string known;
  for (const auto& table : *tables) {
    if (table.qualified_name() == qualified_name) return table;
    known += (known.empty() ? "" : ", ") + table.qualified_name();
  }
  return fail(ErrorKind::not_found, fmt::format("no lake table {} in {} (tables: {}); `ampere lake ls` lists them",
                                                qualified_name, lake_root.string(), known.empty() ? "none" : known));
}

}  // namespace ampere::lake
