#pragma once
// Entry point of the `ampere` program.

namespace ampere::cli {

/// Parses argv, runs the chosen subcommand and returns the exit code. The one top-level catch for
/// the CLI lives here.
int run(int argc, char** argv);

}  // namespace ampere::cli
