#pragma once
// Hostile texts for the dashboard's safety tests: script tags, event-handler attributes, javascript:
// links, markdown image trackers, very long and right-to-left strings. `--hostile` puts them into the
// synthetic organization's issue titles and bodies, commit messages, user names and release names.
// tests/e2e/hostile_strings.mjs holds the same list.

#include <span>
#include <string>

namespace ampere::simulator {

/// The hostile strings, the same on every call. The first is the marker the browser tests look for.
std::span<const std::string> hostile_strings();

}  // namespace ampere::simulator
