#include "simulator/bigquery_standin.hpp"

#include <charconv>
#include <deque>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "db/database.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "simulator/bigquery_jwt_verifier.hpp"
#include "simulator/bigquery_scan_plan.hpp"
#include "simulator/bigquery_sql_lexer.hpp"
#include "simulator/bigquery_sql_translator.hpp"
#include "simulator/random.hpp"
#include "util/strings.hpp"

namespace ampere::simulator {

namespace {

using Json = nlohmann::json;
namespace chr = std::chrono;

constexpr std::string_view kApiPrefix = "/bigquery/v2/projects/";
constexpr std::string_view kJwtGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
constexpr std::string_view kBigQueryScope = "https://www.googleapis.com/auth/bigquery";
constexpr std::string_view kLocation = "US";
constexpr int64_t kDefaultPageRows = 10'000;
constexpr auto kReadyTimeout = chr::seconds(5);
constexpr auto kReadyPoll = chr::milliseconds(5);

http::Response json_response(int status, const Json& body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json; charset=UTF-8";
  r.body = body.dump();
  return r;
}

// BigQuery's error body: {"error":{"code","message","errors":[{message,domain,reason}],"status"}}.
http::Response api_error(int status, std::string_view reason, std::string_view message, std::string_view rpc_status,
                         std::string_view domain = "global") {
  return json_response(status, {{"error",
                                 {{"code", status},
                                  {"message", message},
                                  {"errors", {{{"message", message}, {"domain", domain}, {"reason", reason}}}},
                                  {"status", rpc_status}}}});
}

http::Response invalid_query(std::string_view message) {
  return api_error(400, "invalidQuery", message, "INVALID_ARGUMENT");
}

http::Response unauthorized() {
  return api_error(401, "authError",
                   "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or "
                   "other valid authentication credential.",
                   "UNAUTHENTICATED");
}

http::Response oauth_error(std::string_view error, std::string_view description) {
  return json_response(400, {{"error", error}, {"error_description", description}});
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      int value = 0;
      const auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (ec == std::errc() && end == text.data() + i + 3) {
        out += static_cast<char>(value);
        i += 2;
      } else {
        out += text[i];
      }
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  for (const auto& pair : split(body, '&')) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    out[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
  }
  return out;
}

// DuckDB's column type -> the type name BigQuery's REST schema uses.
std::string bigquery_type(const std::string& duckdb_type) {
  if (duckdb_type.starts_with("TIMESTAMP")) return "TIMESTAMP";
  if (duckdb_type == "DATE") return "DATE";
  if (duckdb_type == "BOOLEAN") return "BOOLEAN";
  if (duckdb_type.find("INT") != std::string::npos) return "INTEGER";
  if (duckdb_type == "DOUBLE" || duckdb_type == "FLOAT" || duckdb_type.starts_with("DECIMAL")) return "FLOAT";
  return "STRING";
}

std::optional<int64_t> to_int64(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  int64_t out = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

struct Field {
  std::string name;
  std::string type;  ///< BigQuery's
};

struct Job {
  std::string project;
  std::vector<Field> fields;
  std::vector<std::vector<std::optional<std::string>>> rows;  ///< TIMESTAMP cells as epoch microseconds
  int64_t bytes = 0;
  int pending = 0;
};

}  // namespace

struct BigQueryStandin::Impl {
  BigQueryStandinOptions options;
  std::unique_ptr<db::Database> database;
  std::optional<db::Connection> connection;
  std::unique_ptr<http::Server> server;
  std::string token_url;
  std::mutex mutex;
  Random random{0x62717374616e64ULL};
  std::map<std::string, Timestamp> tokens;  ///< issued access token -> expiry
  std::map<std::string, Job> jobs;
  std::map<std::string, std::string> request_ids;  ///< requestId -> jobId
  std::deque<std::pair<BigQueryRoute, BigQueryFault>> faults;
  BigQueryStandinStats stats;
  int64_t next_job = 1;

  [[nodiscard]] Timestamp now() const { return options.clock ? options.clock() : now_utc(); }

  std::string random_hex(int digits) {
    std::string out;
    for (int i = 0; i < digits; ++i) out += "0123456789abcdef"[random.next() % 16];
    return out;
  }

