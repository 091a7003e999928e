#pragma once
// A materialized query result, read by (column, row).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace ampere::db {

/// Rows and columns of a finished query.
class Result {
 public:
  ~Result();
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;

  [[nodiscard]] size_t row_count() const;
  [[nodiscard]] size_t column_count() const;
  [[nodiscard]] std::string column_name(size_t column) const;
  /// Number of rows a write statement changed.
  [[nodiscard]] size_t rows_changed() const;

  [[nodiscard]] bool is_null(size_t column, size_t row) const;
  /// The value as text (DuckDB's cast to VARCHAR); "" for NULL.
  [[nodiscard]] std::string text(size_t column, size_t row) const;
  [[nodiscard]] int64_t int64(size_t column, size_t row) const;
  [[nodiscard]] double real(size_t column, size_t row) const;
  [[nodiscard]] bool boolean(size_t column, size_t row) const;
  /// The value as text, or nullopt for NULL.
  [[nodiscard]] std::optional<std::string> optional_text(size_t column, size_t row) const;

 private:
  friend class Connection;
  friend class PreparedStatement;
  struct Impl;
  explicit Result(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::db
