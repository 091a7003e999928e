#include "pypi/local_clickhouse.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ampere::testing {

namespace {

constexpr const char* kServer = "/usr/sbin/clickhouse-server";
constexpr auto kStartTimeout = std::chrono::seconds(40);

bool port_free(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return free;
}

const char* kSchema[] = {
    "CREATE DATABASE IF NOT EXISTS pypi",
    "CREATE TABLE pypi.pypi (timestamp DateTime, date Date MATERIALIZED toDate(timestamp), country_code String, "
    "url String, project String, file Tuple(filename String, project String, version String, type String), "
    "installer Tuple(name String, version String), python String, implementation Tuple(name String, version "
    "String), distro Tuple(name String, version String, id String, libc Tuple(lib String, version String)), "
    "system Tuple(name String, release String), cpu String) ENGINE = MergeTree ORDER BY (project, date)",
    "CREATE TABLE pypi.pypi_downloads_per_day (date Date, project String, count Int64) ENGINE = SummingMergeTree "
    "ORDER BY (project, date)",
    "CREATE MATERIALIZED VIEW pypi.pypi_downloads_per_day_mv TO pypi.pypi_downloads_per_day AS SELECT date, "
    "project, toInt64(count()) AS count FROM pypi.pypi GROUP BY date, project",
};

}  // namespace

LocalClickhouse::LocalClickhouse(int first_port, int last_port) {
  if (::access(kServer, X_OK) != 0) {
    error_ = fmt::format("{} is not installed: run scripts/setup --tests (Debian package clickhouse-server)", kServer);
    return;
  }
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/ampere-clickhouse-XXXXXX";
  dir_ = ::mkdtemp(pattern.data());
  for (int p = first_port; p <= last_port && port_ == 0; ++p) {
    if (port_free(p)) port_ = p;
  }
  if (port_ == 0) {
    error_ = fmt::format("no free port in {}..{}", first_port, last_port);
    return;
  }
  std::ofstream(dir_ / "config.xml") << fmt::format(
      "<yandex>\n  <logger><level>warning</level><console>1</console></logger>\n"
      "  <http_port>{}</http_port>\n  <listen_host>127.0.0.1</listen_host>\n"
      "  <path>{}/data/</path>\n  <tmp_path>{}/tmp/</tmp_path>\n  <users_config>users.xml</users_config>\n"
      "  <default_profile>default</default_profile>\n  <default_database>default</default_database>\n"
      "  <timezone>UTC</timezone>\n  <mark_cache_size>5368709120</mark_cache_size>\n</yandex>\n",
      port_, dir_.string(), dir_.string());
  std::ofstream(dir_ / "users.xml")
      << "<yandex>\n  <profiles><default></default></profiles>\n  <users>\n"
         "    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
         "<quota>default</quota></default>\n"
         "    <play><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
         "<quota>default</quota></play>\n"
         "  </users>\n  <quotas><default></default></quotas>\n</yandex>\n";
  const std::string config = "--config-file=" + (dir_ / "config.xml").string();
  const std::string log = (dir_ / "server.log").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    if (::chdir(dir_.c_str()) != 0) ::_exit(126);
    FILE* out = std::freopen(log.c_str(), "w", stdout);
    FILE* err = std::freopen(log.c_str(), "a", stderr);
    (void)out;
    (void)err;
    ::execl(kServer, kServer, config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  http::ClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(2000);
  client_ = std::make_unique<http::Client>(options);
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (true) {
    auto r = client_->get(url() + "/ping");
    if (r && r->status == 200) break;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream in(log);
      error_ = "clickhouse-server exited at start: " + std::string(std::istreambuf_iterator<char>(in), {});
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      error_ = "clickhouse-server did not answer /ping in time";
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  for (const char* sql : kSchema) {
    const std::string r = query(sql);
    if (r.starts_with("ERROR")) {
      error_ = fmt::format("creating ClickPy's tables: {}", r);
      return;
    }
  }
}

LocalClickhouse::~LocalClickhouse() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string LocalClickhouse::url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

std::string LocalClickhouse::query(const std::string& sql) {
  auto r = client_->post(url() + "/?user=default", sql, "text/plain");
  if (!r) return "ERROR transport: " + r.error().message;
  if (r->status != 200) return fmt::format("ERROR {}: {}", r->status, r->body);
  return r->body;
}

std::string LocalClickhouse::insert(const std::vector<RawDownload>& rows) {
  constexpr size_t kBatch = 50'000;
  for (size_t start = 0; start < rows.size(); start += kBatch) {
    std::string body = "INSERT INTO pypi.pypi FORMAT JSONEachRow\n";
    for (size_t i = start; i < std::min(rows.size(), start + kBatch); ++i) {
      const auto& d = rows[i];
      nlohmann::json j{{"timestamp", d.timestamp},
                       {"country_code", d.country},
                       {"url", ""},
                       {"project", d.project},
                       {"file", {d.project + "-" + d.version + ".tar.gz", d.project, d.version, "sdist"}},
                       {"installer", {d.installer, ""}},
                       {"python", d.python},
                       {"implementation", {"CPython", d.python}},
                       {"distro", {d.distro_name, d.distro_version, "", {"glibc", ""}}},
                       {"system", {d.system_name, d.system_release}},
                       {"cpu", "x86_64"}};
      body += j.dump() + "\n";
    }
    const std::string r = query(body);
    if (r.starts_with("ERROR")) return r;
  }
  return "";
}

}  // namespace ampere::testing
