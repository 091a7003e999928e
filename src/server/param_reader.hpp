#pragma once
// Reads and checks one request's query parameters against what its route accepts. Every failure is a
// Problem (400) naming the parameter and the values it accepts; nothing here ever throws or returns 500.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "http/query_string.hpp"
#include "server/api_problem.hpp"
#include "util/time.hpp"

namespace ampere::server {

/// A value, or the Problem that answers the request instead.
template <class T>
using Checked = tl::expected<T, Problem>;

/// An inclusive range of whole UTC days from `from` and `to`; either end may be open.
struct DayRange {
  std::optional<Timestamp> from;          ///< midnight starting the first day
  std::optional<Timestamp> to_exclusive;  ///< midnight after the last day
  /// The first day as "YYYY-MM-DD", or "" when open.
  [[nodiscard]] std::string from_day() const;
  /// The last day (inclusive) as "YYYY-MM-DD", or "" when open.
  [[nodiscard]] std::string to_day() const;
};

/// The earliest and latest day any `from`/`to` may name.
inline constexpr std::string_view earliest_day = "2000-01-01";
inline constexpr std::string_view latest_day = "2099-12-31";

/// The query parameters of one request.
class ParamReader {
 public:
  /// `accepted`: every parameter name the route takes (others are refused by check_names()).
  ParamReader(std::vector<http::QueryParam> params, std::span<const std::string_view> accepted);

  /// Refuses unknown names and names given twice.
  [[nodiscard]] Checked<void> check_names() const;

  /// The raw value, if given (an empty value counts as not given).
  [[nodiscard]] std::optional<std::string> text(std::string_view name) const;

  /// One of `allowed`; `fallback` when absent, or a Problem when absent and `fallback` is empty.
  [[nodiscard]] Checked<std::string> choice(std::string_view name, std::span<const std::string_view> allowed,
                                            std::string_view fallback) const;

  /// A whole number in [min, max]; `fallback` when absent.
  [[nodiscard]] Checked<int64_t> integer(std::string_view name, int64_t min, int64_t max, int64_t fallback) const;

  /// `from` and `to` (YYYY-MM-DD or ISO 8601, inclusive days within earliest_day..latest_day, from <= to).
  [[nodiscard]] Checked<DayRange> day_range() const;

  /// A comma-separated list ("a,b"), empty when absent; blanks around items are dropped.
  [[nodiscard]] std::vector<std::string> list(std::string_view name) const;

  /// The parameters sorted by name then value, re-encoded: the cache key of the request.
  [[nodiscard]] std::string normalized() const;

 private:
  std::vector<http::QueryParam> params_;
  std::span<const std::string_view> accepted_;
};

/// `values` as strings, for Problem::allowed.
std::vector<std::string> to_strings(std::span<const std::string_view> values);

}  // namespace ampere::server
