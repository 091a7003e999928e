#include "warehouse/warehouse.hpp"

#include <fmt/format.h>

namespace ampere::warehouse {

namespace fs = std::filesystem;

fs::path warehouse_file(const fs::path& data_dir) {
  return data_dir / "warehouse.duckdb";
}

Expected<std::unique_ptr<db::Database>> open_warehouse(const fs::path& data_dir, bool read_only) {
  const fs::path file = warehouse_file(data_dir);
  if (read_only && !fs::exists(file)) {
    return fail(
        ErrorKind::not_found,
        fmt::format("no warehouse at {}; run `ampere demo` or `ampere sync` and `ampere build` first", file.string()));
  }
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) return fail(ErrorKind::io, fmt::format("cannot create data dir {}: {}", data_dir.string(), ec.message()));
  auto database = db::Database::open(file, db::OpenOptions{.read_only = read_only});
  if (!database) {
    return fail(
        database.error().kind,
        database.error().message + (database.error().message.find("lock") != std::string::npos
                                        ? "; another ampere process (probably `ampere serve`) holds this data dir"
                                        : ""));
  }
  return database;
}

}  // namespace ampere::warehouse
