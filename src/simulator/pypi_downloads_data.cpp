#include "simulator/pypi_downloads_data.hpp"

#include <array>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ampere::simulator {

namespace {

enum class LeafType { string, timestamp, boolean };

struct Leaf {
  std::string path;
  LeafType type;
};

const std::vector<Leaf>& leaves() {
  static const std::vector<Leaf> kLeaves = {
      {"timestamp", LeafType::timestamp},
      {"country_code", LeafType::string},
      {"url", LeafType::string},
      {"project", LeafType::string},
      {"file.filename", LeafType::string},
      {"file.project", LeafType::string},
      {"file.version", LeafType::string},
      {"file.type", LeafType::string},
      {"details.installer.name", LeafType::string},
      {"details.installer.version", LeafType::string},
      {"details.python", LeafType::string},
      {"details.implementation.name", LeafType::string},
      {"details.implementation.version", LeafType::string},
      {"details.distro.name", LeafType::string},
      {"details.distro.version", LeafType::string},
      {"details.distro.id", LeafType::string},
      {"details.distro.libc.lib", LeafType::string},
      {"details.distro.libc.version", LeafType::string},
      {"details.system.name", LeafType::string},
      {"details.system.release", LeafType::string},
      {"details.cpu", LeafType::string},
      {"details.openssl_version", LeafType::string},
      {"details.setuptools_version", LeafType::string},
      {"details.rustc_version", LeafType::string},
      {"details.ci", LeafType::boolean},
      {"tls_protocol", LeafType::string},
      {"tls_cipher", LeafType::string},
  };
  return kLeaves;
}

constexpr std::string_view kCreateTables = R"sql(
SET TimeZone = 'UTC';
CREATE TABLE file_downloads (
  "timestamp" TIMESTAMPTZ, country_code VARCHAR, url VARCHAR, project VARCHAR,
  file STRUCT(filename VARCHAR, project VARCHAR, version VARCHAR, type VARCHAR),
  details STRUCT(installer STRUCT(name VARCHAR, version VARCHAR), python VARCHAR,
                 implementation STRUCT(name VARCHAR, version VARCHAR),
                 distro STRUCT(name VARCHAR, version VARCHAR, id VARCHAR, libc STRUCT(lib VARCHAR, version VARCHAR)),
                 system STRUCT(name VARCHAR, release VARCHAR), cpu VARCHAR, openssl_version VARCHAR,
                 setuptools_version VARCHAR, rustc_version VARCHAR, ci BOOLEAN),
  tls_protocol VARCHAR, tls_cipher VARCHAR);
CREATE TABLE partition_column_bytes (day DATE, column_path VARCHAR, bytes BIGINT);
CREATE TEMP TABLE standin_packages (idx BIGINT, name VARCHAR, versions VARCHAR[], daily BIGINT);
)sql";

