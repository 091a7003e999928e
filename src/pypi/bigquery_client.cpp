#include "pypi/bigquery_client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <random>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "pypi/bigquery_api_error.hpp"

namespace ampere::pypi {

namespace {

using Json = nlohmann::json;

constexpr double kBytesPerTib = 1024.0 * 1024.0 * 1024.0 * 1024.0;

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// A requestId makes a retried jobs.query return the job the first attempt created.
std::string new_request_id() {
  std::random_device device;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string id = "ampere-";
  for (int i = 0; i < 24; ++i) id += "0123456789abcdef"[hex(device)];
  return id;
}

Json parameter_json(const BigQueryParameter& p) {
  Json out = {{"name", p.name}};
  if (p.is_array) {
    out["parameterType"] = {{"type", "ARRAY"}, {"arrayType", {{"type", p.type}}}};
    Json values = Json::array();
    for (const auto& v : p.values) values.push_back({{"value", v}});
    out["parameterValue"] = {{"arrayValues", values}};
  } else {
    out["parameterType"] = {{"type", p.type}};
    out["parameterValue"] = {{"value", p.values.empty() ? std::string() : p.values.front()}};
  }
  return out;
}

std::string string_field(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// BigQuery sends 64-bit numbers as JSON strings ("1234"); accept numbers too.
std::optional<int64_t> int64_field(const Json& object, std::string_view name) {
  const auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (!it->is_string()) return std::nullopt;
  const auto& text = it->get_ref<const std::string&>();
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool job_complete(const Json& body) {
  const auto it = body.find("jobComplete");
  return it != body.end() && it->is_boolean() && it->get<bool>();
}

Expected<std::vector<BigQueryField>> read_schema(const Json& body) {
  const auto schema = body.find("schema");
  if (schema == body.end() || !schema->is_object() || !schema->contains("fields") || !(*schema)["fields"].is_array()) {
    return fail(ErrorKind::protocol, "BigQuery's finished query has no schema.fields");
  }
  std::vector<BigQueryField> fields;
  for (const auto& field : (*schema)["fields"]) {
    if (!field.is_object()) return fail(ErrorKind::protocol, "BigQuery's schema has a field that is not an object");
    fields.push_back({string_field(field, "name"), string_field(field, "type")});
  }
  return fields;
}

Expected<void> append_rows(const Json& body, size_t columns, BigQueryResult& out) {
  const auto rows = body.find("rows");
  if (rows == body.end()) return {};
  if (!rows->is_array()) return fail(ErrorKind::protocol, "BigQuery's \"rows\" is not an array");
  for (const auto& row : *rows) {
    const auto cells = row.is_object() ? row.find("f") : row.end();
    if (cells == row.end() || !cells->is_array() || cells->size() != columns) {
      return fail(ErrorKind::protocol, fmt::format("BigQuery sent a row without {} cells", columns));
    }
    std::vector<std::optional<std::string>> values;
    values.reserve(columns);
    for (const auto& cell : *cells) {
      const auto v = cell.is_object() ? cell.find("v") : cell.end();
      if (v == cell.end() || v->is_null()) {
        values.emplace_back(std::nullopt);
      } else if (v->is_string()) {
        values.emplace_back(v->get<std::string>());
      } else {
        return fail(ErrorKind::protocol, "BigQuery sent a nested or non-string cell; select scalar columns only");
      }
    }
    out.rows.push_back(std::move(values));
  }
  return {};
}

}  // namespace

std::string describe_scan(const BigQueryDryRun& dry_run) {
  const double gib = static_cast<double>(dry_run.bytes_processed) / (1024.0 * 1024.0 * 1024.0);
  return fmt::format("{:.2f} GiB (~${:.2f} on demand)", gib, dry_run.cost_usd);
}

std::optional<size_t> BigQueryResult::column(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return i;
  }
  return std::nullopt;
}

struct BigQueryClient::Call {
  std::string method;
  std::string url;
  std::optional<std::string> body;
  std::string what;  ///< "jobs.query in project p", for messages
};

BigQueryClient::BigQueryClient(BigQueryClientOptions options, std::shared_ptr<BigQueryTokenSource> tokens)
    : options_(std::move(options)), tokens_(std::move(tokens)), http_(std::make_unique<http::Client>(options_.http)) {
  while (!options_.api_url.empty() && options_.api_url.back() == '/') options_.api_url.pop_back();
  if (options_.project.empty() && tokens_) options_.project = tokens_->project_id();
}

BigQueryClient::~BigQueryClient() = default;

Expected<std::string> BigQueryClient::send(const Call& call) {
  bool refreshed_token = false;
  auto pause = options_.backoff;
  for (int attempt = 1;; ++attempt) {
    auto token = tokens_->access_token();
    if (!token) return tl::unexpected(token.error());
    http::Headers headers{{"Authorization", "Bearer " + token->reveal()}};
    ++requests_;
    const std::string* body = call.body ? &*call.body : nullptr;
    if (body != nullptr) headers.emplace("Content-Type", "application/json");
    auto response = http_->send(call.method, call.url, body, headers);
    const bool last = attempt >= options_.attempts;
    if (!response) {
      if (!response.error().retryable() || last) {
        return fail(ErrorKind::network,
                    fmt::format("{}: {} (after {} attempts)", call.what, response.error().detail, attempt));
      }
    } else if (response->status == 200) {
      return std::move(response->body);
    } else {
      const auto error = BigQueryApiError::from_response(*response);
      if (error.status == 401 && !refreshed_token) {
        // The cached token may have been revoked or expired early: one fresh exchange, then retry.
        tokens_->invalidate();
        refreshed_token = true;
        --attempt;
        continue;
      }
      if (!error.retryable() || last) return tl::unexpected(error.to_error(call.what));
    }
    std::this_thread::sleep_for(pause);
    pause *= 2;
  }
}

std::string BigQueryClient::job_url(const std::string& job_id, const std::string& location,
                                    const std::string& page_token) const {
  std::string url = fmt::format(
      "{}/projects/{}/queries/{}?maxResults={}&timeoutMs={}&formatOptions.useInt64Timestamp=true", options_.api_url,
      percent_encode(options_.project), percent_encode(job_id), options_.page_rows, options_.server_wait.count());
  if (!location.empty()) url += "&location=" + percent_encode(location);
  if (!page_token.empty()) url += "&pageToken=" + percent_encode(page_token);
  return url;
}

Expected<BigQueryDryRun> BigQueryClient::dry_run(const BigQueryQuery& query) {
  if (options_.project.empty()) {
    return fail(ErrorKind::invalid_input,
                "no BigQuery project to run queries in: the key file has no project_id; set pypi.bigquery_project");
  }
  Json request = {{"query", query.sql}, {"useLegacySql", false}, {"parameterMode", "NAMED"}, {"dryRun", true}};
  Json parameters = Json::array();
  for (const auto& p : query.parameters) parameters.push_back(parameter_json(p));
  request["queryParameters"] = parameters;
  if (!options_.location.empty()) request["location"] = options_.location;
  const std::string what = fmt::format("dry run of jobs.query in project {}", options_.project);
  auto body = send({"POST", fmt::format("{}/projects/{}/queries", options_.api_url, percent_encode(options_.project)),
                    request.dump(), what});
  if (!body) return tl::unexpected(body.error());
  const Json answer = Json::parse(*body, nullptr, false);
  const auto bytes = answer.is_object() ? int64_field(answer, "totalBytesProcessed") : std::nullopt;
  if (!bytes) return fail(ErrorKind::protocol, what + ": the answer has no totalBytesProcessed");
  BigQueryDryRun out;
  out.bytes_processed = *bytes;
  const int64_t billed = *bytes > 0 ? std::max(*bytes, minimum_billed_bytes) : 0;
  out.cost_usd = static_cast<double>(billed) / kBytesPerTib * on_demand_usd_per_tib;
  return out;
}

Expected<BigQueryResult> BigQueryClient::query(const BigQueryQuery& query) {
  if (options_.max_bytes_billed > 0) {
    auto estimate = dry_run(query);
    if (!estimate) return tl::unexpected(estimate.error());
    if (estimate->bytes_processed > options_.max_bytes_billed) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("refusing a BigQuery query that would scan {} bytes ({}), over the maximum bytes billed "
                              "of {} bytes; raise pypi.bigquery_max_bytes_billed or query a shorter window",
                              estimate->bytes_processed, describe_scan(*estimate), options_.max_bytes_billed));
    }
  }
  if (options_.project.empty()) {
    return fail(ErrorKind::invalid_input,
                "no BigQuery project to run queries in: the key file has no project_id; set pypi.bigquery_project");
  }
  Json request = {{"query", query.sql},
                  {"useLegacySql", false},
                  {"parameterMode", "NAMED"},
                  {"maxResults", options_.page_rows},
                  {"timeoutMs", options_.server_wait.count()},
                  {"formatOptions", {{"useInt64Timestamp", true}}},
                  {"requestId", new_request_id()}};
  Json parameters = Json::array();
  for (const auto& p : query.parameters) parameters.push_back(parameter_json(p));
  request["queryParameters"] = parameters;
  if (options_.max_bytes_billed > 0) request["maximumBytesBilled"] = std::to_string(options_.max_bytes_billed);
  if (!options_.location.empty()) request["location"] = options_.location;

