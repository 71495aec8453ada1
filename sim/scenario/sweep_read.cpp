// Reading `[[sweep.factor]]` entries: each field checked on its own, each value checked like the
// swept key itself (same messages, at the value's position). What depends on the design (num and
// step allowed, zip lengths, grid size) is checked later, by build_sweep (sweep_build.cpp).
#include "scenario/keys.hpp"
#include "scenario/read.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace normsim::scenario::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The key of the swept setting, or nullptr for "norm". Throws for keys that cannot be swept.
const Key* swept_key(const toml::node& node, const std::string& entry, const Here& here) {
  const auto* s = node.as_string();
  if (s == nullptr) {
    here.fail(node.source(), "sweep.factor.key",
              fmt::format("{}.key must be a string, got {}", entry, describe(node)));
  }
  const std::string& name = s->get();
  if (name == "norm") return nullptr;
  const Key* key = find_key(name);
  if (key == nullptr) {
    const std::string suggestion = nearest_key(name);
    here.fail(node.source(), "sweep.factor.key",
              suggestion.empty()
                  ? fmt::format("{}.key = \"{}\" is not a scenario key", entry, name)
                  : fmt::format("{}.key = \"{}\" is not a scenario key; did you mean '{}'?", entry, name, suggestion));
  }
  if (key->slot == nullptr || name.rfind("run.", 0) == 0 || name.rfind("sweep.", 0) == 0 ||
      name.rfind("attribution.", 0) == 0) {
    here.fail(node.source(), "sweep.factor.key",
              fmt::format("{}.key = \"{}\" cannot be swept; allowed: a model or norm key (not run.*, sweep.*, "
                          "attribution.* or individuals), or \"norm\"",
                          entry, name));
  }
  return key;
}

bool is_numeric_key(const Key& key) { return key.type == KeyType::number || key.type == KeyType::integer; }

// A norm level: the norm keys given, in registry order, as an inline table.
std::string norm_level_text(Draft& probe) {
  std::string text;
  for (const Key& key : keys()) {
    if (key.name.rfind("norm.", 0) != 0) continue;
    const std::string value = value_toml(key, probe);
    if (value.empty()) continue;
    text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", key.name.substr(5), value);
  }
  return "{" + text + "}";
}

void read_values(const toml::node& node, const Key* key, const std::string& entry, Factor& factor, const Here& here,
                 Origins& origins) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    here.fail(node.source(), "sweep.factor.values",
              fmt::format("{}.values must be an array, got {}", entry, describe(node)));
  }
  if (array->empty()) {
    here.fail(node.source(), "sweep.factor.values", fmt::format("{}.values must not be empty", entry));
  }
  for (std::size_t j = 0; j < array->size(); ++j) {
    const toml::node& element = (*array)[j];
    Draft probe;
    if (key == nullptr) {
      const auto* table = element.as_table();
      if (table == nullptr) {
        here.fail(element.source(), "norm",
                  fmt::format("{}.values[{}] must be an inline table of norm keys, got {}", entry, j,
                              describe(element)));
      }
      Origins scratch;
      apply_table(*table, "norm", probe, here, scratch);
      factor.levels.push_back(norm_level_text(probe));
      factor.level_numbers.push_back(kNaN);
    } else {
      read_value(*key, std::string(key->name), element, key->slot(probe), here);
      factor.levels.push_back(value_toml(*key, probe));
      factor.level_numbers.push_back(element.is_number() ? std::strtod(factor.levels.back().c_str(), nullptr) : kNaN);
    }
    origins[fmt::format("{}.values[{}]", entry, j)] = here.origin(element.source());
  }
  factor.values_given = true;
  factor.categorical = std::any_of(factor.level_numbers.begin(), factor.level_numbers.end(),
                                   [](double x) { return std::isnan(x); });
}

void read_labels(const toml::node& node, const std::string& entry, Factor& factor, const Here& here) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    here.fail(node.source(), "sweep.factor.labels",
              fmt::format("{}.labels must be an array of strings, got {}", entry, describe(node)));
  }
  if (!factor.values_given) {
    here.fail(node.source(), "sweep.factor.labels", fmt::format("{}.labels needs values (one label each)", entry));
  }
  if (array->size() != factor.levels.size()) {
    here.fail(node.source(), "sweep.factor.labels",
              fmt::format("{}.labels has {} entries but values has {}", entry, array->size(), factor.levels.size()));
  }
  std::vector<std::string> labels;
  for (std::size_t j = 0; j < array->size(); ++j) {
    const auto* s = (*array)[j].as_string();
    if (s == nullptr) {
      here.fail((*array)[j].source(), "sweep.factor.labels",
                fmt::format("{}.labels[{}] must be a string, got {}", entry, j, describe((*array)[j])));
    }
    labels.push_back(s->get());
  }
  factor.labels = std::move(labels);
  factor.labels_given = true;
}

// One end of a range, checked as a value of the swept key; returns it as a double.
double read_end(const toml::node& node, const Key& key, const Here& here) {
  Draft probe;
  read_value(key, std::string(key.name), node, key.slot(probe), here);
  return std::strtod(value_toml(key, probe).c_str(), nullptr);
}

