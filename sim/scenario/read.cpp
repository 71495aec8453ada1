// Reading values from toml++ nodes into typed slots, with the messages users see.
#include "scenario/read.hpp"

#include "scenario/keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <type_traits>
#include <vector>

namespace normsim::scenario::detail {

void Here::fail(const toml::source_region& region, const std::string& key, const std::string& message) const {
  const std::int64_t line = positions ? static_cast<std::int64_t>(region.begin.line) : 0;
  const std::int64_t column = positions ? static_cast<std::int64_t>(region.begin.column) : 0;
  throw ScenarioError(source, line, column, key, message);
}

Origin Here::origin(const toml::source_region& region) const {
  if (!positions) return {source, 0, 0};
  return {source, static_cast<std::int64_t>(region.begin.line), static_cast<std::int64_t>(region.begin.column)};
}

std::string describe(const toml::node& node) {
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) return number_text(f->get());
  if (const auto* s = node.as_string()) return fmt::format("string \"{}\"", s->get());
  if (const auto* b = node.as_boolean()) return fmt::format("boolean {}", b->get());
  if (node.is_table()) return "a table";
  if (node.is_array()) return "an array";
  return "a date or time";
}

namespace {

std::string_view expected(KeyType type) {
  switch (type) {
    case KeyType::boolean: return "a boolean";
    case KeyType::integer: return "an integer";
    case KeyType::number: return "a number";
    case KeyType::string: return "a string";
    case KeyType::integer_list: return "an array of integers";
    case KeyType::number_or_list: return "a number or an array of numbers";
    case KeyType::table_list: return "an array of tables";
    case KeyType::value_list: return "an array";
    case KeyType::string_list: return "an array of strings";
  }
  return "?";
}

class ValueReader {
 public:
  ValueReader(const Key& key, std::string name, const Here& here) : key_(key), name_(std::move(name)), here_(here) {}

  void into(const Slot& slot, const toml::node& node) const {
    std::visit([&](auto* p) { set(p, node); }, slot);
  }

 private:
  [[noreturn]] void type_error(const toml::node& node, const std::string& name, std::string_view what) const {
    here_.fail(node.source(), std::string(key_.name),
               fmt::format("{} must be {}, got {}", name, what, describe(node)));
  }
  [[noreturn]] void range_error(const toml::node& node, const std::string& name) const {
    here_.fail(node.source(), std::string(key_.name),
               fmt::format("{} = {} is out of range; allowed: {}", name, describe(node), allowed_text(key_)));
  }

  std::int64_t integer(const toml::node& node, const std::string& name) const {
    const auto* i = node.as_integer();
    if (i == nullptr) type_error(node, name, "an integer");
    if (i->get() < key_.integer.min || i->get() > key_.integer.max) range_error(node, name);
    return i->get();
  }

  double number(const toml::node& node, const std::string& name) const {
    double x = 0.0;
    if (const auto* i = node.as_integer()) {
      x = static_cast<double>(i->get());
    } else if (const auto* f = node.as_floating_point()) {
      x = f->get();
    } else {
      type_error(node, name, "a number");
    }
    const NumberRange& r = key_.number;
    const bool below = r.min_exclusive ? !(x > r.min) : !(x >= r.min);
    const bool above = r.max_exclusive ? !(x < r.max) : !(x <= r.max);
    if (!std::isfinite(x) || below || above) range_error(node, name);
    return x;
  }

  template <typename Enum>
  Enum choice(const toml::node& node) const {
    const auto* s = node.as_string();
    if (s == nullptr) type_error(node, name_, "a string");
    const auto it = std::find(key_.choices.begin(), key_.choices.end(), s->get());
    if (it == key_.choices.end()) {
      here_.fail(node.source(), std::string(key_.name),
                 fmt::format("{} = \"{}\" is not a {}; allowed: {}", name_, s->get(), key_.choice_noun,
                             allowed_text(key_)));
    }
    return static_cast<Enum>(it - key_.choices.begin());
  }

  const toml::array& any_array(const toml::node& node) const {
    const auto* a = node.as_array();
    if (a == nullptr) type_error(node, name_, expected(key_.type));
    return *a;
  }

  const toml::array& non_empty_array(const toml::node& node) const {
    const toml::array& a = any_array(node);
    if (a.empty()) here_.fail(node.source(), std::string(key_.name), fmt::format("{} must not be empty", name_));
    return a;
  }

  std::string element_name(std::size_t i) const { return fmt::format("{}[{}]", name_, i); }

  [[noreturn]] void pattern_error(const toml::node& node, const std::string& name, const std::string& text) const {
    here_.fail(node.source(), std::string(key_.name),
               fmt::format("{} = \"{}\" is not {} {}; allowed: {}", name, text,
                           key_.choice_noun.find_first_of("aeiou") == 0 ? "an" : "a", key_.choice_noun,
                           allowed_text(key_)));
  }