  // The injected fault for a request to `route`, if one is queued for it.
  std::optional<BigQueryFault> take_fault(BigQueryRoute route, bool has_page_token) {
    for (auto it = faults.begin(); it != faults.end(); ++it) {
      const bool matches = it->first == route || (it->first == BigQueryRoute::next_page &&
                                                  route == BigQueryRoute::query_results && has_page_token);
      if (!matches) continue;
      const BigQueryFault fault = it->second;
      faults.erase(it);
      ++stats.faults;
      return fault;
    }
    return std::nullopt;
  }

  static http::Response fault_response(BigQueryFault fault) {
    switch (fault) {
      case BigQueryFault::unauthorized:
        return unauthorized();
      case BigQueryFault::quota_exceeded:
        return api_error(403, "quotaExceeded",
                         "Quota exceeded: Your project exceeded quota for free query bytes scanned. For more "
                         "information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas",
                         "PERMISSION_DENIED", "usageLimits");
      case BigQueryFault::access_denied:
        return api_error(403, "accessDenied",
                         "Access Denied: Project stand-in: User does not have bigquery.jobs.create permission in "
                         "project stand-in.",
                         "PERMISSION_DENIED");
      case BigQueryFault::invalid_query:
        return invalid_query("Syntax error: Unexpected keyword FROM at [1:8] (injected by the stand-in)");
      case BigQueryFault::backend_error:
        return api_error(503, "backendError", "Error encountered during execution. Retrying may solve the problem.",
                         "UNAVAILABLE");
      case BigQueryFault::drop_connection: {
        http::Response r;
        r.abort_connection = true;
        return r;
      }
    }
    return unauthorized();
  }

  http::Response token(const http::Request& request) {
    if (auto fault = take_fault(BigQueryRoute::token, false)) {
      if (*fault == BigQueryFault::unauthorized) {
        ++stats.assertions_rejected;
        return oauth_error("invalid_grant", "Invalid JWT Signature.");
      }
      return fault_response(*fault);
    }
    auto form = parse_form(request.body);
    if (form["grant_type"] != kJwtGrant) {
      ++stats.assertions_rejected;
      return oauth_error("unsupported_grant_type", "Invalid grant_type: " + form["grant_type"]);
    }
    JwtExpectations expected{options.public_key_pem, options.client_email, token_url, std::string(kBigQueryScope)};
    auto verified = verify_assertion(form["assertion"], expected, now());
    if (!verified) {
      ++stats.assertions_rejected;
      return oauth_error(verified.error().error, verified.error().description);
    }
    std::string access = "ya29.standin-" + random_hex(40);
    tokens[access] = now() + chr::seconds(options.token_lifetime_seconds);
    ++stats.token_exchanges;
    return json_response(
        200, {{"access_token", access}, {"expires_in", options.token_lifetime_seconds}, {"token_type", "Bearer"}});
  }

  bool authorized(const http::Request& request) {
    const auto header = request.header("Authorization");
    if (!header || !header->starts_with("Bearer ")) return false;
    const auto it = tokens.find(header->substr(7));
    return it != tokens.end() && now() < it->second;
  }

  static Expected<std::vector<StandinParameter>> read_parameters(const Json& body) {
    std::vector<StandinParameter> out;
    const auto list = body.find("queryParameters");
    if (list == body.end()) return out;
    if (!list->is_array()) return fail(ErrorKind::invalid_input, "Invalid value for queryParameters");
    for (const auto& p : *list) {
      StandinParameter parameter;
      parameter.name = p.value("name", "");
      const Json type = p.value("parameterType", Json::object());
      const Json value = p.value("parameterValue", Json::object());
      parameter.type = type.value("type", "");
      if (parameter.name.empty() || parameter.type.empty()) {
        return fail(ErrorKind::invalid_input, "Named query parameters need a name and a parameterType.type");
      }
      if (parameter.type == "ARRAY") {
        parameter.is_array = true;
        parameter.type = type.value("arrayType", Json::object()).value("type", "");
        for (const auto& item : value.value("arrayValues", Json::array())) {
          parameter.values.push_back(item.value("value", ""));
        }
      } else {
        const auto v = value.find("value");
        if (v == value.end() || !v->is_string()) {
          return fail(ErrorKind::invalid_input,
                      fmt::format("Query parameter '{}' has no parameterValue.value", parameter.name));
        }
        parameter.values.push_back(v->get<std::string>());
      }
      out.push_back(std::move(parameter));
    }
    return out;
  }

