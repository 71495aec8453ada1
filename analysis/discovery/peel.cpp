// Peeling and pasting on a Sample. Both scan the per-dimension sorted orders from one end, so a step
// costs O(D · n) and a whole trajectory O(D · n · log(β_min)/log(1 − α)).
#include "analysis/discovery/pipeline.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace normsim::analysis::discovery::detail {

namespace {

// A slab to remove (peel) or add (paste), with its sums and the limit it leaves.
struct Slab {
  bool valid = false;
  std::size_t dim = 0;
  Side side = Side::low;
  double limit = 0.0;       // numeric: the new limit of `side`
  unsigned level = 0;       // categorical: the level removed or added
  double weight = 0.0;
  double interest = 0.0;
  std::size_t count = 0;
  double objective = 0.0;
};

// Walks positions of a numeric dimension in increasing (`ascending`) or decreasing order.
template <class Visit>
void walk(const std::vector<std::uint32_t>& order, bool ascending, Visit&& visit) {
  const std::size_t n = order.size();
  for (std::size_t k = 0; k < n; ++k) {
    if (!visit(order[ascending ? k : n - 1 - k])) return;
  }
}

// The slab of positions accepted by `member`, taken in the walk's order, whose weight first reaches
// `target` (at least one point), extended over ties with its last value. `limit` is set between the
// slab's last value and the next member's value, on the side that excludes the slab (`peeled`) or the
// next member (a paste); `exhausted` reports that no member is left beyond the slab.
Slab numeric_slab(const Sample& s, std::size_t d, bool ascending, double target, bool peeled, const auto& member,
                  bool& exhausted) {
  Slab slab;
  slab.dim = d;
  const std::vector<double>& x = s.x[d];
  double last = std::numeric_limits<double>::quiet_NaN();
  exhausted = true;
  walk(s.order[d], ascending, [&](std::uint32_t j) {
    if (!member(j)) return true;
    if (slab.count > 0 && slab.weight >= target && x[j] != last) {
      slab.limit = peeled ? split_point(last, x[j]) : split_point(x[j], last);
      exhausted = false;
      return false;
    }
    slab.weight += s.w[j];
    slab.interest += s.w[j] * s.y[j];
    ++slab.count;
    last = x[j];
    return true;
  });
  slab.valid = slab.count > 0;
  return slab;
}

bool better(const Slab& candidate, const Slab& best) { return !best.valid || candidate.objective > best.objective; }

std::uint64_t bit(unsigned level) { return std::uint64_t{1} << level; }

}  // namespace

std::vector<TrajectoryStep> peel_sample(const Sample& s, const std::vector<Dimension>& dims, const Box& initial,
                                        const PrimSettings& settings, const Totals& totals) {
  Box box = initial;
  std::vector<std::uint8_t> in(s.n);
  for (std::size_t j = 0; j < s.n; ++j) in[j] = inside(s, dims, box, j) ? 1 : 0;
  const double min_weight = settings.min_mass * totals.weight;
  const auto member = [&in](std::uint32_t j) { return in[j] != 0; };

  std::vector<TrajectoryStep> trajectory;
  std::vector<double> level_weight(kMaxLevels), level_interest(kMaxLevels);
  std::vector<std::size_t> level_count(kMaxLevels);
  while (true) {
    Sums sums;  // recomputed, not updated by subtraction: no drift along a long trajectory
    for (std::size_t j = 0; j < s.n; ++j) {
      if (!in[j]) continue;
      sums.weight += s.w[j];
      sums.interest += s.w[j] * s.y[j];
      ++sums.count;
    }
    const BoxStatistics st = statistics(sums, totals);
    trajectory.push_back({st.coverage, st.density, st.mass, st.n_points, restricted_dimensions(dims, initial, box), box});

    const double mean_before = sums.interest / sums.weight;
    Slab best;
    const auto consider = [&](Slab c) {
      const double weight_left = sums.weight - c.weight;
      if (!c.valid || !(weight_left >= min_weight) || weight_left <= 0.0) return;
      const double mean_left = (sums.interest - c.interest) / weight_left;
      c.objective = settings.objective == PeelObjective::mean ? mean_left
                                                              : (mean_left - mean_before) / (c.weight / totals.weight);
      if (better(c, best)) best = c;
    };
    for (std::size_t d = 0; d < dims.size(); ++d) {
      if (dims[d].kind == DimensionKind::numeric) {
        for (const Side side : {Side::low, Side::high}) {
          bool exhausted = false;
          Slab c = numeric_slab(s, d, side == Side::low, settings.peel_alpha * sums.weight, true, member, exhausted);
          c.side = side;
          if (!exhausted) consider(c);  // a slab of every point is no peel
        }
        continue;
      }
      const std::size_t k = dims[d].levels.size();
      std::fill(level_weight.begin(), level_weight.end(), 0.0);
      std::fill(level_interest.begin(), level_interest.end(), 0.0);
      std::fill(level_count.begin(), level_count.end(), std::size_t{0});
      for (std::size_t j = 0; j < s.n; ++j) {
        if (!in[j]) continue;
        const std::uint8_t l = s.level[d][j];
        level_weight[l] += s.w[j];
        level_interest[l] += s.w[j] * s.y[j];
        ++level_count[l];
      }
      for (unsigned l = 0; l < k; ++l) {
        if (level_count[l] == 0 || level_count[l] == sums.count) continue;
        Slab c;
        c.valid = true;
        c.dim = d;
        c.side = Side::levels;
        c.level = l;
        c.weight = level_weight[l];
        c.interest = level_interest[l];
        c.count = level_count[l];
        consider(c);
      }
    }
    if (!best.valid) return trajectory;

    Limits& lim = box.limits[best.dim];
    const std::vector<double>& x = s.x[best.dim];
    for (std::size_t j = 0; j < s.n; ++j) {
      if (!in[j]) continue;
      switch (best.side) {
        case Side::low: in[j] = x[j] >= best.limit ? 1 : 0; break;
        case Side::high: in[j] = x[j] <= best.limit ? 1 : 0; break;
        case Side::levels: in[j] = s.level[best.dim][j] != best.level ? 1 : 0; break;
      }
    }
    if (best.side == Side::low) lim.low = best.limit;
    if (best.side == Side::high) lim.high = best.limit;
    if (best.side == Side::levels) lim.levels &= ~bit(best.level);
  }
}