  // The string at `node`, named `name`.
  const std::string& string(const toml::node& node, const std::string& name) const {
    const auto* s = node.as_string();
    if (s == nullptr) type_error(node, name, "a string");
    return s->get();
  }

  // Each element of an array of strings, read by `parse` (which returns nullopt for a bad one);
  // a repeated element is an error. `allow_empty` for lists whose default is empty.
  template <typename T, typename Parse>
  std::vector<T> string_list(const toml::node& node, bool allow_empty, Parse parse) const {
    const auto* a = node.as_array();
    if (a == nullptr) type_error(node, name_, expected(key_.type));
    if (a->empty() && !allow_empty) {
      here_.fail(node.source(), std::string(key_.name), fmt::format("{} must not be empty", name_));
    }
    std::vector<T> values;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string& text = string((*a)[i], element_name(i));
      const std::optional<T> value = parse(text);
      if (!value) pattern_error((*a)[i], element_name(i), text);
      const auto earlier = std::find(values.begin(), values.end(), *value);
      if (earlier != values.end()) {
        here_.fail((*a)[i].source(), std::string(key_.name),
                   fmt::format("{} = \"{}\" repeats {}", element_name(i), text,
                               element_name(static_cast<std::size_t>(earlier - values.begin()))));
      }
      values.push_back(*value);
    }
    return values;
  }

  // True when the kind word of `text` (before any ':') is one of the key's choices.
  bool kind_allowed(std::string_view text) const {
    const std::string_view word = text.substr(0, text.find(':'));
    return std::find(key_.choices.begin(), key_.choices.end(), word) != key_.choices.end();
  }

  template <typename T>
  void set(T* p, const toml::node& node) const {
    if constexpr (std::is_same_v<T, bool>) {
      const auto* b = node.as_boolean();
      if (b == nullptr) type_error(node, name_, "a boolean");
      *p = b->get();
    } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::optional<std::int64_t>>) {
      *p = integer(node, name_);
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
      *p = static_cast<std::uint64_t>(integer(node, name_));  // the range starts at 0
    } else if constexpr (std::is_same_v<T, double> || std::is_same_v<T, std::optional<double>>) {
      *p = number(node, name_);
    } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
      const toml::array& a = key_.may_be_empty ? any_array(node) : non_empty_array(node);
      std::vector<std::int64_t> values;
      for (std::size_t i = 0; i < a.size(); ++i) values.push_back(integer(a[i], element_name(i)));
      *p = std::move(values);
    } else if constexpr (std::is_same_v<T, std::vector<model::OutcomeId>>) {
      *p = string_list<model::OutcomeId>(node, false, [](const std::string& text) { return outcome_by_name(text); });
    } else if constexpr (std::is_same_v<T, std::vector<EntityRef>>) {
      *p = string_list<EntityRef>(node, true, [&](const std::string& text) {
        return kind_allowed(text) ? parse_entity(text) : std::nullopt;
      });
    } else if constexpr (std::is_same_v<T, ResearcherSelection>) {
      const std::string& text = string(node, name_);
      const std::optional<ResearcherSelection> selection = parse_selection(text);
      if (!selection) pattern_error(node, name_, text);
      *p = *selection;
    } else if constexpr (std::is_same_v<T, InterpFraction>) {
      if (node.is_array()) {
        const toml::array& a = non_empty_array(node);
        std::vector<double> values;
        for (std::size_t i = 0; i < a.size(); ++i) values.push_back(number(a[i], element_name(i)));
        *p = std::move(values);
      } else if (node.is_number()) {
        *p = number(node, name_);
      } else {
        type_error(node, name_, expected(key_.type));
      }
    } else {
      *p = choice<T>(node);
    }
  }

  const Key& key_;
  std::string name_;
  const Here& here_;
};

// True when some registry key lies inside the table `path` ("norm" and "norm.allow" are tables).
bool is_table_of_keys(std::string_view path) {
  return std::any_of(keys().begin(), keys().end(), [&](const Key& k) {
    return k.name.size() > path.size() && k.name.substr(0, path.size()) == path && k.name[path.size()] == '.';
  });
}

struct Leaf {
  std::string path;
  const toml::node* node;
  toml::source_region key_region;
};

// Every registry key (or unknown key) of the document, with nested tables flattened.
void flatten(const toml::table& table, const std::string& prefix, std::vector<Leaf>& leaves) {
  for (auto&& [k, v] : table) {
    std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    const bool key_here = find_key(path) != nullptr;
    if (!key_here && v.is_table() && !v.as_table()->empty()) {
      flatten(*v.as_table(), path, leaves);
    } else {
      leaves.push_back(Leaf{std::move(path), &v, k.source()});
    }
  }
}

