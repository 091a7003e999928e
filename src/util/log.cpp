#include "util/log.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "util/time.hpp"

namespace ampere::log {

namespace {
std::atomic<Level> current_level{Level::info};
std::mutex output_mutex;

std::string_view name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "?";
}
}  // namespace

void set_level(Level level) {
  current_level = level;
}

bool parse_level(std::string_view text, Level& out) {
  for (const Level level : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (text == name(level)) {
      out = level;
      return true;
    }
  }
  return false;
}

void write(Level level, std::string_view message) {
  if (level < current_level.load()) return;
  const std::string stamp = format_iso8601(std::chrono::floor<std::chrono::seconds>(now_utc()));
  const std::lock_guard lock(output_mutex);
  std::fprintf(stderr, "%s %-5s %.*s\n", stamp.c_str(), name(level).data(), static_cast<int>(message.size()),
               message.data());
}

}  // namespace ampere::log
