#include "pypi/bigquery_downloads_query.hpp"

#include <fmt/format.h>

namespace ampere::pypi {

namespace {

constexpr const char* kSql = R"sql(SELECT
  TIMESTAMP_TRUNC(`timestamp`, HOUR) AS bucket_start,
  project AS package,
  file.version AS package_version,
  details.python AS python_version,
  details.system.name AS system_name,
  details.system.release AS system_release,
  details.distro.name AS distro_name,
  details.distro.version AS distro_version,
  country_code AS country,
  details.installer.name AS installer,
  details.ci AS ci,
  COUNT(*) AS downloads
FROM `bigquery-public-data.pypi.file_downloads`
WHERE `timestamp` >= @start
  AND `timestamp` < @end
  AND project IN UNNEST(@packages)
GROUP BY bucket_start, package, package_version, python_version, system_name, system_release, distro_name,
  distro_version, country, installer, ci)sql";

}  // namespace

std::string bigquery_timestamp_value(Timestamp t) {
  const std::string iso = format_iso8601(std::chrono::floor<std::chrono::seconds>(t));  // "2026-11-27T00:00:00Z"
  return fmt::format("{} {}+00:00", iso.substr(0, 10), iso.substr(11, 8));
}

BigQueryQuery bigquery_downloads_query(const DownloadWindow& window) {
  BigQueryQuery query;
  query.sql = kSql;
  query.parameters.push_back(
      BigQueryParameter::scalar("start", "TIMESTAMP", bigquery_timestamp_value(Timestamp(window.first_day))));
  query.parameters.push_back(BigQueryParameter::scalar(
      "end", "TIMESTAMP", bigquery_timestamp_value(Timestamp(window.last_day + std::chrono::days(1)))));
  query.parameters.push_back(BigQueryParameter::array("packages", "STRING", window.packages));
  return query;
}

}  // namespace ampere::pypi
