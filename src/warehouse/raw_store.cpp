#include "warehouse/raw_store.hpp"

#include <fmt/format.h>

namespace ampere::warehouse {

namespace {

std::string key_type(const RawKey& key) { return std::holds_alternative<int64_t>(key) ? "BIGINT" : "VARCHAR"; }

}  // namespace

Expected<size_t> append_raw(db::Connection& connection, const RawTable& table, std::span<const RawRecord> records) {
  if (records.empty()) return size_t{0};
  std::string columns;
  for (size_t i = 0; i < table.key_columns.size(); ++i) {
    columns += fmt::format("{} {} NOT NULL, ", table.key_columns[i], key_type(records.front().keys.at(i)));
  }
  const std::string schema = "raw_" + table.source;
  const std::string ddl = fmt::format(
      "CREATE SCHEMA IF NOT EXISTS {0}; CREATE TABLE IF NOT EXISTS {0}.{1} ({2}retrieved_at TIMESTAMPTZ NOT NULL, "
      "sync_id VARCHAR NOT NULL, payload VARCHAR NOT NULL)",
      schema, table.name, columns);
  if (auto ok = connection.execute(ddl); !ok) return tl::unexpected(ok.error());

  auto written = connection.transaction([&]() -> Expected<void> {
    auto appender = connection.appender(schema, table.name);
    if (!appender) return tl::unexpected(appender.error());
    for (const auto& record : records) {
      for (const auto& key : record.keys) {
        auto ok = std::holds_alternative<int64_t>(key) ? appender->append(std::get<int64_t>(key))
                                                        : appender->append(std::string_view(std::get<std::string>(key)));
        if (!ok) return ok;
      }
      if (auto ok = appender->append(record.retrieved_at); !ok) return ok;
      if (auto ok = appender->append(std::string_view(record.sync_id)); !ok) return ok;
      if (auto ok = appender->append(std::string_view(record.payload)); !ok) return ok;
      if (auto ok = appender->end_row(); !ok) return ok;
    }
    return appender->close();
  });
  if (!written) return tl::unexpected(written.error());
  return records.size();
}

}  // namespace ampere::warehouse