void read_range(const toml::table& table, const Key* key, const toml::node& key_node, const std::string& entry,
                Factor& factor, const Here& here, Origins& origins) {
  const toml::node* from = table.get("from");
  const toml::node* to = table.get("to");
  if (from == nullptr || to == nullptr) {
    here.fail(table.source(), "sweep.factor",
              fmt::format("{} has {} but no {}", entry, from == nullptr ? "to" : "from", from == nullptr ? "from" : "to"));
  }
  if (key == nullptr || !is_numeric_key(*key)) {
    here.fail(key_node.source(), "sweep.factor.key",
              fmt::format("{}.key = \"{}\" takes values only: from and to need a number or integer key", entry,
                          factor.key));
  }
  factor.from = read_end(*from, *key, here);
  factor.to = read_end(*to, *key, here);
  factor.integer = key->type == KeyType::integer;
  if (factor.from > factor.to) {
    here.fail(from->source(), "sweep.factor.from",
              fmt::format("{}: from = {} is greater than to = {}", entry, describe(*from), describe(*to)));
  }
  if (const toml::node* scale = table.get("scale")) {
    const auto* s = scale->as_string();
    if (s == nullptr || (s->get() != "linear" && s->get() != "log")) {
      here.fail(scale->source(), "sweep.factor.scale",
                s == nullptr ? fmt::format("{}.scale must be a string, got {}", entry, describe(*scale))
                             : fmt::format("{}.scale = \"{}\" is not a scale; allowed: linear, log", entry, s->get()));
    }
    factor.log_scale = s->get() == "log";
  }
  if (factor.log_scale && !(factor.from > 0.0)) {
    here.fail(from->source(), "sweep.factor.from",
              fmt::format("{}: scale = \"log\" needs from > 0, got from = {}", entry, describe(*from)));
  }
  const toml::node* num = table.get("num");
  const toml::node* step = table.get("step");
  if (num != nullptr && step != nullptr) {
    here.fail(table.source(), "sweep.factor", fmt::format("{} has both num and step; give one", entry));
  }
  if (num != nullptr) {
    read_value(*find_key("sweep.factor.num"), entry + ".num", *num, &factor.num, here);
    origins[entry + ".num"] = here.origin(num->source());
  }
  if (step != nullptr) {
    if (factor.log_scale) {
      here.fail(step->source(), "sweep.factor.step",
                fmt::format("{}.step applies to scale = \"linear\" only; use num with scale = \"log\"", entry));
    }
    read_value(*find_key("sweep.factor.step"), entry + ".step", *step, &factor.step, here);
    origins[entry + ".step"] = here.origin(step->source());
  }
}

}  // namespace

void apply_sweep_factors(const toml::node& node, Draft& draft, const Here& here, Origins& origins) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    here.fail(node.source(), "sweep.factor",
              fmt::format("sweep.factor must be an array of tables, got {}", describe(node)));
  }
  std::vector<Factor> factors;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    const std::string entry = fmt::format("sweep.factor[{}]", i);
    const auto* table = element.as_table();
    if (table == nullptr) {
      here.fail(element.source(), "sweep.factor", fmt::format("{} must be a table, got {}", entry, describe(element)));
    }
    origins[entry] = here.origin(element.source());
    for (auto&& [k, v] : *table) {
      const std::string name = "sweep.factor." + std::string(k.str());
      if (find_key(name) == nullptr) unknown_key(here, k.source(), name);
    }
    const toml::node* key_node = table->get("key");
    if (key_node == nullptr) {
      here.fail(element.source(), "sweep.factor", fmt::format("{} is missing the required key 'key'", entry));
    }
    const Key* key = swept_key(*key_node, entry, here);
    Factor factor;
    factor.key = key_node->as_string()->get();
    if (key != nullptr) factor.units = key->units;
    // Two factors that set one value at the same point cannot be ordered: an error, not a guess.
    for (std::size_t earlier = 0; earlier < factors.size(); ++earlier) {
      const std::optional<std::string> conflict = factor_conflict(factors[earlier].key, factor.key);
      if (!conflict) continue;
      const auto at = origins.find(fmt::format("sweep.factor[{}].key", earlier));
      const std::string line =
          at != origins.end() && at->second.line > 0 ? fmt::format(", line {}", at->second.line) : std::string();
      here.fail(key_node->source(), "sweep.factor.key",
                fmt::format("{}.key = \"{}\" is already swept by sweep.factor[{}] (key = \"{}\"{}){}", entry,
                            factor.key, earlier, factors[earlier].key, line, *conflict));
    }
    origins[entry + ".key"] = here.origin(key_node->source());
    const toml::node* values = table->get("values");
    const bool range = table->contains("from") || table->contains("to") || table->contains("num") ||
                       table->contains("step") || table->contains("scale");
    if (values != nullptr && range) {
      here.fail(element.source(), "sweep.factor",
                fmt::format("{} has both values and from/to/num/step/scale; give values or a range", entry));
    }
    if (values != nullptr) {
      read_values(*values, key, entry, factor, here, origins);
    } else if (range) {
      read_range(*table, key, *key_node, entry, factor, here, origins);
    } else {
      here.fail(element.source(), "sweep.factor", fmt::format("{} needs values, or from and to", entry));
    }
    if (const toml::node* labels = table->get("labels")) {
      read_labels(*labels, entry, factor, here);
    } else {
      for (const std::string& level : factor.levels) {
        const bool quoted = level.size() >= 2 && level.front() == '"' && level.back() == '"';
        factor.labels.push_back(quoted ? level.substr(1, level.size() - 2) : level);
      }
    }
    factors.push_back(std::move(factor));
  }
  draft.sweep.factors = std::move(factors);
}

}  // namespace normsim::scenario::detail
