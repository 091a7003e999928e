#include "cli/serve_lock.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/files.hpp"

namespace ampere::cli {

namespace fs = std::filesystem;

namespace {

fs::path lock_file(const fs::path& data_dir) {
  return data_dir / "ampere.lock";
}

bool process_alive(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

}  // namespace

std::optional<ServeLockInfo> find_server(const fs::path& data_dir) {
  auto text = read_file(lock_file(data_dir));
  if (!text) return std::nullopt;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  ServeLockInfo info{json.value("pid", 0L), json.value("bind", std::string("127.0.0.1")), json.value("port", 0)};
  if (!process_alive(info.pid) || info.pid == ::getpid()) return std::nullopt;
  return info;
}

Expected<ServeLock> ServeLock::acquire(const fs::path& data_dir, const std::string& bind, int port) {
  if (const auto other = find_server(data_dir)) {
    return fail(ErrorKind::conflict,
                fmt::format("ampere serve (pid {}) already serves {} at http://{}:{}/; stop it first or use another "
                            "--data-dir",
                            other->pid, data_dir.string(), other->bind, other->port));
  }
  const nlohmann::json json = {{"pid", ::getpid()}, {"bind", bind}, {"port", port}};
  if (auto ok = write_file_atomic(lock_file(data_dir), json.dump() + "\n"); !ok) return tl::unexpected(ok.error());
  return ServeLock(lock_file(data_dir));
}

ServeLock::ServeLock(ServeLock&& other) noexcept : file_(std::move(other.file_)) {
  other.file_.clear();
}

ServeLock::~ServeLock() {
  release();
}

void ServeLock::release() {
  if (file_.empty()) return;
  std::error_code ec;
  fs::remove(file_, ec);
  file_.clear();
}

}  // namespace ampere::cli