Box paste_sample(const Sample& s, const std::vector<Dimension>& dims, const Box& initial, const Box& box,
                 const PrimSettings& settings) {
  Box cur = box;
  if (settings.paste_alpha <= 0.0) return cur;
  constexpr std::size_t kInside = std::numeric_limits<std::size_t>::max();
  constexpr std::size_t kSeveral = kInside - 1;
  std::vector<std::size_t> sole(s.n);  // the one dimension a point violates, kInside or kSeveral
  while (true) {
    Sums sums;
    for (std::size_t j = 0; j < s.n; ++j) {
      std::size_t violated = kInside;
      for (std::size_t d = 0; d < dims.size(); ++d) {
        const Limits& lim = cur.limits[d];
        const bool ok = dims[d].kind == DimensionKind::numeric ? (s.x[d][j] >= lim.low && s.x[d][j] <= lim.high)
                                                               : ((lim.levels >> s.level[d][j]) & 1U) != 0;
        if (ok) continue;
        violated = violated == kInside ? d : kSeveral;
        if (violated == kSeveral) break;
      }
      sole[j] = violated;
      if (violated == kInside) {
        sums.weight += s.w[j];
        sums.interest += s.w[j] * s.y[j];
        ++sums.count;
      }
    }
    if (sums.count == 0) return cur;
    const double mean = sums.interest / sums.weight;
    const double target = settings.paste_alpha * sums.weight;
    Slab best;
    const auto consider = [&](Slab c) {
      if (!c.valid) return;
      c.objective = (sums.interest + c.interest) / (sums.weight + c.weight);
      if (better(c, best)) best = c;
    };
    for (std::size_t d = 0; d < dims.size(); ++d) {
      const Limits& lim = cur.limits[d];
      if (dims[d].kind == DimensionKind::numeric) {
        for (const Side side : {Side::low, Side::high}) {
          if (!is_restricted(dims[d], initial.limits[d], lim, side)) continue;
          const auto member = [&](std::uint32_t j) {
            return sole[j] == d && (side == Side::low ? s.x[d][j] < lim.low : s.x[d][j] > lim.high);
          };
          bool exhausted = false;
          // Outward from the box: descending below the low limit, ascending above the high one.
          Slab c = numeric_slab(s, d, side == Side::high, target, false, member, exhausted);
          c.side = side;
          if (exhausted) c.limit = side == Side::low ? initial.limits[d].low : initial.limits[d].high;
          consider(c);
        }
        continue;
      }
      for (unsigned l = 0; l < dims[d].levels.size(); ++l) {
        if ((lim.levels & bit(l)) != 0 || (initial.limits[d].levels & bit(l)) == 0) continue;
        Slab c;
        c.dim = d;
        c.side = Side::levels;
        c.level = l;
        for (std::size_t j = 0; j < s.n; ++j) {
          if (sole[j] != d || s.level[d][j] != l) continue;
          c.weight += s.w[j];
          c.interest += s.w[j] * s.y[j];
          ++c.count;
        }
        c.valid = c.count > 0;
        consider(c);
      }
    }
    if (!best.valid || !(best.objective > mean)) return cur;
    Limits& lim = cur.limits[best.dim];
    if (best.side == Side::low) lim.low = best.limit;
    if (best.side == Side::high) lim.high = best.limit;
    if (best.side == Side::levels) lim.levels |= bit(best.level);
  }
}

}  // namespace normsim::analysis::discovery::detail