  // Runs the translated query into a job: its schema and every row.
  Expected<Job> execute(const DuckdbQuery& query) {
    auto statement = connection->prepare("CREATE OR REPLACE TEMP TABLE standin_job AS " + query.sql);
    if (!statement) return tl::unexpected(statement.error());
    for (size_t i = 0; i < query.bind_values.size(); ++i) {
      if (auto ok = statement->bind(i + 1, query.bind_values[i]); !ok) return tl::unexpected(ok.error());
    }
    if (auto ok = statement->execute(); !ok) return tl::unexpected(ok.error());
    auto columns = connection->query("DESCRIBE standin_job");
    if (!columns) return tl::unexpected(columns.error());
    Job job;
    std::vector<std::string> select;
    for (size_t r = 0; r < columns->row_count(); ++r) {
      Field field{columns->text(0, r), bigquery_type(columns->text(1, r))};
      std::string quoted = "\"";
      for (const char c : field.name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      quoted += "\"";
      select.push_back(field.type == "TIMESTAMP" ? "epoch_us(" + quoted + ")" : quoted);
      job.fields.push_back(std::move(field));
    }
    auto rows = connection->query("SELECT " + join(select, ", ") + " FROM standin_job");
    if (!rows) return tl::unexpected(rows.error());
    job.rows.reserve(rows->row_count());
    for (size_t r = 0; r < rows->row_count(); ++r) {
      std::vector<std::optional<std::string>> row;
      row.reserve(job.fields.size());
      for (size_t c = 0; c < job.fields.size(); ++c) row.push_back(rows->optional_text(c, r));
      job.rows.push_back(std::move(row));
    }
    (void)connection->execute("DROP TABLE IF EXISTS standin_job");
    return job;
  }

  // One answer about a job: still running, or a page of rows from `offset`.
  http::Response job_answer(const std::string& job_id, Job& job, const char* kind, size_t offset, int64_t max_rows,
                            bool int64_timestamps) {
    Json body = {{"kind", kind},
                 {"jobReference", {{"projectId", job.project}, {"jobId", job_id}, {"location", kLocation}}}};
    if (job.pending > 0) {
      --job.pending;
      body["jobComplete"] = false;
      return json_response(200, body);
    }
    ++stats.pages;
    Json fields = Json::array();
    for (const auto& f : job.fields) fields.push_back({{"name", f.name}, {"type", f.type}, {"mode", "NULLABLE"}});
    Json rows = Json::array();
    const size_t end = std::min(job.rows.size(), offset + static_cast<size_t>(std::max<int64_t>(max_rows, 1)));
    for (size_t r = offset; r < end; ++r) {
      Json cells = Json::array();
      for (size_t c = 0; c < job.fields.size(); ++c) {
        const auto& value = job.rows[r][c];
        if (!value) {
          cells.push_back({{"v", nullptr}});
        } else if (job.fields[c].type == "TIMESTAMP" && !int64_timestamps) {
          // Without useInt64Timestamp BigQuery sends seconds as a floating-point string.
          const int64_t micros = std::stoll(*value);
          cells.push_back({{"v", fmt::format("{}.{:06}", micros / 1'000'000, micros % 1'000'000)}});
        } else {
          cells.push_back({{"v", *value}});
        }
      }
      rows.push_back({{"f", cells}});
    }
    body["jobComplete"] = true;
    body["schema"] = {{"fields", fields}};
    body["totalRows"] = std::to_string(job.rows.size());
    body["totalBytesProcessed"] = std::to_string(job.bytes);
    body["cacheHit"] = false;
    if (!rows.empty()) body["rows"] = rows;
    if (end < job.rows.size()) body["pageToken"] = fmt::format("{}~{}", end, job_id);
    return json_response(200, body);
  }

  http::Response jobs_query(const std::string& project, const http::Request& request) {
    if (auto fault = take_fault(BigQueryRoute::jobs_query, false)) return fault_response(*fault);
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object()) return api_error(400, "parseError", "Parse Error", "INVALID_ARGUMENT");
    const std::string sql = body.value("query", "");
    if (sql.empty()) return api_error(400, "required", "Required parameter is missing: query", "INVALID_ARGUMENT");
    const auto legacy = body.find("useLegacySql");
    if (legacy == body.end() || !legacy->is_boolean() || legacy->get<bool>()) {
      // jobs.query defaults to legacy SQL, where named parameters and `project.dataset.table` do not exist.
      return invalid_query("Query parameters cannot be used in legacy SQL queries (send \"useLegacySql\": false)");
    }
    auto parameters = read_parameters(body);
    if (!parameters) return invalid_query(parameters.error().message);
    if (!parameters->empty() && body.value("parameterMode", "") != "NAMED") {
      return invalid_query("Named query parameters need \"parameterMode\": \"NAMED\"");
    }
    auto lexed = lex_bigquery_sql(sql);
    if (!lexed) return invalid_query(lexed.error().message);
    auto translated = translate_to_duckdb(*lexed, *parameters);
    if (!translated) return invalid_query(translated.error().message);
    auto plan = plan_scan(*lexed, *parameters, file_downloads_leaf_columns());
    if (!plan) return invalid_query(plan.error().message);
    auto bytes = bytes_scanned(*connection, *plan);
    if (!bytes) return api_error(500, "internalError", bytes.error().message, "INTERNAL");

    const bool dry_run = body.value("dryRun", false);
    if (dry_run) {
      if (auto prepared = connection->prepare(translated->sql); !prepared) {
        return invalid_query("stand-in (DuckDB): " + prepared.error().message);
      }
      ++stats.dry_runs;
      return json_response(200, {{"kind", "bigquery#queryResponse"},
                                 {"jobReference", {{"projectId", project}, {"location", kLocation}}},
                                 {"totalBytesProcessed", std::to_string(*bytes)},
                                 {"jobComplete", true},
                                 {"cacheHit", false}});
    }
    if (const auto max = body.find("maximumBytesBilled"); max != body.end()) {
      const auto limit = to_int64(*max);
      if (!limit) return api_error(400, "invalid", "Invalid value for maximumBytesBilled", "INVALID_ARGUMENT");
      if (*bytes > *limit) {
        return api_error(
            400, "bytesBilledLimitExceeded",
            fmt::format("Query exceeded limit for bytes billed: {}. {} or higher required.", *limit, *bytes),
            "INVALID_ARGUMENT");
      }
    }
    const int64_t max_rows = to_int64(body.value("maxResults", Json(kDefaultPageRows))).value_or(kDefaultPageRows);
    const bool int64_timestamps = body.value("formatOptions", Json::object()).value("useInt64Timestamp", false);
    const std::string request_id = body.value("requestId", "");
    if (!request_id.empty()) {
      if (const auto known = request_ids.find(request_id); known != request_ids.end()) {
        auto& job = jobs.at(known->second);
        return job_answer(known->second, job, "bigquery#queryResponse", 0, max_rows, int64_timestamps);
      }
    }
    auto job = execute(*translated);
    if (!job) return invalid_query("stand-in (DuckDB): " + job.error().message);
    job->project = project;
    job->bytes = *bytes;
    job->pending = options.pending_polls;
    const std::string job_id = fmt::format("job_standin_{}_{}", next_job++, random_hex(8));
    if (!request_id.empty()) request_ids[request_id] = job_id;
    ++stats.queries;
    auto& stored = jobs[job_id] = std::move(*job);
    return job_answer(job_id, stored, "bigquery#queryResponse", 0, max_rows, int64_timestamps);
  }

