#pragma once
// A real clickhouse-server (Debian's, /usr/sbin/clickhouse-server) for tests and benchmarks: started as a
// child process in a temporary folder on a free loopback port, with a `play` user and the tables of
// ClickPy's `pypi` database; stopped (by its pid) when the object goes away.
//
// The tables follow ClickPy's schema (github.com/ClickHouse/clickpy) as far as ClickHouse 18.16 allows:
// DateTime instead of DateTime64, String instead of LowCardinality(String), and pypi_downloads_per_day
// filled by a materialized view from the raw table, as on ClickPy.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "http/client.hpp"

namespace ampere::testing {

/// One download as ClickPy's raw table holds it (each raw row is one download).
struct RawDownload {
  std::string timestamp;  ///< "YYYY-MM-DD HH:MM:SS", UTC
  std::string project;
  std::string version;
  std::string python;
  std::string system_name;
  std::string system_release;
  std::string distro_name;
  std::string distro_version;
  std::string country;
  std::string installer;
};

/// The server. Check ok() before use; error() says why it did not start.
class LocalClickhouse {
 public:
  /// Starts the server on the first free port in [first_port, last_port] and creates ClickPy's tables.
  LocalClickhouse(int first_port, int last_port);
  ~LocalClickhouse();
  LocalClickhouse(const LocalClickhouse&) = delete;
  LocalClickhouse& operator=(const LocalClickhouse&) = delete;

  [[nodiscard]] bool ok() const { return error_.empty(); }
  [[nodiscard]] const std::string& error() const { return error_; }
  /// http://127.0.0.1:PORT
  [[nodiscard]] std::string url() const;
  [[nodiscard]] int port() const { return port_; }

  /// Runs `sql` as the default user; returns the body, or "ERROR <status>: <body>".
  std::string query(const std::string& sql);
  /// Inserts `rows` into pypi.pypi (JSONEachRow, in batches).
  std::string insert(const std::vector<RawDownload>& rows);

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string error_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace ampere::testing
