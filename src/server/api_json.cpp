#include "server/api_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace ampere::server {

namespace {

Json cell_json(const warehouse::Cell& cell) {
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else {
          return v;
        }
      },
      cell);
}

std::string csv_field(const Json& value) {
  std::string text;
  if (value.is_null()) return text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (!text.empty()) text.push_back(';');
      text += item.is_string() ? item.get<std::string>() : item.dump();
    }
  } else if (value.is_number_float()) {
    text = fmt::format("{}", value.get<double>());
  } else {
    text = value.dump();
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace

Json table_items(const warehouse::Table& table) {
  Json items = Json::array();
  for (const auto& row : table.rows) {
    Json item = Json::object();
    for (size_t c = 0; c < table.columns.size(); ++c) item[std::string(table.columns[c].name)] = cell_json(row[c]);
    items.push_back(std::move(item));
  }
  return items;
}

void append_json_columns(std::string& out, const db::Result& result, std::span<const warehouse::Column> columns,
                         std::optional<int> decimals) {
  const double scale = decimals ? std::pow(10.0, *decimals) : 1.0;
  char number[32];
  const auto append_number = [&](auto value) {
    const auto [end, ec] = std::to_chars(number, number + sizeof number, value);
    out.append(number, ec == std::errc() ? end : number);
  };
  out.push_back('{');
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out.push_back(',');
    out += dump_json(Json(columns[c].name));
    out += ":[";
    for (size_t r = 0; r < result.row_count(); ++r) {
      if (r > 0) out.push_back(',');
      if (result.is_null(c, r)) {
        out += "null";
        continue;
      }
      switch (columns[c].kind) {
        case warehouse::ColumnKind::integer:
          append_number(result.int64(c, r));
          break;
        case warehouse::ColumnKind::number: {
          // An exact integer divided by an exact power of ten: the double nearest the short decimal.
          double value = result.real(c, r);
          if (decimals) value = std::round(value * scale) / scale;
          out += std::isfinite(value) ? dump_json(Json(value)) : "null";
          break;
        }
        case warehouse::ColumnKind::boolean:
          out += result.boolean(c, r) ? "true" : "false";
          break;
        case warehouse::ColumnKind::text:
          out += dump_json(Json(result.text(c, r)));
          break;
        case warehouse::ColumnKind::text_list: {
          Json list = Json::array();
          const std::string text = result.text(c, r);
          for (size_t start = 0; !text.empty() && start <= text.size();) {
            const size_t end = std::min(text.find('\x1f', start), text.size());
            list.push_back(text.substr(start, end - start));
            start = end + 1;
          }
          out += dump_json(list);
          break;
        }
      }
    }
    out.push_back(']');
  }
  out.push_back('}');
}

std::string items_csv(const Json& items, const std::vector<std::string>& fields) {
  std::vector<std::string> names = fields;
  if (!items.empty() && items.front().is_object()) {
    names.clear();
    for (const auto& [k, v] : items.front().items()) names.push_back(k);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += csv_field(Json(names[i]));
  }
  out += "\r\n";
  for (const auto& item : items) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) out.push_back(',');
      const auto it = item.find(names[i]);
      if (it != item.end() && !it->is_object()) out += csv_field(*it);
    }
    out += "\r\n";
  }
  return out;
}

std::string dump_json(const Json& body) {
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ampere::server
