#pragma once
// Secret: a token or key that must never reach a log, an error, a run record or the API.

#include <string>
#include <utility>

namespace ampere {

/// Holds a credential. It has no formatter and no stream operator, so it cannot be printed by
/// accident; code that must send it (an Authorization header) calls reveal() at that one place.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  /// True when no credential was given.
  [[nodiscard]] bool empty() const { return value_.empty(); }
  /// The credential itself; only for the code that puts it on the wire.
  [[nodiscard]] const std::string& reveal() const { return value_; }
  /// What may be shown instead: "set (40 characters)" or "not set".
  [[nodiscard]] std::string describe() const {
    return value_.empty() ? "not set" : "set (" + std::to_string(value_.size()) + " characters)";
  }

 private:
  std::string value_;
};

}  // namespace ampere
