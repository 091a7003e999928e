#include "util/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

namespace ampere {

namespace fs = std::filesystem;

Expected<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const bool missing = !fs::exists(path);
    return fail(missing ? ErrorKind::not_found : ErrorKind::io,
                fmt::format("cannot read {}: {}", path.string(), missing ? "no such file" : std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

std::string temporary_name(const fs::path& path) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{}.tmp-{}-{:x}", path.string(), ::getpid(), random());
}

Expected<void> write_and_sync(const std::string& temp, std::string_view content, fs::perms mode) {
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) return fail(ErrorKind::io, fmt::format("cannot create {}: {}", temp, std::strerror(errno)));
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return fail(ErrorKind::io, fmt::format("cannot write {}: {}", temp, std::strerror(saved)));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    return fail(ErrorKind::io, fmt::format("cannot flush {}: {}", temp, std::strerror(errno)));
  }
  return {};
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

Expected<void> write_file_atomic(const fs::path& path, std::string_view content, fs::perms mode) {
  const std::string temp = temporary_name(path);
  if (auto ok = write_and_sync(temp, content, mode); !ok) return ok;
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return fail(ErrorKind::io, fmt::format("cannot replace {}: {}", path.string(), std::strerror(saved)));
  }
  sync_directory(path.parent_path());
  return {};
}

Expected<void> create_file_exclusive(const fs::path& path, std::string_view content) {
  const std::string temp = temporary_name(path);
  if (auto ok = write_and_sync(
          temp, content,
          fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
      !ok) {
    return ok;
  }
  // link() fails with EEXIST instead of replacing: exactly one racing writer wins.
  const int rc = ::link(temp.c_str(), path.c_str());
  const int saved = errno;
  ::unlink(temp.c_str());
  if (rc != 0) {
    if (saved == EEXIST) return fail(ErrorKind::conflict, fmt::format("{} already exists", path.string()));
    return fail(ErrorKind::io, fmt::format("cannot create {}: {}", path.string(), std::strerror(saved)));
  }
  sync_directory(path.parent_path());
  return {};
}

}  // namespace ampere
