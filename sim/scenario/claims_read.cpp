// Reading `[[claims]]` entries: the common keys, then the extra keys of the claim's quantity (an
// extra key of another quantity is an error, a missing one too), then the value's range for the
// quantity. What needs the whole scenario (k against the researchers) is checked by check_claims.
#include "scenario/keys.hpp"
#include "scenario/read.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

namespace normsim::scenario::detail {

namespace {

using Q = ClaimQuantity;

// The extra keys and the quantities each applies to.
struct ExtraKey {
  std::string_view name;
  std::initializer_list<ClaimQuantity> quantities;
};
const std::array<ExtraKey, 11> kExtraKeys{{
    {"above", {Q::probability}},
    {"below", {Q::probability}},
    {"norm", {Q::mean_difference}},
    {"versus", {Q::mean_difference}},
    {"norms", {Q::norm_share}},
    {"index", {Q::index, Q::max_researcher_index, Q::top_researchers_sum, Q::index_sum}},
    {"factors", {Q::index_sum}},
    {"factor", {Q::index, Q::level_difference}},
    {"level", {Q::level_difference}},
    {"baseline", {Q::level_difference}},
    {"k", {Q::top_researchers_sum}},
}};

constexpr std::array<std::string_view, 6> kCommonKeys{"id", "statement", "quantity", "outcome", "compare", "value"};

bool applies(const ExtraKey& key, ClaimQuantity q) {
  return std::find(key.quantities.begin(), key.quantities.end(), q) != key.quantities.end();
}

std::string quantity_list(std::initializer_list<ClaimQuantity> quantities) {
  std::string text;
  for (const ClaimQuantity q : quantities) text += (text.empty() ? "" : ", ") + std::string(quantity_name(q));
  return text;
}

bool is_claim_id(std::string_view id) {
  const bool allowed = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
  // "." and ".." name the group itself and its parent in an HDF5 path.
  return allowed && !id.empty() && id.find_first_not_of('.') != std::string_view::npos;
}

// One [[claims]] entry, read key by key.
class ClaimReader {
 public:
  ClaimReader(const toml::table& table, const toml::node& element, std::string entry, const Here& here,
              Origins& origins)
      : table_(table), element_(element), entry_(std::move(entry)), here_(here), origins_(origins) {}

  Claim read(const std::vector<Claim>& earlier) {
    check_names();
    for (const std::string_view key : kCommonKeys) require(key, "");
    Claim c;
    c.id = non_empty_string("id");
    if (!is_claim_id(c.id)) {
      fail_at("id", fmt::format("{} = \"{}\" is not a claim id; allowed: {}", name("id"), c.id,
                                allowed_text(key("id"))));
    }
    for (std::size_t i = 0; i < earlier.size(); ++i) {
      if (earlier[i].id == c.id) {
        fail_at("id", fmt::format("{} = \"{}\" is already the id of claims[{}]", name("id"), c.id, i));
      }
    }
    c.statement = non_empty_string("statement");
    c.quantity = read_slot<ClaimQuantity>("quantity");
    c.outcome = read_outcome(c.quantity);
    c.compare = read_slot<Comparison>("compare");
    c.value = read_slot<double>("value");
    read_extras(c);
    check_value_range(c);
    if (table_.contains("confidence")) c.confidence = read_slot<double>("confidence");
    if (table_.contains("error")) c.error = read_slot<ClaimError>("error");
    if (table_.contains("locate")) {
      if (c.quantity != Q::mean && c.quantity != Q::mean_difference && c.quantity != Q::level_difference) {
        fail_at("locate", fmt::format("{} applies only to quantities {}", name("locate"),
                                      quantity_list({Q::mean, Q::mean_difference, Q::level_difference})));
      }
      c.locate = non_empty_string("locate");
    }
    return c;
  }

 private:
  static const Key& key(std::string_view k) { return *find_key("claims." + std::string(k)); }
  std::string name(std::string_view k) const { return fmt::format("{}.{}", entry_, k); }
  const toml::node& node(std::string_view k) const { return *table_.get(k); }

