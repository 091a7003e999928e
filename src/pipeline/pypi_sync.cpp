#include "pipeline/pypi_sync.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "db/database.hpp"
#include "lake/lake_catalog.hpp"
#include "lake/lake_views.hpp"
#include "lake/raw_lake.hpp"
#include "pipeline/run_record.hpp"

namespace ampere::pipeline {

namespace {

using Json = nlohmann::json;
using pypi::Day;

std::string day_text(Day day) {
  return format_date(Timestamp(day));
}

std::string new_sync_id(const std::string& source, Timestamp started) {
  return fmt::format("pypi-{}-{}-{}", source, started.time_since_epoch().count(), static_cast<long>(::getpid()));
}

// Days each package's ok windows cover, from the query log.
Expected<std::map<std::string, std::set<Day>>> read_coverage(db::Connection& c,
                                                             const std::filesystem::path& lake_root) {
  std::map<std::string, std::set<Day>> covered;
  if (auto ok = lake::attach_lake_views(c, lake_root); !ok) return tl::unexpected(ok.error());
  auto exists = c.query(
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_pypi' AND table_name = 'queries'");
  if (!exists) return tl::unexpected(exists.error());
  if (exists->int64(0, 0) == 0) return covered;
  auto rows = c.query(
      "SELECT package, payload ->> '$.first_day', payload ->> '$.last_day' FROM raw_pypi.queries "
      "WHERE payload ->> '$.outcome' = 'ok'");
  if (!rows) return with_context(rows.error(), "reading the PyPI query log");
  for (size_t r = 0; r < rows->row_count(); ++r) {
    auto first = parse_iso8601(rows->text(1, r));
    auto last = parse_iso8601(rows->text(2, r));
    if (!first || !last) return fail(ErrorKind::protocol, "the PyPI query log holds a window with a malformed day");
    auto& days = covered[rows->text(0, r)];
    for (Day d = std::chrono::floor<std::chrono::days>(*first); d <= std::chrono::floor<std::chrono::days>(*last);
         d += std::chrono::days(1)) {
      days.insert(d);
    }
  }
  return covered;
}

// The runs of days in [start, end] not in `covered`, each cut into windows of at most `chunk` days.
std::vector<std::pair<Day, Day>> missing_windows(const std::set<Day>& covered, Day start, Day end, int chunk) {
  std::vector<std::pair<Day, Day>> out;
  std::optional<Day> open;
  const auto close = [&](Day last) {
    for (Day a = *open; a <= last; a += std::chrono::days(chunk)) {
      out.emplace_back(a, std::min(last, a + std::chrono::days(chunk - 1)));
    }
    open.reset();
  };
  for (Day d = start; d <= end; d += std::chrono::days(1)) {
    const bool have = covered.contains(d);
    if (!have && !open) open = d;
    if (have && open) close(d - std::chrono::days(1));
  }
  if (open) close(end);
  return out;
}

std::string row_payload(const pypi::DownloadRow& row, std::string_view source) {
  Json j{{"bucket_start", format_iso8601(row.bucket_start)},
         {"package", row.package},
         {"package_version", row.package_version},
         {"python_version", row.python_version},
         {"system_name", row.system_name},
         {"system_release", row.system_release},
         {"distro_name", row.distro_name},
         {"distro_version", row.distro_version},
         {"country", row.country},
         {"installer", row.installer},
         {"ci", row.ci ? Json(*row.ci) : Json(nullptr)},
         {"downloads", row.downloads},
         {"source", source}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string log_payload(const PypiWindow& w, const std::string& window_id, std::string_view source, Timestamp started) {
  return Json{{"window_id", window_id},
              {"source", source},
              {"package", w.window.packages.front()},
              {"repo_name", w.repo_name.empty() ? Json(nullptr) : Json(w.repo_name)},
              {"first_day", day_text(w.window.first_day)},
              {"last_day", day_text(w.window.last_day)},
              {"outcome", w.outcome},
              {"error", w.error.empty() ? Json(nullptr) : Json(w.error)},
              {"rows", w.stats.rows},
              {"downloads", w.stats.downloads},
              {"requests", w.stats.requests},
              {"bytes_processed", w.stats.bytes_processed},
              {"started_at", format_iso8601(started)},
              {"finished_at", format_iso8601(now_utc())}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

const RawTable& pypi_downloads_table() {
  static const RawTable table{"pypi", "downloads", {"package", "day"}};
  return table;
}

const RawTable& pypi_queries_table() {
  static const RawTable table{"pypi", "queries", {"package", "first_day"}};
  return table;
}

Expected<PypiSyncResult> sync_pypi(pypi::DownloadsSource& source, const PypiSyncOptions& options,
                                   const PypiSyncObserver& observer) {
  const auto clock_start = std::chrono::steady_clock::now();
  const Timestamp started = now_utc();
  PypiSyncResult result;
  result.source = std::string(source.name());
  result.sync_id = new_sync_id(result.source, started);
  const auto lake_root = lake::lake_root(options.data_dir);

  auto database = db::Database::open("");
  if (!database) return tl::unexpected(database.error());
  auto connection = (*database)->connect();
  if (!connection) return tl::unexpected(connection.error());
  db::Connection& c = *connection;

  const auto record_run = [&](const std::string& status, const std::string& error) -> Expected<void> {
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    int64_t requests = 0;
    for (const auto& w : result.windows) requests += w.stats.requests;
    Json payload{{"run_id", result.sync_id},
                 {"kind", "sync"},
                 {"source", "pypi"},
                 {"downloads_source", result.source},
                 {"status", status},
                 {"error", error.empty() ? Json(nullptr) : Json(error)},
                 {"started_at", format_iso8601(started)},
                 {"finished_at", format_iso8601(now_utc())},
                 {"seconds", result.seconds},
                 {"windows", result.windows.size()},
                 {"windows_failed", result.failed},
                 {"rows", result.rows},
                 {"downloads", result.downloads},
                 {"requests", requests}};
    return append_run_record(c, lake_root, result.sync_id, payload.dump());
  };
  const auto stop = [&](const Error& error) -> tl::unexpected<Error> {
    (void)record_run("failed", error.message);
    return tl::unexpected(error);
  };

  const Day today = options.today.value_or(std::chrono::floor<std::chrono::days>(now_utc()));
  auto latest = source.latest_complete_day(today - std::chrono::days(1));
  if (!latest) return stop(latest.error());
  auto coverage = read_coverage(c, lake_root);
  if (!coverage) return stop(coverage.error());

  for (const auto& package : options.packages) {
    const auto& covered = (*coverage)[package.name];
    Day start = covered.empty() ? *latest - std::chrono::days(kPypiFirstSyncDays - 1) : *covered.begin();
    if (options.backfill_since) start = std::min(start, *options.backfill_since);
    for (const auto& [first, last] : missing_windows(covered, start, *latest, std::max(1, source.max_window_days()))) {
      PypiWindow w;
      w.window = pypi::DownloadWindow{{package.name}, first, last};
      w.repo_name = package.repo_name;
      result.windows.push_back(std::move(w));
    }
  }
  // Packages missing the same days are asked for in one query: BigQuery bills a scan of the day
  // partitions whatever the number of packages, so the daily run costs one package's price.
  std::map<std::pair<Day, Day>, std::vector<size_t>> groups;
  for (size_t i = 0; i < result.windows.size(); ++i) {
    groups[{result.windows[i].window.first_day, result.windows[i].window.last_day}].push_back(i);
  }
  std::vector<pypi::DownloadWindow> queries;
  std::vector<std::vector<size_t>> members;
  for (auto& [days, indexes] : groups) {
    pypi::DownloadWindow query{{}, days.first, days.second};
    for (size_t i : indexes) query.packages.push_back(result.windows[i].window.packages.front());
    queries.push_back(std::move(query));
    members.push_back(indexes);
  }
  for (const auto& query : queries) {
    auto cost = source.estimate(query);
    if (!cost) return stop(cost.error());
    if (cost->bytes_scanned) result.cost.bytes_scanned = result.cost.bytes_scanned.value_or(0) + *cost->bytes_scanned;
    if (cost->usd) result.cost.usd = result.cost.usd.value_or(0) + *cost->usd;
  }
  if (observer.on_plan) observer.on_plan(result.windows, result.cost);

  std::set<std::string> broken;  // packages with a failed window: their later windows wait for the next run
  for (size_t q = 0; q < queries.size(); ++q) {
    pypi::DownloadWindow query = queries[q];
    std::vector<size_t> indexes;
    query.packages.clear();
    for (size_t i : members[q]) {
      const std::string& package = result.windows[i].window.packages.front();
      if (broken.contains(package)) continue;
      query.packages.push_back(package);
      indexes.push_back(i);
    }
    if (indexes.empty()) continue;
    const Timestamp window_started = now_utc();
    const std::string window_id = fmt::format("{}-{}-{}{}", result.sync_id, query.packages.front(),
                                              day_text(query.first_day), query.packages.size() > 1 ? "-group" : "");
    const Timestamp first_at(query.first_day);
    const Timestamp end_at(query.last_day + std::chrono::days(1));
    std::map<std::string, pypi::FetchStats> per_package;
    for (const auto& package : query.packages) per_package[package];
    std::vector<RawRecord> records;
    auto stats = source.fetch(query, [&](pypi::DownloadRow&& row) -> Expected<void> {
      auto it = per_package.find(row.package);
      if (it == per_package.end() || row.bucket_start < first_at || row.bucket_start >= end_at || row.downloads < 0) {
        return fail(ErrorKind::protocol, fmt::format("the source returned a row outside the window ({} at {})",
                                                     row.package, format_iso8601(row.bucket_start)));
      }
      it->second.rows += 1;
      it->second.downloads += row.downloads;
      records.push_back(RawRecord{{RawKey{row.package}, RawKey{format_date(row.bucket_start)}},
                                  window_started,
                                  window_id,
                                  row_payload(row, result.source)});
      return {};
    });
    std::string outcome = "ok";
    std::string failure;
    if (!stats) {
      outcome = "failed";
      failure = stats.error().message;
    } else if (auto committed = lake::append_raw(c, lake_root, pypi_downloads_table(), records); !committed) {
      outcome = "failed";
      failure = committed.error().message;
    }
    records.clear();
    std::vector<RawRecord> log;
    for (size_t k = 0; k < indexes.size(); ++k) {
      PypiWindow& w = result.windows[indexes[k]];
      const std::string& package = w.window.packages.front();
      w.outcome = outcome;
      w.error = failure;
      w.stats = per_package[package];
      if (k == 0 && stats) {  // what the query cost is counted once, on its first package
        w.stats.requests = stats->requests;
        w.stats.bytes_processed = stats->bytes_processed;
      }
      if (outcome != "ok") {
        ++result.failed;
        broken.insert(package);
      } else {
        result.rows += w.stats.rows;
        result.downloads += w.stats.downloads;
      }
      log.push_back(RawRecord{{RawKey{package}, RawKey{day_text(w.window.first_day)}},
                              now_utc(),
                              window_id,
                              log_payload(w, window_id, result.source, window_started)});
    }
    if (auto logged = lake::append_raw(c, lake_root, pypi_queries_table(), log); !logged) {
      return stop(logged.error());
    }
    if (observer.on_window) {
      for (size_t i : indexes) observer.on_window(result.windows[i]);
    }
  }

  std::string error;
  if (result.failed > 0) {
    for (const auto& w : result.windows) {
      if (w.outcome == "failed") {
        error = fmt::format("{} of {} windows failed and wait for the next run; first: {} {}..{}: {}", result.failed,
                            result.windows.size(), w.window.packages.front(), day_text(w.window.first_day),
                            day_text(w.window.last_day), w.error);
        break;
      }
    }
  }
  if (auto ok = record_run(result.failed > 0 ? "failed" : "success", error); !ok) return tl::unexpected(ok.error());
  return result;
}

}  // namespace ampere::pipeline