  const std::string what = fmt::format("jobs.query in project {}", options_.project);
  auto first = send({"POST", fmt::format("{}/projects/{}/queries", options_.api_url, percent_encode(options_.project)),
                     request.dump(), what});
  if (!first) return tl::unexpected(first.error());
  Json body = Json::parse(*first, nullptr, false);
  if (!body.is_object()) return fail(ErrorKind::protocol, what + ": the answer is not a JSON object");

  BigQueryResult out;
  const auto reference = body.find("jobReference");
  if (reference == body.end() || !reference->is_object() || string_field(*reference, "jobId").empty()) {
    return fail(ErrorKind::protocol, what + ": the answer has no jobReference.jobId");
  }
  out.job_id = string_field(*reference, "jobId");
  const std::string location = string_field(*reference, "location");
  const std::string results_what = fmt::format("jobs.getQueryResults for job {}", out.job_id);
  const auto deadline = std::chrono::steady_clock::now() + options_.job_deadline;

  while (!job_complete(body)) {
    ++out.polls;
    if (std::chrono::steady_clock::now() > deadline) {
      return fail(ErrorKind::network, fmt::format("{}: the job did not finish within {} s; nothing was kept",
                                                  results_what, options_.job_deadline.count()));
    }
    auto next = send({"GET", job_url(out.job_id, location, ""), std::nullopt, results_what});
    if (!next) return tl::unexpected(next.error());
    body = Json::parse(*next, nullptr, false);
    if (!body.is_object()) return fail(ErrorKind::protocol, results_what + ": the answer is not a JSON object");
  }