  [[noreturn]] void fail_at(std::string_view k, const std::string& message) const {
    here_.fail(node(k).source(), "claims." + std::string(k), message);
  }

  // Unknown keys, in file order.
  void check_names() const {
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (auto&& [k, v] : table_) entries.emplace_back(&k, &v);
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return std::pair(a.first->source().begin.line, a.first->source().begin.column) <
             std::pair(b.first->source().begin.line, b.first->source().begin.column);
    });
    for (const auto& [k, v] : entries) {
      const std::string full = "claims." + std::string(k->str());
      if (find_key(full) == nullptr) unknown_key(here_, k->source(), full, v->is_table() ? "table" : "key");
    }
  }

  // `k` must be in the table; `why` says which quantity needs it ("" for the common keys).
  void require(std::string_view k, std::string_view why) const {
    if (table_.contains(k)) return;
    here_.fail(element_.source(), "claims." + std::string(k),
               why.empty() ? fmt::format("{} is missing the required key '{}'", entry_, k)
                           : fmt::format("{} is missing the required key '{}' of quantity {}", entry_, k, why));
  }

  template <typename T>
  T read_slot(std::string_view k, const Key* with = nullptr) {
    T value{};
    read_value(with != nullptr ? *with : key(k), name(k), node(k), &value, here_);
    origins_[name(k)] = here_.origin(node(k).source());
    return value;
  }

  const std::string& string(std::string_view k) {
    const auto* s = node(k).as_string();
    if (s == nullptr) fail_at(k, fmt::format("{} must be a string, got {}", name(k), describe(node(k))));
    origins_[name(k)] = here_.origin(node(k).source());
    return s->get();
  }

  const std::string& non_empty_string(std::string_view k) {
    const std::string& s = string(k);
    if (s.empty()) fail_at(k, fmt::format("{} must not be empty", name(k)));
    return s;
  }

  std::string read_outcome(ClaimQuantity q) {
    const std::string& outcome = string("outcome");
    const auto choices = key("outcome").choices;
    if (std::find(choices.begin(), choices.end(), outcome) == choices.end()) {
      fail_at("outcome", fmt::format("{} = \"{}\" is not an outcome; allowed: {}", name("outcome"), outcome,
                                     allowed_text(key("outcome"))));
    }
    if (outcome == kReachedTransformative && q != Q::mean && q != Q::mean_difference && q != Q::norm_share &&
        q != Q::level_difference) {
      fail_at("outcome", fmt::format("{} = \"{}\" is allowed only with quantities {}", name("outcome"), outcome,
                                     quantity_list({Q::mean, Q::mean_difference, Q::norm_share, Q::level_difference})));
    }
    return outcome;
  }

