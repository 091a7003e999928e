#pragma once
// Deterministic fault injection for the simulator: which request fails and how, drawn from a seeded
// generator (so a run with the same seed and request order fails the same way), or forced for the
// next N requests so tests can say exactly which requests fail.

#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

#include "simulator/random.hpp"
#include "util/error.hpp"

namespace ampere::simulator {

/// A way for a request to fail.
enum class FaultKind {
  server_error,      ///< 502 or 503 with a JSON message
  connection_reset,  ///< the connection closes after the headers, without a body
  malformed_json,    ///< 200 with the JSON body cut in half
  secondary_limit,   ///< 403 "You have exceeded a secondary rate limit" with retry-after
};

/// Parses "server-error", "connection-reset", "malformed-json" or "secondary-limit".
Expected<FaultKind> parse_fault_kind(std::string_view text);

/// What GET /repos/{o}/{r}/stargazers answers (GitHub restricted it to collaborators in 2026).
enum class StargazerAccess {
  allowed,    ///< the list, as before
  forbidden,  ///< 403 "Must have push access to view repository stargazers"
  empty,      ///< 200 []
};

/// Parses "allowed", "forbidden" or "empty".
Expected<StargazerAccess> parse_stargazer_access(std::string_view text);

/// Fault rates (fractions of requests, 0..1) and fixed behaviours.
struct FaultOptions {
  double server_error_rate = 0.0;
  double connection_reset_rate = 0.0;
  double malformed_json_rate = 0.0;
  double secondary_limit_rate = 0.0;
  int latency_ms = 0;            ///< added to every API request
  int retry_after_seconds = 60;  ///< the retry-after of secondary-limit answers
  StargazerAccess stargazers = StargazerAccess::allowed;
};

/// Decides, request by request, whether to inject a fault. Not thread-safe: call under a lock.
class FaultInjector {
 public:
  FaultInjector(FaultOptions options, uint64_t seed) : options_(options), random_(seed ^ 0x6661756c7473ULL) {}

  /// The fault for the next API request, if any: forced ones first, then by the configured rates.
  std::optional<FaultKind> next();
  /// Forces `kind` on the next `count` API requests.
  void fail_next(FaultKind kind, int count);
  /// Replaces the options (rates, latency, stargazer access); forced faults stay queued.
  void set_options(const FaultOptions& options) { options_ = options; }
  /// The current options.
  [[nodiscard]] const FaultOptions& options() const { return options_; }
  /// A deterministic draw in [0, 1): picks 502 vs 503.
  double draw() { return random_.unit(); }

 private:
  FaultOptions options_;
  Random random_;
  std::deque<FaultKind> forced_;
};

}  // namespace ampere::simulator
