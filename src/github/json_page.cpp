#include "github/json_page.hpp"

#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

namespace ampere::github {

namespace {

const simdjson::dom::element& element_of(const void* p) {
  return *static_cast<const simdjson::dom::element*>(p);
}

}  // namespace

int64_t JsonValue::int_at(std::string_view pointer, int64_t fallback) const {
  int64_t value = 0;
  if (element_of(element_).at_pointer(pointer).get_int64().get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

std::string JsonValue::string_at(std::string_view pointer, std::string fallback) const {
  std::string_view value;
  if (element_of(element_).at_pointer(pointer).get_string().get(value) != simdjson::SUCCESS) return fallback;
  return std::string(value);
}

bool JsonValue::has_object(std::string_view pointer) const {
  return element_of(element_).at_pointer(pointer).is_object();
}

bool JsonValue::has_value(std::string_view pointer) const {
  simdjson::dom::element value;
  return element_of(element_).at_pointer(pointer).get(value) == simdjson::SUCCESS && !value.is_null();
}

std::string JsonValue::json() const {
  return simdjson::minify(element_of(element_));
}

struct JsonPage::Impl {
  simdjson::dom::parser parser;
  std::vector<simdjson::dom::element> items;
};

JsonPage::JsonPage() : impl_(std::make_unique<Impl>()) {}
JsonPage::~JsonPage() = default;
JsonPage::JsonPage(JsonPage&&) noexcept = default;
JsonPage& JsonPage::operator=(JsonPage&&) noexcept = default;

Expected<JsonPage> JsonPage::parse_array(const ApiPage& page) {
  JsonPage out;
  simdjson::dom::array array;
  if (out.impl_->parser.parse(page.body).get_array().get(array) != simdjson::SUCCESS) {
    return fail(ErrorKind::protocol, fmt::format("GitHub answered {} with a body that is not a JSON array", page.url));
  }
  out.impl_->items.reserve(array.size());
  for (const simdjson::dom::element item : array) out.impl_->items.push_back(item);
  return out;
}

size_t JsonPage::size() const {
  return impl_->items.size();
}

JsonValue JsonPage::operator[](size_t i) const {
  return JsonValue(&impl_->items[i]);
}

}  // namespace ampere::github
