#pragma once
// A BigQuery stand-in on loopback with a fresh test key pair (generated here, never a real key), a key
// file pointing at it, and a shared fake clock, for the BigQuery client and source tests.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "pypi/bigquery_client.hpp"
#include "pypi/bigquery_source.hpp"
#include "simulator/bigquery_standin.hpp"
#include "simulator/bigquery_test_key.hpp"
#include "support/temp_dir.hpp"

namespace ampere::testing {

/// A clock tests move by hand; shared by the client and the stand-in.
class ManualClock {
 public:
  explicit ManualClock(Timestamp start) : micros_(start.time_since_epoch().count()) {}
  [[nodiscard]] Timestamp now() const { return Timestamp(std::chrono::microseconds(micros_.load())); }
  void advance(std::chrono::seconds by) {
    micros_ += std::chrono::duration_cast<std::chrono::microseconds>(by).count();
  }
  /// For options' std::function<Timestamp()> clocks.
  [[nodiscard]] std::function<Timestamp()> function() const {
    return [this] { return now(); };
  }

 private:
  std::atomic<int64_t> micros_;
};

inline constexpr const char* kTestEmail = "ampere-test@standin-project.iam.gserviceaccount.com";
inline constexpr const char* kTestProject = "standin-project";

/// The synthetic table every BigQuery test uses: three packages over ten days of November 2026.
inline simulator::DownloadsSpec test_downloads_spec() {
  simulator::DownloadsSpec spec;
  spec.packages = {
      {"alpha", {"1.0.0", "1.1.0", "2.0.0"}, 120}, {"beta-pkg", {"0.1.0", "0.2.0"}, 45}, {"gamma", {"3.4.5"}, 8}};
  spec.first_day = "2026-11-01";
  spec.days = 10;
  spec.seed = 11;
  return spec;
}

/// One test key pair per process: RSA generation takes a moment.
inline const simulator::TestKeyPair& test_key_pair() {
  static const simulator::TestKeyPair pair = *simulator::generate_test_key_pair();
  return pair;
}

/// A running stand-in, the key file for it, and ready-made client options.
class StandinHarness {
 public:
  explicit StandinHarness(int pending_polls = 2, int64_t token_lifetime = 3600) : clock(now_utc()) {
    simulator::BigQueryStandinOptions options;
    options.data = test_downloads_spec();
    options.public_key_pem = test_key_pair().public_key_pem;
    options.client_email = kTestEmail;
    options.pending_polls = pending_polls;
    options.token_lifetime_seconds = token_lifetime;
    options.clock = clock.function();
    auto created = simulator::BigQueryStandin::create(std::move(options));
    if (!created) throw std::runtime_error(created.error().message);
    standin = std::move(*created);
    auto url = standin->start();
    if (!url) throw std::runtime_error(url.error().message);
    key_file = dir.write("key.json", simulator::service_account_key_json(test_key_pair(), kTestEmail, kTestProject,
                                                                         standin->token_url()));
  }

  /// Source options aimed at the stand-in: fast retries, small pages, the shared clock.
  [[nodiscard]] pypi::BigQuerySourceOptions source_options() const {
    pypi::BigQuerySourceOptions o;
    o.client.api_url = standin->api_url();
    o.client.page_rows = 500;
    o.client.backoff = std::chrono::milliseconds(1);
    o.client.http.total_timeout = std::chrono::milliseconds(20'000);
    o.tokens.clock = clock.function();
    return o;
  }

  /// A source from the key file.
  [[nodiscard]] std::unique_ptr<pypi::BigQuerySource> source(const pypi::BigQuerySourceOptions& o) const {
    auto made = pypi::BigQuerySource::from_key_file(key_file, o);
    if (!made) throw std::runtime_error(made.error().message);
    return std::move(*made);
  }

  ManualClock clock;
  TempDir dir;
  std::unique_ptr<simulator::BigQueryStandin> standin;
  std::filesystem::path key_file;
};

/// Day number d (0-based) of the test table, as a pypi::Day.
inline pypi::Day test_day(int d) {
  return std::chrono::sys_days(std::chrono::year(2026) / std::chrono::November / 1) + std::chrono::days(d);
}

}  // namespace ampere::testing