  void read_extras(Claim& c) {
    // Keys of other quantities first, in file order, then the missing ones of this quantity.
    std::vector<const ExtraKey*> present;
    for (const ExtraKey& extra : kExtraKeys) {
      if (table_.contains(extra.name)) present.push_back(&extra);
    }
    std::stable_sort(present.begin(), present.end(), [&](const ExtraKey* a, const ExtraKey* b) {
      const auto& ra = node(a->name).source().begin;
      const auto& rb = node(b->name).source().begin;
      return std::pair(ra.line, ra.column) < std::pair(rb.line, rb.column);
    });
    for (const ExtraKey* extra : present) {
      if (applies(*extra, c.quantity)) continue;
      fail_at(extra->name, fmt::format("{} applies only to {} {}", name(extra->name),
                                       extra->quantities.size() == 1 ? "quantity" : "quantities",
                                       quantity_list(extra->quantities)));
    }
    const std::string_view q = quantity_name(c.quantity);
    switch (c.quantity) {
      case Q::mean: break;
      case Q::probability: {
        const bool above = table_.contains("above");
        const bool below = table_.contains("below");
        if (!above && !below) {
          here_.fail(element_.source(), "claims",
                     fmt::format("{} needs exactly one of the keys 'above' and 'below' (quantity probability), and "
                                 "has neither",
                                 entry_));
        }
        if (above && below) {
          const std::string_view later = present.back()->name;  // of the two, the one written last
          fail_at(later, fmt::format("{} needs exactly one of the keys 'above' and 'below' (quantity probability), "
                                     "and has both",
                                     entry_));
        }
        if (above) c.above = read_slot<double>("above");
        if (below) c.below = read_slot<double>("below");
        break;
      }
      case Q::mean_difference:
        require("norm", q);
        require("versus", q);
        c.norm = read_slot<model::NormPreset>("norm");
        c.versus = read_slot<model::NormPreset>("versus");
        if (*c.norm == *c.versus) {
          fail_at("versus", fmt::format("{} = \"{}\" is the same norm as {}; a difference needs two norms",
                                        name("versus"), node("versus").as_string()->get(), name("norm")));
        }
        break;
      case Q::index_sum:
        require("index", q);
        require("factors", q);
        c.index = read_slot<IndexKind>("index");
        c.factors = read_factors();
        break;
      case Q::level_difference:
        require("factor", q);
        require("level", q);
        require("baseline", q);
        c.factor = non_empty_string("factor");
        c.level = non_empty_string("level");
        c.baseline = non_empty_string("baseline");
        if (c.level == c.baseline) {
          fail_at("baseline", fmt::format("{} = \"{}\" is the same level as {}; a difference needs two levels",
                                          name("baseline"), c.baseline, name("level")));
        }
        break;
      case Q::norm_share:
        require("norms", q);
        c.norms = read_norms();
        break;
      case Q::index:
        require("index", q);
        require("factor", q);
        c.index = read_slot<IndexKind>("index");
        c.factor = non_empty_string("factor");
        break;
      case Q::max_researcher_index:
      case Q::top_researchers_sum: {
        require("index", q);
        if (c.quantity == Q::top_researchers_sum) require("k", q);
        // Per-researcher indices are Sobol indices only: the choices without shapley (last in enum order).
        const std::string noun = fmt::format("kind of index for quantity {}", q);
        Key per_researcher = key("index");
        per_researcher.choices = per_researcher.choices.first(2);
        per_researcher.choice_noun = noun;
        c.index = read_slot<IndexKind>("index", &per_researcher);
        if (c.quantity == Q::top_researchers_sum) c.k = read_slot<std::uint64_t>("k");
        break;
      }
    }
  }

  // `factors`: an array of ≥ 1 distinct non-empty strings (group names or factor keys).
  std::vector<std::string> read_factors() {
    const toml::node& n = node("factors");
    const auto* array = n.as_array();
    if (array == nullptr) {
      fail_at("factors", fmt::format("{} must be an array of strings, got {}", name("factors"), describe(n)));
    }
    if (array->empty()) fail_at("factors", fmt::format("{} must not be empty", name("factors")));
    std::vector<std::string> factors;
    for (std::size_t j = 0; j < array->size(); ++j) {
      const toml::node& element = (*array)[j];
      const std::string element_name = fmt::format("{}.factors[{}]", entry_, j);
      const auto* s = element.as_string();
      if (s == nullptr || s->get().empty()) {
        here_.fail(element.source(), "claims.factors",
                   fmt::format("{} must be a non-empty string, got {}", element_name, describe(element)));
      }
      const auto earlier = std::find(factors.begin(), factors.end(), s->get());
      if (earlier != factors.end()) {
        here_.fail(element.source(), "claims.factors",
                   fmt::format("{} = \"{}\" repeats {}.factors[{}]", element_name, s->get(), entry_,
                               earlier - factors.begin()));
      }
      factors.push_back(s->get());
    }
    origins_[name("factors")] = here_.origin(n.source());
    return factors;
  }

