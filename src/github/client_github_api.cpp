#include "github/client_github_api.hpp"

namespace ampere::github {

namespace {

ApiPage to_page(GithubResponse&& response) {
  return ApiPage{response.final_url.empty() ? response.url : response.final_url, response.status,
                 std::move(response.body), std::move(response.headers), std::move(response.validator_key)};
}

}  // namespace

/// A client borrowed from the pool for one call, given back when the call ends.
class ClientGithubApi::Lease {
 public:
  explicit Lease(ClientGithubApi& api) : api_(api), client_(api.borrow()) {}
  ~Lease() { api_.give_back(std::move(client_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  GithubClient& operator*() const { return *client_; }
  GithubClient* operator->() const { return client_.get(); }

 private:
  ClientGithubApi& api_;
  std::unique_ptr<GithubClient> client_;
};

Expected<std::unique_ptr<ClientGithubApi>> ClientGithubApi::open(ClientApiOptions options) {
  std::unique_ptr<ClientGithubApi> api(new ClientGithubApi());
  auto etags = EtagStore::load(options.validators_file);
  if (!etags) return tl::unexpected(etags.error());
  api->etags_ = std::move(*etags);
  api->limiter_ = std::make_shared<RateLimiter>(options.clock);
  if (!options.pace_requests) api->limiter_->disable_secondary_pacing();
  api->stats_ = std::make_shared<RequestStats>();
  api->client_options_.base_url = options.api_url;
  api->client_options_.token = options.token;
  api->client_options_.retry = options.retry;
  return api;
}

std::unique_ptr<GithubClient> ClientGithubApi::borrow() {
  {
    const std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
  }
  return std::make_unique<GithubClient>(client_options_, limiter_, stats_, etags_);
}

void ClientGithubApi::give_back(std::unique_ptr<GithubClient> client) {
  const std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(client));
}

Expected<ApiPage> ClientGithubApi::get(const std::string& path, std::string_view accept, Conditional conditional) {
  RequestOptions request;
  request.accept = std::string(accept);
  request.conditional = conditional == Conditional::yes;
  const Lease client(*this);
  auto response = client->get(path, request);
  if (!response) return tl::unexpected(response.error());
  return to_page(std::move(*response));
}

Expected<void> ClientGithubApi::paginate(const std::string& path, std::string_view accept, Conditional conditional,
                                         const PageVisitor& visit) {
  const Lease client(*this);
  std::string next = path;
  while (true) {
    RequestOptions request;
    request.accept = std::string(accept);
    request.conditional = conditional == Conditional::yes;
    auto response = client->get(next, request);
    if (!response) return tl::unexpected(response.error());
    const auto following = response->next_page_url();
    const ApiPage page = to_page(std::move(*response));
    auto more = visit(page);
    if (!more) return tl::unexpected(more.error());
    if (!*more || !(page.ok() || page.not_modified()) || !following) return {};
    next = *following;
  }
}

Expected<nlohmann::json> ClientGithubApi::graphql(std::string_view query, const nlohmann::json& variables) {
  const Lease client(*this);
  auto response = GraphqlClient(*client).query(query, variables);
  if (!response) return tl::unexpected(response.error());
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : response->not_found) {
    errors.push_back({{"type", e.type}, {"message", e.message}, {"path", e.path}});
  }
  return nlohmann::json{{"data", std::move(response->data)}, {"errors", std::move(errors)}};
}

Expected<void> ClientGithubApi::commit_validators(std::span<const std::string> keys) {
  return etags_->commit(keys);
}

ApiStats ClientGithubApi::stats() const {
  const RequestCounts total = stats_->total();
  ApiStats s;
  s.requests = static_cast<int64_t>(total.requests);
  s.not_modified = static_cast<int64_t>(total.not_modified);
  s.retries = static_cast<int64_t>(total.retries);
  s.waited_seconds = total.wait_seconds;
  s.graphql_points = static_cast<int64_t>(total.graphql_points);
  const auto rest = limiter_->state(Budget::rest);
  s.rest_remaining = rest.known ? rest.remaining : -1;
  const auto graphql = limiter_->state(Budget::graphql);
  s.graphql_remaining = graphql.known ? graphql.remaining : -1;
  s.waiting_until = limiter_->waiting_until();
  return s;
}

}  // namespace ampere::github