  http::Response query_results(const std::string& project, const std::string& job_id, const http::Request& request) {
    const auto page_token = request.param("pageToken");
    if (auto fault = take_fault(BigQueryRoute::query_results, page_token.has_value())) return fault_response(*fault);
    ++stats.result_requests;
    const auto it = jobs.find(job_id);
    if (it == jobs.end() || it->second.project != project) {
      return api_error(404, "notFound", fmt::format("Not found: Job {}:{}.{}", project, kLocation, job_id),
                       "NOT_FOUND");
    }
    size_t offset = 0;
    if (page_token) {
      const size_t tilde = page_token->find('~');
      size_t parsed = 0;
      const auto [end, ec] = std::from_chars(page_token->data(), page_token->data() + tilde, parsed);
      if (tilde == std::string::npos || ec != std::errc() || end != page_token->data() + tilde ||
          page_token->substr(tilde + 1) != job_id || parsed > it->second.rows.size()) {
        return api_error(400, "invalid", "Invalid page token", "INVALID_ARGUMENT");
      }
      offset = parsed;
    }
    const auto max_text = request.param("maxResults");
    int64_t max_rows = kDefaultPageRows;
    if (max_text) max_rows = to_int64(Json(*max_text)).value_or(kDefaultPageRows);
    const bool int64_timestamps = request.param("formatOptions.useInt64Timestamp").value_or("") == "true";
    return job_answer(job_id, it->second, "bigquery#getQueryResultsResponse", offset, max_rows, int64_timestamps);
  }