  auto fields = read_schema(body);
  if (!fields) return with_context(fields.error(), results_what);
  out.fields = std::move(*fields);
  const auto total_rows = int64_field(body, "totalRows");
  if (!total_rows) return fail(ErrorKind::protocol, results_what + ": the finished job has no totalRows");
  out.bytes_processed = int64_field(body, "totalBytesProcessed").value_or(0);
  std::string previous_token;
  for (;;) {
    if (auto ok = append_rows(body, out.fields.size(), out); !ok) return with_context(ok.error(), results_what);
    ++out.pages;
    const std::string token = string_field(body, "pageToken");
    if (token.empty()) break;
    if (token == previous_token || static_cast<int64_t>(out.rows.size()) > *total_rows) {
      return fail(ErrorKind::protocol, results_what + ": paging does not end (a repeated pageToken or too many rows)");
    }
    previous_token = token;
    auto page = send({"GET", job_url(out.job_id, location, token), std::nullopt, results_what});
    if (!page) return tl::unexpected(page.error());
    body = Json::parse(*page, nullptr, false);
    if (!body.is_object() || !job_complete(body)) {
      return fail(ErrorKind::protocol, results_what + ": a page of a finished job is not a complete JSON answer");
    }
  }
  if (static_cast<int64_t>(out.rows.size()) != *total_rows) {
    return fail(ErrorKind::protocol, fmt::format("{}: got {} rows of the {} in totalRows; nothing was kept",
                                                 results_what, out.rows.size(), *total_rows));
  }
  return out;
}

}  // namespace ampere::pypi
