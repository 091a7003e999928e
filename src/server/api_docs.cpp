#include "server/api_docs.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/html.hpp"
#include "server/static_assets.hpp"
#include "util/embedded_file.hpp"

namespace ampere::api_files {
std::span<const ampere::EmbeddedFile> embedded_files();
}  // namespace ampere::api_files

namespace ampere::server {

namespace {

using Json = nlohmann::ordered_json;

std::string text_of(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string schema_summary(const Json& schema) {
  std::string out = text_of(schema, "type");
  if (const auto e = schema.find("enum"); e != schema.end()) {
    std::string values;
    for (const auto& v : *e) values += (values.empty() ? "" : ", ") + v.dump();
    out += " (one of " + values + ")";
  }
  if (const auto d = schema.find("default"); d != schema.end()) out += ", default " + d->dump();
  if (const auto min = schema.find("minimum"); min != schema.end()) out += ", from " + min->dump();
  if (const auto max = schema.find("maximum"); max != schema.end()) out += " to " + max->dump();
  return out;
}

std::string render() {
  const Json doc = Json::parse(openapi_json(), nullptr, false);
  if (doc.is_discarded()) return "<!doctype html><title>ampere API</title><p>docs/openapi.json does not parse</p>";
  std::string body;
  const auto& info = doc["info"];
  body += fmt::format("<h1>{} {}</h1>\n<p>{}</p>\n", escape_html(text_of(info, "title")),
                      escape_html(text_of(info, "version")), escape_html(text_of(info, "description")));
  body += "<p>Machine-readable: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>\n";
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      body += fmt::format("<section>\n<h2><code>{} {}</code></h2>\n<p>{}</p>\n",
                          escape_html(method == "get" ? "GET" : "POST"), escape_html(path),
                          escape_html(text_of(op, "summary")));
      const std::string description = text_of(op, "description");
      if (!description.empty()) body += fmt::format("<p>{}</p>\n", escape_html(description));
      if (const auto params = op.find("parameters"); params != op.end() && !params->empty()) {
        body += "<table><tr><th>parameter</th><th>accepts</th><th>meaning</th></tr>\n";
        for (const auto& p : *params) {
          body += fmt::format("<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>\n",
                              escape_html(text_of(p, "name")), p.value("required", false) ? " (required)" : "",
                              escape_html(schema_summary(p.value("schema", Json::object()))),
                              escape_html(text_of(p, "description")));
        }
        body += "</table>\n";
      }
      if (const auto responses = op.find("responses"); responses != op.end()) {
        body += "<ul>\n";
        for (const auto& [status, r] : responses->items()) {
          body +=
              fmt::format("<li><code>{}</code> {}</li>\n", escape_html(status), escape_html(text_of(r, "description")));
        }
        body += "</ul>\n";
      }
      body += "</section>\n";
    }
  }
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ampere API</title>"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<link rel=\"stylesheet\" href=\"" +
         bundled_asset_url("style") + "\"></head><body><main>\n" + body + "</main></body></html>\n";
}

}  // namespace

std::string_view openapi_json() {
  const EmbeddedFile* file = find_embedded(api_files::embedded_files(), "openapi.json");
  return file == nullptr ? std::string_view("{}") : file->bytes;
}

std::vector<std::string> documented_item_fields(std::string_view path) {
  static const Json doc = Json::parse(openapi_json(), nullptr, false);
  std::vector<std::string> fields;
  if (doc.is_discarded()) return fields;
  std::string escaped;
  for (const char c : path) escaped += c == '/' ? std::string("~1") : c == '~' ? std::string("~0") : std::string(1, c);
  const Json::json_pointer pointer("/paths/" + escaped +
                                   "/get/responses/200/content/application~1json/schema/properties/items/items/$ref");
  if (!doc.contains(pointer) || !doc[pointer].is_string()) return fields;
  const std::string ref = doc[pointer].get<std::string>();
  const std::string prefix = "#/components/schemas/";
  if (!ref.starts_with(prefix)) return fields;
  const auto& schema = doc["components"]["schemas"][ref.substr(prefix.size())]["properties"];
  for (const auto& [name, value] : schema.items()) fields.push_back(name);
  return fields;
}

const std::string& api_docs_html() {
  static const std::string page = render();
  return page;
}

}  // namespace ampere::server
