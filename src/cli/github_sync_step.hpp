#pragma once
// The GitHub sync as the CLI runs it (`ampere sync`, `ampere demo`): progress on the terminal while it
// runs, then a summary of what it fetched and cost, and a plain statement of anything it could not get.

#include <filesystem>
#include <string>

#include "pipeline/github_sync.hpp"
#include "util/error.hpp"

namespace ampere::cli {

/// Syncs `options.org`, printing progress to stderr and the summary to stdout.
Expected<pipeline::GithubSyncResult> run_github_sync(const pipeline::GithubSyncOptions& options);

}  // namespace ampere::cli
