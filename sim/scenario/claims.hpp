#pragma once
// `[[claims]]`: statements about the simulator's outcomes that `normsim check` evaluates, each to a
// verdict holds / fails / inconclusive. The loader reads and validates them (keys per quantity,
// names, ranges, k against the roster); what depends on the runs or on the drawn roster (group
// names of an `index` claim, whether the scenario varies the norms a claim compares) is resolved by
// the check command. Claims never change a run: they are not part of a point's identity.
//
// scenario.hpp includes this header (Scenario has a `std::vector<Claim>` member).
#include "model/params.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::scenario {

/// What a claim is about (`claims.quantity`). Each quantity has its own extra keys.
enum class ClaimQuantity : std::uint8_t {
  mean,                  ///< the outcome's mean (at each design point of a [sweep])
  probability,           ///< P(outcome > above) or P(outcome < below); in [0, 1]
  mean_difference,       ///< mean under `norm` − mean under `versus`, paired on common keys
  norm_share,            ///< share of the variance explained by the norm over `norms`; in [0, 1]
  index,                 ///< a group's or factor's Sobol/Shapley index (`index`, `factor`); in [0, 1]
  max_researcher_index,  ///< the largest per-researcher index (`index`: first_order or total); in [0, 1]
  top_researchers_sum,   ///< the sum of the k largest per-researcher indices (`index`, `k`); ≥ 0
  level_difference,      ///< mean at `level` − mean at `baseline` of sweep factor `factor`, paired on common keys
  index_sum,             ///< the sum of the indices (`index`) of several groups or factors (`factors`); ≥ 0
};
inline constexpr std::size_t kClaimQuantityCount = 9;

/// Which index of an attribution (`claims.index`). shapley only for quantity `index`.
enum class IndexKind : std::uint8_t { first_order, total, shapley };
inline constexpr std::size_t kIndexKindCount = 3;

/// The claimed side (`claims.compare`): quantity < value, or quantity > value.
enum class Comparison : std::uint8_t { less, greater };

/// Which error a claim evaluated at several points controls (`claims.error`): the probability
/// that any point's verdict is wrong (family_wise, the default), or each point's on its own.
enum class ClaimError : std::uint8_t { family_wise, per_point };

/// Names as written in files, in enum order (the registry's choices).
inline constexpr std::array<std::string_view, kClaimQuantityCount> kClaimQuantityNames{
    "mean", "probability", "mean_difference", "norm_share", "index", "max_researcher_index", "top_researchers_sum",
    "level_difference", "index_sum"};
inline constexpr std::array<std::string_view, kIndexKindCount> kIndexKindNames{"first_order", "total", "shapley"};
inline constexpr std::array<std::string_view, 2> kComparisonTexts{"<", ">"};
inline constexpr std::array<std::string_view, 2> kClaimErrorNames{"family_wise", "per_point"};

/// The outcome name, besides those of model::kOutcomeDescriptors, that a claim may use: 1 when the
/// run reached t_transform, else 0. Only with quantities mean, mean_difference, norm_share and
/// level_difference.
inline constexpr std::string_view kReachedTransformative = "reached_transformative";

/// One `[[claims]]` table as validated. Only the keys of the claim's quantity are set: `above` or
/// `below` (probability), `norm` and `versus` (mean_difference), `norms` (norm_share), `index`
/// (index, max_researcher_index, top_researchers_sum), `factor` (index), `k` (top_researchers_sum).
struct Claim {
  std::string id;         ///< non-empty, unique among the claims, characters [A-Za-z0-9_.-], not only dots
  std::string statement;  ///< the claim in words, non-empty
  ClaimQuantity quantity{};
  std::string outcome;    ///< an outcome name, or kReachedTransformative
  Comparison compare{};
  double value = 0;       ///< finite; in [0, 1] for the shares, probabilities and indices, ≥ 0 for sums
  std::optional<double> above, below;               ///< probability: exactly one, finite
  std::optional<model::NormPreset> norm, versus;    ///< mean_difference: both, different
  std::vector<model::NormPreset> norms;             ///< norm_share: ≥ 2, distinct
  std::optional<IndexKind> index;                   ///< index (any kind); the per-researcher quantities (not shapley)
  std::string factor;     ///< index: a group name or a [sweep] factor key; level_difference: a [sweep] factor
                          ///< key; non-empty (resolved by the check)
  std::string level, baseline;  ///< level_difference: labels of two levels of `factor`, non-empty, different
  std::vector<std::string> factors;  ///< index_sum: group names or factor keys, ≥ 1, non-empty, no repeats
  std::uint64_t k = 0;    ///< top_researchers_sum: 1 ≤ k ≤ the scenario's researchers (regular and pinned)
  double confidence = 0.95;  ///< 1 − α: the claim's verdicts are wrong with probability ≤ α (in (0, 1))
  /// A numeric [sweep] factor along which normsim check locates where the quantity crosses value
  /// (quantities mean, mean_difference, level_difference); empty: none. Resolved by the check.
  std::string locate;
  ClaimError error = ClaimError::family_wise;  ///< over the claim's points: family-wise or per point
  friend bool operator==(const Claim&, const Claim&) = default;
};

/// "mean", "max_researcher_index", ...
[[nodiscard]] std::string_view quantity_name(ClaimQuantity quantity) noexcept;

/// "first_order", "total", "shapley".
[[nodiscard]] std::string_view index_name(IndexKind kind) noexcept;

/// "<" or ">".
[[nodiscard]] std::string_view comparison_text(Comparison compare) noexcept;

/// "family_wise", "per_point".
[[nodiscard]] std::string_view claim_error_name(ClaimError error) noexcept;

/// The claims as `[[claims]]` tables, each starting with a blank line, every key of the claim's
/// quantity at its value (doubles in the shortest round-trip form); "" when there are none. As
/// written back by resolved_toml(), which load_text() reads back to equal claims.
[[nodiscard]] std::string claims_toml(const std::vector<Claim>& claims);

}  // namespace normsim::scenario
