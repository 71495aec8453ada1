#include "analysis/attribution/design.hpp"

#include "random/streams.hpp"

#include <boost/random/sobol.hpp>
#include <fmt/format.h>

#include <bit>
#include <limits>
#include <stdexcept>

namespace normsim::analysis {

namespace {

// Second word of the Philox key of design draws: ASCII "attrdsgn". Fixed: it decides every design.
constexpr std::uint64_t kDesignDomain = 0x6174747264736e67ULL;

// What a design word is for; fixed values, never renumbered.
enum class DesignWord : std::uint64_t { sobol_shift = 1, permutation = 2, shapley_order = 3 };

std::uint64_t design_word(DesignWord what, std::uint64_t a, std::uint64_t b, std::uint64_t seed) {
  return random::philox64({static_cast<std::uint64_t>(what), a, b, 0}, {seed, kDesignDomain})[0];
}

// Uniform integer in [0, n) from the high 32 bits of a word (Lemire; bias below n / 2^32).
std::uint64_t below(std::uint64_t word, std::uint64_t n) {
  return ((word >> 32) * n) >> 32;
}

using SobolEngine = boost::random::sobol_engine<std::uint32_t, 32, boost::random::default_sobol_table>;

}  // namespace

Grouping::Grouping(std::vector<std::size_t> group_of_input, std::size_t group_count)
    : group_of_(std::move(group_of_input)), group_count_(group_count) {
  for (std::size_t c = 0; c < group_of_.size(); ++c) {
    if (group_of_[c] >= group_count_) {
      throw std::invalid_argument(
          fmt::format("Grouping: input {} is in group {}, but there are {} groups", c, group_of_[c], group_count_));
    }
  }
}

Grouping Grouping::singletons(std::size_t inputs) {
  std::vector<std::size_t> g(inputs);
  for (std::size_t c = 0; c < inputs; ++c) g[c] = c;
  return Grouping(std::move(g), inputs);
}

GroupMix mix_ab(std::size_t groups, std::size_t j) {
  if (j >= groups) throw std::out_of_range(fmt::format("mix_ab: group {} of {}", j, groups));
  GroupMix mix(groups, false);
  mix[j] = true;
  return mix;
}

GroupMix mix_ab(std::size_t groups, std::size_t i, std::size_t j) {
  GroupMix mix = mix_ab(groups, i);
  if (j >= groups) throw std::out_of_range(fmt::format("mix_ab: group {} of {}", j, groups));
  mix[j] = true;
  return mix;
}

std::size_t categorical_level(double unit, std::size_t levels) {
  if (levels == 0) throw std::invalid_argument("categorical_level: need at least one level");
  if (!(unit > 0.0)) return 0;  // also maps NaN to level 0 rather than to an out-of-range index
  const auto level = static_cast<std::size_t>(unit * static_cast<double>(levels));
  return level < levels ? level : levels - 1;
}

SaltelliDesign::SaltelliDesign(std::size_t inputs, std::uint64_t rows, std::uint64_t seed)
    : inputs_(inputs), rows_(rows), bits_(0) {
  if (inputs < 1 || 2 * inputs > 3666) {
    throw std::invalid_argument(fmt::format("SaltelliDesign: need 1 ≤ inputs ≤ 1833, got {}", inputs));
  }
  if (rows < 2 || rows > (std::uint64_t{1} << 31) || !std::has_single_bit(rows)) {
    throw std::invalid_argument(fmt::format("SaltelliDesign: rows must be a power of two in [2, 2^31], got {}", rows));
  }
  bits_ = static_cast<std::size_t>(std::countr_zero(rows));
  const std::size_t dims = 2 * inputs;
  // In Gray-code order, point n is the XOR of the direction words of the set bits of n ^ (n >> 1);
  // bit k alone is set for n = 2^(k+1) − 1, so that point *is* direction word k. Boost's engine
  // yields point 1 first, hence the discard of (n − 1) vectors.
  direction_.resize(bits_ * dims);
  for (std::size_t k = 0; k < bits_; ++k) {
    SobolEngine engine(dims);
    const std::uint64_t n = (std::uint64_t{2} << k) - 1;
    engine.discard((n - 1) * dims);
    for (std::size_t t = 0; t < dims; ++t) direction_[k * dims + t] = engine();
  }
  shift_.resize(dims);
  for (std::size_t t = 0; t < dims; ++t) {
    shift_[t] = static_cast<std::uint32_t>(design_word(DesignWord::sobol_shift, t, 0, seed) >> 32);
  }
}

double SaltelliDesign::coordinate(std::uint64_t i, std::size_t dim) const noexcept {
  const std::size_t dims = 2 * inputs_;
  std::uint64_t gray = i ^ (i >> 1);
  std::uint32_t word = shift_[dim];
  for (std::size_t k = 0; gray != 0; ++k, gray >>= 1) {
    if ((gray & 1U) != 0) word ^= direction_[k * dims + dim];
  }
  return random::uniform(word);
}

void SaltelliDesign::row(std::uint64_t i, Matrix matrix, std::span<double> out) const {
  if (i >= rows_) throw std::out_of_range(fmt::format("SaltelliDesign::row: row {} of {}", i, rows_));
  if (out.size() != inputs_) throw std::invalid_argument("SaltelliDesign::row: output size differs from inputs");
  const std::size_t offset = matrix == Matrix::a ? 0 : inputs_;
  for (std::size_t c = 0; c < inputs_; ++c) out[c] = coordinate(i, offset + c);
}

void SaltelliDesign::mixed_row(std::uint64_t i, const Grouping& grouping, const GroupMix& mix,
                               std::span<double> out) const {
  if (i >= rows_) throw std::out_of_range(fmt::format("SaltelliDesign::mixed_row: row {} of {}", i, rows_));
  if (grouping.inputs() != inputs_ || mix.size() != grouping.group_count() || out.size() != inputs_) {
    throw std::invalid_argument("SaltelliDesign::mixed_row: grouping, mix or output size does not match the design");
  }
  for (std::size_t c = 0; c < inputs_; ++c) {
    out[c] = coordinate(i, (mix[grouping.group_of(c)] ? inputs_ : 0) + c);
  }
}

Permutation::Permutation(std::uint32_t n, std::uint64_t seed, std::uint64_t group) {
  if (n < 1 || n > (1U << 24)) throw std::invalid_argument(fmt::format("Permutation: need 1 ≤ n ≤ 2^24, got {}", n));
  forward_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) forward_[i] = i;
  // Fisher–Yates from the top: position k swaps with a uniform position in [0, k].
  for (std::uint32_t k = n - 1; k > 0; --k) {
    const auto r = static_cast<std::uint32_t>(below(design_word(DesignWord::permutation, group, k, seed), k + 1));
    std::swap(forward_[k], forward_[r]);
  }
  inverse_.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) inverse_[forward_[i]] = i;
}

