#pragma once
// The API's description: docs/openapi.json (embedded, served at /api/v1/openapi.json) and the
// human-readable page at /api/docs rendered from it.

#include <string>
#include <string_view>
#include <vector>

namespace ampere::server {

/// The OpenAPI 3.1 document as written in docs/openapi.json.
std::string_view openapi_json();

/// The item fields the OpenAPI document lists for `path`'s 200 items (the CSV header of an empty list).
std::vector<std::string> documented_item_fields(std::string_view path);

/// /api/docs: every path with its summary, parameters (allowed values, defaults) and responses.
const std::string& api_docs_html();

}  // namespace ampere::server
