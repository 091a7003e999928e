#pragma once
// A prepared statement with positional parameters ($1, $2, ...).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "db/result.hpp"
#include "util/error.hpp"

namespace ampere::db {

/// A parameter value. std::monostate binds NULL.
class Param {
 public:
  Param() = default;
  Param(std::nullptr_t) {}      // NOLINT(google-explicit-constructor): NULL reads naturally at call sites
  Param(bool v) : value_(v) {}  // NOLINT(google-explicit-constructor)
  Param(int v) : value_(static_cast<int64_t>(v)) {}        // NOLINT(google-explicit-constructor)
  Param(long v) : value_(static_cast<int64_t>(v)) {}       // NOLINT(google-explicit-constructor)
  Param(long long v) : value_(static_cast<int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
  Param(double v) : value_(v) {}                           // NOLINT(google-explicit-constructor)
  Param(std::string v) : value_(std::move(v)) {}           // NOLINT(google-explicit-constructor)
  Param(std::string_view v) : value_(std::string(v)) {}    // NOLINT(google-explicit-constructor)
  Param(const char* v) : value_(std::string(v)) {}         // NOLINT(google-explicit-constructor)

  /// The value; monostate means NULL.
  [[nodiscard]] const std::variant<std::monostate, bool, int64_t, double, std::string>& value() const { return value_; }

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string> value_;
};

/// A statement prepared once and executed many times.
class PreparedStatement {
 public:
  ~PreparedStatement();
  PreparedStatement(PreparedStatement&&) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) noexcept;

  /// Binds parameter `index` (1-based, as $1 in the SQL).
  Expected<void> bind(size_t index, const Param& value);

  /// Runs the statement with the parameters bound so far.
  Expected<Result> execute();

  /// Number of parameters the statement takes.
  [[nodiscard]] size_t parameter_count() const;

 private:
  friend class Connection;
  struct Impl;
  explicit PreparedStatement(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::db
