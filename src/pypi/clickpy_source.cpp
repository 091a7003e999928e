#include "pypi/clickpy_source.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pypi/package_name.hpp"
#include "util/strings.hpp"

namespace ampere::pypi {

namespace {

using Json = nlohmann::json;

/// The package whose newest day tells how far ClickPy has loaded: pip is downloaded every day.
constexpr const char* kProbePackage = "pip";
/// Longest piece of a server's error text quoted in a message.
constexpr size_t kMaxErrorText = 400;

std::string day_literal(Day day) {
  return fmt::format("toDate('{}')", format_date(Timestamp(day)));
}

// 'a', 'b' for a SQL IN list. Names are checked again here, so no caller can smuggle a quote in.
Expected<std::string> package_list(const std::vector<std::string>& packages) {
  if (packages.empty()) return fail(ErrorKind::internal, "a download window needs at least one package");
  std::string out;
  for (const auto& p : packages) {
    if (!is_valid_package_name(p)) {
      return fail(ErrorKind::invalid_input, fmt::format("'{}' is not a PyPI project name", p));
    }
    if (!out.empty()) out += ", ";
    out += "'" + p + "'";
  }
  return out;
}

std::string shorten(std::string_view text) {
  std::string t(trim(text));
  if (t.size() > kMaxErrorText) t = t.substr(0, kMaxErrorText) + "...";
  return t;
}

// A JSON integer or, as ClickHouse writes 64-bit integers by default, a quoted one.
Expected<int64_t> int_field(const Json& row, const char* name) {
  const auto it = row.find(name);
  if (it == row.end()) return fail(ErrorKind::protocol, fmt::format("a row has no '{}'", name));
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size()) return v;
  }
  return fail(ErrorKind::protocol, fmt::format("'{}' is not an integer: {}", name, shorten(it->dump())));
}

Expected<std::string> string_field(const Json& row, const char* name) {
  const auto it = row.find(name);
  if (it == row.end() || !it->is_string()) {
    return fail(ErrorKind::protocol, fmt::format("a row has no text '{}'", name));
  }
  return it->get<std::string>();
}

Expected<DownloadRow> parse_row(const Json& j) {
  DownloadRow row;
  auto bucket = int_field(j, "bucket");
  auto downloads = int_field(j, "downloads");
  if (!bucket) return tl::unexpected(bucket.error());
  if (!downloads) return tl::unexpected(downloads.error());
  row.bucket_start = Timestamp(std::chrono::seconds(*bucket));
  row.downloads = *downloads;
  const std::pair<const char*, std::string*> fields[] = {{"project", &row.package},
                                                         {"package_version", &row.package_version},
                                                         {"python", &row.python_version},
                                                         {"system_name", &row.system_name},
                                                         {"system_release", &row.system_release},
                                                         {"distro_name", &row.distro_name},
                                                         {"distro_version", &row.distro_version},
                                                         {"country_code", &row.country},
                                                         {"installer", &row.installer}};
  for (const auto& [name, target] : fields) {
    auto value = string_field(j, name);
    if (!value) return tl::unexpected(value.error());
    *target = std::move(*value);
  }
  return row;
}

}  // namespace

ClickpySource::ClickpySource(ClickpyOptions options)
    : options_(std::move(options)), client_(std::make_unique<http::Client>(options_.http)) {}

ClickpySource::~ClickpySource() = default;

Expected<int64_t> ClickpySource::query_lines(const std::string& sql,
                                             const std::function<Expected<void>(std::string_view)>& on_line) {
  // The user goes in the query string: ClickHouse 18.16 knows no X-ClickHouse-User header.
  std::string url = options_.url;
  while (url.ends_with('/')) url.pop_back();
  url += "/?user=" + options_.user + "&database=" + options_.database;
  std::string pending;
  int64_t lines = 0;
  Error stopped;
  bool failed = false;
  const auto handle = [&](std::string_view line) -> bool {
    if (line.empty()) return true;
    if (auto ok = on_line(line); !ok) {
      stopped = ok.error();
      failed = true;
      return false;
    }
    ++lines;
    return true;
  };
  const http::BodyStream on_piece = [&](std::string_view piece) {
    pending.append(piece);
    size_t start = 0;
    for (size_t nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n', start)) {
      if (!handle(std::string_view(pending).substr(start, nl - start))) return false;
      start = nl + 1;
    }
    pending.erase(0, start);
    return true;
  };
  ++requests_;
  auto response = client_->stream("POST", url, &sql, {{"Content-Type", "text/plain; charset=utf-8"}}, on_piece);
  const std::string where = fmt::format("ClickHouse at {}", http::redact_url(options_.url));
  if (failed) return with_context(stopped, where);
  if (!response) return with_context(response.error().to_error(), where);
  if (response->status != 200) {
    return fail(response->status >= 500 ? ErrorKind::network : ErrorKind::protocol,
                fmt::format("{} answered HTTP {}: {}", where, response->status, shorten(response->body)));
  }
  if (!trim(pending).empty()) {
    // A body that does not end in a newline was cut off, or carries an exception ClickHouse wrote
    // after it had started sending rows.
    return fail(ErrorKind::network, fmt::format("{}: the answer ended mid-row: {}", where, shorten(pending)));
  }
  return lines;
}

