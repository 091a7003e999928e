#pragma once
// A connection to a DuckDB database: queries, prepared statements with bound parameters, appenders.

#include <memory>
#include <string>
#include <string_view>

#include "db/appender.hpp"
#include "db/prepared_statement.hpp"
#include "db/result.hpp"
#include "util/error.hpp"

namespace ampere::db {

/// One connection. Movable, not copyable; not safe to share between threads.
class Connection {
 public:
  ~Connection();
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

  /// Runs one or more statements; the result is the last statement's.
  Expected<Result> query(std::string_view sql);

  /// Runs a statement with parameters bound to $1, $2, ... (never spliced into the SQL text).
  template <class... Args>
  Expected<Result> query(std::string_view sql, Args&&... args) {
    auto statement = prepare(sql);
    if (!statement) return tl::unexpected(statement.error());
    Param params[] = {Param(std::forward<Args>(args))...};
    for (size_t i = 0; i < sizeof...(Args); ++i) {
      if (auto ok = statement->bind(i + 1, params[i]); !ok) return tl::unexpected(ok.error());
    }
    return statement->execute();
  }

  /// Runs statements for their effect; same as query() without the result.
  Expected<void> execute(std::string_view sql);

  /// Prepares a statement for repeated execution with different parameters.
  Expected<PreparedStatement> prepare(std::string_view sql);

  /// An appender for fast bulk inserts into schema.table.
  Expected<Appender> appender(std::string_view schema, std::string_view table);

  /// Runs `body` inside BEGIN ... COMMIT, rolling back if it fails.
  template <class Body>
  Expected<void> transaction(Body&& body) {
    if (auto ok = execute("BEGIN TRANSACTION"); !ok) return ok;
    Expected<void> result = body();
    if (!result) {
      (void)execute("ROLLBACK");
      return result;
    }
    return execute("COMMIT");
  }

  /// Asks a running query on this connection to stop (callable from another thread).
  void interrupt();

 private:
  friend class Database;
  struct Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::db
