#include "warehouse/model_graph.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace ampere::warehouse {

Expected<std::vector<Model>> order_models(std::vector<Model> models) {
  // Sorted by name first so that the build order is the same on every run.
  std::sort(models.begin(), models.end(), [](const Model& a, const Model& b) { return a.name < b.name; });
  std::map<std::string, size_t> index;
  std::vector<std::string> names;
  for (size_t i = 0; i < models.size(); ++i) {
    if (!index.emplace(models[i].name, i).second) {
      return fail(ErrorKind::invalid_input, fmt::format("{}: a model named {} already exists at {}", models[i].path,
                                                        models[i].name, models[index[models[i].name]].path));
    }
    names.push_back(models[i].name);
  }
  for (const auto& model : models) {
    for (const auto& ref : model.refs) {
      if (index.count(ref.name) == 0) {
        const auto suggestion = closest_match(ref.name, names);
        return fail(ErrorKind::invalid_input,
                    fmt::format("{}:{}: ref('{}') names no model{}", model.path, ref.line, ref.name,
                                suggestion ? " (did you mean '" + *suggestion + "'?)" : ""));
      }
    }
  }

  enum class Mark { none, visiting, done };
  std::vector<Mark> marks(models.size(), Mark::none);
  std::vector<size_t> order;
  std::vector<size_t> path;
  std::string cycle;
  // Depth-first post-order; a model met again while on the current path closes a cycle.
  const auto visit = [&](auto&& self, size_t i) -> bool {
    if (marks[i] == Mark::done) return true;
    if (marks[i] == Mark::visiting) {
      const auto start = std::find(path.begin(), path.end(), i);
      for (auto it = start; it != path.end(); ++it) cycle += models[*it].name + " -> ";
      cycle += models[i].name;
      return false;
    }
    marks[i] = Mark::visiting;
    path.push_back(i);
    for (const auto& ref : models[i].refs) {
      if (!self(self, index[ref.name])) return false;
    }
    path.pop_back();
    marks[i] = Mark::done;
    order.push_back(i);
    return true;
  };
  for (size_t i = 0; i < models.size(); ++i) {
    if (!visit(visit, i)) {
      return fail(ErrorKind::invalid_input,
                  fmt::format("models form a cycle: {} ({})", cycle, models[path.front()].path));
    }
  }
  std::vector<Model> ordered;
  ordered.reserve(models.size());
  for (const size_t i : order) ordered.push_back(std::move(models[i]));
  return ordered;
}

Expected<std::vector<Model>> select_models(const std::vector<Model>& ordered, const std::string& selector) {
  std::vector<std::string> names;
  for (const auto& m : ordered) names.push_back(m.name);
  std::set<std::string, std::less<>> picked;
  bool any = false;
  std::string spaced = selector;
  std::replace(spaced.begin(), spaced.end(), ',', ' ');
  for (const auto& raw : split(spaced, ' ')) {
    std::string item(trim(raw));
    if (item.empty()) continue;
    any = true;
    const bool upstream = item.starts_with('+');
    const bool downstream = item.ends_with('+');
    const std::string name = item.substr(upstream ? 1 : 0, item.size() - (upstream ? 1 : 0) - (downstream ? 1 : 0));
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      const auto suggestion = closest_match(name, names);
      return fail(ErrorKind::invalid_input,
                  fmt::format("--select: no model named '{}'{}; `ampere build --list` lists them", name,
                              suggestion ? fmt::format(" (did you mean '{}'?)", *suggestion) : ""));
    }
    picked.insert(name);
    if (downstream) {  // in build order, a model's dependents come after it
      std::set<std::string, std::less<>> reached{name};
      for (const auto& m : ordered) {
        for (const auto& d : m.refs) {
          if (reached.contains(d.name)) {
            reached.insert(m.name);
            break;
          }
        }
      }
      picked.insert(reached.begin(), reached.end());
    }
    if (upstream) {  // walk backwards: a model's inputs come before it
      std::set<std::string, std::less<>> reached{name};
      for (auto it = ordered.rbegin(); it != ordered.rend(); ++it) {
        if (!reached.contains(it->name)) continue;
        for (const auto& d : it->refs) reached.insert(d.name);
      }
      picked.insert(reached.begin(), reached.end());
    }
  }
  if (!any) return ordered;
  std::vector<Model> out;
  for (const auto& m : ordered) {
    if (picked.contains(m.name)) out.push_back(m);
  }
  return out;
}

}  // namespace ampere::warehouse
