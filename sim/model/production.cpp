// Steps 2–4 of docs/model.md for all labs at once: production, the publication coins and the filing of
// each result's knowledge. Split from model.cpp because it is the hot loop, written for speed:
//
// - Results are Poisson arrivals per researcher: one researcher block per result (gap to the next
//   arrival, quality, spill, flag), so the work is per result, not per researcher-step.
// - All researchers that have a result in this step are handled together, in rounds (round n
//   handles every researcher's n-th result of the step), so that the Philox blocks of a round, and
//   the publication blocks of the whole step, are computed in batches by the vector units
//   (random/batch.hpp). The blocks are exactly those of the scalar streams: only the order in which
//   results are summed differs (rounds, then roster order within a round), which is fixed by the
//   draws, hence deterministic.
// - A result's destination (private, released now, embargo queue of its category) is an index into
//   per-lab sums instead of a branch: the coins are random, and branches on them would mispredict.
#include "model/model.hpp"
#include "random/batch.hpp"

#include <algorithm>
#include <cmath>

namespace normsim::model {

namespace {

using random::Purpose;
using random::uniform;

// Index of a publication coin block: the researcher's position in its lab and its result ordinal.
// 2^40 results per researcher and 2^24 researchers per lab are far beyond any run.
constexpr unsigned kOrdinalBits = 40;

constexpr std::size_t kPrivate = 0;   // the lab's private stock (also: released after the last step)
constexpr std::size_t kReleased = 1;  // the public pools, now
constexpr std::size_t kQueued = 2;    // + category: the embargo queue of that category

[[nodiscard]] std::uint32_t low(std::uint64_t x) noexcept { return static_cast<std::uint32_t>(x); }
[[nodiscard]] std::uint32_t high(std::uint64_t x) noexcept { return static_cast<std::uint32_t>(x >> 32); }

}  // namespace

void Model::ProductionScratch::resize_events(std::size_t n) {
  if (c0.size() >= n) return;
  const std::size_t size = std::max(n, 2 * c0.size());
  for (auto* v : {&c0, &c1, &c2, &c3, &k0, &k1, &out0, &out1, &out2, &out3, &event_index_low, &event_index_high}) {
    v->resize(size);
  }
  for (auto* v : {&event_capability, &event_interpretability}) v->resize(size);
  event_lab.resize(size);
  event_category.resize(size);
}

random::BlockBatch Model::ProductionScratch::batch(std::size_t n) noexcept {
  return {n,           c0.data(),   c1.data(),   c2.data(),   c3.data(),  k0.data(),
          k1.data(),   out0.data(), out1.data(), out2.data(), out3.data()};
}

void Model::produce_all() {
  const ResearchParams& research = params_.research;
  const Norm& norm = params_.norm;
  const std::size_t lab_count = labs_.size();
  const double time = static_cast<double>(t_);
  ProductionScratch& s = scratch_;

  // Per-lab multipliers (1 + Ĉ_ℓ)^φ_C and (1 + Î_ℓ)^φ_I from the state at the start of the step.
  for (std::size_t l = 0; l < lab_count; ++l) {
    s.capability_multiplier[l] = std::pow(1.0 + access_capability_[l], research.phi_capabilities);
    s.interpretability_multiplier[l] = std::pow(1.0 + access_interpretability_[l], research.phi_interpretability);
  }

  // 2. Production, in rounds. `active` holds the researchers whose pending result falls in this step.
  // Most researchers have no result in a given step; the scan writes every index and advances the
  // count only for due ones, so that it has no branch to mispredict.
  s.active.resize(researchers_.size());
  std::size_t due = 0;
  for (std::uint32_t j = 0; j < researchers_.size(); ++j) {
    s.active[due] = j;
    due += next_arrival_[j] <= time ? 1U : 0U;
  }
  s.active.resize(due);
  std::size_t events = 0;
  while (!s.active.empty()) {
    const std::size_t n = s.active.size();
    s.resize_events(events + n);
    for (std::size_t i = 0; i < n; ++i) {
      ResearcherState& r = researchers_[s.active[i]];
      const std::size_t l = r.lab;
      const double quality = random::exponential(r.pending[0]);
      r.quality_sum += quality;
      double d_capability = 0;
      double d_interpretability = 0;
      std::uint8_t category = static_cast<std::uint8_t>(Category::capabilities);
      if (r.focus == Focus::capabilities) {
        d_capability = quality * s.capability_multiplier[l];
      } else {
        d_interpretability = quality * s.interpretability_multiplier[l];
        const bool spills = uniform(r.pending[1]) < research.spill_probability;
        d_capability = spills ? research.spill_size * quality * s.capability_multiplier[l] : 0.0;
        const double flag_probability = spills ? research.screen_sensitivity : research.screen_false_positive;
        category = static_cast<std::uint8_t>(uniform(r.pending[2]) < flag_probability ? Category::flagged
                                                                                       : Category::interpretability);
      }
      const std::size_t e = events + i;
      s.event_lab[e] = r.lab;
      s.event_category[e] = category;
      s.event_capability[e] = d_capability;
      s.event_interpretability[e] = d_interpretability;
      // The publication block's index words, kept until the coins are drawn below.
      const std::uint64_t coin_index = (static_cast<std::uint64_t>(r.local) << kOrdinalBits) | (r.ordinal - 1);
      s.event_index_low[e] = low(coin_index);
      s.event_index_high[e] = high(coin_index);
    }
    // The next result of every active researcher: one batch of researcher blocks.
    for (std::size_t i = 0; i < n; ++i) {
      const ResearcherState& r = researchers_[s.active[i]];
      s.c0[i] = static_cast<std::uint32_t>(Purpose::result);
      s.c1[i] = 0;
      s.c2[i] = low(r.ordinal);
      s.c3[i] = high(r.ordinal);
      s.k0[i] = low(r.stream.key());
      s.k1[i] = high(r.stream.key());
    }
    random::philox32_batch(s.batch(n));
    std::size_t still = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t j = s.active[i];
      ResearcherState& r = researchers_[j];
      ++r.ordinal;
      next_arrival_[j] += random::exponential(s.out0[i]) * r.inverse_rate;
      r.pending = {s.out1[i], s.out2[i], s.out3[i]};
      s.active[still] = j;  // kept when another result is due this step (branch-free compaction)
      still += next_arrival_[j] <= time ? 1U : 0U;
    }
    s.active.resize(still);
    events += n;
  }