Permutation Permutation::from_forward(std::vector<std::uint32_t> forward) {
  const auto n = forward.size();
  if (n < 1 || n > (1U << 24)) throw std::invalid_argument(fmt::format("Permutation: need 1 ≤ n ≤ 2^24, got {}", n));
  Permutation p(1, 0, 0);
  p.inverse_.assign(n, std::numeric_limits<std::uint32_t>::max());
  for (std::size_t i = 0; i < n; ++i) {
    if (forward[i] >= n || p.inverse_[forward[i]] != std::numeric_limits<std::uint32_t>::max()) {
      throw std::invalid_argument("Permutation::from_forward: not a bijection");
    }
    p.inverse_[forward[i]] = static_cast<std::uint32_t>(i);
  }
  p.forward_ = std::move(forward);
  return p;
}

ShapleyDesign::ShapleyDesign(std::uint64_t rows, std::size_t groups, std::uint64_t seed)
    : rows_(rows), groups_(groups), seed_(seed) {
  if (rows < 2 || groups < 1 || groups > 64) {
    throw std::invalid_argument(fmt::format("ShapleyDesign: need rows ≥ 2 and 1 ≤ groups ≤ 64, got {} and {}", rows, groups));
  }
}

std::vector<std::size_t> ShapleyDesign::order(std::uint64_t i) const {
  if (i >= rows_) throw std::out_of_range(fmt::format("ShapleyDesign::order: row {} of {}", i, rows_));
  std::vector<std::size_t> order(groups_);
  for (std::size_t g = 0; g < groups_; ++g) order[g] = g;
  for (std::size_t k = groups_ - 1; k > 0; --k) {
    const auto r = static_cast<std::size_t>(below(design_word(DesignWord::shapley_order, i, k, seed_), k + 1));
    std::swap(order[k], order[r]);
  }
  return order;
}

GroupMix ShapleyDesign::mix(std::uint64_t i, std::size_t s) const {
  if (s > groups_) throw std::out_of_range(fmt::format("ShapleyDesign::mix: step {} of {}", s, groups_));
  const std::vector<std::size_t> o = order(i);
  GroupMix mix(groups_, false);
  for (std::size_t k = 0; k < s; ++k) mix[o[k]] = true;
  return mix;
}

}  // namespace normsim::analysis