Expected<Day> ClickpySource::latest_complete_day(Day yesterday) {
  const std::string sql = fmt::format(
      "SELECT toString(max(date)) AS day, count() AS days FROM pypi_downloads_per_day WHERE project = '{}' "
      "AND date <= {} FORMAT JSONEachRow",
      kProbePackage, day_literal(yesterday));
  std::optional<Day> newest;
  auto lines = query_lines(sql, [&](std::string_view line) -> Expected<void> {
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded()) return fail(ErrorKind::protocol, "not JSON: " + shorten(line));
    auto days = int_field(j, "days");
    if (!days) return tl::unexpected(days.error());
    if (*days == 0) return {};
    auto text = string_field(j, "day");
    if (!text) return tl::unexpected(text.error());
    auto t = parse_iso8601(*text);
    if (!t) return tl::unexpected(t.error());
    newest = std::chrono::floor<std::chrono::days>(*t);
    return {};
  });
  if (!lines) return tl::unexpected(lines.error());
  if (!newest) {
    return fail(ErrorKind::protocol, fmt::format("ClickHouse at {} has no rows for '{}' in pypi_downloads_per_day: "
                                                 "is it ClickPy (database {})?",
                                                 http::redact_url(options_.url), kProbePackage, options_.database));
  }
  return std::min(*newest, yesterday);
}

Expected<CostEstimate> ClickpySource::estimate(const DownloadWindow& /*window*/) {
  return CostEstimate{};  // ClickPy is free; its quotas limit rows and time per query, not money
}

Expected<FetchStats> ClickpySource::fetch(const DownloadWindow& window, const DownloadRowConsumer& consume) {
  FetchStats stats;
  const int64_t requests_before = requests_;
  auto all = package_list(window.packages);
  if (!all) return tl::unexpected(all.error());
  if (window.last_day < window.first_day) return fail(ErrorKind::internal, "a download window ends before it starts");
  const std::string days =
      fmt::format("date >= {} AND date <= {}", day_literal(window.first_day), day_literal(window.last_day));

  // The pre-aggregated table says which packages have downloads at all; the raw scan skips the others
  // (an unknown package costs one tiny query and yields no rows).
  std::vector<std::string> with_downloads;
  auto counted = query_lines(
      fmt::format("SELECT project, sum(count) AS downloads FROM pypi_downloads_per_day WHERE project IN ({}) AND {} "
                  "GROUP BY project FORMAT JSONEachRow",
                  *all, days),
      [&](std::string_view line) -> Expected<void> {
        const Json j = Json::parse(line, nullptr, false);
        if (j.is_discarded()) return fail(ErrorKind::protocol, "not JSON: " + shorten(line));
        auto project = string_field(j, "project");
        auto downloads = int_field(j, "downloads");
        if (!project) return tl::unexpected(project.error());
        if (!downloads) return tl::unexpected(downloads.error());
        if (*downloads > 0) with_downloads.push_back(*project);
        return {};
      });
  if (!counted) return tl::unexpected(counted.error());
  if (with_downloads.empty()) {
    stats.requests = requests_ - requests_before;
    return stats;
  }
  auto scanned = package_list(with_downloads);
  if (!scanned) return tl::unexpected(scanned.error());

  // Tuples by position (tupleElement): ClickHouse 18.16 cannot address tuple elements by name.
  const std::string sql = fmt::format(
      "SELECT project, toUnixTimestamp(toStartOfHour(timestamp)) AS bucket, tupleElement(file, 3) AS "
      "package_version, python, tupleElement(system, 1) AS system_name, tupleElement(system, 2) AS system_release, "
      "tupleElement(distro, 1) AS distro_name, tupleElement(distro, 2) AS distro_version, country_code, "
      "tupleElement(installer, 1) AS installer, count() AS downloads FROM pypi WHERE project IN ({}) AND {} "
      "GROUP BY project, bucket, package_version, python, system_name, system_release, distro_name, distro_version, "
      "country_code, installer FORMAT JSONEachRow",
      *scanned, days);
  auto lines = query_lines(sql, [&](std::string_view line) -> Expected<void> {
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded()) return fail(ErrorKind::protocol, "not JSON (a server error mid-answer?): " + shorten(line));
    auto row = parse_row(j);
    if (!row) return tl::unexpected(row.error());
    ++stats.rows;
    stats.downloads += row->downloads;
    return consume(std::move(*row));
  });
  stats.requests = requests_ - requests_before;
  if (!lines) return tl::unexpected(lines.error());
  return stats;
}

}  // namespace ampere::pypi
