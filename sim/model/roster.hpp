#pragma once
// The roster: every researcher of a run in a fixed order, built from the parameters alone.
// Order: lab 0's regular researchers (interpretability first, then capabilities), then lab 0's
// pinned individuals in file order, then lab 1's, and so on. Entity keys follow the researcher's
// identity (regular index or individual index), not its roster position, so adding a pinned
// researcher never changes another researcher's key.
#include "model/params.hpp"
#include "random/keys.hpp"

#include <cstdint>
#include <vector>

namespace normsim::model {

struct RosterEntry {
  std::int64_t lab = 0;
  Focus focus = Focus::capabilities;
  std::optional<double> talent;       ///< pinned talent, if any
  std::optional<double> result_rate;  ///< pinned rate, if any
  random::EntityKind kind = random::EntityKind::researcher;  ///< researcher or individual
  std::uint64_t entity_index = 0;     ///< index within `kind` (the key address)
};

struct Roster {
  std::vector<RosterEntry> researchers;        ///< in roster order
  std::vector<std::size_t> lab_begin;          ///< L + 1 offsets: lab ℓ owns [lab_begin[ℓ], lab_begin[ℓ+1])
  [[nodiscard]] std::size_t lab_count() const noexcept { return lab_begin.empty() ? 0 : lab_begin.size() - 1; }
};

/// Number of interpretability researchers among n in a lab with share f: round(f·n), halves up.
/// A relative tolerance of 1e-9 absorbs binary rounding of f·n (0.29·50 = 14.499999999999998 must give 15, not 14).
[[nodiscard]] std::int64_t interpretability_count(double share, std::int64_t n) noexcept;

[[nodiscard]] Roster build_roster(const ModelParams& params);

}  // namespace normsim::model
