// Steps 2–4 of docs/model.md for all labs at once: production, the publication coins and the filing of
// each result's knowledge. Split from model.cpp because it is the hot loop, written for speed:
//
// - Results are Poisson arrivals per researcher: one researcher block per result (gap to the next
//   arrival, quality, spill, flag), so the work is per result, not per researcher-step. Who is due
//   in a step are those whose due step (model.hpp, `due_step_`) is the step, in roster order.
// - All researchers that have a result in this step are handled together, in rounds (round n
//   handles every researcher's n-th result of the step). A round lays out the Philox counters of
//   two blocks per result — the researcher's next result and this result's publication coins —
//   computes them in batches (random/batch.hpp) and the next results' two Exp(1) draws in vector
//   batches (random/math.hpp), then files the results (pass 1) and schedules the next ones
//   (pass 2, a loop of its own: fewer live values, no spills). The blocks are
//   exactly those of the scalar streams and the draws the same bits as the scalar functions: only
//   the order in which results are summed differs from a result-by-result loop (rounds, then
//   roster order within a round), and it is fixed by the draws, hence deterministic.
// - Coins are integer comparisons with thresholds (random::coin_threshold, exact); what depends on
//   them is selected without branches (a branch on a coin mispredicts as often as it is uncertain),
//   and a result's destination (private, released now, embargo queue) is an index into its lab's
//   sums; sums that a stretch of capabilities results adds to stay in registers. Whether a
//   researcher's next result falls in the same step is a coin too, also without a branch. The only
//   branches in the loop are on what the roster fixes (a lab's segment, a researcher's focus).
// - The loop is compiled twice, for the x86-64 baseline and for AVX2/BMI2; the vector path picks.
#include "model/model.hpp"
#include "random/batch.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include <immintrin.h>

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

// Branch-free selections on random coins (a branch on a coin mispredicts about as often as the coin
// is uncertain). Bitwise: the result is exactly one of the operands, bit for bit.
[[nodiscard]] std::uint64_t mask(bool b) noexcept { return std::uint64_t{0} - static_cast<std::uint64_t>(b); }
[[nodiscard]] double select(bool b, double if_true, double if_false) noexcept {
  const std::uint64_t m = mask(b);
  return std::bit_cast<double>((std::bit_cast<std::uint64_t>(if_true) & m) | (std::bit_cast<std::uint64_t>(if_false) & ~m));
}
[[nodiscard]] std::uint64_t select(bool b, std::uint64_t if_true, std::uint64_t if_false) noexcept {
  const std::uint64_t m = mask(b);
  return (if_true & m) | (if_false & ~m);
}

[[nodiscard]] std::uint32_t low(std::uint64_t x) noexcept { return static_cast<std::uint32_t>(x); }
[[nodiscard]] std::uint32_t high(std::uint64_t x) noexcept { return static_cast<std::uint32_t>(x >> 32); }

// Bit b of the result is set when entries[b] == step, for 64 entries: who is due in a step.
[[nodiscard]] std::uint64_t due_mask(const std::uint32_t* entries, std::uint32_t step) noexcept {
  std::uint64_t bits = 0;
  for (unsigned b = 0; b < 64; ++b) bits |= static_cast<std::uint64_t>(entries[b] == step) << b;
  return bits;
}
__attribute__((target("avx2"))) [[nodiscard]] std::uint64_t due_mask_avx2(const std::uint32_t* entries,
                                                                          std::uint32_t step) noexcept {
  const __m256i wanted = _mm256_set1_epi32(static_cast<int>(step));
  std::uint64_t bits = 0;
  for (unsigned b = 0; b < 64; b += 8) {
    const __m256i equal = _mm256_cmpeq_epi32(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entries + b)), wanted);  // NOLINT: intrinsic API
    bits |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(equal)))) << b;
  }
  return bits;
}

}  // namespace

