// /api/v1/feed (cursor pagination) and /api/v1/feed/bounds.
#include <charconv>

#include <fmt/format.h>

#include "server/api_routes.hpp"
#include "warehouse/api_queries.hpp"

namespace ampere::server {

namespace {

constexpr std::string_view types[] = {"star", "fork", "commit", "issue", "pull_request"};
constexpr std::string_view actions[] = {"created", "opened", "closed", "merged", "reopened"};
constexpr std::string_view orders[] = {"desc", "asc"};

// A cursor is opaque to clients: hex of "<order>|<event_at in µs>|<event_id>".
std::string encode_cursor(std::string_view order, const warehouse::FeedPosition& position) {
  const std::string plain = fmt::format("{}|{}|{}", order, position.event_at_us, position.event_id);
  std::string out;
  out.reserve(plain.size() * 2);
  for (const char c : plain) out += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return out;
}

Checked<warehouse::FeedPosition> decode_cursor(const std::string& cursor, std::string_view order) {
  const auto bad = [&](std::string_view why) {
    return tl::unexpected(Problem::bad_parameter(
        "cursor", fmt::format("the cursor is not valid ({}): pass next_cursor from the previous page unchanged", why),
        {"next_cursor of a previous page"}));
  };
  if (cursor.size() % 2 != 0 || cursor.size() > 1024) return bad("wrong length");
  std::string plain;
  for (size_t i = 0; i < cursor.size(); i += 2) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(cursor.data() + i, cursor.data() + i + 2, value, 16);
    if (ec != std::errc() || ptr != cursor.data() + i + 2) return bad("not hex");
    plain.push_back(static_cast<char>(value));
  }
  const size_t first = plain.find('|');
  const size_t second = first == std::string::npos ? std::string::npos : plain.find('|', first + 1);
  if (second == std::string::npos) return bad("not a cursor");
  if (std::string_view(plain).substr(0, first) != order) return bad("it was made for the other order");
  warehouse::FeedPosition position;
  const char* begin = plain.data() + first + 1;
  const char* end = plain.data() + second;
  const auto [ptr, ec] = std::from_chars(begin, end, position.event_at_us);
  if (ec != std::errc() || ptr != end) return bad("not a cursor");
  position.event_id = plain.substr(second + 1);
  return position;
}

// repo, type, action, user: shared by the feed and its bounds.
Checked<warehouse::FeedFilter> read_filter(ApiRequest& request) {
  const auto& p = request.params;
  warehouse::FeedFilter filter;
  if (const auto repo = p.text("repo")) {
    auto known = known_repo(request.connection, "repo", *repo);
    if (!known) return tl::unexpected(known.error());
    filter.repo = *known;
  }
  if (p.text("type")) {
    auto type = p.choice("type", types, "");
    if (!type) return tl::unexpected(type.error());
    filter.type = *type;
  }
  if (p.text("action")) {
    auto action = p.choice("action", actions, "");
    if (!action) return tl::unexpected(action.error());
    filter.action = *action;
  }
  filter.user = p.text("user").value_or("");
  return filter;
}

}  // namespace

ApiResult feed_handler(ApiRequest& request) {
  const auto& p = request.params;
  auto filter = read_filter(request);
  if (!filter) return tl::unexpected(filter.error());
  auto range = p.day_range();
  if (!range) return tl::unexpected(range.error());
  if (range->from) filter->from = format_iso8601(*range->from);
  if (range->to_exclusive) filter->to = format_iso8601(*range->to_exclusive);
  auto order = p.choice("order", orders, "desc");
  if (!order) return tl::unexpected(order.error());
  auto limit = p.integer("limit", 1, 1000, 50);
  if (!limit) return tl::unexpected(limit.error());
  std::optional<warehouse::FeedPosition> after;
  if (const auto cursor = p.text("cursor")) {
    auto position = decode_cursor(*cursor, *order);
    if (!position) return tl::unexpected(position.error());
    after = *position;
  }
  auto page = warehouse::feed_page(request.connection, *filter, *order == "asc", *limit, after);
  if (!page) return tl::unexpected(warehouse_problem(page.error()));
  Json body = list_body(request.connection);
  body["items"] = table_items(page->items);
  body["next_cursor"] = page->next ? Json(encode_cursor(*order, *page->next)) : Json(nullptr);
  return body;
}

ApiResult feed_bounds_handler(ApiRequest& request) {
  auto filter = read_filter(request);
  if (!filter) return tl::unexpected(filter.error());
  auto bounds = warehouse::feed_bounds(request.connection, *filter);
  if (!bounds) return tl::unexpected(warehouse_problem(bounds.error()));
  Json body = list_body(request.connection);
  body.erase("items");
  body["first_event_at"] = bounds->first_event_at.empty() ? Json(nullptr) : Json(bounds->first_event_at);
  body["last_event_at"] = bounds->last_event_at.empty() ? Json(nullptr) : Json(bounds->last_event_at);
  body["count"] = bounds->count;
  return body;
}

}  // namespace ampere::server
