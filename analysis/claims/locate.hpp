#pragma once
// Where a claim's quantity θ(x) crosses the claim's value v along one numeric factor x ∈ [a, b]
// (issue 13 §1, `locate`): a point estimate and an interval for each crossing, or that θ does not
// cross within the range, or that it crosses more than once, spending runs near the crossings
// rather than on a dense grid.
//
// The search decides the sign of θ(x) − v at a few points with anytime-valid confidence sequences
// (sequence.hpp), each at level 1 − α/K, K the number of points the search may evaluate (fixed in
// advance by the settings):
//   1. the grid points (e.g. the sweep's levels of the factor), replicates growing by a factor each
//      round until each sign is decided, the point's budget is spent, or deciding looks hopeless;
//   2. each pair of adjacent decided grid points with opposite signs brackets a crossing, which is
//      narrowed by bisection: a probe at the bracket's midpoint, evaluated likewise, keeps the half
//      whose ends still differ in sign. A probe whose sign cannot be decided
//      (θ within the noise of v there) is kept inside the bracket and the gaps on either side of it
//      are bisected in turn, so that an undecidable point does not end the search;
//   3. a crossing is reported as its final bracket [low, high] (ends decided, of opposite signs) and
//      the root of the line fitted to the estimates inside it.
// Guarantee: with probability ≥ 1 − α every decided sign is right, whatever the dependence between
// grid points (common random numbers included), and although probes are placed from the data,
// because each probe uses replicate indices no other point uses (see probe_first_replicate). The
// consequences, precisely: analysis/claims/README.md, "Locating a crossing", and
// LocateResult::guarantee.
//
// Model-independent: the caller supplies a CrossingSampler that runs the model.
#include "analysis/claims/sequence.hpp"
#include "analysis/claims/verdict.hpp"

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::analysis {

/// Observations of replicates [first_replicate, first_replicate + count) at factor level x.
struct DrawRequest {
  double x = 0.0;                    ///< level of the searched factor (units of the factor)
  std::uint64_t first_replicate = 0;  ///< index of the first replicate
  std::uint64_t count = 0;            ///< number of replicates, ≥ 1
};

/// What the search needs from the model: i.i.d. observations whose mean is θ(x).
///
/// Contract: the observation of replicate r at x is a function of (x, r) only: asking again for the
/// same (x, r) gives the same value (a resumed search gets the same runs), and observations of
/// different replicate indices are independent, whatever their x (replicate r's random keys derive
/// from r and not from x; using the same keys for replicate r at every x — common random numbers —
/// is allowed and makes nearby grid points' estimates positively correlated). Each observation's
/// expectation is θ(x), e.g. for a mean_difference claim the paired difference of the outcome
/// between the two norms in replicate r at x.
class CrossingSampler {
 public:
  virtual ~CrossingSampler() = default;

  /// The observations of replicates [first_replicate, first_replicate + count) at x, in replicate
  /// order; exactly `count` finite values (within [lo, hi] when LocateSettings gives them). May throw
  /// anything; the search then stops and lets it through.
  virtual std::vector<double> draw(double x, std::uint64_t first_replicate, std::uint64_t count) = 0;

  /// All requests of one round of the search, which are independent of each other (an override may
  /// run them in parallel); element i answers requests[i] as draw() would. By default, draw() for
  /// each in order.
  virtual std::vector<std::vector<double>> draw_round(std::span<const DrawRequest> requests);

 protected:
  CrossingSampler() = default;
  CrossingSampler(const CrossingSampler&) = default;
  CrossingSampler& operator=(const CrossingSampler&) = default;
  CrossingSampler(CrossingSampler&&) = default;
  CrossingSampler& operator=(CrossingSampler&&) = default;
};

/// What locate_crossing searches and how much it may spend.
struct LocateSettings {
  double alpha = 0.05;  ///< P(any decided sign wrong) ≤ alpha over the whole search; in (0, 1)
  double value = 0.0;   ///< the claim's value v (finite)
  /// Direction of the claim "θ < v" (true) or "θ > v" (false): only names the sides (each point's
  /// verdict, Crossing::holds_below); the crossings do not depend on it.
  bool claimed_below = false;
  /// Known range of every observation. Both finite (lo < hi): exact (betting) sequences; otherwise
  /// asymptotic ones (sequence.hpp, MeanSequenceSettings). A difference of outcomes in [0, 1] lies
  /// in [−1, 1].
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  BoundedMethod bounded = BoundedMethod::betting;  ///< which exact sequence when bounded
  /// The initial points, strictly increasing, at least two, finite (units of the factor); the
  /// searched range is [grid.front(), grid.back()]. E.g. the sweep's levels, or even_grid(a, b, k).
  std::vector<double> grid;
  std::uint64_t initial_replicates = 100;  ///< replicates at a point's first look, ≥ 2
  std::uint64_t max_replicates = 6400;     ///< per point, ≥ initial_replicates
  /// An undecided point's replicates grow by this factor per round (rounded up, capped at
  /// max_replicates), finite and > 1. The sequences are anytime-valid, so finer steps cost no
  /// validity, only rounds: 1.5 spends ~20 % fewer runs than doubling (README).
  double growth = 1.5;
  /// Asymptotic sequences only: the sample size at which they are narrowest (MeanSequenceSettings::
  /// tuned_n); 0 means round(sqrt(initial_replicates · max_replicates)), where decisions near a
  /// crossing are made.
  std::uint64_t tuned_replicates = 0;
  /// Total replicates over the whole search; when spent, the remaining points stay undecided.
  std::uint64_t budget = std::numeric_limits<std::uint64_t>::max();
  /// Stop narrowing a bracket once it is at most this wide (units of the factor, ≥ 0); 0 means the
  /// smallest grid spacing / 16 (four bisections of a grid cell).
  double resolution = 0.0;
  std::size_t probes_per_bracket = 12;  ///< probes at most per bracket (J)
  std::size_t refined_brackets = 2;     ///< brackets narrowed at most (B, the first in x order); the
                                        ///< others are reported at the grid's resolution
};

/// `points` equally spaced levels from a to b inclusive (a < b finite, points ≥ 2); the last is b
/// exactly. Throws std::invalid_argument otherwise.
[[nodiscard]] std::vector<double> even_grid(double a, double b, std::size_t points);

/// K = grid points + refined_brackets × probes_per_bracket: the points the search may evaluate, over
/// which α is split (each point's sequence at level 1 − α/K). Does not validate the settings.
[[nodiscard]] std::size_t locate_points(const LocateSettings& settings) noexcept;

/// The first replicate index of probe `probe` (0-based, < probes_per_bracket) of refined bracket
/// `bracket` (0-based in x order, < refined_brackets): (1 + bracket·J + probe)·max_replicates. Grid
/// points use replicates [0, max_replicates) (the same indices at every grid point: common keys);
/// each probe its own block of max_replicates indices, disjoint from every other point's, which is
/// what keeps a probe's sequence valid although its position was chosen from other points' data.
[[nodiscard]] std::uint64_t probe_first_replicate(const LocateSettings& settings, std::size_t bracket,
                                                  std::size_t probe) noexcept;

/// The outcome of a search. The values may be stored in output files: never renumber.
enum class CrossingStatus : std::uint8_t {
  crosses_once = 0,            ///< one bracket, and every grid point's sign decided
  crosses_more_than_once = 1,  ///< two brackets or more (the number of crossings is at least theirs)
  no_crossing = 2,             ///< every grid point decided, all of one sign
  undecided = 3,               ///< fewer than two brackets and some sign not decided: the number of
                               ///< crossings is open (`unresolved` says where)
};

/// "crosses_once", "crosses_more_than_once", "no_crossing", "undecided" ("?" otherwise).
[[nodiscard]] std::string_view crossing_status_name(CrossingStatus status) noexcept;

/// Whether a point is one of the grid or a probe placed by bisection.
enum class PointRole : std::uint8_t { grid = 0, probe = 1 };

/// A point the search evaluated.
struct EvaluatedPoint {
  double x = 0.0;                        ///< level of the factor
  PointRole role = PointRole::grid;
  std::uint64_t first_replicate = 0;     ///< its replicates are [first_replicate, first_replicate + decision.n)
  SequentialDecision decision;           ///< verdict of the claim there, estimate of θ, interval, n, prospect
  int sign = 0;                          ///< +1: θ > v decided; −1: θ < v decided; 0: not decided
};

/// Why the narrowing of a bracket stopped. The values may be stored in output files: never renumber.
enum class BracketEnd : std::uint8_t {
  resolution = 0,   ///< narrower than the resolution
  zone = 1,         ///< undecidable points span more than the resolution, and the bracket is at most
                    ///< 1.5 times as wide as them: narrowing further would not gain much
  probes = 2,       ///< probes_per_bracket spent
  budget = 3,       ///< the total budget spent
  not_refined = 4,  ///< beyond refined_brackets (or probes_per_bracket = 0): the grid's bracket
};

/// "resolution", "zone", "probes", "budget", "not_refined" ("?" otherwise).
[[nodiscard]] std::string_view bracket_end_name(BracketEnd end) noexcept;

/// A crossing of v by θ, located.
struct Crossing {
  double estimate = 0.0;  ///< root of the line fitted (weights n) to the estimates in [low, high], within it
  double low = 0.0;       ///< decided end; θ − v has the opposite sign at `high`
  double high = 0.0;
  bool holds_below = false;         ///< the claim holds at `low` (and fails at `high`)
  std::size_t undecided_inside = 0;  ///< evaluated points strictly inside whose sign was not decided
  BracketEnd end = BracketEnd::not_refined;
};

/// Where undecided points leave the number of crossings open.
struct UnresolvedRegion {
  double low = 0.0;
  double high = 0.0;
  /// false: both ends decided with the same sign: an even number of crossings inside (0, 2, ...),
  /// e.g. θ touching v. true: at an end of the range with no decided point beyond: any number.
  bool at_edge = false;
};

/// The result of locate_crossing.
struct LocateResult {
  CrossingStatus status = CrossingStatus::undecided;
  std::vector<Crossing> crossings;          ///< in x order
  std::vector<UnresolvedRegion> unresolved;  ///< in x order
  std::vector<EvaluatedPoint> points;       ///< every evaluated point, in x order
  std::uint64_t runs = 0;                   ///< observations drawn in all
  std::size_t points_allowed = 0;           ///< K
  double point_alpha = 0.0;                 ///< α/K
  double resolution = 0.0;                  ///< the resolution used (settings or its default)
  std::string guarantee;                    ///< the guarantee in words, for reports
  std::string method;                       ///< the sequences and the search, for the `estimator` field
};

/// Searches [grid.front(), grid.back()] for the crossings of `settings.value` by the mean θ(x) of the
/// sampler's observations (header comment). Deterministic given the sampler's answers. Throws
/// std::invalid_argument for invalid settings (alpha outside (0, 1), a non-finite value, a grid of
/// fewer than two points or not strictly increasing or not finite, initial_replicates < 2,
/// max_replicates < initial_replicates, growth ≤ 1, a negative or non-finite resolution, a NaN range or lo ≥ hi,
/// replicate indices beyond 2^64); std::runtime_error if the sampler returns the wrong number of
/// observations; std::domain_error for an observation that is not finite or outside [lo, hi];
/// whatever the sampler throws.
[[nodiscard]] LocateResult locate_crossing(CrossingSampler& sampler, const LocateSettings& settings);

}  // namespace normsim::analysis
