#include "github/client_github_api.hpp"

namespace ampere::github {

Expected<std::unique_ptr<ClientGithubApi>> ClientGithubApi::open(ClientApiOptions options) {
  std::unique_ptr<ClientGithubApi> api(new ClientGithubApi());
  auto etags = EtagStore::load(options.validators_file);
  if (!etags) return tl::unexpected(etags.error());
  api->etags_ = std::move(*etags);
  api->limiter_ = std::make_shared<RateLimiter>(options.clock);
  if (!options.pace_requests) api->limiter_->disable_secondary_pacing();
  api->stats_ = std::make_shared<RequestStats>();
  GithubClientOptions client_options;
  client_options.base_url = options.api_url;
  client_options.token = options.token;
  client_options.retry = options.retry;
  api->rest_ = std::make_unique<GithubClient>(client_options, api->limiter_, api->stats_, api->etags_);
  api->graphql_ = std::make_unique<GraphqlClient>(*api->rest_);
  return api;
}

Expected<ApiPage> ClientGithubApi::get(const std::string& path, std::string_view accept, Conditional conditional) {
  RequestOptions request;
  request.accept = std::string(accept);
  request.conditional = conditional == Conditional::yes;
  auto response = rest_->get(path, request);
  if (!response) return tl::unexpected(response.error());
  return ApiPage{response->final_url.empty() ? response->url : response->final_url, response->status,
                 std::move(response->body), std::move(response->headers)};
}

Expected<void> ClientGithubApi::paginate(const std::string& path, std::string_view accept, Conditional conditional,
                                         const PageVisitor& visit) {
  std::string next = path;
  while (true) {
    RequestOptions request;
    request.accept = std::string(accept);
    request.conditional = conditional == Conditional::yes;
    auto response = rest_->get(next, request);
    if (!response) return tl::unexpected(response.error());
    const auto following = response->next_page_url();
    ApiPage page{response->final_url.empty() ? response->url : response->final_url, response->status,
                 std::move(response->body), std::move(response->headers)};
    auto more = visit(page);
    if (!more) return tl::unexpected(more.error());
    if (!*more || !(page.ok() || page.not_modified()) || !following) return {};
    next = *following;
  }
}

Expected<nlohmann::json> ClientGithubApi::graphql(std::string_view query, const nlohmann::json& variables) {
  auto response = graphql_->query(query, variables);
  if (!response) return tl::unexpected(response.error());
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : response->not_found) {
    errors.push_back({{"type", e.type}, {"message", e.message}, {"path", e.path}});
  }
  return nlohmann::json{{"data", std::move(response->data)}, {"errors", std::move(errors)}};
}

Expected<void> ClientGithubApi::commit_validators() {
  return etags_->commit();
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
  return s;
}

}  // namespace ampere::github
