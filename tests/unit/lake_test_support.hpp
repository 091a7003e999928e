#pragma once
// Helpers for the lake tests: a temporary folder, an in-memory DuckDB, reading a snapshot's rows as text.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "lake/lake_views.hpp"
#include "lake/snapshot.hpp"

namespace ampere::lake::testing {

/// A fresh folder under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/ampere-lake-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// An in-memory DuckDB and one connection to it.
struct Duck {
  std::unique_ptr<db::Database> database;
  std::unique_ptr<db::Connection> connection;

  Duck() {
    auto opened = db::Database::open({});
    if (!opened) {
      ADD_FAILURE() << opened.error().message;
      return;
    }
    database = std::move(*opened);
    auto connected = database->connect();
    if (!connected) {
      ADD_FAILURE() << connected.error().message;
      return;
    }
    connection = std::make_unique<db::Connection>(std::move(*connected));
  }
  db::Connection& operator*() { return *connection; }
};

/// The result of `sql` as lines "v1|v2|..." (NULL for nulls), in the query's order.
inline std::vector<std::string> query_lines(db::Connection& connection, const std::string& sql) {
  std::vector<std::string> lines;
  auto result = connection.query(sql);
  if (!result) {
    ADD_FAILURE() << result.error().message << "\n  in: " << sql;
    return lines;
  }
  for (size_t r = 0; r < result->row_count(); ++r) {
    std::string line;
    for (size_t c = 0; c < result->column_count(); ++c) {
      if (c > 0) line += "|";
      line += result->is_null(c, r) ? "NULL" : result->text(c, r);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

/// The rows of `snapshot` projected on `columns`, as lines, ordered by all columns.
inline std::vector<std::string> snapshot_lines(db::Connection& connection, const Snapshot& snapshot,
                                               const std::string& columns = "*") {
  auto select = snapshot_select_sql(connection, snapshot);
  if (!select) {
    ADD_FAILURE() << select.error().message;
    return {};
  }
  return query_lines(connection, "SELECT " + columns + " FROM (" + *select + ") ORDER BY ALL");
}

/// Copies a folder tree and makes the copy writable (the fixtures are read-only).
inline void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  fs::copy(from, to, fs::copy_options::recursive);
  fs::permissions(to, fs::perms::owner_all, fs::perm_options::add);
  for (const auto& entry : fs::recursive_directory_iterator(to)) {
    fs::permissions(entry.path(),
                    entry.is_directory() ? fs::perms::owner_all : fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::add);
  }
}

/// Every file under `root` with its size and modification time, to show that a read changed nothing.
inline std::vector<std::string> tree_state(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::vector<std::string> state;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const auto relative = entry.path().lexically_relative(root).string();
    if (entry.is_regular_file()) {
      state.push_back(relative + " " + std::to_string(entry.file_size()) + " " +
                      std::to_string(entry.last_write_time().time_since_epoch().count()));
    } else {
      state.push_back(relative + "/");
    }
  }
  std::sort(state.begin(), state.end());
  return state;
}

}  // namespace ampere::lake::testing
