#include "github/progress_line.hpp"

#include <fmt/format.h>

namespace ampere::github {

std::string short_duration(std::chrono::seconds d) {
  const long long s = std::max<long long>(0, d.count());
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m {:02}s", s / 60, s % 60);
  return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
}

std::string progress_line(const std::string& org, const SyncProgress& progress, const ApiStats& stats, Timestamp now) {
  std::string line = fmt::format("sync {}: ", org);
  if (!progress.repo.empty()) {
    line += fmt::format("[{}/{}] {} ", progress.repo_index + 1, progress.repo_count, progress.repo);
  }
  line += fmt::format("{} ({} requests, {} unchanged", progress.entity, stats.requests, stats.not_modified);
  if (stats.rest_remaining >= 0) line += fmt::format(", rate limit left {}", stats.rest_remaining);
  if (stats.graphql_remaining >= 0) line += fmt::format(", GraphQL {}", stats.graphql_remaining);
  line += ')';
  if (stats.waiting_until && *stats.waiting_until - now >= kEtaThreshold) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(*stats.waiting_until - now);
    line += fmt::format(", waiting for the rate limit until {} (ETA {})",
                        format_iso8601(std::chrono::floor<std::chrono::seconds>(*stats.waiting_until)),
                        short_duration(left));
  }
  return line;
}

}  // namespace ampere::github
