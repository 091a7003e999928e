// A writer process for the lake's crash and concurrency tests:
//   lake_writer_tool <table dir> <writer id> <batches> <rows per batch>
// appends <batches> commits of <rows per batch> rows (writer, batch, row, payload), printing
// "committed <version>" after each. Tests kill it at random points or run two at once.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "db/database.hpp"
#include "lake/delta_table.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: lake_writer_tool <table dir> <writer id> <batches> <rows per batch>\n");
    return 2;
  }
  const std::string root = argv[1];
  const long writer = std::strtol(argv[2], nullptr, 10);
  const long batches = std::strtol(argv[3], nullptr, 10);
  const long rows = std::strtol(argv[4], nullptr, 10);
  auto database = ampere::db::Database::open({}, ampere::db::OpenOptions{false, 1});
  if (!database) {
    std::fprintf(stderr, "%s\n", database.error().message.c_str());
    return 1;
  }
  auto connection = (*database)->connect();
  if (!connection) {
    std::fprintf(stderr, "%s\n", connection.error().message.c_str());
    return 1;
  }
  ampere::lake::DeltaTable table(*connection, root);
  for (long batch = 0; batch < batches; ++batch) {
    auto version = table.append(fmt::format(
        "SELECT {0}::BIGINT AS writer, {1}::BIGINT AS batch, range AS row, repeat('x', 200) AS payload FROM range({2})",
        writer, batch, rows));
    if (!version) {
      std::fprintf(stderr, "%s\n", version.error().message.c_str());
      return 1;
    }
    std::printf("committed %lld\n", static_cast<long long>(*version));
    std::fflush(stdout);
  }
  return 0;
}
