#pragma once
// The PyPI downloads sync as the CLI runs it (`ampere sync pypi`, `ampere run`): which source the
// config picks, the plan and its cost first, a line per window, then a summary.

#include <memory>
#include <optional>

#include "config/config.hpp"
#include "pipeline/pypi_sync.hpp"
#include "pypi/bigquery_source.hpp"
#include "pypi/downloads_source.hpp"
#include "util/error.hpp"

namespace ampere::cli {

/// The source `config` asks for (pypi.source; auto is BigQuery when GOOGLE_APPLICATION_CREDENTIALS is
/// set, otherwise ClickPy).
Expected<std::unique_ptr<pypi::DownloadsSource>> make_downloads_source(const Config& config);

/// The tracked packages: pypi.packages (with their "=repo" mappings) then pypi.dependencies, normalized,
/// each once.
Expected<std::vector<pipeline::PypiPackage>> tracked_packages(const Config& config);

/// The BigQuery source's settings from pypi.bigquery_* (API root, billing project, bytes guard).
pypi::BigQuerySourceOptions bigquery_options(const Config& config);

/// Syncs `options.packages` from `source`, printing the plan with its cost, a line per window and a
/// summary. Fails when any window failed (the others stay committed).
Expected<pipeline::PypiSyncResult> run_pypi_sync(pypi::DownloadsSource& source,
                                                 const pipeline::PypiSyncOptions& options);

/// Syncs the tracked packages (a backfill from `since` when given), printing the plan with its cost, a
/// line per window and a summary. Fails when any window failed (the others stay committed).
Expected<pipeline::PypiSyncResult> run_pypi_sync(const Config& config, std::optional<pypi::Day> since);

}  // namespace ampere::cli
