#include "cli/report_source.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "cli/command.hpp"
#include "cli/serve_lock.hpp"
#include "http/client.hpp"
#include "server/app.hpp"
#include "util/strings.hpp"
#include "warehouse/warehouse.hpp"

namespace ampere::cli {

namespace {

std::string encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

std::string query_of(const std::map<std::string, std::string>& params) {
  std::string q;
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    q += (q.empty() ? "" : "&") + encode(k) + "=" + encode(v);
  }
  return q;
}

// Reads a response: 200 -> body, 400 -> problem, anything else -> error.
Expected<ReportJson> read_answer(int status, const std::string& body, const std::string& where,
                                 ReportProblem* problem) {
  const auto json = ReportJson::parse(body, nullptr, false);
  if (status == 200 && !json.is_discarded()) return json;
  std::string detail = json.is_object() && json.contains("detail") && json["detail"].is_string()
                           ? json["detail"].get<std::string>()
                           : body.substr(0, 200);
  if (status == 400 && problem != nullptr && json.is_object()) {
    problem->detail = detail;
    problem->parameter = json.value("parameter", ReportJson()).is_string() ? json["parameter"].get<std::string>() : "";
    if (json.contains("allowed") && json["allowed"].is_array()) {
      for (const auto& a : json["allowed"]) {
        if (a.is_string()) problem->allowed.push_back(a.get<std::string>());
      }
    }
    return fail(ErrorKind::invalid_input, detail);
  }
  if (status == 429) return fail(ErrorKind::network, fmt::format("{} is rate limiting us: {}", where, detail));
  return fail(status == 400 ? ErrorKind::invalid_input : ErrorKind::io,
              fmt::format("{} answered {}: {}", where, status, detail));
}

class LocalSource : public ReportSource {
 public:
  LocalSource(std::unique_ptr<db::Database> db, std::string where) : db_(std::move(db)), where_(std::move(where)) {
    server::ApiOptions options;
    options.rate_limit_per_minute = 0;
    app_ = std::make_unique<server::App>(*db_, std::move(options));
  }

  Expected<ReportJson> get(const std::string& route, const std::map<std::string, std::string>& params,
                           ReportProblem* problem) override {
    http::Request request;
    request.method = "GET";
    request.path = route;
    request.raw_query = query_of(params);
    request.remote_address = "local";
    const auto response = app_->handle(request);
    return read_answer(response.status, std::string(response.payload()), where_, problem);
  }

  [[nodiscard]] std::string describe() const override { return where_; }

 private:
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<server::App> app_;
  std::string where_;
};

class RemoteSource : public ReportSource {
 public:
  explicit RemoteSource(std::string base) : base_(std::move(base)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    http::ClientOptions options;
    options.total_timeout = std::chrono::seconds(60);
    options.connect_timeout = std::chrono::seconds(5);
    client_ = std::make_unique<http::Client>(options);
  }

  Expected<ReportJson> get(const std::string& route, const std::map<std::string, std::string>& params,
                           ReportProblem* problem) override {
    const std::string q = query_of(params);
    auto response = client_->get(base_ + route + (q.empty() ? "" : "?" + q), {{"Accept-Encoding", "gzip"}});
    if (!response) {
      return fail(ErrorKind::network, fmt::format("cannot reach ampere at {}: {}; is `ampere serve` running there?",
                                                  base_, response.error().message));
    }
    return read_answer(response->status, response->body, base_, problem);
  }

  [[nodiscard]] std::string describe() const override { return base_; }

 private:
  std::string base_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace

Expected<std::unique_ptr<ReportSource>> ReportSource::open(const std::filesystem::path& data_dir,
                                                           const std::string& server_url) {
  if (!server_url.empty()) {
    if (!server_url.starts_with("http://") && !server_url.starts_with("https://")) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("--server {}: give the URL of a running ampere, e.g. http://127.0.0.1:8080", server_url));
    }
    return std::make_unique<RemoteSource>(server_url);
  }
  if (const auto server = find_server(data_dir)) {
    // The server holds DuckDB's lock on the warehouse: ask it.
    const std::string host = server->bind == "0.0.0.0" || server->bind.empty() ? "127.0.0.1" : server->bind;
    return std::make_unique<RemoteSource>(fmt::format("http://{}:{}", host, server->port));
  }
  auto db = warehouse::open_warehouse(data_dir, true);
  if (!db) return tl::unexpected(db.error());
  return std::make_unique<LocalSource>(std::move(*db), warehouse::warehouse_file(data_dir).string());
}

int report_problem(const ReportProblem& problem, std::string_view option) {
  std::fprintf(stderr, "ampere: %s\n", problem.detail.c_str());
  if (!problem.allowed.empty()) {
    std::fprintf(stderr, "valid %s: %s\n", std::string(option).c_str(), join(problem.allowed, ", ").c_str());
  }
  return exit_usage;
}

}  // namespace ampere::cli
