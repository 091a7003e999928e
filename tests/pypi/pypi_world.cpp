#include "pypi/pypi_world.hpp"

#include <fmt/format.h>

#include "db/database.hpp"
#include "lake/lake_views.hpp"
#include "util/time.hpp"
#include "warehouse/data_test.hpp"
#include "warehouse/model_runner.hpp"
#include "warehouse/source_catalog.hpp"

namespace ampere::testing {

Day today_utc() {
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

std::string day_text(Day day) {
  return format_date(Timestamp(day));
}

std::vector<RawDownload> downloads_on(const std::string& project, Day day) {
  static const char* versions[] = {"1.0.0", "1.1.2", "2.0.1", "0.9"};
  static const char* pythons[] = {"3.11.4", "3.12.1", "3.9.18", "3.10.2", ""};
  struct System {
    const char* name;
    const char* release;
    const char* distro;
    const char* distro_version;
  };
  static const System systems[] = {{"Linux", "6.5.0-1017-aws", "Ubuntu", "22.04"},
                                   {"Linux", "6.8.0-45-generic", "Ubuntu", "24.04"},
                                   {"Darwin", "23.5.0", "macOS", "14.5"},
                                   {"Windows", "10", "", ""},
                                   {"Linux", "5.15.0-1064-azure", "Ubuntu", "22.04"}};
  static const char* countries[] = {"US", "DE", "IN"};
  static const char* installers[] = {"pip", "uv", "poetry"};
  const auto n = static_cast<int>(day.time_since_epoch().count());
  const int count = 3 + (n % 5) * 2;
  std::vector<RawDownload> out;
  for (int j = 0; j < count; ++j) {
    const System& s = systems[(n * 3 + j) % 5];
    const int hour = (j * 7 + n) % 24;
    out.push_back(RawDownload{fmt::format("{} {:02}:{:02}:00", day_text(day), hour, (j * 13) % 60), project,
                              versions[(n + j) % 4], pythons[j % 5], s.name, s.release, s.distro, s.distro_version,
                              countries[(n + 2 * j) % 3], installers[(n + j) % 3]});
  }
  return out;
}

namespace {

std::string major_minor(const std::string& v) {
  if (v.empty()) return "unknown";
  const size_t first = v.find('.');
  if (first == std::string::npos) return v;
  const size_t second = v.find('.', first + 1);
  return second == std::string::npos ? v : v.substr(0, second);
}

std::string cloud_of(const RawDownload& d) {
  if (d.system_name != "Linux") return "n/a";
  if (d.system_release.ends_with("-aws")) return "aws";
  if (d.system_release.ends_with("-azure")) return "azure";
  return "other / on-premises";
}

}  // namespace

void Truth::add(const RawDownload& d) {
  per_day[d.timestamp.substr(0, 10)] += 1;
  per_group[{"overall", "overall"}] += 1;
  per_group[{"package_version", major_minor(d.version)}] += 1;
  per_group[{"python_version", major_minor(d.python)}] += 1;
  per_group[{"system", d.system_name}] += 1;
  per_group[{"cloud", cloud_of(d)}] += 1;
  per_group[{"country", d.country}] += 1;
  per_group[{"installer", d.installer}] += 1;
  per_group[{"ci", "unknown"}] += 1;  // ClickPy has no CI column
  total += 1;
}

std::vector<std::string> query_warehouse(const std::string& data_dir, const std::vector<std::string>& sqls,
                                         bool* build_ok, std::string* problems) {
  std::vector<std::string> out;
  auto database = db::Database::open("");
  if (!database) return {"ERROR " + database.error().message};
  auto connection = (*database)->connect();
  if (!connection) return {"ERROR " + connection.error().message};
  auto models = warehouse::embedded_models();
  auto tests = warehouse::embedded_data_tests();
  auto sources = warehouse::embedded_sources();
  if (!models || !tests || !sources) return {"ERROR embedded files"};
  if (auto ok = lake::attach_lake_views(*connection, std::filesystem::path(data_dir) / "lake"); !ok) {
    return {"ERROR " + ok.error().message};
  }
  if (auto ok = warehouse::ensure_source_views(*connection, *sources); !ok) return {"ERROR " + ok.error().message};
  auto report = warehouse::build_models(*connection, *models, *tests);
  if (!report) return {"ERROR " + report.error().message};
  *build_ok = report->ok();
  for (const auto& m : report->models) {
    if (m.status != warehouse::ModelStatus::built) *problems += m.name + ": " + m.error + "\n";
    for (const auto& f : m.failures) {
      *problems += m.name + ": " + f.test.label() + " " + (f.sample.empty() ? "" : f.sample.front()) + "\n";
    }
  }
  for (const auto& sql : sqls) {
    auto result = connection->query(sql);
    if (!result) {
      out.push_back("ERROR " + result.error().message);
      continue;
    }
    for (size_t r = 0; r < result->row_count(); ++r) {
      std::string line;
      for (size_t c = 0; c < result->column_count(); ++c) {
        if (c > 0) line += " | ";
        line += result->is_null(c, r) ? "NULL" : result->text(c, r);
      }
      out.push_back(line);
    }
  }
  return out;
}

std::map<std::string, std::string> sync_env(const std::string& clickhouse_url, const std::string& packages,
                                            int window_days) {
  return {{"AMPERE_CONFIG", ""},
          {"AMPERE_PYPI_SOURCE", "clickpy"},
          {"AMPERE_CLICKPY_URL", clickhouse_url},
          {"AMPERE_PYPI_PACKAGES", packages},
          {"AMPERE_PYPI_WINDOW_DAYS", std::to_string(window_days)},
          {"GOOGLE_APPLICATION_CREDENTIALS", ""}};
}

}  // namespace ampere::testing
