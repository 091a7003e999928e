#include "cli/report_output.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace ampere::cli {

namespace {

// Display width of UTF-8 text: one column per code point (good enough for names and titles).
size_t display_width(std::string_view s) {
  size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string cut(std::string_view s, size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return "";
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool start = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (start && ++n > width - 1) break;
    out.push_back(s[i]);
  }
  return out + "…";
}

std::string pad(const std::string& s, size_t width, bool right) {
  const size_t w = display_width(s);
  if (w >= width) return s;
  return right ? std::string(width - w, ' ') + s : s + std::string(width - w, ' ');
}

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  return s;
}

}  // namespace

void add_report_options(CLI::App& app, ReportOptions& options) {
  app.add_option("--format", options.format, "output: table (default), json or csv");
  app.add_option("--server", options.server, "ask a running ampere at this URL instead of the local warehouse");
  app.add_option("--data-dir", options.data_dir, "data dir (default: data_dir in config)");
}

bool check_report_options(const ReportOptions& options) {
  if (options.format == "table" || options.format == "json" || options.format == "csv") return true;
  std::fprintf(stderr, "ampere: '%s' is not a valid format\nvalid formats: table, json, csv\n", options.format.c_str());
  return false;
}

int terminal_width() {
  winsize ws{};
  if (::isatty(STDOUT_FILENO) != 0 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) {
    return ws.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS")) {
    const int n = std::atoi(columns);
    if (n > 20) return n;
  }
  return 100;
}

bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return ::isatty(STDOUT_FILENO) != 0;
}

std::string render_table(const TextTable& table, int width, bool colour) {
  const size_t n = table.columns.size();
  std::vector<size_t> widths(n, 0);
  for (size_t c = 0; c < n; ++c) widths[c] = display_width(table.columns[c].title);
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < n && c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(one_line(row[c])));
  }
  // Shrink the shrinkable columns (widest first) until the table fits, down to 8 characters each.
  const auto total = [&] {
    size_t t = n == 0 ? 0 : (n - 1) * 2;
    for (const auto w : widths) t += w;
    return t;
  };
  while (total() > static_cast<size_t>(width)) {
    size_t widest = n;
    for (size_t c = 0; c < n; ++c) {
      if (table.columns[c].shrinkable && widths[c] > 8 && (widest == n || widths[c] > widths[widest])) widest = c;
    }
    if (widest == n) break;
    widths[widest] = std::max<size_t>(8, widths[widest] - std::min<size_t>(widths[widest] - 8, total() - width));
  }
  const std::string bold = colour ? "\x1b[1m" : "";
  const std::string dim = colour ? "\x1b[2m" : "";
  const std::string reset = colour ? "\x1b[0m" : "";
  std::string out;
  if (!table.title.empty()) out += bold + table.title + reset + "\n";
  std::string header;
  for (size_t c = 0; c < n; ++c) {
    header +=
        (c == 0 ? "" : "  ") + pad(cut(table.columns[c].title, widths[c]), widths[c], table.columns[c].right_aligned);
  }
  out += bold + header + reset + "\n";
  std::string rule;
  for (size_t i = 0; i < total(); ++i) rule += "─";
  out += dim + rule + reset + "\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const bool strong = std::find(table.bold_rows.begin(), table.bold_rows.end(), r) != table.bold_rows.end();
    std::string line;
    for (size_t c = 0; c < n; ++c) {
      const std::string cell = c < table.rows[r].size() ? one_line(table.rows[r][c]) : "";
      line += (c == 0 ? "" : "  ") + pad(cut(cell, widths[c]), widths[c], table.columns[c].right_aligned);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += (strong ? bold : "") + line + (strong ? reset : "") + "\n";
  }
  return out;
}

std::string sparkline(const std::vector<double>& values) {
  static const char* const levels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty()) return "";
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  std::string out;
  for (const double v : values) {
    const double span = *hi - *lo;
    const int level = span <= 0 ? (v > 0 ? 3 : 0) : static_cast<int>(std::lround((v - *lo) / span * 7));
    out += levels[std::clamp(level, 0, 7)];
  }
  return out;
}

std::string bar(double value, double max, int width) {
  static const char* const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (max <= 0 || value <= 0 || width <= 0) return "";
  const double cells = std::min(value / max, 1.0) * width;
  const int full = static_cast<int>(cells);
  std::string out;
  for (int i = 0; i < full; ++i) out += "█";
  out += eighths[static_cast<int>((cells - full) * 8)];
  return out;
}

std::string cell_text(const ReportJson& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_number_float()) return fmt::format("{:.1f}", value.get<double>());
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value) out += (out.empty() ? "" : ", ") + cell_text(v);
    return out;
  }
  return value.dump();
}

std::string items_to_csv(const ReportJson& items) {
  std::string out;
  if (items.empty()) return out;
  std::vector<std::string> names;
  for (const auto& [k, v] : items.front().items()) names.push_back(k);
  const auto field = [](const ReportJson& v) {
    std::string text;
    if (v.is_null()) return text;
    if (v.is_string()) {
      text = v.get<std::string>();
    } else if (v.is_array()) {
      for (const auto& item : v)
        text += (text.empty() ? "" : ";") + (item.is_string() ? item.get<std::string>() : item.dump());
    } else if (v.is_number_float()) {
      text = fmt::format("{}", v.get<double>());
    } else {
      text = v.dump();
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string q = "\"";
    for (const char c : text) {
      if (c == '"') q.push_back('"');
      q.push_back(c);
    }
    return q + "\"";
  };
  for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : ",") + field(ReportJson(names[i]));
  out += "\r\n";
  for (const auto& item : items) {
    for (size_t i = 0; i < names.size(); ++i) {
      out += (i == 0 ? "" : ",") + (item.contains(names[i]) ? field(item[names[i]]) : std::string());
    }
    out += "\r\n";
  }
  return out;
}

void print_report(const ReportOptions& options, const ReportJson& body, const ReportJson& items,
                  const TextTable& table) {
  if (options.format == "json") {
    std::fputs((body.dump(2, ' ', false, ReportJson::error_handler_t::replace) + "\n").c_str(), stdout);
  } else if (options.format == "csv") {
    std::fputs(items_to_csv(items).c_str(), stdout);
  } else {
    std::fputs(render_table(table, terminal_width(), use_colour()).c_str(), stdout);
  }
}

}  // namespace ampere::cli
