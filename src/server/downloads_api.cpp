// /api/v1/downloads.
#include <fmt/format.h>

#include "server/api_routes.hpp"
#include "util/strings.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {
constexpr std::string_view granularities[] = {"hour", "day", "week", "month"};
constexpr std::string_view groups[] = {"overall", "package_version", "python_version", "system",
                                       "cloud",   "country",         "installer",      "ci"};
}  // namespace

ApiResult downloads_handler(ApiRequest& request) {
  const auto& p = request.params;
  auto packages = warehouse::package_names(request.connection);
  if (!packages) return tl::unexpected(warehouse_problem(packages.error()));
  const auto package = p.text("package");
  if (!package) {
    return tl::unexpected(Problem::bad_parameter("package", "parameter 'package' is required", *packages));
  }
  if (std::find(packages->begin(), packages->end(), *package) == packages->end()) {
    const auto suggestion = closest_match(*package, *packages);
    return tl::unexpected(Problem::bad_parameter(
        "package",
        fmt::format("unknown package '{}'{}", *package,
                    suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string()),
        *packages));
  }
  auto granularity = p.choice("granularity", granularities, "week");
  if (!granularity) return tl::unexpected(granularity.error());
  auto group = p.choice("group", groups, "overall");
  if (!group) return tl::unexpected(group.error());
  auto range = p.day_range();
  if (!range) return tl::unexpected(range.error());
  auto table = warehouse::downloads_table(
      request.connection, *package, *granularity, *group,
      range->from ? format_iso8601(*range->from) : warehouse::open_range_start,
      range->to_exclusive ? format_iso8601(*range->to_exclusive) : warehouse::open_range_end);
  if (!table) return tl::unexpected(warehouse_problem(table.error()));
  Json body = list_body(request.connection);
  body["package"] = *package;
  body["granularity"] = *granularity;
  body["group"] = *group;
  body["items"] = table_items(*table);
  return body;
}

}  // namespace ampere::server
