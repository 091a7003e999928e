#pragma once
// The lock file `ampere serve` keeps in its data dir (pid and port), so that other ampere commands
// on the same data dir can find the running server instead of failing on DuckDB's file lock.

#include <filesystem>
#include <optional>
#include <string>

#include "util/error.hpp"

namespace ampere::cli {

/// Who holds a data dir.
struct ServeLockInfo {
  long pid = 0;
  std::string bind;
  int port = 0;
};

/// The live server holding `data_dir`, if any (a lock left by a dead process does not count).
std::optional<ServeLockInfo> find_server(const std::filesystem::path& data_dir);

/// Held while a server runs; removes the lock file when destroyed.
class ServeLock {
 public:
  /// Takes the data dir for this process. A conflict error when a live server already holds it.
  static Expected<ServeLock> acquire(const std::filesystem::path& data_dir, const std::string& bind, int port);
  ServeLock(ServeLock&& other) noexcept;
  ServeLock& operator=(ServeLock&&) = delete;
  ServeLock(const ServeLock&) = delete;
  ~ServeLock();
  /// Removes the lock file now (before a quick exit that runs no destructors).
  void release();

 private:
  explicit ServeLock(std::filesystem::path file) : file_(std::move(file)) {}
  std::filesystem::path file_;
};

}  // namespace ampere::cli
