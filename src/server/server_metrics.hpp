#pragma once
// Counters for /metrics in Prometheus' text format: requests by route and status, and a latency
// histogram per route. Gauges the App knows at scrape time (sync ages, rate limit) are added by it.

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ampere::server {

/// One gauge sample: `name{labels} value`.
struct GaugeSample {
  std::string name;
  std::string help;
  std::string labels;  ///< `source="github"` or ""
  double value = 0;
};

/// Request counts and latencies. Thread-safe.
class ServerMetrics {
 public:
  /// Upper bounds (seconds) of the latency histogram's buckets.
  static constexpr std::array<double, 12> bucket_bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  /// Counts one finished request. `route` is the route's pattern (never the raw path: bounded labels).
  void record(std::string_view route, int status, double seconds);

  /// Everything as Prometheus text exposition format 0.0.4, then `gauges`.
  [[nodiscard]] std::string prometheus(const std::vector<GaugeSample>& gauges) const;

 private:
  struct Latency {
    std::array<uint64_t, bucket_bounds.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Latency, std::less<>> latency_;
};

}  // namespace ampere::server
