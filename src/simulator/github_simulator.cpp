#include "simulator/github_simulator.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/client.hpp"
#include "http/server.hpp"
#include "simulator/graphql_executor.hpp"
#include "simulator/payload_builder.hpp"
#include "simulator/rate_budget.hpp"
#include "util/strings.hpp"

namespace ampere::simulator {

namespace {

using nlohmann::json;
namespace chr = std::chrono;

constexpr int default_per_page = 30;
constexpr int max_per_page = 100;
constexpr int stargazer_page_cap = 400;  // 400 pages x 100 = the 40,000-star REST cap
constexpr int issues_page_cap = 100;     // page >= 100 on the issues list answers 422
constexpr auto ready_timeout = chr::seconds(5);
constexpr auto ready_poll = chr::milliseconds(5);
constexpr std::string_view json_type = "application/json; charset=utf-8";
constexpr std::string_view docs = "https://docs.github.com/rest";
constexpr std::string_view star_media_type = "application/vnd.github.star+json";

http::Response json_response(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.content_type = std::string(json_type);
  r.body = body.dump();
  return r;
}

http::Response error_response(int status, std::string_view message, std::string_view doc_url = docs) {
  return json_response(status,
                       json{{"message", message}, {"documentation_url", doc_url}, {"status", std::to_string(status)}});
}

std::string hex64(uint64_t v) {
  return fmt::format("{:016x}", v);
}

// A strong ETag: two FNV-1a hashes of the body (different offsets), quoted.
std::string etag_of(std::string_view body) {
  uint64_t a = 0xcbf29ce484222325ULL;
  uint64_t b = 0x84222325cbf29ce4ULL;
  for (const char c : body) {
    a = (a ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
    b = (b ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  }
  return "\"" + hex64(a) + hex64(b) + "\"";
}

std::string http_date(EpochSeconds t) {
  static constexpr std::array<std::string_view, 7> weekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const chr::sys_seconds s{chr::seconds{t}};
  const auto days = chr::floor<chr::days>(s);
  const chr::year_month_day ymd{days};
  const chr::hh_mm_ss hms{s - days};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", weekdays[chr::weekday{days}.c_encoding()],
                     static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::optional<EpochSeconds> parse_http_date(const std::string& text) {
  static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  int day = 0;
  int year = 0;
  int h = 0;
  int m = 0;
  int s = 0;
  std::array<char, 4> month{};
  if (std::sscanf(text.c_str(), "%*3s, %d %3s %d %d:%d:%d GMT", &day, month.data(), &year, &h, &m, &s) != 6) {
    return std::nullopt;
  }
  const auto pos = months.find(std::string_view(month.data(), 3));
  if (pos == std::string_view::npos) return std::nullopt;
  const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(pos / 3 + 1)},
                                chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return chr::sys_days{ymd}.time_since_epoch() / chr::seconds(1) + h * 3600 + m * 60 + s;
}

std::string percent_encode(std::string_view s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// The request's URL with some query parameters replaced (an empty value removes the parameter).
std::string url_with(const std::string& base, const http::Request& request,
                     const std::map<std::string, std::string>& replace) {
  std::vector<std::string> pieces;
  std::map<std::string, std::string> params;
  for (const auto& [k, v] : request.params) params.emplace(k, v);
  for (const auto& [k, v] : replace) params[k] = v;
  for (const auto& [k, v] : params) {
    if (!v.empty()) pieces.push_back(percent_encode(k) + "=" + percent_encode(v));
  }
  std::string url = base + request.path;
  if (!pieces.empty()) url += "?" + join(pieces, "&");
  return url;
}

int int_param(const http::Request& request, std::string_view name, int fallback) {
  const auto value = request.param(name);
  if (!value) return fallback;
  try {
    return std::stoi(*value);
  } catch (const std::exception&) {
    return fallback;
  }
}

std::optional<EpochSeconds> time_param(const http::Request& request, std::string_view name) {
  const auto value = request.param(name);
  if (!value) return std::nullopt;
  const auto t = parse_iso8601(*value);
  if (!t) return std::nullopt;
  return chr::duration_cast<chr::seconds>(t->time_since_epoch()).count();
}

EpochSeconds to_seconds(Timestamp t) {
  return chr::duration_cast<chr::seconds>(t.time_since_epoch()).count();
}

// A page of a list: [begin, end) plus the Link header for page-numbered pagination.
struct PageWindow {
  size_t begin = 0;
  size_t end = 0;
};

int per_page_of(const http::Request& request) {
  return std::clamp(int_param(request, "per_page", default_per_page), 1, max_per_page);
}

PageWindow page_window(const http::Request& request, const std::string& base, size_t total, http::Response& out,
                       int last_page_cap = 0) {
  const int per_page = per_page_of(request);
  const int page = std::max(1, int_param(request, "page", 1));
  int last = std::max<int>(1, static_cast<int>((total + per_page - 1) / static_cast<size_t>(per_page)));
  if (last_page_cap > 0) last = std::min(last, last_page_cap);
  std::vector<std::string> links;
  const auto link = [&](int p, std::string_view rel) {
    links.push_back(fmt::format("<{}>; rel=\"{}\"", url_with(base, request, {{"page", std::to_string(p)}}), rel));
  };
  if (page < last) {
    link(page + 1, "next");
    link(last, "last");
  }
  if (page > 1) {
    link(std::min(page - 1, last), "prev");
    link(1, "first");
  }
  if (!links.empty()) out.headers.emplace("Link", join(links, ", "));
  PageWindow w;
  w.begin = std::min(total, static_cast<size_t>(page - 1) * static_cast<size_t>(per_page));
  w.end = std::min(total, w.begin + static_cast<size_t>(per_page));
  return w;
}

std::string route_family(const std::vector<std::string>& parts) {
  if (parts.empty()) return "other";
  if (parts[0] == "graphql") return "graphql";
  if (parts[0] == "rate_limit") return "rate_limit";
  if (parts[0] == "_simulator") return "simulator";
  if (parts[0] == "orgs" && parts.size() == 3 && parts[2] == "repos") return "org_repos";
  if (parts[0] == "users") return parts.size() == 3 ? parts[2] : "users";
  if (parts[0] == "repos" || parts[0] == "repositories") {
    const size_t rest = parts[0] == "repos" ? 3 : 2;
    return parts.size() > rest ? parts[rest] : "repo";
  }
  return "other";
}

}  // namespace

struct GithubSimulator::Impl {
  explicit Impl(SimulatorOptions o)
      : options(std::move(o)),
        rest(options.rest_limit),
        graphql(options.graphql_limit),
        faults(options.faults, options.org.seed) {}

  [[nodiscard]] EpochSeconds now() const { return to_seconds(options.clock ? options.clock() : now_utc()); }

  SimulatorOptions options;
  RateBudget rest;
  RateBudget graphql;
  FaultInjector faults;
  int graphql_failures = 0;  ///< GraphQL queries still to answer with an execution error
  SimulatorStats counters;
  std::unique_ptr<http::Server> server;
};

namespace {

// Everything one REST request needs, with the model locked.
class RestRouter {
 public:
  RestRouter(const OrgModel& model, const http::Request& request, std::string base, StargazerAccess stargazers)
      : model_(model), payloads_(model), request_(request), base_(std::move(base)), stargazers_(stargazers) {}

  http::Response route(const std::vector<std::string>& parts) {
    if (parts.size() == 3 && parts[0] == "orgs" && parts[2] == "repos") return org_repos(parts[1]);
    if (parts.size() >= 2 && parts[0] == "users") return users(parts);
    if (parts.size() >= 3 && parts[0] == "repos") {
      if (to_lower(parts[1]) != to_lower(model_.login())) return not_found();
      return repo_route(parts, 3, model_.find_repo(parts[2]), parts[2]);
    }
    if (parts.size() >= 2 && parts[0] == "repositories") {
      int64_t id = 0;
      try {
        id = std::stoll(parts[1]);
      } catch (const std::exception&) {
        return not_found();
      }
      return repo_route(parts, 2, model_.find_repo_by_id(id), "");
    }
    return not_found();
  }

 private:
  static http::Response not_found() { return error_response(404, "Not Found"); }

  static http::Response list(const json& items) { return json_response(200, items); }

  http::Response org_repos(const std::string& org) {
    if (to_lower(org) != to_lower(model_.login())) return not_found();
    std::vector<const Repo*> repos;
    const std::string type = request_.param("type").value_or("all");
    if (type != "forks") {
      for (const auto& r : model_.repos()) {
        if (!r.deleted) repos.push_back(&r);
      }
    }
    const std::string sort = request_.param("sort").value_or("created");
    const std::string direction = request_.param("direction").value_or(sort == "full_name" ? "asc" : "desc");
    std::stable_sort(repos.begin(), repos.end(), [&](const Repo* a, const Repo* b) {
      if (sort == "full_name") return to_lower(a->name) < to_lower(b->name);
      if (sort == "updated") return a->updated_at < b->updated_at;
      if (sort == "pushed") return a->pushed_at < b->pushed_at;
      return a->created_at < b->created_at;
    });
    if (direction == "desc") std::reverse(repos.begin(), repos.end());
    http::Response out;
    const auto w = page_window(request_, base_, repos.size(), out);
    json items = json::array();
    EpochSeconds modified = 0;
    for (size_t i = w.begin; i < w.end; ++i) {
      items.push_back(payloads_.repo(*repos[i]));
      modified = std::max(modified, repos[i]->updated_at);
    }
    return finish(std::move(out), items, modified);
  }

  http::Response finish(http::Response out, const json& body, EpochSeconds modified = 0) {
    out.status = 200;
    out.content_type = std::string(json_type);
    out.body = body.dump();
    if (modified > 0) out.headers.emplace("Last-Modified", http_date(modified));
    return out;
  }

  http::Response users(const std::vector<std::string>& parts) {
    const auto user = model_.find_user(parts[1]);
    if (!user || model_.users()[*user].deleted) return not_found();
    if (parts.size() == 2) {
      return finish({}, payloads_.public_user(*user), model_.users()[*user].updated_at);
    }
    if (parts.size() != 3 || (parts[2] != "followers" && parts[2] != "following")) return not_found();
    const auto& edges = parts[2] == "followers" ? model_.followers(*user) : model_.following(*user);
    http::Response out;
    const auto w = page_window(request_, base_, edges.size(), out);
    json items = json::array();
    for (size_t i = w.begin; i < w.end; ++i) items.push_back(payloads_.simple_user(edges[i]));
    return finish(std::move(out), items);
  }

  http::Response repo_route(const std::vector<std::string>& parts, size_t rest, std::optional<size_t> index,
                            const std::string& name) {
    if (!index && !name.empty()) {
      if (const auto renamed = model_.find_renamed_repo(name)) {
        // GitHub answers a renamed repository's old URLs with 301 to /repositories/{id}/...
        std::string suffix;
        for (size_t i = rest; i < parts.size(); ++i) suffix += "/" + parts[i];
        http::Request moved = request_;
        moved.path = fmt::format("/repositories/{}{}", model_.repos()[*renamed].id, suffix);
        const std::string location = url_with(base_, moved, {});
        http::Response out =
            json_response(301, json{{"message", "Moved Permanently"}, {"url", location}, {"documentation_url", docs}});
        out.headers.emplace("Location", location);
        return out;
      }
    }
    if (!index) return not_found();
    const Repo& repo = model_.repos()[*index];
    if (repo.blocked) {
      return json_response(451, json{{"message", "Repository access blocked"},
                                     {"block",
                                      {{"reason", "tos"},
                                       {"created_at", format_time(repo.updated_at)},
                                       {"html_url", fmt::format("{}/tos", web_root)}}}});
    }
    if (parts.size() == rest) return finish({}, payloads_.repo(repo), repo.updated_at);
    if (parts.size() != rest + 1) return not_found();
    const std::string& what = parts[rest];
    if (what == "languages") {
      nlohmann::ordered_json languages = nlohmann::ordered_json::object();
      for (const auto& [language, bytes] : repo.languages) languages[language] = bytes;
      http::Response out = json_response(200, json());
      out.body = languages.dump();
      return out;
    }
    if (what == "stargazers") return stargazers(repo);
    if (what == "forks") return forks(repo);
    if (what == "releases") return releases(repo);
    if (what == "issues") return issues(repo);
    if (what == "pulls") return pulls(repo);
    if (what == "commits") return commits(repo);
    return not_found();
  }

  http::Response stargazers(const Repo& repo) {
    if (stargazers_ == StargazerAccess::forbidden) {
      return error_response(403, "Must have push access to view repository stargazers");
    }
    if (stargazers_ == StargazerAccess::empty) return list(json::array());
    if (int_param(request_, "page", 1) > stargazer_page_cap) {
      return error_response(422,
                            "In order to keep the API fast for everyone, pagination is limited for this resource. "
                            "Check the rel=last link relation in the Link response header to see how far back you "
                            "can traverse.",
                            "https://docs.github.com/rest/activity/starring#list-stargazers");
    }
    const bool with_times = request_.header("Accept").value_or("").find(star_media_type) != std::string::npos;
    http::Response out;
    const auto w = page_window(request_, base_, repo.stars.size(), out, stargazer_page_cap);
    json items = json::array();
    for (size_t i = w.begin; i < w.end; ++i) {
      const Star& s = repo.stars[i];
      if (with_times) {
        items.push_back(json{{"starred_at", format_time(s.starred_at)}, {"user", payloads_.simple_user(s.user)}});
      } else {
        items.push_back(payloads_.simple_user(s.user));
      }
    }
    return finish(std::move(out), items);
  }

  http::Response forks(const Repo& repo) {
    std::vector<const Fork*> forks;
    for (const auto& f : repo.forks) forks.push_back(&f);
    if (request_.param("sort").value_or("newest") != "oldest") std::reverse(forks.begin(), forks.end());
    http::Response out;
    const auto w = page_window(request_, base_, forks.size(), out);
    json items = json::array();
    for (size_t i = w.begin; i < w.end; ++i) items.push_back(payloads_.fork(repo, *forks[i]));
    return finish(std::move(out), items);
  }

  http::Response releases(const Repo& repo) {
    http::Response out;
    const auto w = page_window(request_, base_, repo.releases.size(), out);
    json items = json::array();
    // Newest first.
    for (size_t i = w.begin; i < w.end; ++i) {
      items.push_back(payloads_.release(repo, repo.releases[repo.releases.size() - 1 - i]));
    }
    return finish(std::move(out), items);
  }

  // Filters and orders issues/PRs by state, since, sort and direction.
  std::vector<const Issue*> select_issues(const Repo& repo, bool pulls_only, const std::string& sort, bool ascending) {
    const std::string state = request_.param("state").value_or("open");
    const auto since = pulls_only ? std::nullopt : time_param(request_, "since");
    std::vector<const Issue*> items;
    for (const auto& issue : repo.issues) {
      if (issue.deleted || (pulls_only && !issue.is_pull_request)) continue;
      if (state == "open" && !issue.is_open()) continue;
      if (state == "closed" && issue.is_open()) continue;
      if (since && issue.updated_at < *since) continue;
      items.push_back(&issue);
    }
    const auto key = [&sort](const Issue* i) -> int64_t {
      if (sort == "updated") return i->updated_at;
      if (sort == "comments") return i->comments;
      return i->created_at;
    };
    std::sort(items.begin(), items.end(), [&](const Issue* a, const Issue* b) {
      const auto ka = std::pair{key(a), a->number};
      const auto kb = std::pair{key(b), b->number};
      return ascending ? ka < kb : kb < ka;
    });
    return items;
  }

  http::Response issues(const Repo& repo) {
    const std::string sort = request_.param("sort").value_or("created");
    const bool ascending = request_.param("direction").value_or("desc") == "asc";
    const auto items = select_issues(repo, false, sort, ascending);
    json body = json::array();
    http::Response out;
    if (request_.param("page")) {
      if (int_param(request_, "page", 1) >= issues_page_cap) {
        return error_response(422,
                              "Pagination with the page parameter is not supported for large datasets, please use "
                              "cursor based pagination (after/before)",
                              "https://docs.github.com/rest/issues/issues#list-repository-issues");
      }
      const auto w = page_window(request_, base_, items.size(), out);
      for (size_t i = w.begin; i < w.end; ++i) body.push_back(payloads_.issue(repo, *items[i]));
      return finish(std::move(out), body);
    }
    // Cursor pagination: `after` is the last item's (sort key, number), opaque to the client.
    const auto key = [&sort](const Issue* i) -> int64_t {
      if (sort == "updated") return i->updated_at;
      if (sort == "comments") return i->comments;
      return i->created_at;
    };
    size_t begin = 0;
    if (const auto after = request_.param("after")) {
      const auto decoded = base64_decode(*after);
      long long k = 0;
      int number = 0;
      if (!decoded || std::sscanf(decoded->c_str(), "cursor:v2:%lld:%d", &k, &number) != 2) {
        return error_response(422, "Invalid cursor",
                              "https://docs.github.com/rest/issues/issues#list-repository-issues");
      }
      const auto cursor = std::pair<int64_t, int>{k, number};
      const auto it = std::find_if(items.begin(), items.end(), [&](const Issue* i) {
        const auto item = std::pair<int64_t, int>{key(i), i->number};
        return ascending ? cursor < item : item < cursor;
      });
      begin = static_cast<size_t>(it - items.begin());
    }
    const size_t end = std::min(items.size(), begin + static_cast<size_t>(per_page_of(request_)));
    for (size_t i = begin; i < end; ++i) body.push_back(payloads_.issue(repo, *items[i]));
    if (end < items.size()) {
      const Issue* last = items[end - 1];
      const std::string cursor = base64_encode(fmt::format("cursor:v2:{}:{}", key(last), last->number));
      out.headers.emplace(
          "Link", fmt::format("<{}>; rel=\"next\"", url_with(base_, request_, {{"after", cursor}, {"page", ""}})));
    }
    return finish(std::move(out), body);
  }

  http::Response pulls(const Repo& repo) {
    const std::string sort = request_.param("sort").value_or("created");
    const std::string fallback = sort == "created" ? "desc" : "asc";
    const bool ascending = request_.param("direction").value_or(fallback) == "asc";
    const auto items = select_issues(repo, true, sort == "updated" ? "updated" : "created", ascending);
    http::Response out;
    const auto w = page_window(request_, base_, items.size(), out);
    json body = json::array();
    for (size_t i = w.begin; i < w.end; ++i) body.push_back(payloads_.pull_request(repo, *items[i]));
    return finish(std::move(out), body);
  }

  http::Response commits(const Repo& repo) {
    if (repo.commits.empty()) {
      return error_response(409, "Git Repository is empty.",
                            "https://docs.github.com/rest/commits/commits#list-commits");
    }
    size_t head = repo.commits.size() - 1;
    if (const auto sha = request_.param("sha"); sha && *sha != repo.default_branch) {
      bool found = false;
      for (size_t i = repo.commits.size(); i-- > 0;) {
        if (repo.commit_sha(repo.commits[i].seq).starts_with(*sha) && sha->size() >= 7) {
          head = i;
          found = true;
          break;
        }
      }
      if (!found) {
        return error_response(404, fmt::format("No commit found for SHA: {}", *sha),
                              "https://docs.github.com/rest/commits/commits#list-commits");
      }
    }
    const auto since = time_param(request_, "since");
    const auto until = time_param(request_, "until");
    std::vector<const Commit*> items;
    for (size_t i = head + 1; i-- > 0;) {
      const Commit& c = repo.commits[i];
      if (since && c.committed_at < *since) continue;
      if (until && c.committed_at > *until) continue;
      items.push_back(&c);
    }
    http::Response out;
    const auto w = page_window(request_, base_, items.size(), out);
    json body = json::array();
    for (size_t i = w.begin; i < w.end; ++i) body.push_back(payloads_.commit(repo, *items[i]));
    return finish(std::move(out), body);
  }

  const OrgModel& model_;
  PayloadBuilder payloads_;
  const http::Request& request_;
  std::string base_;
  StargazerAccess stargazers_;
};

std::vector<std::string> path_parts(const std::string& path) {
  std::vector<std::string> parts;
  for (auto& p : split(path, '/')) {
    if (!p.empty()) parts.push_back(std::move(p));
  }
  return parts;
}

void add_rate_headers(http::Response& r, const BudgetState& s, std::string_view resource) {
  r.headers.emplace("x-ratelimit-limit", std::to_string(s.limit));
  r.headers.emplace("x-ratelimit-remaining", std::to_string(s.remaining));
  r.headers.emplace("x-ratelimit-used", std::to_string(s.used));
  r.headers.emplace("x-ratelimit-reset", std::to_string(s.reset));
  r.headers.emplace("x-ratelimit-resource", std::string(resource));
}

json budget_json(const BudgetState& s) {
  return json{{"limit", s.limit}, {"used", s.used}, {"remaining", s.remaining}, {"reset", s.reset}};
}

bool etag_matches(const std::string& header, const std::string& etag) {
  for (const auto& piece : split(header, ',')) {
    std::string_view t = trim(piece);
    if (t.starts_with("W/")) t.remove_prefix(2);
    if (t == etag || t == "*") return true;
  }
  return false;
}

}  // namespace

// The copy is deliberate: options.org is read for generation while the copy goes to the other constructor.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
GithubSimulator::GithubSimulator(SimulatorOptions options)
    : GithubSimulator(options, OrgModel::generate(options.org)) {}

GithubSimulator::GithubSimulator(SimulatorOptions options, OrgModel model)
    : model_(std::make_unique<OrgModel>(std::move(model))), impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->server = std::make_unique<http::Server>([this](const http::Request& r) { return handle(r); });
}

GithubSimulator::~GithubSimulator() {
  stop();
}

Expected<int> GithubSimulator::bind(const std::string& host, int port) {
  auto bound = impl_->server->bind(host, port);
  if (!bound) return bound;
  base_url_ = fmt::format("http://{}:{}", host, *bound);
  return bound;
}

Expected<void> GithubSimulator::serve() {
  return impl_->server->serve();
}

Expected<std::string> GithubSimulator::start(const std::string& host, int port) {
  auto bound = bind(host, port);
  if (!bound) return tl::unexpected(bound.error());
  thread_ = std::thread([this] { (void)impl_->server->serve(); });
  // Wait until it answers, so that stop() right after start() cannot race the listening loop.
  http::Client client;
  const auto deadline = chr::steady_clock::now() + ready_timeout;
  while (chr::steady_clock::now() < deadline) {
    if (auto r = client.get(base_url_ + "/_simulator/stats"); r && r->status == 200) return base_url_;
    std::this_thread::sleep_for(ready_poll);
  }
  stop();
  return fail(ErrorKind::network, fmt::format("the simulator at {} did not start answering", base_url_));
}

void GithubSimulator::stop() {
  if (impl_ && impl_->server) impl_->server->stop();
  if (thread_.joinable()) thread_.join();
}

void GithubSimulator::fail_next(FaultKind kind, int count) {
  std::lock_guard lock(mutex_);
  impl_->faults.fail_next(kind, count);
}

void GithubSimulator::fail_graphql_next(int count) {
  std::lock_guard lock(mutex_);
  impl_->graphql_failures += count;
}

void GithubSimulator::set_faults(const FaultOptions& faults) {
  std::lock_guard lock(mutex_);
  impl_->faults.set_options(faults);
}

void GithubSimulator::set_rest_limit(int64_t limit) {
  std::lock_guard lock(mutex_);
  impl_->rest.reset_with_limit(limit);
}

SimulatorStats GithubSimulator::stats() const {
  std::lock_guard lock(mutex_);
  SimulatorStats s = impl_->counters;
  const EpochSeconds now = impl_->now();
  const auto rest = impl_->rest.state(now);
  s.rest_limit = rest.limit;
  s.rest_remaining = rest.remaining;
  s.rest_used = rest.used;
  s.graphql_remaining = impl_->graphql.state(now).remaining;
  return s;
}

std::string GithubSimulator::stats_json() const {
  const SimulatorStats s = stats();
  return json{{"requests", s.requests},
              {"by_route", s.by_route},
              {"not_modified", s.not_modified},
              {"rate_limited", s.rate_limited},
              {"faults", s.faults},
              {"rest", {{"limit", s.rest_limit}, {"remaining", s.rest_remaining}, {"used", s.rest_used}}},
              {"graphql", {{"points_spent", s.graphql_points_spent}, {"remaining", s.graphql_remaining}}}}
      .dump();
}

Expected<std::string> GithubSimulator::apply_mutation(const std::string& kind,
                                                      const std::map<std::string, std::string>& params) {
  const auto get = [&params](const char* name) {
    const auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  int count = 1;
  int number = 0;
  try {
    if (!get("count").empty()) count = std::stoi(get("count"));
    if (!get("number").empty()) number = std::stoi(get("number"));
  } catch (const std::exception&) {
    return fail(ErrorKind::invalid_input, "count and number must be whole numbers");
  }
  if (count < 1) return fail(ErrorKind::invalid_input, "count must be at least 1");
  std::lock_guard lock(mutex_);
  OrgModel& m = *model_;
  if (kind == "delete_user") {
    const auto user = m.find_user(get("login"));
    if (!user) return fail(ErrorKind::not_found, fmt::format("no user '{}'", get("login")));
    if (auto ok = m.delete_user(*user); !ok) return tl::unexpected(ok.error());
    return json{{"kind", kind}, {"login", get("login")}}.dump();
  }
  const auto repo = m.find_repo(get("repo"));
  if (!repo) return fail(ErrorKind::not_found, fmt::format("no repo '{}' in {}", get("repo"), m.login()));
  json out{{"kind", kind}, {"repo", get("repo")}};
  const auto logins = [&m](const std::vector<UserIndex>& users) {
    json l = json::array();
    for (auto u : users) l.push_back(m.users()[u].login);
    return l;
  };
  if (kind == "star" || kind == "unstar") {
    auto changed = kind == "star" ? m.add_stars(*repo, count) : m.remove_stars(*repo, count);
    if (!changed) return tl::unexpected(changed.error());
    out["users"] = logins(*changed);
  } else if (kind == "open_issue" || kind == "close_issue" || kind == "merge_pr") {
    auto changed = kind == "open_issue"    ? m.open_issues(*repo, count)
                   : kind == "close_issue" ? m.close_issues(*repo, count)
                                           : m.merge_pull_requests(*repo, count);
    if (!changed) return tl::unexpected(changed.error());
    out["numbers"] = *changed;
  } else if (kind == "push_commit") {
    auto changed = m.push_commits(*repo, count);
    if (!changed) return tl::unexpected(changed.error());
    out["shas"] = *changed;
  } else if (kind == "rename_repo") {
    if (auto ok = m.rename_repo(*repo, get("new_name")); !ok) return tl::unexpected(ok.error());
    out["new_name"] = get("new_name");
  } else if (kind == "delete_issue") {
    if (auto ok = m.delete_issue(*repo, number); !ok) return tl::unexpected(ok.error());
    out["number"] = number;
  } else if (kind == "delete_repo") {
    if (auto ok = m.delete_repo(*repo); !ok) return tl::unexpected(ok.error());
  } else if (kind == "block_repo" || kind == "unblock_repo") {
    if (auto ok = m.set_blocked(*repo, kind == "block_repo"); !ok) return tl::unexpected(ok.error());
  } else {
    return fail(ErrorKind::invalid_input,
                fmt::format("mutation '{}' is not known; accepted: star, unstar, open_issue, close_issue, merge_pr, "
                            "push_commit, rename_repo, delete_issue, delete_user, delete_repo, block_repo, "
                            "unblock_repo",
                            kind));
  }
  return out.dump();
}

http::Response GithubSimulator::handle(const http::Request& request) {
  const auto parts = path_parts(request.path);
  const std::string family = route_family(parts);
  if (family == "simulator") {
    if (parts.size() == 2 && parts[1] == "stats" && request.method == "GET") {
      http::Response r = json_response(200, json());
      r.body = stats_json();
      return r;
    }
    if (parts.size() == 2 && parts[1] == "mutate" && request.method == "POST") {
      std::map<std::string, std::string> params(request.params.begin(), request.params.end());
      auto result = apply_mutation(request.param("kind").value_or(""), params);
      if (!result)
        return error_response(result.error().kind == ErrorKind::not_found ? 404 : 422, result.error().message);
      http::Response r = json_response(200, json());
      r.body = *result;
      return r;
    }
    return error_response(404, "Not Found");
  }

  int latency_ms = 0;
  {
    std::lock_guard lock(mutex_);
    ++impl_->counters.requests;
    ++impl_->counters.by_route[family];
    latency_ms = impl_->faults.options().latency_ms;
  }
  if (latency_ms > 0) std::this_thread::sleep_for(chr::milliseconds(latency_ms));

  std::unique_lock lock(mutex_);
  Impl& s = *impl_;
  const EpochSeconds now = s.now();
  const bool is_graphql = family == "graphql";
  const std::string_view resource = is_graphql ? "graphql" : "core";
  RateBudget& budget = is_graphql ? s.graphql : s.rest;

  if (!s.options.token.empty()) {
    const std::string auth = request.header("Authorization").value_or("");
    if (auth != "Bearer " + s.options.token && auth != "token " + s.options.token) {
      return error_response(401, "Bad credentials");
    }
  }
  if (family == "rate_limit") {
    const json core = budget_json(s.rest.state(now));
    http::Response r = json_response(
        200, json{{"resources", {{"core", core}, {"graphql", budget_json(s.graphql.state(now))}}}, {"rate", core}});
    add_rate_headers(r, s.rest.state(now), "core");
    return r;
  }

  const auto fault = s.faults.next();
  if (fault) {
    ++s.counters.faults;
    switch (*fault) {
      case FaultKind::connection_reset: {
        http::Response r = error_response(500, "reset");
        r.abort_connection = true;
        return r;
      }
      case FaultKind::server_error:
        return s.faults.draw() < 0.5 ? error_response(502, "Server Error") : error_response(503, "Service Unavailable");
      case FaultKind::secondary_limit: {
        http::Response r = error_response(
            403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach "
            "out to GitHub Support for help, please include the request ID.",
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits");
        r.headers.emplace("retry-after", std::to_string(s.faults.options().retry_after_seconds));
        add_rate_headers(r, budget.state(now), resource);
        return r;
      }
      case FaultKind::malformed_json:
        break;  // applied to the answer below
    }
  }
  const auto malform = [&fault](http::Response r) {
    if (fault == FaultKind::malformed_json && r.status == 200) r.body = r.body.substr(0, r.body.size() / 2);
    return r;
  };

  if (is_graphql) {
    if (request.method != "POST") return error_response(404, "Not Found");
    json body;
    try {
      body = json::parse(request.body);
    } catch (const json::exception&) {
      return error_response(400, "Problems parsing JSON");
    }
    const std::string query = body.value("query", "");
    const json variables =
        body.contains("variables") && body["variables"].is_object() ? body["variables"] : json::object();
    const QueryShape shape = recognize_query(query);
    http::Response r;
    if (shape == QueryShape::unknown) {
      r = json_response(200, json{{"errors",
                                   {{{"message",
                                      "The ampere simulator does not implement this query; it answers only the "
                                      "commits, stargazers and users queries of simulator/graphql_queries.hpp"}}}}});
    } else if (s.graphql_failures > 0) {
      --s.graphql_failures;
      ++s.counters.faults;
      r = json_response(200, json{{"data", nullptr},
                                  {"errors",
                                   {{{"message",
                                      "Something went wrong while executing your query. This may be the result of a "
                                      "timeout, or it could be a GitHub bug. Please include `ABCD:1234` when "
                                      "reporting this issue."}}}}});
    } else if (!budget.spend(now, GraphqlExecutor::query_cost)) {
      ++s.counters.rate_limited;
      r = json_response(
          200, json{{"errors",
                     {{{"type", "RATE_LIMITED"}, {"message", "API rate limit already exceeded for user ID 1."}}}}});
    } else {
      s.counters.graphql_points_spent += GraphqlExecutor::query_cost;
      const auto state = budget.state(now);
      const json rate_limit{
          {"cost", GraphqlExecutor::query_cost}, {"remaining", state.remaining}, {"resetAt", format_time(state.reset)}};
      lock.unlock();
      {
        const std::shared_lock reading(mutex_);
        r = json_response(200, GraphqlExecutor(*model_).execute(shape, variables, rate_limit));
      }
      lock.lock();
    }
    add_rate_headers(r, budget.state(now), resource);
    return malform(std::move(r));
  }

  if (budget.state(now).remaining <= 0) {
    ++s.counters.rate_limited;
    http::Response r = error_response(s.options.primary_limit_status, "API rate limit exceeded for user ID 1.",
                                      "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
    add_rate_headers(r, budget.state(now), resource);
    return r;
  }
  http::Response r;
  std::string etag;
  if (request.method != "GET") {
    r = error_response(404, "Not Found");
  } else {
    const std::string base = "http://" + request.header("Host").value_or(base_url_.substr(7));
    const StargazerAccess stargazers = s.faults.options().stargazers;
    lock.unlock();
    {
      const std::shared_lock reading(mutex_);
      r = RestRouter(*model_, request, base, stargazers).route(parts);
    }
    if (r.status == 200) etag = etag_of(r.body);
    lock.lock();
  }
  if (r.status == 200) {
    r.headers.emplace("ETag", etag);
    bool fresh = false;
    if (const auto inm = request.header("If-None-Match")) {
      fresh = etag_matches(*inm, etag);
    } else if (const auto ims = request.header("If-Modified-Since")) {
      const auto since = parse_http_date(*ims);
      const auto modified = r.header("Last-Modified");
      const auto modified_at = modified ? parse_http_date(*modified) : std::nullopt;
      fresh = since && modified_at && *modified_at <= *since;
    }
    if (fresh) {
      // Conditional hits are free: GitHub does not count a 304 against the primary limit.
      ++s.counters.not_modified;
      r.status = 304;
      r.body.clear();
      add_rate_headers(r, budget.state(now), resource);
      return r;
    }
  }
  budget.spend(now, 1);
  r.headers.emplace("X-GitHub-Media-Type", "github.v3; format=json");
  add_rate_headers(r, budget.state(now), resource);
  return malform(std::move(r));
}

}  // namespace ampere::simulator