// Every choice is an arithmetic hash of (day, package, download), so the rows depend only on the spec.
// $1 first day, $2 number of days, $3 seed.
constexpr std::string_view kGenerate = R"sql(
INSERT INTO file_downloads
WITH days AS (
  SELECT p.idx, p.name, p.versions, p.daily, CAST(d.range AS DATE) AS day,
         CAST(d.range AS DATE) - DATE '2000-01-01' AS dn
  FROM standin_packages p,
       range(CAST($1 AS TIMESTAMP), CAST($1 AS TIMESTAMP) + to_days(CAST($2 AS INTEGER)), INTERVAL 1 DAY) d
), sized AS (
  SELECT *, CAST(daily * (70 + (dn * 37 + idx * 11 + $3) % 61) / 100 AS BIGINT) AS n FROM days
), exploded AS (
  SELECT idx, name, versions, day, dn, unnest(range(n)) AS i FROM sized
), keyed AS (
  SELECT *, (dn * 100003 + idx * 7919 + i * 31 + $3) AS k FROM exploded
), drawn AS (
  SELECT *,
    (k * 2654435761) % 1000003 AS h0, (k * 40503 + 17) % 1000033 AS h1, (k * 69069 + 5) % 1000037 AS h2,
    (k * 1103515245 + 12345) % 1000039 AS h3, (k * 22695477 + 1) % 1000081 AS h4, (k * 134775813 + 3) % 1000099 AS h5
  FROM keyed
), chosen AS (
  SELECT *,
    versions[1 + h1 % len(versions)] AS version,
    CASE WHEN h1 % 5 = 0 THEN '.tar.gz' ELSE '-py3-none-any.whl' END AS suffix,
    ['3.12.1','3.11.7','3.11.7','3.10.13','3.10.13','3.9.18','3.8.18','3.13.0',NULL][1 + h2 % 9] AS python,
    [{'n':'Linux','r':'5.15.0-1051-aws','d':'Ubuntu','v':'22.04','i':'jammy'},
     {'n':'Linux','r':'6.1.61-85.141.amzn2023.x86_64','d':'Amazon Linux','v':'2023','i':NULL},
     {'n':'Linux','r':'4.14.326-245.539.amzn2.x86_64','d':'Amazon Linux','v':'2','i':NULL},
     {'n':'Linux','r':'5.15.0-1052-azure','d':'Ubuntu','v':'22.04','i':'jammy'},
     {'n':'Linux','r':'6.2.0-1018-gcp','d':'Ubuntu','v':'22.04','i':'jammy'},
     {'n':'Linux','r':'5.15.0-1049-gke','d':'Ubuntu','v':'22.04','i':'jammy'},
     {'n':'Linux','r':'5.15.0-1045-oracle','d':'Ubuntu','v':'20.04','i':'focal'},
     {'n':'Linux','r':'5.15.0-88-generic','d':'Ubuntu','v':'22.04','i':'jammy'},
     {'n':'Linux','r':'6.1.0-13-amd64','d':'Debian GNU/Linux','v':'12','i':'bookworm'},
     {'n':'Darwin','r':'23.1.0','d':'macOS','v':'14.1','i':NULL},
     {'n':'Windows','r':'10','d':NULL,'v':NULL,'i':NULL},
     {'n':NULL,'r':NULL,'d':NULL,'v':NULL,'i':NULL}][1 + h3 % 12] AS sys,
    ['US','US','US','DE','GB','IN','CN','FR','JP','BR','CA',NULL][1 + h4 % 12] AS country,
    ['pip','pip','pip','pip','uv','uv','poetry','requests','bandersnatch',NULL][1 + h5 % 10] AS installer,
    [NULL, NULL, NULL, true][1 + (h0 // 7) % 4] AS ci
  FROM drawn
)
SELECT
  CAST(day AS TIMESTAMPTZ) + to_seconds(CAST(h0 % 86400 AS BIGINT)),
  country,
  '/packages/' || name || '/' || version || '/' || replace(name, '-', '_') || '-' || version || suffix,
  name,
  {'filename': replace(name, '-', '_') || '-' || version || suffix, 'project': name, 'version': version,
   'type': CASE WHEN suffix = '.tar.gz' THEN 'sdist' ELSE 'bdist_wheel' END},
  {'installer': {'name': installer, 'version': CASE WHEN installer IS NULL THEN NULL ELSE '24.' || (h5 % 4) END},
   'python': python,
   'implementation': {'name': CASE WHEN python IS NULL THEN NULL ELSE 'CPython' END, 'version': python},
   'distro': {'name': sys.d, 'version': sys.v, 'id': sys.i,
              'libc': {'lib': CASE WHEN sys.n = 'Linux' THEN 'glibc' END,
                       'version': CASE WHEN sys.n = 'Linux' THEN '2.35' END}},
   'system': {'name': sys.n, 'release': sys.r},
   'cpu': CASE WHEN sys.n IS NULL THEN NULL WHEN h2 % 4 = 0 THEN 'aarch64' ELSE 'x86_64' END,
   'openssl_version': 'OpenSSL 3.0.2 15 Mar 2022', 'setuptools_version': '68.2.2',
   'rustc_version': CASE WHEN h4 % 3 = 0 THEN '1.74.0' END, 'ci': ci},
  'TLSv1.3', 'TLS_AES_128_GCM_SHA256'
FROM chosen
ORDER BY 1, 4
)sql";

// The SQL (from the constant leaf list, never from input) that sums each leaf's bytes per day.
std::string partition_bytes_sql() {
  std::string sql = "INSERT INTO partition_column_bytes ";
  bool first = true;
  for (const auto& leaf : leaves()) {
    const std::string column = leaf.path == "timestamp" ? "\"timestamp\"" : leaf.path;
    std::string size;
    switch (leaf.type) {
      case LeafType::string:
        size = fmt::format("sum(CASE WHEN {0} IS NULL THEN 0 ELSE 2 + strlen({0}) END)", column);
        break;
      case LeafType::timestamp:
        size = fmt::format("count({}) * 8", column);
        break;
      case LeafType::boolean:
        size = fmt::format("count({}) * 1", column);
        break;
    }
    if (!first) sql += " UNION ALL ";
    first = false;
    sql += fmt::format("SELECT CAST(\"timestamp\" AS DATE), '{}', CAST({} AS BIGINT) FROM file_downloads GROUP BY 1",
                       leaf.path, size);
  }
  return sql;
}

}  // namespace

