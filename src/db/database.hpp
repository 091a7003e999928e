#pragma once
// A DuckDB database file (or in-memory database). The only folder that includes duckdb.h is db/;
// the handles live behind pimpl so that nothing above sees DuckDB's types.

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "db/connection.hpp"
#include "util/error.hpp"

namespace ampere::db {

/// How to open a database.
struct OpenOptions {
  bool read_only = false;  ///< readers (reports) open read-only so they never block or change anything
  int threads = 0;         ///< 0: DuckDB's default (one per core)
};

/// An open DuckDB database. Connections borrow it and must not outlive it.
class Database {
 public:
  /// Opens (creating if needed) the database at `path`; an empty path means in-memory.
  /// The error carries DuckDB's message, e.g. when another process holds the file's lock.
  static Expected<std::unique_ptr<Database>> open(const std::filesystem::path& path, const OpenOptions& options = {});

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// A new connection; use one per thread.
  Expected<Connection> connect();

  /// DuckDB's memory limit for every connection, in MiB; 0 restores DuckDB's default (80% of RAM).
  /// Above it DuckDB evicts cached table data and spills large operators to disk. While a lift is
  /// held (below) the limit is recorded and applied when the last lift ends.
  Expected<void> set_memory_limit_mb(int64_t mb);

  /// The limit last set (0: DuckDB's default), lifted or not.
  [[nodiscard]] int64_t memory_limit_mb() const;

  /// While alive, DuckDB's default limit applies (a build in a server, a query too big for the
  /// server's limit); the set limit is back when the last one ends. Lifts may overlap.
  class MemoryLimitLift {
   public:
    explicit MemoryLimitLift(Database* database) : database_(database) {}
    MemoryLimitLift(MemoryLimitLift&& other) noexcept : database_(std::exchange(other.database_, nullptr)) {}
    MemoryLimitLift& operator=(MemoryLimitLift&&) = delete;
    MemoryLimitLift(const MemoryLimitLift&) = delete;
    MemoryLimitLift& operator=(const MemoryLimitLift&) = delete;
    ~MemoryLimitLift();

   private:
    Database* database_;
  };
  [[nodiscard]] Expected<MemoryLimitLift> lift_memory_limit();

  /// The DuckDB library version, e.g. "v1.4.4".
  static std::string library_version();

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::db
