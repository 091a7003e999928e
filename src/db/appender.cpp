#include "db/appender.hpp"

#include <fmt/format.h>

#include "db/handles.hpp"

namespace ampere::db {

Appender::Appender(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Appender::~Appender() = default;
Appender::Appender(Appender&&) noexcept = default;
Appender& Appender::operator=(Appender&&) noexcept = default;

namespace {
Expected<void> check(duckdb_state state, duckdb_appender handle, const std::string& table) {
  if (state == DuckDBSuccess) return {};
  const char* error = duckdb_appender_error(handle);
  return fail(ErrorKind::database,
              fmt::format("appending to {}: {}", table, error != nullptr ? error : "unknown error"));
}
}  // namespace

Expected<void> Appender::append(int64_t value) {
  return check(duckdb_append_int64(impl_->handle, value), impl_->handle, impl_->table);
}
Expected<void> Appender::append(double value) {
  return check(duckdb_append_double(impl_->handle, value), impl_->handle, impl_->table);
}
Expected<void> Appender::append(bool value) {
  return check(duckdb_append_bool(impl_->handle, value), impl_->handle, impl_->table);
}
Expected<void> Appender::append(std::string_view value) {
  return check(duckdb_append_varchar_length(impl_->handle, value.data(), value.size()), impl_->handle, impl_->table);
}
Expected<void> Appender::append(Timestamp value) {
  return check(duckdb_append_timestamp(impl_->handle, duckdb_timestamp{value.time_since_epoch().count()}),
               impl_->handle, impl_->table);
}
Expected<void> Appender::append_null() {
  return check(duckdb_append_null(impl_->handle), impl_->handle, impl_->table);
}
Expected<void> Appender::end_row() {
  return check(duckdb_appender_end_row(impl_->handle), impl_->handle, impl_->table);
}
Expected<void> Appender::close() {
  return check(duckdb_appender_close(impl_->handle), impl_->handle, impl_->table);
}

}  // namespace ampere::db
