#include "db/prepared_statement.hpp"

#include <fmt/format.h>

#include "db/handles.hpp"

namespace ampere::db {

PreparedStatement::PreparedStatement(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedStatement::~PreparedStatement() = default;
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;

Expected<void> PreparedStatement::bind(size_t index, const Param& param) {
  duckdb_state state = DuckDBError;
  const auto i = static_cast<idx_t>(index);
  const auto& value = param.value();
  if (std::holds_alternative<std::monostate>(value)) {
    state = duckdb_bind_null(impl_->handle, i);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    state = duckdb_bind_boolean(impl_->handle, i, *b);
  } else if (const auto* n = std::get_if<int64_t>(&value)) {
    state = duckdb_bind_int64(impl_->handle, i, *n);
  } else if (const auto* d = std::get_if<double>(&value)) {
    state = duckdb_bind_double(impl_->handle, i, *d);
  } else {
    const auto& s = std::get<std::string>(value);
    state = duckdb_bind_varchar_length(impl_->handle, i, s.data(), s.size());
  }
  if (state != DuckDBSuccess) {
    const char* error = duckdb_prepare_error(impl_->handle);
    return fail(ErrorKind::database, fmt::format("cannot bind parameter ${}: {}", index,
                                                 error != nullptr ? error : "index out of range or wrong type"));
  }
  return {};
}

Expected<Result> PreparedStatement::execute() {
  auto impl = std::make_unique<Result::Impl>();
  if (duckdb_execute_prepared(impl_->handle, &impl->result) != DuckDBSuccess) {
    const char* error = duckdb_result_error(&impl->result);
    return fail(ErrorKind::database, error != nullptr ? error : "statement failed");
  }
  return Result(std::move(impl));
}

size_t PreparedStatement::parameter_count() const {
  return duckdb_nparams(impl_->handle);
}

}  // namespace ampere::db
