#include "lake/delta_log.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/files.hpp"

namespace ampere::lake {

namespace fs = std::filesystem;

namespace {

constexpr size_t kVersionDigits = 20;

enum class LogFileKind { commit, classic_checkpoint, checkpoint_part, other };

// A _delta_log file name taken apart: NNNNNNNNNNNNNNNNNNNN.json, NNNNNNNNNNNNNNNNNNNN.checkpoint.parquet,
// or NNNNNNNNNNNNNNNNNNNN.checkpoint.PPPPPPPPPP.TTTTTTTTTT.parquet (part P of T).
struct LogFileName {
  LogFileKind kind = LogFileKind::other;
  int64_t version = 0;
  int64_t parts = 0;
};

constexpr size_t kPartDigits = 10;

// The value of `count` decimal digits at the start of `text`, or nullopt.
std::optional<int64_t> leading_digits(std::string_view text, size_t count) {
  if (text.size() < count) return std::nullopt;
  int64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const auto [ptr, error] = std::from_chars(text.data(), text.data() + count, value);
  if (error != std::errc() || ptr != text.data() + count) return std::nullopt;
  return value;
}

// Hand-written rather than std::regex: listing a long log must cost microseconds, not milliseconds.
LogFileName parse_log_file_name(std::string_view name) {
  const auto version = leading_digits(name, kVersionDigits);
  if (!version) return {};
  const std::string_view rest = name.substr(kVersionDigits);
  if (rest == ".json") return {LogFileKind::commit, *version, 0};
  if (rest == ".checkpoint.parquet") return {LogFileKind::classic_checkpoint, *version, 0};
  constexpr std::string_view kPartPrefix = ".checkpoint.";
  constexpr std::string_view kParquet = ".parquet";
  if (rest.size() != kPartPrefix.size() + kPartDigits + 1 + kPartDigits + kParquet.size() ||
      !rest.starts_with(kPartPrefix) || !rest.ends_with(kParquet)) {
    return {};
  }
  const std::string_view numbers = rest.substr(kPartPrefix.size());
  const auto part = leading_digits(numbers, kPartDigits);
  const auto parts =
      numbers[kPartDigits] == '.' ? leading_digits(numbers.substr(kPartDigits + 1), kPartDigits) : std::nullopt;
  if (!part || !parts) return {};
  return {LogFileKind::checkpoint_part, *version, *parts};
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

fs::path DeltaLog::checkpoint_part_path(int64_t version, int64_t part, int64_t parts) const {
  return log_dir() / fmt::format("{}.checkpoint.{:0{}}.{:0{}}.parquet", version_stem(version), part, kPartDigits, parts,
                                 kPartDigits);
}

Expected<LogListing> DeltaLog::list() const {
  LogListing listing;
  std::error_code ec;
  if (!fs::exists(log_dir(), ec)) return listing;
  std::map<int64_t, std::vector<fs::path>> classic;
  // version -> (parts expected -> part paths found)
  std::map<int64_t, std::map<int64_t, std::vector<fs::path>>> multi;
  for (fs::directory_iterator it(log_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const LogFileName parsed = parse_log_file_name(name);
    switch (parsed.kind) {
      case LogFileKind::commit:
        listing.commits.push_back(parsed.version);
        break;
      case LogFileKind::classic_checkpoint:
        classic[parsed.version].push_back(it->path());
        break;
      case LogFileKind::checkpoint_part:
        multi[parsed.version][parsed.parts].push_back(it->path());
        break;
      case LogFileKind::other:
        break;
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

std::optional<LogListing> DeltaLog::list_from_last_checkpoint() const {
  const auto last = read_last_checkpoint();
  if (!last || last->version < 0) return std::nullopt;
  const auto exists = [](const fs::path& path) {
    std::error_code ec;
    return fs::exists(path, ec);
  };
  CheckpointFiles named{last->version, {}};
  if (last->parts && *last->parts > 1) {
    for (int64_t part = 1; part <= *last->parts; ++part) {
      named.parts.push_back(checkpoint_part_path(last->version, part, *last->parts));
    }
  } else {
    named.parts.push_back(checkpoint_path(last->version));
  }
  if (!std::all_of(named.parts.begin(), named.parts.end(), exists)) return std::nullopt;
  LogListing listing;
  listing.checkpoints.push_back(std::move(named));
  int64_t latest = last->version;
  while (exists(commit_path(latest + 1))) listing.commits.push_back(++latest);
  // Entries are created in order, so one after a missing one means a broken log (or a writer racing ahead).
  if (exists(commit_path(latest + 2))) return std::nullopt;
  for (int64_t version = latest; version > last->version; --version) {
    if (exists(checkpoint_path(version))) {
      listing.checkpoints.push_back(CheckpointFiles{version, {checkpoint_path(version)}});
      break;
    }
  }
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
  if (json.contains("size") && json["size"].is_number_integer()) last.size = json["size"].get<int64_t>();
  if (json.contains("sizeInBytes") && json["sizeInBytes"].is_number())
    last.size_in_bytes = json["sizeInBytes"].get<int64_t>();
  if (json.contains("numOfAddFiles") && json["numOfAddFiles"].is_number()) {
    last.num_of_add_files = json["numOfAddFiles"].get<int64_t>();
  }
  if (json.contains("parts") && json["parts"].is_number_integer()) last.parts = json["parts"].get<int64_t>();
  return last;
}

Expected<void> DeltaLog::write_last_checkpoint(const LastCheckpoint& last) const {
  if (const auto current = read_last_checkpoint(); current && current->version > last.version) return {};
  nlohmann::json json{{"version", last.version}, {"size", last.size}};
  if (last.size_in_bytes) json["sizeInBytes"] = *last.size_in_bytes;
  if (last.num_of_add_files) json["numOfAddFiles"] = *last.num_of_add_files;
  if (last.parts) json["parts"] = *last.parts;
  return write_file_atomic(log_dir() / "_last_checkpoint", json.dump());
}

}  // namespace ampere::lake
