#include "db/result.hpp"

#include "db/handles.hpp"

namespace ampere::db {

Result::Result(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Result::~Result() = default;
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;

size_t Result::row_count() const {
  return duckdb_row_count(&impl_->result);
}
size_t Result::column_count() const {
  return duckdb_column_count(&impl_->result);
}
size_t Result::rows_changed() const {
  return duckdb_rows_changed(&impl_->result);
}

std::string Result::column_name(size_t column) const {
  const char* name = duckdb_column_name(&impl_->result, column);
  return name != nullptr ? name : "";
}

bool Result::is_null(size_t column, size_t row) const {
  return duckdb_value_is_null(&impl_->result, column, row);
}

std::string Result::text(size_t column, size_t row) const {
  char* value = duckdb_value_varchar(&impl_->result, column, row);
  if (value == nullptr) return {};
  std::string out(value);
  duckdb_free(value);
  return out;
}

std::optional<std::string> Result::optional_text(size_t column, size_t row) const {
  if (is_null(column, row)) return std::nullopt;
  return text(column, row);
}

int64_t Result::int64(size_t column, size_t row) const {
  return duckdb_value_int64(&impl_->result, column, row);
}
double Result::real(size_t column, size_t row) const {
  return duckdb_value_double(&impl_->result, column, row);
}
bool Result::boolean(size_t column, size_t row) const {
  return duckdb_value_boolean(&impl_->result, column, row);
}

}  // namespace ampere::db
