#include "server/server_metrics.hpp"

#include <fmt/format.h>

namespace ampere::server {

void ServerMetrics::record(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  auto it = latency_.find(route);
  if (it == latency_.end()) it = latency_.emplace(std::string(route), Latency{}).first;
  Latency& l = it->second;
  for (size_t i = 0; i < bucket_bounds.size(); ++i) {
    if (seconds <= bucket_bounds[i]) ++l.buckets[i];
  }
  ++l.count;
  l.sum += seconds;
}

std::string ServerMetrics::prometheus(const std::vector<GaugeSample>& gauges) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP ampere_http_requests_total HTTP requests answered, by route and status.\n";
    out += "# TYPE ampere_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out += fmt::format("ampere_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, n);
    }
    out += "# HELP ampere_http_request_duration_seconds Time to answer a request, by route.\n";
    out += "# TYPE ampere_http_request_duration_seconds histogram\n";
    for (const auto& [route, l] : latency_) {
      for (size_t i = 0; i < bucket_bounds.size(); ++i) {
        out += fmt::format("ampere_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                           bucket_bounds[i], l.buckets[i]);
      }
      out +=
          fmt::format("ampere_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route, l.count);
      out += fmt::format("ampere_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, l.sum);
      out += fmt::format("ampere_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, l.count);
    }
  }
  std::string last_name;
  for (const auto& g : gauges) {
    if (g.name != last_name) {
      out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", g.name, g.help, g.name);
      last_name = g.name;
    }
    out += g.labels.empty() ? fmt::format("{} {}\n", g.name, g.value)
                            : fmt::format("{}{{{}}} {}\n", g.name, g.labels, g.value);
  }
  return out;
}

}  // namespace ampere::server
