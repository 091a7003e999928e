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

namespace {

// The values of `column` of a chunked result, when it is BIGINT or INTEGER; nullopt for another type.
template <class T>
void append_chunk_values(duckdb_vector vector, idx_t size, std::vector<std::optional<int64_t>>& values) {
  const auto* data = static_cast<const T*>(duckdb_vector_get_data(vector));
  uint64_t* validity = duckdb_vector_get_validity(vector);
  for (idx_t r = 0; r < size; ++r) {
    const bool valid = validity == nullptr || duckdb_validity_row_is_valid(validity, r);
    values.push_back(valid ? std::optional<int64_t>(data[r]) : std::nullopt);
  }
}

}  // namespace

std::vector<std::optional<int64_t>> Result::int64_column(size_t column) const {
  std::vector<std::optional<int64_t>> values;
  values.reserve(row_count());
  const duckdb_type type = duckdb_column_type(&impl_->result, column);
  if (type == DUCKDB_TYPE_BIGINT || type == DUCKDB_TYPE_INTEGER) {
    const idx_t chunks = duckdb_result_chunk_count(impl_->result);
    for (idx_t i = 0; i < chunks; ++i) {
      duckdb_data_chunk chunk = duckdb_result_get_chunk(impl_->result, i);
      if (chunk == nullptr) break;
      const idx_t size = duckdb_data_chunk_get_size(chunk);
      duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, column);
      if (type == DUCKDB_TYPE_BIGINT) {
        append_chunk_values<int64_t>(vector, size, values);
      } else {
        append_chunk_values<int32_t>(vector, size, values);
      }
      duckdb_destroy_data_chunk(&chunk);
    }
    if (values.size() == row_count()) return values;
    values.clear();  // read by rows before: DuckDB keeps that form only
  }
  for (size_t r = 0; r < row_count(); ++r) {
    values.push_back(is_null(column, r) ? std::nullopt : std::optional<int64_t>(int64(column, r)));
  }
  return values;
}

}  // namespace ampere::db