std::vector<PackageSpec> python_packages_of(const OrgModel& org) {
  std::vector<PackageSpec> out;
  for (const auto& repo : org.repos()) {
    if (repo.language != "Python" || repo.releases.empty() || repo.deleted) continue;
    PackageSpec package;
    for (const char c : repo.name) {
      const bool separator = c == '-' || c == '_' || c == '.';
      if (separator && !package.name.empty() && package.name.back() == '-') continue;
      package.name += separator ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (const auto& release : repo.releases) {
      package.versions.push_back(release.tag.starts_with("v") ? release.tag.substr(1) : release.tag);
    }
    package.daily_downloads = 40 + 2 * static_cast<int64_t>(repo.stars.size());
    out.push_back(std::move(package));
  }
  return out;
}

std::span<const std::string> file_downloads_leaf_columns() {
  static const std::vector<std::string> kPaths = [] {
    std::vector<std::string> out;
    for (const auto& leaf : leaves()) out.push_back(leaf.path);
    return out;
  }();
  return kPaths;
}

Expected<void> create_file_downloads(db::Connection& connection, const DownloadsSpec& spec) {
  if (auto ok = parse_iso8601(spec.first_day); !ok) return with_context(ok.error(), "synthetic downloads first day");
  if (spec.days < 1) return fail(ErrorKind::invalid_input, "synthetic downloads need at least one day");
  if (auto ok = connection.execute(kCreateTables); !ok) return ok;
  int64_t index = 0;
  for (const auto& package : spec.packages) {
    if (package.versions.empty()) {
      return fail(ErrorKind::invalid_input, fmt::format("synthetic package {} has no versions", package.name));
    }
    auto inserted = connection.query(
        "INSERT INTO standin_packages VALUES ($1, $2, CAST(from_json($3, '[\"VARCHAR\"]') AS VARCHAR[]), $4)", index++,
        package.name, nlohmann::json(package.versions).dump(), package.daily_downloads);
    if (!inserted) return tl::unexpected(inserted.error());
  }
  auto generated = connection.query(kGenerate, spec.first_day, spec.days, static_cast<int64_t>(spec.seed % 1000));
  if (!generated) return tl::unexpected(generated.error());
  if (auto ok = connection.execute(partition_bytes_sql()); !ok) return ok;
  return connection.execute("DROP TABLE standin_packages");
}

Expected<int64_t> bytes_scanned(db::Connection& connection, const ScanPlan& plan) {
  const std::vector<std::string> columns(plan.columns.begin(), plan.columns.end());
  const db::Param first = plan.first_day ? db::Param(format_date(*plan.first_day)) : db::Param(nullptr);
  const db::Param last = plan.last_day ? db::Param(format_date(*plan.last_day)) : db::Param(nullptr);
  auto result = connection.query(
      "SELECT CAST(coalesce(sum(bytes), 0) AS BIGINT) FROM partition_column_bytes "
      "WHERE list_contains(CAST(from_json($1, '[\"VARCHAR\"]') AS VARCHAR[]), column_path) "
      "AND ($2 IS NULL OR day >= CAST($2 AS DATE)) AND ($3 IS NULL OR day <= CAST($3 AS DATE))",
      nlohmann::json(columns).dump(), first, last);
  if (!result) return tl::unexpected(result.error());
  return result->int64(0, 0);
}

}  // namespace ampere::simulator
