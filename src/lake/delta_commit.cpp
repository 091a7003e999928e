#include "lake/delta_commit.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lake/file_stats.hpp"

namespace ampere::lake {

namespace {

using Json = nlohmann::ordered_json;

// Field readers tolerant of absent and null fields (checkpoints written by DuckDB or Spark carry
// nulls for every field an action does not use).
std::optional<std::string> optional_string(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string string_or(const Json& object, const char* key, std::string fallback = {}) {
  return optional_string(object, key).value_or(std::move(fallback));
}

std::optional<int64_t> optional_int(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<int64_t>();
}

bool bool_or(const Json& object, const char* key, bool fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::map<std::string, std::string> string_map(const Json& object, const char* key) {
  std::map<std::string, std::string> out;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) out[k] = v.is_string() ? v.get<std::string>() : (v.is_null() ? "" : v.dump());
  return out;
}

std::vector<std::string> string_list(const Json& object, const char* key) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

Json json_map(const std::map<std::string, std::string>& map) {
  Json out = Json::object();
  for (const auto& [k, v] : map) out[k] = v;
  return out;
}

Expected<void> require(bool ok, std::string_view origin, std::string_view what) {
  if (ok) return {};
  return fail(ErrorKind::protocol, fmt::format("{}: {}", origin, what));
}

Expected<void> parse_add(const Json& a, DeltaCommit& commit, std::string_view origin) {
  auto ok = require(a.contains("path") && a["path"].is_string(), origin, "add action without a path");
  if (!ok) return ok;
  AddFile add;
  add.path = a["path"].get<std::string>();
  add.partition_values = string_map(a, "partitionValues");
  add.size = optional_int(a, "size").value_or(0);
  add.modification_time = optional_int(a, "modificationTime").value_or(0);
  add.data_change = bool_or(a, "dataChange", true);
  add.stats = string_or(a, "stats");
  add.num_records = stats_num_records(add.stats);
  add.tags = string_map(a, "tags");
  add.has_deletion_vector = a.contains("deletionVector") && !a["deletionVector"].is_null();
  commit.adds.push_back(std::move(add));
  return {};
}

Expected<void> parse_remove(const Json& r, DeltaCommit& commit, std::string_view origin) {
  auto ok = require(r.contains("path") && r["path"].is_string(), origin, "remove action without a path");
  if (!ok) return ok;
  RemoveFile remove;
  remove.path = r["path"].get<std::string>();
  remove.deletion_timestamp = optional_int(r, "deletionTimestamp");
  remove.data_change = bool_or(r, "dataChange", true);
  remove.extended_file_metadata = bool_or(r, "extendedFileMetadata", false);
  remove.partition_values = string_map(r, "partitionValues");
  remove.size = optional_int(r, "size");
  commit.removes.push_back(std::move(remove));
  return {};
}

Expected<void> parse_metadata(const Json& m, DeltaCommit& commit, std::string_view origin) {
  Metadata metadata;
  metadata.id = string_or(m, "id");
  metadata.name = optional_string(m, "name");
  metadata.description = optional_string(m, "description");
  if (const auto it = m.find("format"); it != m.end() && it->is_object()) {
    metadata.format_provider = string_or(*it, "provider", "parquet");
    metadata.format_options = string_map(*it, "options");
  }
  metadata.schema_string = string_or(m, "schemaString");
  if (metadata.schema_string.empty()) {
    return fail(ErrorKind::protocol, fmt::format("{}: metaData action has no schemaString", origin));
  }
  auto schema = parse_schema(metadata.schema_string);
  if (!schema) return with_context(schema.error(), origin);
  metadata.schema = std::move(*schema);
  metadata.partition_columns = string_list(m, "partitionColumns");
  metadata.configuration = string_map(m, "configuration");
  metadata.created_time = optional_int(m, "createdTime");
  commit.metadata = std::move(metadata);
  return {};
}

void parse_protocol(const Json& p, DeltaCommit& commit) {
  Protocol protocol;
  protocol.min_reader_version = static_cast<int>(optional_int(p, "minReaderVersion").value_or(1));
  protocol.min_writer_version = static_cast<int>(optional_int(p, "minWriterVersion").value_or(2));
  protocol.reader_features = string_list(p, "readerFeatures");
  protocol.writer_features = string_list(p, "writerFeatures");
  commit.protocol = std::move(protocol);
}

void parse_commit_info(const Json& c, DeltaCommit& commit) {
  CommitInfo info;
  info.timestamp = optional_int(c, "timestamp").value_or(0);
  info.operation = string_or(c, "operation");
  info.operation_parameters = string_map(c, "operationParameters");
  info.read_version = optional_int(c, "readVersion");
  info.is_blind_append = bool_or(c, "isBlindAppend", false);
  info.operation_metrics = string_map(c, "operationMetrics");
  info.engine_info = string_or(c, "engineInfo");
  commit.commit_info = std::move(info);
}

Json to_json(const CommitInfo& info) {
  Json out{{"timestamp", info.timestamp},
           {"operation", info.operation},
           {"operationParameters", json_map(info.operation_parameters)}};
  if (info.read_version) out["readVersion"] = *info.read_version;
  out["isBlindAppend"] = info.is_blind_append;
  if (!info.operation_metrics.empty()) out["operationMetrics"] = json_map(info.operation_metrics);
  out["engineInfo"] = info.engine_info;
  return out;
}

Json to_json(const Protocol& protocol) {
  Json out{{"minReaderVersion", protocol.min_reader_version}, {"minWriterVersion", protocol.min_writer_version}};
  if (protocol.min_reader_version >= 3) out["readerFeatures"] = protocol.reader_features;
  if (protocol.min_writer_version >= 7) out["writerFeatures"] = protocol.writer_features;
  return out;
}

Json to_json(const Metadata& metadata) {
  Json out{{"id", metadata.id}};
  if (metadata.name) out["name"] = *metadata.name;
  if (metadata.description) out["description"] = *metadata.description;
  out["format"] = Json{{"provider", metadata.format_provider}, {"options", json_map(metadata.format_options)}};
  out["schemaString"] = metadata.schema_string;
  out["partitionColumns"] = metadata.partition_columns;
  out["configuration"] = json_map(metadata.configuration);
  if (metadata.created_time) out["createdTime"] = *metadata.created_time;
  return out;
}

Json to_json(const AddFile& add) {
  Json out{{"path", add.path},
           {"partitionValues", json_map(add.partition_values)},
           {"size", add.size},
           {"modificationTime", add.modification_time},
           {"dataChange", add.data_change}};
  if (!add.stats.empty()) out["stats"] = add.stats;
  if (!add.tags.empty()) out["tags"] = json_map(add.tags);
  return out;
}

Json to_json(const RemoveFile& remove) {
  Json out{{"path", remove.path}};
  if (remove.deletion_timestamp) out["deletionTimestamp"] = *remove.deletion_timestamp;
  out["dataChange"] = remove.data_change;
  if (remove.extended_file_metadata) {
    out["extendedFileMetadata"] = true;
    out["partitionValues"] = json_map(remove.partition_values);
    if (remove.size) out["size"] = *remove.size;
  }
  return out;
}

Json to_json(const Txn& txn) {
  Json out{{"appId", txn.app_id}, {"version", txn.version}};
  if (txn.last_updated) out["lastUpdated"] = *txn.last_updated;
  return out;
}

}  // namespace

Expected<void> parse_action(std::string_view text, DeltaCommit& commit, std::string_view origin) {
  const Json action = Json::parse(text, nullptr, false);
  if (action.is_discarded() || !action.is_object()) {
    return fail(ErrorKind::protocol, fmt::format("{}: not a JSON action (corrupt or truncated log entry): {}", origin,
                                                 std::string(text.substr(0, 120))));
  }
  for (const auto& [kind, body] : action.items()) {
    if (body.is_null()) continue;
    if (!body.is_object())
      return fail(ErrorKind::protocol, fmt::format("{}: action '{}' is not an object", origin, kind));
    Expected<void> ok;
    if (kind == "add") {
      ok = parse_add(body, commit, origin);
    } else if (kind == "remove") {
      ok = parse_remove(body, commit, origin);
    } else if (kind == "metaData") {
      ok = parse_metadata(body, commit, origin);
    } else if (kind == "protocol") {
      parse_protocol(body, commit);
    } else if (kind == "commitInfo") {
      parse_commit_info(body, commit);
    } else if (kind == "txn") {
      commit.txns.push_back(
          Txn{string_or(body, "appId"), optional_int(body, "version").value_or(0), optional_int(body, "lastUpdated")});
    }
    if (!ok) return ok;
  }
  return {};
}

Expected<DeltaCommit> parse_commit(std::string_view ndjson, std::string_view origin) {
  DeltaCommit commit;
  size_t line_number = 0;
  size_t start = 0;
  while (start < ndjson.size()) {
    size_t end = ndjson.find('\n', start);
    if (end == std::string_view::npos) end = ndjson.size();
    ++line_number;
    const std::string_view line = ndjson.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    auto ok = parse_action(line, commit, fmt::format("{} line {}", origin, line_number));
    if (!ok) return tl::unexpected(ok.error());
  }
  if (line_number == 0) return fail(ErrorKind::protocol, fmt::format("{}: empty log entry", origin));
  return commit;
}

std::string serialize_commit(const DeltaCommit& commit) {
  std::string out;
  const auto line = [&out](const char* kind, const Json& body) { out += Json{{kind, body}}.dump() + "\n"; };
  if (commit.commit_info) line("commitInfo", to_json(*commit.commit_info));
  if (commit.protocol) line("protocol", to_json(*commit.protocol));
  if (commit.metadata) line("metaData", to_json(*commit.metadata));
  for (const auto& txn : commit.txns) line("txn", to_json(txn));
  for (const auto& remove : commit.removes) line("remove", to_json(remove));
  for (const auto& add : commit.adds) line("add", to_json(add));
  return out;
}

std::string serialize_metadata(const Metadata& metadata) {
  return to_json(metadata).dump();
}

}  // namespace ampere::lake
