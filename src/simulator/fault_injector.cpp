#include "simulator/fault_injector.hpp"

#include <fmt/format.h>

namespace ampere::simulator {

Expected<FaultKind> parse_fault_kind(std::string_view text) {
  if (text == "server-error") return FaultKind::server_error;
  if (text == "connection-reset") return FaultKind::connection_reset;
  if (text == "malformed-json") return FaultKind::malformed_json;
  if (text == "secondary-limit") return FaultKind::secondary_limit;
  return fail(ErrorKind::invalid_input,
              fmt::format("fault '{}' is not known; accepted: server-error, connection-reset, malformed-json, "
                          "secondary-limit",
                          text));
}

Expected<StargazerAccess> parse_stargazer_access(std::string_view text) {
  if (text == "allowed") return StargazerAccess::allowed;
  if (text == "forbidden") return StargazerAccess::forbidden;
  if (text == "empty") return StargazerAccess::empty;
  return fail(ErrorKind::invalid_input,
              fmt::format("stargazer access '{}' is not known; accepted: allowed, forbidden, empty", text));
}

std::optional<FaultKind> FaultInjector::next() {
  if (!forced_.empty()) {
    const FaultKind kind = forced_.front();
    forced_.pop_front();
    return kind;
  }
  const double total = options_.server_error_rate + options_.connection_reset_rate + options_.malformed_json_rate +
                       options_.secondary_limit_rate;
  if (total <= 0.0) return std::nullopt;
  double u = random_.unit();
  for (const auto& [rate, kind] : {std::pair{options_.server_error_rate, FaultKind::server_error},
                                   std::pair{options_.connection_reset_rate, FaultKind::connection_reset},
                                   std::pair{options_.malformed_json_rate, FaultKind::malformed_json},
                                   std::pair{options_.secondary_limit_rate, FaultKind::secondary_limit}}) {
    if (u < rate) return kind;
    u -= rate;
  }
  return std::nullopt;
}

void FaultInjector::fail_next(FaultKind kind, int count) {
  for (int i = 0; i < count; ++i) forced_.push_back(kind);
}

}  // namespace ampere::simulator
