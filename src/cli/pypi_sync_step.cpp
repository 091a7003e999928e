#include "cli/pypi_sync_step.hpp"

#include <cstdio>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "pypi/clickpy_source.hpp"
#include "pypi/package_name.hpp"

namespace ampere::cli {

namespace {

std::string day_text(pypi::Day day) {
  return format_date(Timestamp(day));
}

std::string cost_text(const pypi::CostEstimate& cost) {
  if (!cost.bytes_scanned) return "no cost";
  const double gib = static_cast<double>(*cost.bytes_scanned) / (1024.0 * 1024.0 * 1024.0);
  return fmt::format("scans {:.2f} GiB, about ${:.2f} at on-demand prices", gib, cost.usd.value_or(0));
}

}  // namespace

pypi::BigQuerySourceOptions bigquery_options(const Config& config) {
  pypi::BigQuerySourceOptions options;
  options.client.api_url = config.pypi_bigquery_api_url;
  options.client.project = config.pypi_bigquery_project;
  options.client.max_bytes_billed = config.pypi_bigquery_max_gib * 1024 * 1024 * 1024;
  return options;
}

Expected<std::unique_ptr<pypi::DownloadsSource>> make_downloads_source(const Config& config) {
  std::string which = config.pypi_source;
  if (which == "auto") {
    const char* credentials = std::getenv("GOOGLE_APPLICATION_CREDENTIALS");
    which = (credentials != nullptr && *credentials != '\0') ? "bigquery" : "clickpy";
  }
  if (which == "bigquery") {
    const char* credentials = std::getenv("GOOGLE_APPLICATION_CREDENTIALS");
    if (credentials == nullptr || *credentials == '\0') {
      return fail(ErrorKind::invalid_input,
                  "pypi.source is bigquery but GOOGLE_APPLICATION_CREDENTIALS is not set: point it at a "
                  "service-account key file (JSON), or set pypi.source = \"clickpy\" to use ClickPy");
    }
    auto source = pypi::BigQuerySource::from_key_file(credentials, bigquery_options(config));
    if (!source) return tl::unexpected(source.error());
    return std::unique_ptr<pypi::DownloadsSource>(std::move(*source));
  }
  pypi::ClickpyOptions options;
  options.url = config.pypi_clickpy_url;
  options.user = config.pypi_clickpy_user;
  options.max_window_days = config.pypi_window_days;
  return std::unique_ptr<pypi::DownloadsSource>(std::make_unique<pypi::ClickpySource>(std::move(options)));
}

Expected<std::vector<pipeline::PypiPackage>> tracked_packages(const Config& config) {
  std::vector<pipeline::PypiPackage> out;
  std::set<std::string> seen;
  const auto add = [&](const std::string& entry, bool own) -> Expected<void> {
    const size_t eq = entry.find('=');
    auto name = pypi::normalize_package_name(entry.substr(0, eq));
    if (!name) return with_context(name.error(), own ? "pypi.packages" : "pypi.dependencies");
    if (!seen.insert(*name).second) return {};
    out.push_back(pipeline::PypiPackage{*name, eq == std::string::npos ? std::string() : entry.substr(eq + 1)});
    return {};
  };
  for (const auto& p : config.pypi_packages) {
    if (auto ok = add(p, true); !ok) return tl::unexpected(ok.error());
  }
  for (const auto& p : config.pypi_dependencies) {
    if (auto ok = add(p, false); !ok) return tl::unexpected(ok.error());
  }
  return out;
}

Expected<pipeline::PypiSyncResult> run_pypi_sync(const Config& config, std::optional<pypi::Day> since) {
  auto packages = tracked_packages(config);
  if (!packages) return tl::unexpected(packages.error());
  if (packages->empty()) {
    return fail(ErrorKind::invalid_input,
                "no PyPI packages configured: set pypi.packages (the org's own) and/or pypi.dependencies in "
                "ampere.toml, or AMPERE_PYPI_PACKAGES");
  }
  auto source = make_downloads_source(config);
  if (!source) return tl::unexpected(source.error());
  pipeline::PypiSyncOptions options;
  options.data_dir = config.data_dir;
  options.packages = std::move(*packages);
  options.backfill_since = since;
  return run_pypi_sync(**source, options);
}

Expected<pipeline::PypiSyncResult> run_pypi_sync(pypi::DownloadsSource& source,
                                                 const pipeline::PypiSyncOptions& options) {
  pipeline::PypiSyncObserver observer;
  observer.on_plan = [&](const std::vector<pipeline::PypiWindow>& windows, const pypi::CostEstimate& cost) {
    if (windows.empty()) {
      fmt::print("sync pypi: up to date ({} packages, source {})\n", options.packages.size(), source.name());
    } else {
      fmt::print("sync pypi: {} window(s) from {} for {}..{}, {}\n", windows.size(), source.name(),
                 day_text(windows.front().window.first_day), day_text(windows.back().window.last_day), cost_text(cost));
    }
    std::fflush(stdout);
  };
  observer.on_window = [](const pipeline::PypiWindow& w) {
    const std::string where =
        fmt::format("{} {}..{}", w.window.packages.front(), day_text(w.window.first_day), day_text(w.window.last_day));
    if (w.outcome == "ok") {
      fmt::print("sync pypi: {}: {} rows, {} downloads\n", where, w.stats.rows, w.stats.downloads);
    } else {
      fmt::print("sync pypi: {}: FAILED, nothing written, retried next run: {}\n", where, w.error);
    }
    std::fflush(stdout);
  };
  auto result = pipeline::sync_pypi(source, options, observer);
  if (!result) return result;
  fmt::print("sync pypi: {} rows, {} downloads in {} window(s), {} failed, {:.1f}s; run {}\n", result->rows,
             result->downloads, result->windows.size(), result->failed, result->seconds, result->sync_id);
  if (result->failed > 0) {
    return fail(ErrorKind::network,
                fmt::format("{} PyPI window(s) failed; run `ampere sync pypi` again to retry them", result->failed));
  }
  return result;
}

}  // namespace ampere::cli