  // 3. Publication: three independent coins per result from its lab's stream, one batch.
  for (std::size_t e = 0; e < events; ++e) {
    const std::uint64_t key = labs_[s.event_lab[e]].stream.key();
    s.c0[e] = static_cast<std::uint32_t>(Purpose::publication);
    s.c1[e] = static_cast<std::uint32_t>(t_);
    s.c2[e] = s.event_index_low[e];
    s.c3[e] = s.event_index_high[e];
    s.k0[e] = low(key);
    s.k1[e] = high(key);
  }
  random::philox32_batch(s.batch(events));

  // 4. Bookkeeping: each result's knowledge goes to its lab's sum for its destination.
  for (std::size_t l = 0; l < lab_count; ++l) {
    for (std::size_t k = 0; k < kCategoryCount; ++k) {
      const std::int64_t embargo = norm.embargo[k];
      s.destination[l * kCategoryCount + k] =
          embargo == 0 ? kReleased : (t_ + embargo > params_.world.steps ? kPrivate : kQueued + k);
    }
  }
  std::fill(s.add_capability.begin(), s.add_capability.end(), 0.0);
  std::fill(s.add_interpretability.begin(), s.add_interpretability.end(), 0.0);
  std::fill(s.results.begin(), s.results.end(), 0);
  std::fill(s.published.begin(), s.published.end(), 0);
  std::fill(s.defections.begin(), s.defections.end(), 0);
  for (std::size_t e = 0; e < events; ++e) {
    const std::size_t l = s.event_lab[e];
    const std::size_t k = s.event_category[e];
    const std::size_t lk = l * kCategoryCount + k;
    const LabState& lab = labs_[l];
    const double desire_probability = k == 0 ? lab.propensity_capabilities : lab.propensity_interpretability;
    const bool desire = uniform(s.out0[e]) < desire_probability;
    const bool permitted = uniform(s.out1[e]) < norm.allow[k];
    const bool complies = uniform(s.out2[e]) < lab.compliance;
    // Bitwise, not short-circuit: the coins are random, and branches on them would mispredict.
    const bool published = desire & (permitted | !complies);
    const std::size_t slot = l * kDestinations + (published ? s.destination[lk] : kPrivate);
    s.add_capability[slot] += s.event_capability[e];
    s.add_interpretability[slot] += s.event_interpretability[e];
    ++s.results[lk];
    s.published[lk] += published ? 1U : 0U;
    s.defections[lk] += (published && !permitted) ? 1U : 0U;
  }

  for (std::size_t l = 0; l < lab_count; ++l) {
    LabState& lab = labs_[l];
    const double* add_c = s.add_capability.data() + l * kDestinations;
    const double* add_i = s.add_interpretability.data() + l * kDestinations;
    step_private_capability_[l] = add_c[kPrivate];
    step_private_interpretability_[l] = add_i[kPrivate];
    flows_.released_capability += add_c[kReleased];
    flows_.released_interpretability += add_i[kReleased];
    double* queue_c = queue_capability_.data() + l * queue_length_;
    double* queue_i = queue_interpretability_.data() + l * queue_length_;
    for (std::size_t k = 0; k < kCategoryCount; ++k) {
      const std::size_t lk = l * kCategoryCount + k;
      if (s.destination[lk] == kQueued + k) {
        const auto slot = static_cast<std::size_t>(t_ + norm.embargo[k]) % queue_length_;
        queue_c[slot] += add_c[kQueued + k];
        queue_i[slot] += add_i[kQueued + k];
        flows_.embargoed_capability += add_c[kQueued + k];
        flows_.embargoed_interpretability += add_i[kQueued + k];
      }
      lab.tally.results[k] += s.results[lk];
      lab.tally.published[k] += s.published[lk];
      lab.tally.defections[k] += s.defections[lk];
      step_results_ += s.results[lk];
      step_published_ += s.published[lk];
      lab.published_since_review += s.published[lk];
    }
  }
}

}  // namespace normsim::model