  http::Response handle(const http::Request& request) {
    std::lock_guard lock(mutex);
    if (request.path == "/_standin/health") return json_response(200, {{"standin", "bigquery"}});
    if (request.path == "/token") {
      if (request.method != "POST") return json_response(405, {{"error", "method not allowed"}});
      return token(request);
    }
    if (!request.path.starts_with(kApiPrefix)) {
      return api_error(404, "notFound", "Not found: " + request.path + " (BigQuery stand-in)", "NOT_FOUND");
    }
    const auto parts = split(std::string_view(request.path).substr(kApiPrefix.size()), '/');
    const bool queries = parts.size() >= 2 && parts[1] == "queries" && !parts[0].empty();
    if (!queries || parts.size() > 3) {
      return api_error(404, "notFound", "Not found: " + request.path + " (BigQuery stand-in)", "NOT_FOUND");
    }
    if (!authorized(request)) {
      ++stats.unauthorized;
      return unauthorized();
    }
    if (parts.size() == 2 && request.method == "POST") return jobs_query(parts[0], request);
    if (parts.size() == 3 && request.method == "GET") return query_results(parts[0], parts[2], request);
    return api_error(405, "methodNotAllowed", "Method not allowed", "INVALID_ARGUMENT");
  }
};

BigQueryStandin::BigQueryStandin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

BigQueryStandin::~BigQueryStandin() {
  stop();
}

Expected<std::unique_ptr<BigQueryStandin>> BigQueryStandin::create(BigQueryStandinOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  auto database = db::Database::open("");
  if (!database) return tl::unexpected(database.error());
  impl->database = std::move(*database);
  auto connection = impl->database->connect();
  if (!connection) return tl::unexpected(connection.error());
  impl->connection.emplace(std::move(*connection));
  if (auto ok = create_file_downloads(*impl->connection, impl->options.data); !ok) {
    return with_context(ok.error(), "building the BigQuery stand-in's synthetic file_downloads");
  }
  auto standin = std::unique_ptr<BigQueryStandin>(new BigQueryStandin(std::move(impl)));
  BigQueryStandin* self = standin.get();
  self->impl_->server = std::make_unique<http::Server>([self](const http::Request& r) { return self->handle(r); });
  return standin;
}

Expected<std::string> BigQueryStandin::start(const std::string& host, int port) {
  auto bound = impl_->server->bind(host, port);
  if (!bound) return tl::unexpected(bound.error());
  base_url_ = fmt::format("http://{}:{}", host, *bound);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->token_url = base_url_ + "/token";
  }
  thread_ = std::thread([this] { (void)impl_->server->serve(); });
  http::Client client;
  const auto deadline = chr::steady_clock::now() + kReadyTimeout;
  while (chr::steady_clock::now() < deadline) {
    if (auto r = client.get(base_url_ + "/_standin/health"); r && r->status == 200) return base_url_;
    std::this_thread::sleep_for(kReadyPoll);
  }
  stop();
  return fail(ErrorKind::network, fmt::format("the BigQuery stand-in at {} did not start answering", base_url_));
}

void BigQueryStandin::stop() {
  if (impl_ && impl_->server) impl_->server->stop();
  if (thread_.joinable()) thread_.join();
}

http::Response BigQueryStandin::handle(const http::Request& request) {
  return impl_->handle(request);
}

void BigQueryStandin::fail_next(BigQueryFault fault, BigQueryRoute route, int count) {
  std::lock_guard lock(impl_->mutex);
  for (int i = 0; i < count; ++i) impl_->faults.emplace_back(route, fault);
}

BigQueryStandinStats BigQueryStandin::stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stats;
}

Expected<std::vector<std::vector<std::string>>> BigQueryStandin::truth(const std::string& duckdb_sql) {
  std::lock_guard lock(impl_->mutex);
  auto result = impl_->connection->query(duckdb_sql);
  if (!result) return tl::unexpected(result.error());
  std::vector<std::vector<std::string>> out;
  for (size_t r = 0; r < result->row_count(); ++r) {
    std::vector<std::string> row;
    for (size_t c = 0; c < result->column_count(); ++c) row.push_back(result->text(c, r));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace ampere::simulator
