#pragma once
// What the fetchers need from GitHub, and nothing more: one GET, a Link-paginated GET, and a GraphQL
// query. GithubClient implements it over HTTP (conditional requests, retries, rate limits); tests may
// implement it in memory. Every call counts against the run's request statistics.

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/http_types.hpp"
#include "util/error.hpp"

namespace ampere::github {

/// The media type of GitHub's REST API, and the one that adds starred_at to stargazers.
inline constexpr std::string_view kJsonMediaType = "application/vnd.github+json";
inline constexpr std::string_view kStarMediaType = "application/vnd.github.star+json";

/// One answer of the REST API. A 304 (the resource has not changed since the validators the client
/// holds) has no body; the caller already stored its data.
struct ApiPage {
  std::string url;  ///< the URL finally answered (after redirects: a renamed repo moves)
  int status = 0;
  std::string body;
  http::Headers headers;
  std::string validator_key;  ///< the validators this answer staged ("" when none); see commit_validators

  [[nodiscard]] bool not_modified() const { return status == 304; }
  [[nodiscard]] bool ok() const { return status >= 200 && status < 300; }
};

/// Whether a GET may be answered 304 from stored validators: yes for refreshes, no when the caller
/// needs every body (a complete listing).
enum class Conditional { yes, no };

/// Called with each page; returns false to stop paginating (the caller found what it knew).
using PageVisitor = std::function<Expected<bool>(const ApiPage&)>;

/// GitHub, as the fetchers see it. Thread-safe: fetchers on several threads share one. Transport failures, exhausted
/// retries and rate-limit waits are the implementation's business; what reaches the caller is either a page (any status
/// GitHub answered for good, such as 404, 409 or 451) or an error saying why no answer could be had.
class GithubApi {
 public:
  virtual ~GithubApi() = default;

  /// GET `path` ("/orgs/x/repos?per_page=100" or an absolute URL) with `accept`.
  virtual Expected<ApiPage> get(const std::string& path, std::string_view accept, Conditional conditional) = 0;

  /// GET `path` and then each rel="next" page of its Link header, verbatim, until there is none, a
  /// page is not 2xx/304, or `visit` returns false. `visit` sees every page, including the last.
  virtual Expected<void> paginate(const std::string& path, std::string_view accept, Conditional conditional,
                                  const PageVisitor& visit) = 0;

  /// POSTs a GraphQL query; returns the whole response object ({data, errors}). A RATE_LIMITED
  /// answer is waited out by the implementation; other errors are left in `errors` for the caller.
  virtual Expected<nlohmann::json> graphql(std::string_view query, const nlohmann::json& variables) = 0;

  /// Makes the validators (ETags) staged under `keys` (ApiPage::validator_key) permanent: call it after
  /// the data they cover is committed, so that a crash before then re-fetches instead of skipping.
  /// Validators of answers whose data is not committed yet (other threads' work) stay staged.
  virtual Expected<void> commit_validators(std::span<const std::string> keys) = 0;
};

}  // namespace ampere::github
