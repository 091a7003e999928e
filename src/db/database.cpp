#include "db/database.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "db/handles.hpp"

namespace ampere::db {

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Expected<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path, const OpenOptions& options) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) != DuckDBSuccess) return fail(ErrorKind::database, "cannot create DuckDB config");
  duckdb_set_config(config, "access_mode", options.read_only ? "READ_ONLY" : "AUTOMATIC");
  if (options.threads > 0) duckdb_set_config(config, "threads", std::to_string(options.threads).c_str());
  // Extensions ship inside libduckdb (parquet, json, icu); never try to download one.
  duckdb_set_config(config, "autoinstall_known_extensions", "false");

  auto impl = std::make_unique<Impl>();
  char* error = nullptr;
  const std::string file = path.empty() ? std::string() : path.string();
  const duckdb_state state = duckdb_open_ext(file.empty() ? nullptr : file.c_str(), &impl->handle, config, &error);
  duckdb_destroy_config(&config);
  if (state != DuckDBSuccess) {
    std::string message = error != nullptr ? error : "unknown error";
    duckdb_free(error);
    return fail(ErrorKind::database,
                fmt::format("cannot open database {}: {}", file.empty() ? ":memory:" : file, message));
  }
  auto database = std::unique_ptr<Database>(new Database(std::move(impl)));
  auto connection = database->connect();
  if (!connection) return tl::unexpected(connection.error());
  auto limit = connection->query("SELECT current_setting('memory_limit')");
  if (!limit) return tl::unexpected(limit.error());
  database->impl_->default_memory_limit = limit->text(0, 0);
  return database;
}

namespace {

// Applies `mb` (0: DuckDB's default, named `default_limit`) to the whole database.
Expected<void> apply_memory_limit(Database& database, int64_t mb, const std::string& default_limit) {
  auto connection = database.connect();
  if (!connection) return tl::unexpected(connection.error());
  return connection->execute(fmt::format("SET memory_limit = '{}'", mb > 0 ? fmt::format("{}MiB", mb) : default_limit));
}

}  // namespace

Expected<void> Database::set_memory_limit_mb(int64_t mb) {
  std::lock_guard lock(impl_->memory_mutex);
  if (impl_->memory_lifts == 0) {
    if (auto ok = apply_memory_limit(*this, mb, impl_->default_memory_limit); !ok) return ok;
  }
  impl_->memory_limit_mb = std::max<int64_t>(mb, 0);
  return {};
}

int64_t Database::memory_limit_mb() const {
  std::lock_guard lock(impl_->memory_mutex);
  return impl_->memory_limit_mb;
}

Expected<Database::MemoryLimitLift> Database::lift_memory_limit() {
  std::lock_guard lock(impl_->memory_mutex);
  if (impl_->memory_lifts == 0 && impl_->memory_limit_mb > 0) {
    if (auto ok = apply_memory_limit(*this, 0, impl_->default_memory_limit); !ok) return tl::unexpected(ok.error());
  }
  ++impl_->memory_lifts;
  return MemoryLimitLift(this);
}

Database::MemoryLimitLift::~MemoryLimitLift() {
  if (database_ == nullptr) return;
  auto& impl = *database_->impl_;
  std::lock_guard lock(impl.memory_mutex);
  // Back to the set limit; should the SET fail, DuckDB's default stays, which only costs memory.
  if (--impl.memory_lifts == 0 && impl.memory_limit_mb > 0) {
    (void)apply_memory_limit(*database_, impl.memory_limit_mb, impl.default_memory_limit);
  }
}

Expected<Connection> Database::connect() {
  auto impl = std::make_unique<Connection::Impl>();
  if (duckdb_connect(impl_->handle, &impl->handle) != DuckDBSuccess) {
    return fail(ErrorKind::database, "cannot connect to the database");
  }
  Connection connection(std::move(impl));
  // Times are UTC everywhere in ampere; DuckDB must not show them in the machine's zone. (ICU is
  // loaded only once the database is open, so this cannot go in the open config.)
  if (auto ok = connection.execute("SET TimeZone = 'UTC'"); !ok) return tl::unexpected(ok.error());
  return connection;
}

std::string Database::library_version() {
  return duckdb_library_version();
}

}  // namespace ampere::db
