#include "github/request_stats.hpp"

#include <fmt/format.h>

namespace ampere::github {

void RequestCounts::add(const RequestCounts& other) {
  requests += other.requests;
  not_modified += other.not_modified;
  retries += other.retries;
  rate_limit_waits += other.rate_limit_waits;
  wait_seconds += other.wait_seconds;
  graphql_points += other.graphql_points;
}

RequestCounts& RequestStats::at(std::string_view family) {
  auto it = families_.find(family);
  if (it == families_.end()) it = families_.emplace(std::string(family), RequestCounts{}).first;
  return it->second;
}

void RequestStats::record_request(std::string_view family) {
  const std::lock_guard lock(mutex_);
  ++at(family).requests;
}

void RequestStats::record_not_modified(std::string_view family) {
  const std::lock_guard lock(mutex_);
  ++at(family).not_modified;
}

void RequestStats::record_retry(std::string_view family) {
  const std::lock_guard lock(mutex_);
  ++at(family).retries;
}

void RequestStats::record_wait(std::string_view family, std::chrono::duration<double> waited, bool rate_limited) {
  const std::lock_guard lock(mutex_);
  auto& counts = at(family);
  counts.wait_seconds += waited.count();
  if (rate_limited) ++counts.rate_limit_waits;
}

void RequestStats::record_graphql_points(std::string_view family, std::uint64_t points) {
  const std::lock_guard lock(mutex_);
  at(family).graphql_points += points;
}

RequestCounts RequestStats::total() const {
  const std::lock_guard lock(mutex_);
  RequestCounts sum;
  for (const auto& [family, counts] : families_) sum.add(counts);
  return sum;
}

std::map<std::string, RequestCounts> RequestStats::by_family() const {
  const std::lock_guard lock(mutex_);
  return {families_.begin(), families_.end()};
}

namespace {
std::string line(std::string_view name, const RequestCounts& c) {
  return fmt::format(
      "{}: {} requests, {} not modified (free), {} retries, {} rate-limit waits, {:.1f} s waited, "
      "{} GraphQL points",
      name, c.requests, c.not_modified, c.retries, c.rate_limit_waits, c.wait_seconds, c.graphql_points);
}
}  // namespace

std::string RequestStats::summary() const {
  const auto families = by_family();
  RequestCounts sum;
  for (const auto& [family, counts] : families) sum.add(counts);
  std::string out = line("GitHub total", sum) + "\n";
  for (const auto& [family, counts] : families) out += "  " + line(family, counts) + "\n";
  return out;
}

}  // namespace ampere::github
