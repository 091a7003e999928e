#include "simulator/bigquery_scan_plan.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace ampere::simulator {

namespace {

constexpr std::string_view kPartitionColumn = "timestamp";

class Planner {
 public:
  Planner(const std::vector<SqlToken>& tokens, const std::vector<StandinParameter>& parameters,
          std::span<const std::string> leaves)
      : tokens_(tokens), parameters_(parameters), leaves_(leaves) {}

  Expected<ScanPlan> run() {
    for (size_t i = 0; i < tokens_.size(); ++i) {
      const SqlToken& token = tokens_[i];
      if (token.kind == SqlTokenKind::symbol && token.text == "*" && is_select_star(i)) {
        plan_.columns.insert(leaves_.begin(), leaves_.end());
      }
      if (token.kind != SqlTokenKind::identifier && token.kind != SqlTokenKind::quoted) continue;
      if (token.kind == SqlTokenKind::quoted && token.text == public_downloads_table) continue;
      const size_t after = next_solid(i + 1);
      if (token.kind == SqlTokenKind::identifier && after < tokens_.size() &&
          (tokens_[after].kind == SqlTokenKind::string || tokens_[after].text == "(")) {
        // A typed literal (TIMESTAMP '...') or a function call (DATE(...)), not a column.
        if (to_lower(token.text) == "date" && tokens_[after].text == "(") {
          const size_t column = next_solid(after + 1);
          const size_t close = next_solid(column + 1);
          if (column < tokens_.size() && to_lower(tokens_[column].text) == kPartitionColumn &&
              !token_is(close, ")").empty()) {
            if (auto ok = bound(close, true); !ok) return tl::unexpected(ok.error());
          }
        }
        continue;
      }
      std::vector<std::string> path = split(to_lower(token.text), '.');
      while (true) {
        const size_t dot = i + 1;
        if (dot + 1 < tokens_.size() && tokens_[dot].kind == SqlTokenKind::symbol && tokens_[dot].text == "." &&
            (tokens_[dot + 1].kind == SqlTokenKind::identifier || tokens_[dot + 1].kind == SqlTokenKind::quoted)) {
          for (auto& part : split(to_lower(tokens_[dot + 1].text), '.')) path.push_back(std::move(part));
          i = dot + 1;
        } else {
          break;
        }
      }
      reference(path);
      if (path.size() == 1 && path[0] == kPartitionColumn) {
        if (auto ok = bound(i, false); !ok) return tl::unexpected(ok.error());
      }
    }
    if (plan_.first_day && plan_.last_day && *plan_.first_day > *plan_.last_day) plan_.last_day = plan_.first_day;
    return plan_;
  }

 private:
  size_t next_solid(size_t i) const {
    while (i < tokens_.size() && tokens_[i].kind == SqlTokenKind::space) ++i;
    return i;
  }
  // The symbol text at i if the token at i is that symbol, else "".
  std::string token_is(size_t i, std::string_view symbol) const {
    i = next_solid(i);
    return i < tokens_.size() && tokens_[i].kind == SqlTokenKind::symbol && tokens_[i].text == symbol
               ? std::string(symbol)
               : std::string();
  }

  bool is_select_star(size_t i) const {
    while (i > 0) {
      --i;
      if (tokens_[i].kind == SqlTokenKind::space) continue;
      const std::string word = to_lower(tokens_[i].text);
      return word == "select" || word == "distinct" || word == "," || word == ".";
    }
    return false;
  }

  void reference(const std::vector<std::string>& path) {
    const auto add = [&](const std::vector<std::string>& p) {
      const std::string dotted = join(p, ".");
      bool any = false;
      for (const auto& leaf : leaves_) {
        if (leaf == dotted || leaf.starts_with(dotted + ".") || dotted.starts_with(leaf + ".")) {
          plan_.columns.insert(leaf);
          any = true;
        }
      }
      return any;
    };
    if (!add(path) && path.size() > 1) add(std::vector<std::string>(path.begin() + 1, path.end()));
  }

  // The value at token i: a parameter, a literal (typed or not). nullopt if it is something else.
  Expected<std::optional<Timestamp>> value_at(size_t& i) {
    i = next_solid(i);
    if (i >= tokens_.size()) return std::optional<Timestamp>();
    std::string text;
    if (tokens_[i].kind == SqlTokenKind::parameter) {
      const auto p = std::find_if(parameters_.begin(), parameters_.end(),
                                  [&](const StandinParameter& q) { return q.name == tokens_[i].text; });
      if (p == parameters_.end() || p->is_array || p->values.empty()) return std::optional<Timestamp>();
      text = p->values.front();
    } else {
      if (tokens_[i].kind == SqlTokenKind::identifier &&
          (to_lower(tokens_[i].text) == "timestamp" || to_lower(tokens_[i].text) == "date")) {
        i = next_solid(i + 1);
      }
      if (i >= tokens_.size() || tokens_[i].kind != SqlTokenKind::string) return std::optional<Timestamp>();
      text = tokens_[i].text;
    }
    if (text.ends_with(" UTC")) text.resize(text.size() - 4);
    if (text.size() >= 3 && (text[text.size() - 3] == '+' || text[text.size() - 3] == '-') &&
        text.find(':', text.size() - 3) == std::string::npos && text.size() > 10) {
      text += ":00";  // "+00" -> "+00:00"
    }
    auto parsed = parse_iso8601(text);
    if (!parsed) {
      return fail(ErrorKind::invalid_input, fmt::format("Could not cast literal \"{}\" to type TIMESTAMP", text));
    }
    return std::optional<Timestamp>(*parsed);
  }

  void lower(Timestamp t) {
    const Timestamp day = start_of_day(t);
    if (!plan_.first_day || day > *plan_.first_day) plan_.first_day = day;
  }
  void upper(Timestamp t) {
    const Timestamp day = start_of_day(t);
    if (!plan_.last_day || day < *plan_.last_day) plan_.last_day = day;
  }

  // A comparison after the partition column that ends at token `end`; `whole_days` for DATE(...).
  Expected<void> bound(size_t end, bool whole_days) {
    size_t i = next_solid(end + 1);
    if (i >= tokens_.size()) return {};
    const std::string op = to_lower(tokens_[i].text);
    if (op != ">=" && op != ">" && op != "<" && op != "<=" && op != "=" && op != "between") return {};
    ++i;
    auto value = value_at(i);
    if (!value) return tl::unexpected(value.error());
    if (!*value) return {};
    const Timestamp v = **value;
    const auto day = std::chrono::days(1);
    if (op == ">=" || op == ">" || op == "=" || op == "between") lower(whole_days && op == ">" ? v + day : v);
    if (op == "<=" || op == "=") upper(v);
    if (op == "<") upper(whole_days ? v - day : v - std::chrono::microseconds(1));
    if (op == "between") {
      i = next_solid(i + 1);
      if (i < tokens_.size() && to_lower(tokens_[i].text) == "and") {
        ++i;
        auto high = value_at(i);
        if (!high) return tl::unexpected(high.error());
        if (*high) upper(**high);
      }
    }
    return {};
  }

  const std::vector<SqlToken>& tokens_;
  const std::vector<StandinParameter>& parameters_;
  std::span<const std::string> leaves_;
  ScanPlan plan_;
};

}  // namespace

Expected<ScanPlan> plan_scan(const std::vector<SqlToken>& tokens, const std::vector<StandinParameter>& parameters,
                             std::span<const std::string> leaf_columns) {
  return Planner(tokens, parameters, leaf_columns).run();
}

}  // namespace ampere::simulator