void Model::ProductionScratch::reserve_round(std::size_t n) {
  if (half >= n) return;
  // Researcher blocks live at [0, half), publication blocks at [half, 2·half): their purpose words
  // (and the researcher blocks' step word, always 0) are written once here, not per result. A
  // round of n uses [half − n, half + n), one contiguous batch.
  half = std::max(n, 2 * half);
  for (auto* v : {&c0, &c1, &c2, &c3, &k0, &k1, &out0, &out1, &out2, &out3}) v->assign(2 * half, 0);
  logs.resize(2 * half);
  exp_words.resize(2 * half);
  std::fill(c0.begin(), c0.begin() + static_cast<std::ptrdiff_t>(half), static_cast<std::uint32_t>(Purpose::result));
  std::fill(c0.begin() + static_cast<std::ptrdiff_t>(half), c0.end(), static_cast<std::uint32_t>(Purpose::publication));
  publication_step = 0;
}

random::BlockBatch Model::ProductionScratch::batch(std::size_t begin, std::size_t n) noexcept {
  return {n,
          c0.data() + begin,
          c1.data() + begin,
          c2.data() + begin,
          c3.data() + begin,
          k0.data() + begin,
          k1.data() + begin,
          out0.data() + begin,
          out1.data() + begin,
          out2.data() + begin,
          out3.data() + begin};
}

// The coins as integer comparisons (random::coin_threshold: the same outcomes as uniform(w) < p),
// computed when their probabilities change rather than every step.
void Model::update_desire_thresholds() {
  ProductionScratch& s = scratch_;
  for (std::size_t l = 0; l < labs_.size(); ++l) {
    const LabState& lab = labs_[l];
    s.desire_threshold[l * kCategoryCount + 0] = random::coin_threshold(lab.propensity_capabilities);
    s.desire_threshold[l * kCategoryCount + 1] = random::coin_threshold(lab.propensity_interpretability);
    s.desire_threshold[l * kCategoryCount + 2] = random::coin_threshold(lab.propensity_interpretability);
  }
}

void Model::update_coin_thresholds() {
  ProductionScratch& s = scratch_;
  update_desire_thresholds();
  for (std::size_t l = 0; l < labs_.size(); ++l) s.comply_threshold[l] = random::coin_threshold(labs_[l].compliance);
  for (std::size_t k = 0; k < kCategoryCount; ++k) s.allow_threshold[k] = random::coin_threshold(params_.norm.allow[k]);
  s.spill_threshold = random::coin_threshold(params_.research.spill_probability);
  s.flag_if_spill = random::coin_threshold(params_.research.screen_sensitivity);
  s.flag_if_clean = random::coin_threshold(params_.research.screen_false_positive);
}

// The same source compiled twice: for the x86-64 baseline, and with AVX2 and BMI2 allowed (wider
// registers for the compiler's own vectorisation, three-operand encodings, shifts without flags).
// Both execute the same IEEE-754 operations on the same values (no FMA: contraction is off for the
// whole project, and neither target enables it), so they give the same bits; the path decides.
void Model::produce_all() {
  if (math_.path() == random::VectorPath::portable) {
    produce_all_portable();
  } else {
    produce_all_avx2();
  }
}

void Model::produce_all_portable() { produce_all_body(); }

__attribute__((target("avx2,bmi,bmi2,lzcnt,popcnt"))) void Model::produce_all_avx2() { produce_all_body(); }

