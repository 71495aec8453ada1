#pragma once
// The factors of an attribution design that are groups of entity keys: the default groups (all
// labs, all researchers, and per lab its own stream, its researchers and the two together), the
// scenario's custom groups ([[attribution.group]]), and the researchers tracked one by one
// (attribution.researchers). Each group carries its kind (output::FactorKind), which decides how
// it is reported and which groups Shapley effects are computed for.
#include "output/attribution_table.hpp"
#include "runner/attribution_sets.hpp"
#include "scenario/attribution.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace normsim::study {

/// Groups of entity keys and the kind of each, in the order they enter the design.
struct GroupSet {
  std::vector<runner::KeyGroup> groups;
  std::vector<output::FactorKind> kinds;  ///< one per group
  void add(runner::KeyGroup group, output::FactorKind kind);
};

/// Number of default groups: "all labs", "all researchers", and three per lab (its stream, its
/// researchers, the whole lab) unless the roster varies between rows (then only the first two).
[[nodiscard]] constexpr std::uint64_t default_group_count(std::uint64_t labs, bool varies_roster) noexcept {
  return 2 + (varies_roster ? 0 : 3 * labs);
}

/// Position of "lab L researchers" among the default groups.
[[nodiscard]] constexpr std::size_t lab_researchers_group(std::size_t lab) noexcept { return 3 + 3 * lab; }

/// "researcher 12 (lab 0, interpretability)" or "individual 0 (lab 1, capabilities)".
[[nodiscard]] std::string researcher_label(const model::RosterEntry& entry);

/// The entities a reference of a custom group names, in roster order.
[[nodiscard]] std::vector<runner::EntityRef> members_of(const model::Roster& roster, const scenario::EntityRef& ref);

/// Roster positions of the researchers that get their own index, in increasing order. top_talent:K
/// ranks by the talent each researcher has in design row 0 (its key there under `master_seed`, or
/// its pinned talent); sample:K draws K without replacement from Philox keyed by `sample_seed`
/// (attribution.seed) in DesignDomain::researcher_sample.
[[nodiscard]] std::vector<std::size_t> tracked_researchers(const runner::Point& point,
                                                           const scenario::ResearcherSelection& selection,
                                                           std::uint64_t master_seed, std::uint64_t sample_seed);

/// The default groups of `roster` (default_group_count of them, lab_researchers_group order), then
/// the custom groups (kind custom_group), then one group per tracked researcher (kind researcher).
[[nodiscard]] GroupSet roster_groups(const model::Roster& roster, const std::vector<std::size_t>& researchers,
                                     const std::vector<scenario::AttributionGroup>& custom);

/// The groups when the roster varies between design rows (labs.sizes is a factor): only whole
/// kinds mean the same entities in every row — all labs (up to `max_labs`), all researchers (up to
/// `max_researchers` regular ones and `individuals` pinned ones) and custom groups of those two.
/// Precondition: custom groups hold only "labs" and "researchers" (checked by the caller).
[[nodiscard]] GroupSet whole_kind_groups(std::uint64_t max_labs, std::uint64_t max_researchers,
                                         std::uint64_t individuals,
                                         const std::vector<scenario::AttributionGroup>& custom);

}  // namespace normsim::study
