#pragma once
// A REST page parsed once, with simdjson: each item's JSON text (what the lake stores) and the few
// fields the fetchers read (ids, logins, states, times). Parsing is most of an ingest's CPU time, so
// the body is read once instead of being validated, parsed into a DOM and printed again per item.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "github/github_api.hpp"
#include "util/error.hpp"

namespace ampere::github {

/// A JSON value inside a parsed page; valid while its JsonPage lives.
class JsonValue {
 public:
  /// The integer at `pointer` (RFC 6901, "/user/id"), or `fallback` when absent or not an integer.
  [[nodiscard]] int64_t int_at(std::string_view pointer, int64_t fallback = 0) const;
  /// The string at `pointer`, or `fallback` when absent or not a string.
  [[nodiscard]] std::string string_at(std::string_view pointer, std::string fallback = "") const;
  /// True when `pointer` names an object.
  [[nodiscard]] bool has_object(std::string_view pointer) const;
  /// True when `pointer` names a value other than null.
  [[nodiscard]] bool has_value(std::string_view pointer) const;
  /// The value's JSON text, minified.
  [[nodiscard]] std::string json() const;

 private:
  friend class JsonPage;
  explicit JsonValue(const void* element) : element_(element) {}
  const void* element_;  ///< a simdjson::dom::element owned by the page
};

/// A page whose body is a JSON array.
class JsonPage {
 public:
  /// Parses `page.body`; an error names the URL when it is not a JSON array.
  static Expected<JsonPage> parse_array(const ApiPage& page);
  ~JsonPage();
  JsonPage(JsonPage&&) noexcept;
  JsonPage& operator=(JsonPage&&) noexcept;

  [[nodiscard]] size_t size() const;
  [[nodiscard]] JsonValue operator[](size_t i) const;

 private:
  struct Impl;
  JsonPage();
  std::unique_ptr<Impl> impl_;
};

}  // namespace ampere::github
