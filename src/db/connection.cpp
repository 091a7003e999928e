#include "db/connection.hpp"

#include <fmt/format.h>

#include "db/handles.hpp"

namespace ampere::db {

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

Expected<Result> Connection::query(std::string_view sql) {
  auto impl = std::make_unique<Result::Impl>();
  const std::string text(sql);
  if (duckdb_query(impl_->handle, text.c_str(), &impl->result) != DuckDBSuccess) {
    const char* error = duckdb_result_error(&impl->result);
    return fail(ErrorKind::database, error != nullptr ? error : "query failed");
  }
  return Result(std::move(impl));
}

Expected<void> Connection::execute(std::string_view sql) {
  auto result = query(sql);
  if (!result) return tl::unexpected(result.error());
  return {};
}

Expected<PreparedStatement> Connection::prepare(std::string_view sql) {
  auto impl = std::make_unique<PreparedStatement::Impl>();
  const std::string text(sql);
  if (duckdb_prepare(impl_->handle, text.c_str(), &impl->handle) != DuckDBSuccess) {
    const char* error = duckdb_prepare_error(impl->handle);
    return fail(ErrorKind::database, error != nullptr ? error : "prepare failed");
  }
  return PreparedStatement(std::move(impl));
}

Expected<Appender> Connection::appender(std::string_view schema, std::string_view table) {
  auto impl = std::make_unique<Appender::Impl>();
  const std::string s(schema);
  const std::string t(table);
  impl->table = s + "." + t;
  if (duckdb_appender_create(impl_->handle, s.c_str(), t.c_str(), &impl->handle) != DuckDBSuccess) {
    const char* error = duckdb_appender_error(impl->handle);
    return fail(ErrorKind::database,
                fmt::format("cannot append to {}: {}", impl->table, error != nullptr ? error : "unknown error"));
  }
  return Appender(std::move(impl));
}

void Connection::interrupt() {
  duckdb_interrupt(impl_->handle);
}

}  // namespace ampere::db
