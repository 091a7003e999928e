#include "server/html.hpp"

namespace ampere::server {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fill_template(std::string_view page, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = page.find("{{", pos);
    if (open == std::string_view::npos) break;
    const size_t close = page.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(page.substr(pos, open - pos));
    const auto it = values.find(std::string(page.substr(open + 2, close - open - 2)));
    out.append(it != values.end() ? std::string_view(it->second) : page.substr(open, close + 2 - open));
    pos = close + 2;
  }
  out.append(page.substr(pos));
  return out;
}

}  // namespace ampere::server
