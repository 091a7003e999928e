#pragma once
// Logging to stderr. Never pass a Secret here (it has no formatter, so it cannot compile).

#include <string_view>

#include <fmt/format.h>

namespace ampere::log {

/// Severity; messages below the current level are dropped.
enum class Level { debug, info, warn, error };

/// Sets the level; the CLI reads AMPERE_LOG (debug|info|warn|error) at start-up.
void set_level(Level level);
/// Parses a level name; false if the name is not one.
bool parse_level(std::string_view name, Level& out);

/// Writes one line "2026-11-28T04:35:20Z warn message" to stderr if `level` is enabled.
void write(Level level, std::string_view message);

template <class... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
  write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace ampere::log
