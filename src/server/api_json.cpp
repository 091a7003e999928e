#include "server/api_json.hpp"

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

Json table_columns(const warehouse::Table& table) {
  Json out = Json::object();
  for (size_t c = 0; c < table.columns.size(); ++c) {
    Json values = Json::array();
    for (const auto& row : table.rows) values.push_back(cell_json(row[c]));
    out[std::string(table.columns[c].name)] = std::move(values);
  }
  return out;
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
