#pragma once
// Private to db/: the DuckDB handles behind each wrapper's pimpl. Nothing outside db/ includes this.

#include <duckdb.h>

#include <mutex>
#include <string>

#include "db/appender.hpp"
#include "db/connection.hpp"
#include "db/database.hpp"
#include "db/prepared_statement.hpp"
#include "db/result.hpp"

namespace ampere::db {

struct Database::Impl {
  duckdb_database handle = nullptr;
  std::string default_memory_limit;  ///< DuckDB's own, as it names it ("19.1 GiB"): RESET does not apply it
  std::mutex memory_mutex;           ///< guards the two below and their SETs
  int64_t memory_limit_mb = 0;       ///< the limit set (0: DuckDB's default)
  int memory_lifts = 0;              ///< live MemoryLimitLifts
  ~Impl() { duckdb_close(&handle); }
};

struct Connection::Impl {
  duckdb_connection handle = nullptr;
  ~Impl() { duckdb_disconnect(&handle); }
};

struct PreparedStatement::Impl {
  duckdb_prepared_statement handle = nullptr;
  ~Impl() { duckdb_destroy_prepare(&handle); }
};

struct Result::Impl {
  duckdb_result result{};
  ~Impl() { duckdb_destroy_result(&result); }
};

struct Appender::Impl {
  duckdb_appender handle = nullptr;
  std::string table;
  ~Impl() { duckdb_appender_destroy(&handle); }
};

}  // namespace ampere::db
