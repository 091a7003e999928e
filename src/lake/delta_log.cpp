#include "lake/delta_log.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/files.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

constexpr int kVersionDigits = 20;

// The number in a file name's digits, or nullopt when it does not fit a version.
std::optional<int64_t> parse_number(const std::string& digits) {
  int64_t value = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, error] = std::from_chars(digits.data(), end, value);
  if (error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::string version_stem(int64_t version) {
  return fmt::format("{:0{}}", version, kVersionDigits);
}

int64_t LogListing::latest() const {
  int64_t latest = commits.empty() ? -1 : commits.back();
  if (!checkpoints.empty()) latest = std::max(latest, checkpoints.back().version);
  return latest;
}

DeltaLog::DeltaLog(fs::path table_root) : table_root_(std::move(table_root)) {}

fs::path DeltaLog::commit_path(int64_t version) const {
  return log_dir() / (version_stem(version) + ".json");
}

fs::path DeltaLog::checkpoint_path(int64_t version) const {
  return log_dir() / (version_stem(version) + ".checkpoint.parquet");
}

Expected<LogListing> DeltaLog::list() const {
  static const std::regex commit_name(R"((\d{20})\.json)");
  static const std::regex classic_name(R"((\d{20})\.checkpoint\.parquet)");
  static const std::regex part_name(R"((\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet)");
  LogListing listing;
  std::error_code ec;
  if (!fs::exists(log_dir(), ec)) return listing;
  std::map<int64_t, std::vector<fs::path>> classic;
  // version -> (parts expected -> part paths found)
  std::map<int64_t, std::map<int64_t, std::vector<fs::path>>> multi;
  for (fs::directory_iterator it(log_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::smatch match;
    if (std::regex_match(name, match, commit_name)) {
      if (const auto version = parse_number(match[1].str())) listing.commits.push_back(*version);
    } else if (std::regex_match(name, match, classic_name)) {
      if (const auto version = parse_number(match[1].str())) classic[*version].push_back(it->path());
    } else if (std::regex_match(name, match, part_name)) {
      const auto version = parse_number(match[1].str());
      const auto parts = parse_number(match[3].str());
      if (version && parts) multi[*version][*parts].push_back(it->path());
    }
  }
  if (ec) return fail(ErrorKind::io, fmt::format("cannot list {}: {}", log_dir().string(), ec.message()));
  std::sort(listing.commits.begin(), listing.commits.end());
  std::map<int64_t, CheckpointFiles> checkpoints;
  for (auto& [version, paths] : classic) checkpoints[version] = CheckpointFiles{version, {paths.front()}};
  for (auto& [version, by_count] : multi) {
    if (checkpoints.contains(version)) continue;
    for (auto& [count, paths] : by_count) {
      // A multi-part checkpoint with a missing part is incomplete and must be ignored.
      if (static_cast<int64_t>(paths.size()) != count) continue;
      std::sort(paths.begin(), paths.end());
      checkpoints[version] = CheckpointFiles{version, paths};
      break;
    }
  }
  for (auto& [version, files] : checkpoints) listing.checkpoints.push_back(std::move(files));
  return listing;
}

Expected<DeltaCommit> DeltaLog::read_commit(int64_t version) const {
  const fs::path path = commit_path(version);
  auto text = read_file(path);
  if (!text) {
    return fail(text.error().kind, fmt::format("cannot read version {} of the Delta table {}: {}", version,
                                               table_root_.string(), text.error().message));
  }
  return parse_commit(*text, fmt::format("{} (version {})", path.string(), version));
}

Expected<void> DeltaLog::write_commit(int64_t version, const DeltaCommit& commit) const {
  std::error_code ec;
  fs::create_directories(log_dir(), ec);
  if (ec) return fail(ErrorKind::io, fmt::format("cannot create {}: {}", log_dir().string(), ec.message()));
  return create_file_exclusive(commit_path(version), serialize_commit(commit));
}

std::optional<LastCheckpoint> DeltaLog::read_last_checkpoint() const {
  auto text = read_file(log_dir() / "_last_checkpoint");
  if (!text) return std::nullopt;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object() || !json.contains("version") || !json["version"].is_number_integer()) return std::nullopt;
  LastCheckpoint last;
  last.version = json["version"].get<int64_t>();
  last.size = json.value("size", int64_t{0});
  if (json.contains("sizeInBytes") && json["sizeInBytes"].is_number())
    last.size_in_bytes = json["sizeInBytes"].get<int64_t>();
  if (json.contains("numOfAddFiles") && json["numOfAddFiles"].is_number()) {
    last.num_of_add_files = json["numOfAddFiles"].get<int64_t>();
  }
  return last;
}

Expected<void> DeltaLog::write_last_checkpoint(const LastCheckpoint& last) const {
  if (const auto current = read_last_checkpoint(); current && current->version > last.version) return {};
  nlohmann::json json{{"version", last.version}, {"size", last.size}};
  if (last.size_in_bytes) json["sizeInBytes"] = *last.size_in_bytes;
  if (last.num_of_add_files) json["numOfAddFiles"] = *last.num_of_add_files;
  return write_file_atomic(log_dir() / "_last_checkpoint", json.dump());
}

}  // namespace ampere::lake