void apply_individuals(const toml::node& node, Draft& draft, const Here& here, Origins& origins) {
  const Key& entry_key = *find_key("individuals");
  const auto* array = node.as_array();
  if (array == nullptr) {
    here.fail(node.source(), "individuals",
              fmt::format("individuals must be an array of tables, got {}", describe(node)));
  }
  std::vector<model::PinnedResearcher> pinned;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    const std::string entry = fmt::format("individuals[{}]", i);
    const auto* table = element.as_table();
    if (table == nullptr) {
      here.fail(element.source(), std::string(entry_key.name),
                fmt::format("{} must be a table, got {}", entry, describe(element)));
    }
    model::PinnedResearcher r;
    for (auto&& [k, v] : *table) {
      const std::string name = "individuals." + std::string(k.str());
      const Key* key = find_key(name);
      if (key == nullptr || key->field == nullptr) unknown_key(here, k.source(), name);
      ValueReader(*key, entry + "." + std::string(k.str()), here).into(key->field(r), v);
      origins[entry + "." + std::string(k.str())] = here.origin(v.source());
    }
    for (const std::string_view required : {"lab", "focus"}) {
      if (!table->contains(required)) {
        here.fail(element.source(), std::string(entry_key.name),
                  fmt::format("{} is missing the required key '{}'", entry, required));
      }
    }
    pinned.push_back(r);
  }
  draft.model.individuals = std::move(pinned);
}

}  // namespace

void unknown_key(const Here& here, const toml::source_region& region, const std::string& name, std::string_view what) {
  const std::string suggestion = nearest_key(name);
  here.fail(region, name,
            suggestion.empty() ? fmt::format("unknown {} '{}'", what, name)
                               : fmt::format("unknown {} '{}'; did you mean '{}'?", what, name, suggestion));
}

void read_value(const Key& key, const std::string& name, const toml::node& node, const Slot& slot, const Here& here) {
  ValueReader(key, name, here).into(slot, node);
}

void apply_document(const toml::table& document, Draft& draft, const std::string& source, bool positions,
                    Origins& origins) {
  apply_table(document, "", draft, Here{source, positions}, origins);
}

void apply_table(const toml::table& table, const std::string& prefix, Draft& draft, const Here& here,
                 Origins& origins) {
  std::vector<Leaf> leaves;
  flatten(table, prefix, leaves);
  // toml++ tables are ordered by name; report and apply in file order instead.
  std::stable_sort(leaves.begin(), leaves.end(), [](const Leaf& a, const Leaf& b) {
    return std::pair(a.key_region.begin.line, a.key_region.begin.column) <
           std::pair(b.key_region.begin.line, b.key_region.begin.column);
  });
  // A preset given here replaces the norm values given by earlier sources, whatever the order of
  // the keys within this one (they all adjust it).
  std::vector<std::string> paths;
  for (const Leaf& leaf : leaves) paths.push_back(leaf.path);
  replace_earlier_norm(paths, draft, origins);
  for (const Leaf& leaf : leaves) {
    if (leaf.path == "attribution" || leaf.path.rfind("attribution.", 0) == 0) {
      // Any attribution key, or an empty [attribution], asks for an attribution (defaults for the rest).
      if (leaf.path == "attribution" && !leaf.node->is_table()) {
        here.fail(leaf.node->source(), "attribution",
                  fmt::format("attribution must be a table, got {}", describe(*leaf.node)));
      }
      draft.attribution.present = true;
      if (leaf.path == "attribution") continue;
    }
    if (leaf.path == "attribution.group") {
      apply_attribution_groups(*leaf.node, draft, here, origins);
      continue;
    }
    if (leaf.path == "claims") {
      apply_claims(*leaf.node, draft, here, origins);
      continue;
    }
    if (leaf.path == "individuals") {
      apply_individuals(*leaf.node, draft, here, origins);
      continue;
    }
    if (leaf.path == "sweep.factor") {
      apply_sweep_factors(*leaf.node, draft, here, origins);
      continue;
    }
    const Key* key = find_key(leaf.path);
    if (key == nullptr) {
      // An empty table that names a table of keys ("[norm.allow]" with nothing in it) is harmless.
      if (leaf.node->is_table() && is_table_of_keys(leaf.path)) continue;
      unknown_key(here, leaf.key_region, leaf.path, leaf.node->is_table() ? "table" : "key");
    }
    if (key->slot == nullptr) unknown_key(here, leaf.key_region, leaf.path);  // individuals.* at top level
    ValueReader(*key, leaf.path, here).into(key->slot(draft), *leaf.node);
    origins[leaf.path] = here.origin(leaf.node->source());
    if (key->type == KeyType::string_list) {  // elements, for checks once every key is read
      const toml::array& elements = *leaf.node->as_array();
      for (std::size_t i = 0; i < elements.size(); ++i) {
        origins[fmt::format("{}[{}]", leaf.path, i)] = here.origin(elements[i].source());
      }
    }
  }
}

}  // namespace normsim::scenario::detail