  // `norms`: an array of ≥ 2 distinct norm presets.
  std::vector<model::NormPreset> read_norms() {
    const toml::node& n = node("norms");
    const auto* array = n.as_array();
    if (array == nullptr) {
      fail_at("norms", fmt::format("{} must be an array of strings, got {}", name("norms"), describe(n)));
    }
    const Key& preset = key("norm");
    std::vector<model::NormPreset> norms;
    for (std::size_t j = 0; j < array->size(); ++j) {
      const toml::node& element = (*array)[j];
      const std::string element_name = fmt::format("{}.norms[{}]", entry_, j);
      model::NormPreset value{};
      read_value(preset, element_name, element, &value, here_);
      const auto earlier = std::find(norms.begin(), norms.end(), value);
      if (earlier != norms.end()) {
        here_.fail(element.source(), "claims.norms",
                   fmt::format("{} = \"{}\" repeats {}.norms[{}]", element_name, element.as_string()->get(),
                               entry_, earlier - norms.begin()));
      }
      origins_[element_name] = here_.origin(element.source());
      norms.push_back(value);
    }
    if (norms.size() < 2) {
      fail_at("norms", fmt::format("{} must name at least 2 norm presets, got {}", name("norms"), norms.size()));
    }
    origins_[name("norms")] = here_.origin(n.source());
    return norms;
  }

  // Shares, probabilities and indices are in [0, 1]; a sum of indices is ≥ 0.
  void check_value_range(const Claim& c) const {
    std::string_view allowed;
    bool in_range = true;
    switch (c.quantity) {
      case Q::mean:
      case Q::mean_difference:
      case Q::level_difference: return;
      case Q::probability:
      case Q::norm_share:
      case Q::index:
      case Q::max_researcher_index:
        allowed = "[0, 1]";
        in_range = c.value >= 0.0 && c.value <= 1.0;
        break;
      case Q::top_researchers_sum:
      case Q::index_sum:
        allowed = "[0, ∞)";
        in_range = c.value >= 0.0;
        break;
    }
    if (in_range) return;
    fail_at("value", fmt::format("{} = {} is out of range for quantity {}; allowed: {}", name("value"),
                                 describe(node("value")), quantity_name(c.quantity), allowed));
  }

  const toml::table& table_;
  const toml::node& element_;
  std::string entry_;
  const Here& here_;
  Origins& origins_;
};

}  // namespace

void apply_claims(const toml::node& node, Draft& draft, const Here& here, Origins& origins) {
  const auto* array = node.as_array();
  if (array == nullptr) {
    here.fail(node.source(), "claims", fmt::format("claims must be an array of tables, got {}", describe(node)));
  }
  std::vector<Claim> claims;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    const std::string entry = fmt::format("claims[{}]", i);
    const auto* table = element.as_table();
    if (table == nullptr) {
      here.fail(element.source(), "claims", fmt::format("{} must be a table, got {}", entry, describe(element)));
    }
    origins[entry] = here.origin(element.source());
    claims.push_back(ClaimReader(*table, element, entry, here, origins).read(claims));
  }
  draft.claims = std::move(claims);
}

void check_claims(const Draft& draft, const Origins& origins, const std::string& source,
                  const model::ModelParams& model) {
  std::uint64_t researchers = model.individuals.size();
  for (const std::int64_t n : model.labs.sizes) researchers += static_cast<std::uint64_t>(n);
  for (std::size_t i = 0; i < draft.claims.size(); ++i) {
    const Claim& c = draft.claims[i];
    if (c.quantity != Q::top_researchers_sum || c.k <= researchers) continue;
    const std::string name = fmt::format("claims[{}].k", i);
    const auto it = origins.find(name);
    const Origin origin = it == origins.end() ? Origin{source, 0, 0} : it->second;
    throw ScenarioError(origin.source, origin.line, origin.column, "claims.k",
                        researchers == 0
                            ? fmt::format("{} = {} is out of range; the scenario has no researchers", name, c.k)
                            : fmt::format("{} = {} is out of range; allowed: k ≤ {} (the scenario has {} "
                                          "researchers)",
                                          name, c.k, researchers, researchers));
  }
}

}  // namespace normsim::scenario::detail
