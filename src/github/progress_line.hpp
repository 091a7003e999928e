#pragma once
// The one-line progress of a running sync: where it is (repo and endpoint), what it has spent, the rate
// limits left, and, while requests wait for a rate-limit reset, when they resume.

#include <string>

#include "github/client_github_api.hpp"
#include "github/org_syncer.hpp"
#include "util/time.hpp"

namespace ampere::github {

/// Waits shorter than this are pacing, not worth an ETA.
inline constexpr std::chrono::seconds kEtaThreshold{2};

/// "sync org: [3/8] org/repo issues (120 requests, 4 unchanged, rate limit left 4880, GraphQL 4990)",
/// plus ", waiting for the rate limit until 14:05:01Z (ETA 3m 12s)" while a wait lasts.
std::string progress_line(const std::string& org, const SyncProgress& progress, const ApiStats& stats, Timestamp now);

/// A short duration for people: "45s", "3m 12s", "1h 02m".
std::string short_duration(std::chrono::seconds d);

}  // namespace ampere::github
