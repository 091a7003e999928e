#pragma once
// Bulk insert into one table, row by row, much faster than INSERT statements.

#include <cstdint>
#include <memory>
#include <string_view>

#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::db {

/// Appends rows to a table. Values go in column order; end_row() finishes each row;
/// close() flushes. Rows not flushed when the appender is destroyed are flushed then.
class Appender {
 public:
  ~Appender();
  Appender(Appender&&) noexcept;
  Appender& operator=(Appender&&) noexcept;

  Expected<void> append(int64_t value);
  Expected<void> append(double value);
  Expected<void> append(bool value);
  Expected<void> append(std::string_view value);
  /// A UTC timestamp, for TIMESTAMP and TIMESTAMPTZ columns.
  Expected<void> append(Timestamp value);
  Expected<void> append_null();
  Expected<void> end_row();
  /// Flushes the rows appended so far; the error carries DuckDB's message (a constraint, a type).
  Expected<void> close();

 private:
  friend class Connection;
  struct Impl;
  explicit Appender(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::db