__attribute__((always_inline)) inline void Model::produce_all_body() {
  const ResearchParams& research = params_.research;
  const Norm& norm = params_.norm;
  const std::size_t lab_count = labs_.size();
  const double time = static_cast<double>(t_);
  const auto steps = static_cast<double>(params_.world.steps);
  const auto step = static_cast<std::uint32_t>(t_);
  ProductionScratch& s = scratch_;

  // Per-lab multipliers (1 + Ĉ_ℓ)^φ_C and (1 + Î_ℓ)^φ_I from the state at the start of the step,
  // in one batch: [ℓ] capabilities, [L + ℓ] interpretability.
  for (std::size_t l = 0; l < lab_count; ++l) {
    s.base[l] = 1.0 + access_capability_[l];
    s.exponent[l] = research.phi_capabilities;
    s.base[lab_count + l] = 1.0 + access_interpretability_[l];
    s.exponent[lab_count + l] = research.phi_interpretability;
  }
  math_.pow(s.base.data(), s.exponent.data(), s.multiplier.data(), 2 * lab_count);
  const double* capability_multiplier = s.multiplier.data();
  const double* interpretability_multiplier = s.multiplier.data() + lab_count;

  // Where a published result of lab ℓ and category k goes this step.
  for (std::size_t l = 0; l < lab_count; ++l) {
    for (std::size_t k = 0; k < kCategoryCount; ++k) {
      const std::int64_t embargo = norm.embargo[k];
      s.destination[l * kCategoryCount + k] = static_cast<std::uint32_t>(
          embargo == 0 ? kReleased : (t_ + embargo > params_.world.steps ? kPrivate : kQueued + k));
    }
  }
  std::fill(s.add_capability.begin(), s.add_capability.end(), 0.0);
  std::fill(s.add_interpretability.begin(), s.add_interpretability.end(), 0.0);
  std::fill(s.results.begin(), s.results.end(), 0);
  std::fill(s.published.begin(), s.published.end(), 0);
  std::fill(s.defections.begin(), s.defections.end(), 0);

  // 2. Production, in rounds. `active` holds the researchers whose pending result falls in this
  // step, in roster order: those whose due step is this step.
  s.active.clear();
  const bool vector_scan = math_.path() != random::VectorPath::portable;
  for (std::size_t w = 0; w < due_step_.size(); w += 64) {
    const std::uint32_t* const entries = due_step_.data() + w;
    std::uint64_t bits = vector_scan ? due_mask_avx2(entries, step) : due_mask(entries, step);
    for (; bits != 0; bits &= bits - 1) {
      s.active.push_back(static_cast<std::uint32_t>(w + static_cast<std::size_t>(std::countr_zero(bits))));
    }
  }
  const std::array<std::uint64_t, kCategoryCount>& allow_threshold = s.allow_threshold;
  const std::uint64_t spill_threshold = s.spill_threshold;
  const std::uint64_t flag_if_spill = s.flag_if_spill;
  const std::uint64_t flag_if_clean = s.flag_if_clean;

  // The step word of every publication block this step can need (the first round is the largest).
  s.reserve_round(s.active.size());
  const std::size_t half = s.half;
  if (s.publication_step != step) {
    std::fill(s.c1.begin() + static_cast<std::ptrdiff_t>(half), s.c1.end(), step);
    s.publication_step = step;
  }
  // Per-lab counts, one 21-bit field per category in a word (results, published, defections).
  constexpr unsigned kField = 21;
  constexpr std::size_t kMaxSegment = (std::size_t{1} << kField) - 1;
  const auto unpack = [&s](std::size_t l) {
    constexpr std::uint64_t kMask = (std::uint64_t{1} << kField) - 1;
    std::uint64_t* const packed = s.packed.data() + 3 * l;
    for (std::size_t k = 0; k < kCategoryCount; ++k) {
      s.results[l * kCategoryCount + k] += (packed[0] >> (kField * k)) & kMask;
      s.published[l * kCategoryCount + k] += (packed[1] >> (kField * k)) & kMask;
      s.defections[l * kCategoryCount + k] += (packed[2] >> (kField * k)) & kMask;
    }
    packed[0] = packed[1] = packed[2] = 0;
  };
  std::size_t step_total = 0;
  while (!s.active.empty()) {
    const std::size_t n = s.active.size();
    // Blocks [half − n, half): the active researchers' next results; [half, half + n): the
    // publication coins of their pending results, which are produced now. Both regions in one
    // batch: one partly filled vector at its end, not two.
    const std::size_t first = half - n;
    std::uint32_t* const c2 = s.c2.data() + first;
    std::uint32_t* const c3 = s.c3.data() + first;
    std::uint32_t* const k0 = s.k0.data() + first;
    std::uint32_t* const k1 = s.k1.data() + first;
    for (std::size_t i = 0; i < n; ++i) {
      const ResearcherState& r = researchers_[s.active[i]];
      c2[i] = low(r.ordinal);
      c3[i] = high(r.ordinal);
      k0[i] = r.key_low;
      k1[i] = r.key_high;
      const std::uint64_t coin_index = (static_cast<std::uint64_t>(r.local) << kOrdinalBits) | (r.ordinal - 1);
      c2[n + i] = low(coin_index);
      c3[n + i] = high(coin_index);
      k0[n + i] = s.lab_key_low[r.lab()];
      k1[n + i] = s.lab_key_high[r.lab()];
    }
    random::philox32_batch(s.batch(first, 2 * n), math_.path());
    // The next results' arrival gaps and qualities: Exp(1) = −ln U of words 0 and 1.
    // Both words side by side first, then one call: a round of a few researchers fills one
    // vector of logarithms, not two partly filled ones.
    {
      const std::uint32_t* const w0 = s.out0.data() + first;
      const std::uint32_t* const w1 = s.out1.data() + first;
      std::uint32_t* const words = s.exp_words.data();
      // One loop writing both halves (two std::copy_n were two calls of memmove per round).
      for (std::size_t i = 0; i < n; ++i) {
        words[i] = w0[i];
        words[n + i] = w1[i];
      }
    }
    math_.exponential(s.exp_words.data(), s.logs.data(), 2 * n);

    // Events come in roster order, so a round is a run of segments, one per lab; per segment the
    // lab's per-category counts are packed in registers, one 21-bit field per category (segments
    // are cut before a field could overflow), then added to the lab's packed counts. Knowledge is
    // added to the lab's sum for the result's destination, in event order. The packed counts are
    // kept per lab over the step and unpacked at its end (unpack()): no field can overflow while
    // the step has at most kMaxSegment results. In a step with more, every segment's counts are
    // unpacked as soon as they are added.
    step_total += n;
    const bool unpack_each_segment = step_total > kMaxSegment;
    if (unpack_each_segment) {
      for (std::size_t l = 0; l < lab_count; ++l) unpack(l);
    }
    // Everything the loop addresses, in locals: stores through the pointers cannot then make the
    // compiler reload them.
    std::uint32_t* const active = s.active.data();
    ResearcherState* const researchers = researchers_.data();
    const double* const gaps = s.logs.data();
    const double* const qualities = s.logs.data() + n;
    const std::uint32_t* const spill_words = s.out2.data() + first;
    const std::uint32_t* const flag_words = s.out3.data() + first;
    const std::uint32_t* const desire_words = s.out0.data() + half;
    const std::uint32_t* const permission_words = s.out1.data() + half;
    const std::uint32_t* const compliance_words = s.out2.data() + half;
    // Pass 1: publication and bookkeeping of the pending results, segment by segment.
    std::size_t i = 0;
    while (i < n) {
      const std::size_t l = researchers[active[i]].lab();
      double* const sum_c = s.add_capability.data() + l * kDestinations;
      double* const sum_i = s.add_interpretability.data() + l * kDestinations;
      std::uint64_t results = 0;
      std::uint64_t published_count = 0;
      std::uint64_t defections = 0;
      const double m_c = capability_multiplier[l];
      const double m_i = interpretability_multiplier[l];
      const std::uint64_t comply_threshold = s.comply_threshold[l];
      const std::uint64_t* const desire_threshold = s.desire_threshold.data() + l * kCategoryCount;
      const std::uint32_t* const destination = s.destination.data() + l * kCategoryCount;
      const std::uint64_t desire_capabilities = desire_threshold[0];
      const std::uint64_t allow_capabilities = allow_threshold[0];
      const std::size_t destination_capabilities = destination[0];
      static_assert(kPrivate == 0);
      const std::uint32_t capabilities_stretch = lab_focus(l, Focus::capabilities);
      const std::uint32_t interpretability_stretch = lab_focus(l, Focus::interpretability);
      const std::size_t end = std::min(n, i + kMaxSegment);
      // The segment is a run of stretches of one focus (the roster lists a lab's interpretability
      // researchers first, then its capabilities researchers, then pinned individuals): a branch
      // per stretch, not per result, lets a capabilities result (most of them) skip its category
      // coins and its zero interpretability (adding +0.0 to a sum ≥ +0 leaves its bits unchanged).
      while (i < end && researchers[active[i]].lab() == l) {
        if (researchers[active[i]].focus() == Focus::capabilities) {
          // 3. Publication: three independent coins from the lab's block (desire, permission,
          // compliance). 4. Bookkeeping: the result's knowledge goes to the private sum or, when
          // published, to the sum of its destination. Both sums are held in registers over the
          // stretch (no chain of loads and stores through memory), and each result adds its
          // knowledge to one and +0.0 to the other: the same additions in the same order as adding
          // to the destination's sum alone, hence the same bits.
          const bool split = destination_capabilities != kPrivate;
          double sum_private = sum_c[kPrivate];
          double sum_published = sum_c[destination_capabilities];
          for (; i < end; ++i) {
            const ResearcherState& r = researchers[active[i]];
            if (r.lab_focus != capabilities_stretch) break;
            const double quality = r.pending_quality;
            const bool permitted = permission_words[i] < allow_capabilities;
            const bool published = (desire_words[i] < desire_capabilities) &
                                   (permitted | !(compliance_words[i] < comply_threshold));
            const double knowledge = quality * m_c;
            const bool to_published = published & split;
            sum_private += select(to_published, 0.0, knowledge);
            sum_published += select(to_published, knowledge, 0.0);
            results += 1;
            published_count += static_cast<std::uint64_t>(published);
            defections += static_cast<std::uint64_t>(published & !permitted);
          }
          sum_c[kPrivate] = sum_private;
          if (split) sum_c[destination_capabilities] = sum_published;
        } else {
          // Interpretability results add q·m_I, and spill s·q·m_C with probability p_spill; the
          // category (flagged or not) picks the coins' thresholds and the destination.
          for (; i < end; ++i) {
            const ResearcherState& r = researchers[active[i]];
            if (r.lab_focus != interpretability_stretch) break;
            const double quality = r.pending_quality;
            const bool spills = r.pending_spill < spill_threshold;
            const bool flagged = r.pending_flag < select(spills, flag_if_spill, flag_if_clean);
            const std::size_t k = 1 + static_cast<std::size_t>(flagged);
            const bool desire = desire_words[i] < desire_threshold[k];
            const bool permitted = permission_words[i] < allow_threshold[k];
            const bool complies = compliance_words[i] < comply_threshold;
            const bool published = desire & (permitted | !complies);
            const std::size_t slot = destination[k] & mask(published);
            sum_c[slot] += select(spills, research.spill_size * quality * m_c, 0.0);
            sum_i[slot] += quality * m_i;
            const std::uint64_t one = std::uint64_t{1} << (kField * k);
            results += one;
            published_count += one & mask(published);
            defections += one & mask(published & !permitted);
          }
        }
      }
      std::uint64_t* const packed = s.packed.data() + 3 * l;
      packed[0] += results;
      packed[1] += published_count;
      packed[2] += defections;
      if (unpack_each_segment) unpack(l);
    }

    // Pass 2: every researcher of the round draws its next result (a loop of its own: fewer
    // values live at once than in one loop with pass 1). It is kept for the next round when it
    // is due in this step too (j is written to the next slot of `active`, still ≤ i: that slot was
    // read already), and its due step is stored either way (due_step(), without branches).
    std::uint32_t* const due = due_step_.data();
    std::size_t still = 0;
    for (i = 0; i < n; ++i) {
      const std::uint32_t j = active[i];
      ResearcherState& r = researchers[j];
      r.quality_sum += r.pending_quality;
      ++r.ordinal;
      const double arrival = r.next_arrival + gaps[i] * r.inverse_rate;
      r.next_arrival = arrival;
      r.pending_quality = qualities[i];
      r.pending_spill = spill_words[i];
      r.pending_flag = flag_words[i];
      active[still] = j;
      still += static_cast<std::size_t>(arrival <= time);
      due[j] = due_step(arrival, steps);
    }
    s.active.resize(still);
  }

  for (std::size_t l = 0; l < lab_count; ++l) unpack(l);
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
