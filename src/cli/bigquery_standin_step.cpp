#include "cli/bigquery_standin_step.hpp"

#include <filesystem>

#include "simulator/bigquery_test_key.hpp"
#include "util/files.hpp"
#include "util/time.hpp"

namespace ampere::cli {

Expected<std::unique_ptr<simulator::BigQueryStandin>> start_bigquery_standin(const simulator::OrgModel& org,
                                                                             const std::string& bind, int port,
                                                                             const std::string& key_path) {
  auto pair = simulator::generate_test_key_pair();
  if (!pair) return tl::unexpected(pair.error());
  simulator::BigQueryStandinOptions options;
  options.data.packages = simulator::python_packages_of(org);
  if (options.data.packages.empty()) {
    return fail(ErrorKind::invalid_input, "the organization has no Python repos with releases to serve downloads of");
  }
  options.data.first_day = format_date(start_of_day(now_utc()) - std::chrono::days(kStandinDays));
  options.data.days = kStandinDays;
  options.public_key_pem = pair->public_key_pem;
  auto standin = simulator::BigQueryStandin::create(std::move(options));
  if (!standin) return tl::unexpected(standin.error());
  auto url = (*standin)->start(bind, port);
  if (!url) return tl::unexpected(url.error());
  const std::string key = simulator::service_account_key_json(*pair, "ampere-standin@standin.iam.gserviceaccount.com",
                                                              "standin-project", (*standin)->token_url());
  if (auto ok =
          write_file_atomic(key_path, key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
      !ok) {
    return tl::unexpected(ok.error());
  }
  return std::move(*standin);
}

}  // namespace ampere::cli
