#pragma once
// The one query ampere runs on `bigquery-public-data.pypi.file_downloads`: hourly download counts of a
// set of packages over a window of whole UTC days, grouped by every attribute a DownloadRow carries.
// The text is a constant; packages and bounds travel as named parameters (@packages, @start, @end).
// The `timestamp` bounds are constants per query, so BigQuery prunes to the window's day partitions.

#include "pypi/bigquery_query.hpp"
#include "pypi/downloads_source.hpp"

namespace ampere::pypi {

/// The result columns, in order, as the query names them.
inline constexpr const char* bigquery_download_columns[] = {
    "bucket_start", "package",        "package_version", "python_version", "system_name", "system_release",
    "distro_name",  "distro_version", "country",         "installer",      "ci",          "downloads"};

/// The query for `window`: @packages ARRAY<STRING>, @start and @end TIMESTAMP (end exclusive: the
/// midnight after last_day).
BigQueryQuery bigquery_downloads_query(const DownloadWindow& window);

/// "2026-11-27 00:00:00+00:00": a TIMESTAMP parameter value BigQuery parses as UTC.
std::string bigquery_timestamp_value(Timestamp t);

}  // namespace ampere::pypi
