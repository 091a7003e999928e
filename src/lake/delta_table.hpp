#pragma once
// Writing a Delta table: create, append, overwrite, and the optimistic commit loop under them. Data
// files are written first; the commit is a log entry created put-if-absent. When another writer took
// the version, the loop re-reads the log and rebuilds the commit on top of the new state.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "db/connection.hpp"
#include "lake/delta_commit.hpp"
#include "lake/snapshot.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace ampere::lake {

/// Attempts at one commit before giving up to other writers (each attempt re-reads the log).
inline constexpr int kMaxCommitAttempts = 200;
/// The engine name written in commitInfo.engineInfo.
std::string_view engine_info();

/// How a DeltaTable writes. Tests inject the clock to make commit times exact.
struct TableOptions {
  std::function<Timestamp()> clock = now_utc;
  int max_commit_attempts = kMaxCommitAttempts;
};

/// Makes the actions of a commit from the table's latest state (nullptr: the table does not exist yet).
/// Called again after every lost race. Returning a commit with no actions commits nothing.
using CommitBuilder = std::function<Expected<DeltaCommit>(const Snapshot* current)>;

/// One Delta table, for writing (reading goes through load_snapshot). Uses `connection` for Parquet.
class DeltaTable {
 public:
  DeltaTable(db::Connection& connection, std::filesystem::path root, TableOptions options = {});

  /// The table folder.
  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  /// The DuckDB connection that reads and writes the table's Parquet.
  [[nodiscard]] db::Connection& connection() const { return connection_; }
  /// The current time according to the options' clock.
  [[nodiscard]] Timestamp now() const { return options_.clock(); }
  /// Whether the table exists (its log has an entry).
  [[nodiscard]] bool exists() const;

  /// The table as of `at` (latest by default).
  Expected<Snapshot> snapshot(const ReadAt& at = {}) const;

  /// Creates the table with `schema` and no rows as version 0; a conflict error if it already exists.
  Expected<int64_t> create(const DeltaSchema& schema);

  /// Appends the rows of `select_sql` as one commit and returns its version. Creates the table on first
  /// use. New columns extend the schema (a metaData action); a missing column or a changed type is
  /// refused. With no rows and nothing to change, commits nothing and returns the current version.
  Expected<int64_t> append(std::string_view select_sql);

  /// Replaces every row with those of `select_sql` in one commit (remove + add); same schema rules.
  Expected<int64_t> overwrite(std::string_view select_sql);

  /// Commits what `build` makes, retrying on top of concurrent commits, and writes a checkpoint when
  /// the new version is a multiple of the table's checkpoint interval. Returns the committed version.
  Expected<int64_t> commit(const CommitBuilder& build);

  /// Writes a checkpoint of the latest version.
  Expected<void> checkpoint();

  /// A commitInfo for `operation` at the current time, reading `current` (nullptr on creation).
  [[nodiscard]] CommitInfo commit_info(std::string operation, const Snapshot* current) const;

 private:
  enum class WriteMode { append, overwrite };
  Expected<int64_t> write(std::string_view select_sql, WriteMode mode);

  db::Connection& connection_;
  std::filesystem::path root_;
  TableOptions options_;
};

/// Refuses to write a table this writer cannot honour: a writer protocol above 2, column invariants,
/// partition columns. The error names the table and the reason.
Expected<void> check_writable(const Snapshot& snapshot);

}  // namespace ampere::lake
