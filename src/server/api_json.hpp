#pragma once
// Tables as the API writes them: JSON items (fields in column order) and CSV.

#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "db/result.hpp"
#include "warehouse/query_table.hpp"

namespace ampere::server {

/// JSON objects that keep their fields in the order written (the contract's order).
using Json = nlohmann::ordered_json;

/// One object per row, fields named and ordered as the table's columns.
Json table_items(const warehouse::Table& table);

/// Appends `result`'s columns as JSON arrays, {"id": [...], "x": [...]} (the networks' shape), to `out`
/// without building a JSON tree. Numbers (ColumnKind::number) are rounded to `decimals` places when
/// given. Strings are escaped as dump_json does (invalid UTF-8 replaced).
void append_json_columns(std::string& out, const db::Result& result, std::span<const warehouse::Column> columns,
                         std::optional<int> decimals = std::nullopt);

/// `items` (an array of flat objects) as CSV: a header row of the first item's field names, RFC 4180
/// quoting, lists joined with ';', null as an empty field. `fields` names the columns when there are no items.
std::string items_csv(const Json& items, const std::vector<std::string>& fields = {});

/// The body as compact JSON text (invalid UTF-8 replaced, never thrown).
std::string dump_json(const Json& body);

}  // namespace ampere::server
