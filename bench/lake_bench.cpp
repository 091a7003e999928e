// Lake benchmarks (issue 3): append throughput for 1 KB-payload rows, snapshot-read time of a table with
// 1,000 commits with and without checkpoints, and compaction of 1,000 small files.
// Run: build/bench/lake_bench [work dir]   (prints figures and the command that made them)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "db/database.hpp"
#include "lake/compaction.hpp"
#include "lake/delta_table.hpp"
#include "lake/raw_lake.hpp"
#include "lake/snapshot.hpp"
#include "util/raw_record.hpp"
#include "util/time.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kAppendBatches = 10;
constexpr int kRowsPerBatch = 20'000;
constexpr size_t kPayloadBytes = 1'000;
constexpr int kCommits = 1'000;
constexpr int kSnapshotReads = 20;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "lake_bench: %s failed\n", what.c_str());
    std::exit(1);
  }
}

ampere::RawTable bench_table(const std::string& name) {
  return {"bench", name, {"item_id"}};
}

std::vector<ampere::RawRecord> make_records(int first_id, int count, size_t payload_bytes) {
  std::vector<ampere::RawRecord> records;
  records.reserve(static_cast<size_t>(count));
  const ampere::Timestamp now = ampere::now_utc();
  for (int i = 0; i < count; ++i) {
    const int id = first_id + i;
    std::string payload = fmt::format(R"({{"id":{},"login":"user{}","note":")", id, id);
    payload.append(payload_bytes > payload.size() + 2 ? payload_bytes - payload.size() - 2 : 0, 'x');
    payload += "\"}";
    records.push_back(ampere::RawRecord{{ampere::RawKey{int64_t{id}}}, now, "bench", std::move(payload)});
  }
  return records;
}

// This process's CPU time (all threads, DuckDB's workers included) in milliseconds.
double process_cpu_ms() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Medians of `reads` snapshot loads of the table at `root`: wall and CPU milliseconds (CPU time is the
// steadier figure on a shared machine, where wall time includes waiting for a core).
struct ReadTimes {
  double wall_ms = 0;
  double cpu_ms = 0;
};

ReadTimes median_snapshot_ms(ampere::db::Connection& connection, const fs::path& root, int reads,
                             int64_t& checkpoint_version) {
  std::vector<double> wall;
  std::vector<double> cpu;
  for (int i = 0; i < reads; ++i) {
    const auto start = Clock::now();
    const double cpu_start = process_cpu_ms();
    auto snapshot = ampere::lake::load_snapshot(connection, root);
    cpu.push_back(process_cpu_ms() - cpu_start);
    wall.push_back(seconds_since(start) * 1000);
    check(snapshot.has_value(), "snapshot read");
    checkpoint_version = snapshot->checkpoint_version;
  }
  return {median(wall), median(cpu)};
}

}  // namespace

int main(int argc, char** argv) {
  // --reuse keeps the work dir's 1,000-commit table from a previous run (writing it takes a minute).
  const bool reuse = argc > 2 && std::string_view(argv[2]) == "--reuse";
  const fs::path work = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "ampere-lake-bench";
  if (!reuse) fs::remove_all(work);
  fs::create_directories(work);
  auto database = ampere::db::Database::open("");
  check(database.has_value(), "open DuckDB");
  auto connection = (*database)->connect();
  check(connection.has_value(), "connect");
  ampere::db::Connection& c = *connection;
  const fs::path lake = work / "lake";

  fmt::print("lake_bench: {}\n", fmt::join(std::vector<std::string>(argv, argv + argc), " "));

  // 1. Append throughput: kAppendBatches commits of kRowsPerBatch rows with 1 KB payloads.
  if (!reuse) {
    const auto table = bench_table("append");
    double total = 0;
    for (int b = 0; b < kAppendBatches; ++b) {
      const auto records = make_records(b * kRowsPerBatch, kRowsPerBatch, kPayloadBytes);
      const auto start = Clock::now();
      check(ampere::lake::append_raw(c, lake, table, records).has_value(), "append");
      total += seconds_since(start);
    }
    const double rows = double{kAppendBatches} * kRowsPerBatch;
    fmt::print("append: {} rows x {} B payload in {} commits: {:.2f} s, {:.0f} rows/s, {:.1f} MB/s of payload\n", rows,
               kPayloadBytes, kAppendBatches, total, rows / total, rows * kPayloadBytes / total / 1e6);
  }

  // 2. Snapshot read of a table with kCommits commits (one small append each), with its checkpoints
  //    (one every 10 commits) and with the same log stripped of them.
  {
    const auto table = bench_table("history");
    const fs::path with = ampere::lake::raw_table_root(lake, table);
    const fs::path without = work / "history-no-checkpoints";
    if (!reuse) {
      const auto start = Clock::now();
      for (int i = 0; i < kCommits; ++i) {
        check(ampere::lake::append_raw(c, lake, table, make_records(i, 1, 200)).has_value(), "history append");
      }
      fmt::print("history: wrote {} commits in {:.1f} s\n", kCommits, seconds_since(start));
    }
    fs::remove_all(without);
    fs::create_directories(without / "_delta_log");
    for (const auto& entry : fs::directory_iterator(with / "_delta_log")) {
      if (entry.path().extension() == ".json")
        fs::copy_file(entry.path(), without / "_delta_log" / entry.path().filename());
    }
    for (const auto& entry : fs::directory_iterator(with)) {
      if (entry.is_regular_file()) fs::copy_file(entry.path(), without / entry.path().filename());
    }
    int64_t cp_with = -1;
    int64_t cp_without = -1;
    const ReadTimes without_times = median_snapshot_ms(c, without, kSnapshotReads, cp_without);
    const ReadTimes with_times = median_snapshot_ms(c, with, kSnapshotReads, cp_with);
    check(cp_without == -1 && cp_with >= 0, "checkpoint setup");
    fmt::print(
        "snapshot read of {} commits: {:.2f} ms replaying the JSON log, {:.2f} ms from the checkpoint at "
        "version {}: {:.1f}x faster (median of {}); CPU {:.2f} ms vs {:.2f} ms: {:.1f}x\n",
        kCommits, without_times.wall_ms, with_times.wall_ms, cp_with, without_times.wall_ms / with_times.wall_ms,
        kSnapshotReads, without_times.cpu_ms, with_times.cpu_ms, without_times.cpu_ms / with_times.cpu_ms);
  }

  // 3. Compaction of kCommits small files (the history table above).
  if (!reuse) {
    ampere::lake::DeltaTable table(c, ampere::lake::raw_table_root(lake, bench_table("history")));
    const auto start = Clock::now();
    auto report = ampere::lake::compact(table);
    const double s = seconds_since(start);
    check(report.has_value() && report->version.has_value(), "compact");
    fmt::print("compact: {} small files ({:.1f} MB) -> {} file(s) ({:.1f} MB) in one commit: {:.2f} s\n",
               report->files_removed, double(report->bytes_removed) / 1e6, report->files_added,
               double(report->bytes_added) / 1e6, s);
  }
  if (argc <= 1) fs::remove_all(work);
  return 0;
}
