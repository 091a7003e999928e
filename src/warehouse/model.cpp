#include "warehouse/model.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace ampere::warehouse {

namespace {

const std::regex& block_pattern() {
  static const std::regex pattern(R"(\{\{\s*(ref|source|config)\s*\(([^)]*)\)\s*\}\})");
  return pattern;
}

const std::regex& quoted_pattern() {
  static const std::regex pattern(R"('([^']*)'|"([^"]*)\")");
  return pattern;
}

// name='value' pairs of a config(...) block.
std::map<std::string, std::string> named_arguments(const std::string& args) {
  static const std::regex pattern(R"re((\w+)\s*=\s*(?:'([^']*)'|"([^"]*)"))re");
  std::map<std::string, std::string> out;
  for (std::sregex_iterator it(args.begin(), args.end(), pattern), end; it != end; ++it) {
    out[(*it)[1].str()] = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
  }
  return out;
}

std::vector<std::string> quoted_arguments(const std::string& args) {
  std::vector<std::string> out;
  for (std::sregex_iterator it(args.begin(), args.end(), quoted_pattern()), end; it != end; ++it) {
    out.push_back((*it)[1].matched ? (*it)[1].str() : (*it)[2].str());
  }
  return out;
}

int line_of(const std::string& text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace

Expected<Model> parse_model(const std::string& path, const std::string& text) {
  Model model;
  model.path = path;
  model.name = std::filesystem::path(path).stem().string();
  model.sql = text;
  for (std::sregex_iterator it(text.begin(), text.end(), block_pattern()), end; it != end; ++it) {
    const std::string kind = (*it)[1].str();
    const auto args = quoted_arguments((*it)[2].str());
    const int line = line_of(text, static_cast<size_t>(it->position()));
    if (kind == "ref" && args.size() == 1) {
      model.refs.push_back({args[0], line});
    } else if (kind == "source" && args.size() == 2) {
      model.sources.push_back({args[0] + "." + args[1], line});
    } else if (kind == "config" && !args.empty()) {
      const auto settings = named_arguments((*it)[2].str());
      const auto materialized = settings.find("materialized");
      const std::string value = materialized != settings.end() ? materialized->second : args[0];
      if (value == "view") {
        model.materialization = Materialization::view;
      } else if (value == "table") {
        model.materialization = Materialization::table;
      } else if (value == "incremental") {
        model.materialization = Materialization::incremental;
        const auto key = settings.find("unique_key");
        if (key == settings.end() || key->second.empty()) {
          return fail(ErrorKind::invalid_input,
                      fmt::format("{}:{}: an incremental model needs unique_key='col1,col2' (the columns that "
                                  "identify a row, in the model and in its source)",
                                  path, line));
        }
        for (const auto& column : split(key->second, ',')) model.unique_key.emplace_back(trim(column));
        if (const auto part = settings.find("partition_by"); part != settings.end())
          model.partition_by = std::string(trim(part->second));
        if (const auto lookups = settings.find("lookups"); lookups != settings.end()) {
          for (const auto& item : split(lookups->second, ',')) {
            const std::string spec(trim(item));
            const size_t dot = spec.find('.');
            const size_t eq = spec.find('=');
            if (dot == std::string::npos || eq == std::string::npos || dot > eq || dot == 0 || eq == dot + 1 ||
                eq + 1 == spec.size()) {
              return fail(ErrorKind::invalid_input,
                          fmt::format("{}:{}: lookups='{}' is malformed; write lookups='model.key_column=column' "
                                      "(comma-separated), e.g. 'stg_github__users.user_id=actor_user_id'",
                                      path, line, lookups->second));
            }
            model.lookups.push_back({spec.substr(0, dot), spec.substr(dot + 1, eq - dot - 1), spec.substr(eq + 1)});
          }
        }
      } else {
        return fail(ErrorKind::invalid_input, fmt::format("{}:{}: materialized='{}' is not known; use 'view', "
                                                          "'table' or 'incremental'",
                                                          path, line, value));
      }
    } else {
      return fail(ErrorKind::invalid_input,
                  fmt::format("{}:{}: malformed {{{{ {}(...) }}}}; write ref('model'), source('source', 'table') or "
                              "config(materialized='view|table|incremental')",
                              path, line, kind));
    }
  }
  for (const auto& lookup : model.lookups) {
    const bool is_ref = std::any_of(model.refs.begin(), model.refs.end(),
                                    [&](const ModelDependency& ref) { return ref.name == lookup.ref; });
    if (!is_ref) {
      return fail(ErrorKind::invalid_input, fmt::format("{}: the lookup {} is not a ref of the model; name a model it "
                                                        "reads with {{{{ ref('{}') }}}}",
                                                        path, lookup.ref, lookup.ref));
    }
  }
  if (!model.lookups.empty() && model.partition_by.empty()) {
    return fail(ErrorKind::invalid_input,
                fmt::format("{}: lookups need partition_by='column' (the column the model is rebuilt by)", path));
  }
  if (!model.partition_by.empty() && model.refs.size() <= model.lookups.size()) {
    return fail(ErrorKind::invalid_input, fmt::format("{}: partition_by='{}' needs a ref that is not a lookup (the "
                                                      "rows the model is rebuilt from, by that column)",
                                                      path, model.partition_by));
  }
  return model;
}

std::string_view materialization_name(Materialization materialization) {
  switch (materialization) {
    case Materialization::view:
      return "view";
    case Materialization::table:
      return "table";
    case Materialization::incremental:
      return "incremental";
  }
  return "?";
}

std::string compile_model(const Model& model, const std::map<std::string, std::string>& overrides) {
  std::string out;
  const std::string& text = model.sql;
  size_t copied = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), block_pattern()), end; it != end; ++it) {
    out.append(text, copied, static_cast<size_t>(it->position()) - copied);
    copied = static_cast<size_t>(it->position() + it->length());
    const std::string kind = (*it)[1].str();
    const auto args = quoted_arguments((*it)[2].str());
    if (kind == "ref") {
      const auto o = overrides.find(args[0]);
      out += o != overrides.end() ? "(" + o->second + ")" : fmt::format("main.\"{}\"", args[0]);
    }
    if (kind == "source") {
      const auto o = overrides.find(args[0] + "." + args[1]);
      out += o != overrides.end() ? "(" + o->second + ")" : fmt::format("raw_{}.\"{}\"", args[0], args[1]);
    }
  }
  out.append(text, copied);
  return out;
}

}  // namespace ampere::warehouse
