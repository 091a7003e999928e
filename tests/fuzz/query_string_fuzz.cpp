// libFuzzer target: the query-string parser and the API's parameter checks on arbitrary bytes. Every
// input must be answered with parameters or an error value: no crash, no exception, no sanitizer report.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "http/query_string.hpp"
#include "server/param_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  auto params = ampere::http::parse_query_string(query);
  if (!params) return 0;
  // The parameter lists of a few routes (the route table itself needs the warehouse to link).
  static constexpr std::string_view feed[] = {"repo", "type",  "action", "user",   "from",
                                              "to",   "order", "limit",  "cursor", "format"};
  static constexpr std::string_view weekly[] = {"metric", "repos", "from", "to", "format"};
  static constexpr std::span<const std::string_view> routes[] = {feed, weekly, {}};
  for (const auto accepted : routes) {
    const ampere::server::ParamReader reader(*params, accepted);
    (void)reader.check_names();
    (void)reader.day_range();
    (void)reader.integer("limit", 1, 1000, 50);
    static constexpr std::string_view orders[] = {"desc", "asc"};
    (void)reader.choice("order", orders, "desc");
    (void)reader.list("repos");
    (void)reader.normalized();
  }
  return 0;
}
