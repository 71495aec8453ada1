#include "model/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace normsim::model {
namespace {

using random::Purpose;
using random::uniform;

[[nodiscard]] std::uint32_t low(std::uint64_t x) noexcept { return static_cast<std::uint32_t>(x); }
[[nodiscard]] std::uint32_t high(std::uint64_t x) noexcept { return static_cast<std::uint32_t>(x >> 32); }

// logistic(x) = 1/(1 + e^−x), given e^−x (the hazard and the adaptation take their exponentials in
// batches).
[[nodiscard]] double logistic_from_exp(double exp_minus_x) noexcept { return 1.0 / (1.0 + exp_minus_x); }

/// The argument of the mean-one lognormal: LogNormal(−σ²/2, σ) = exp(−σ²/2 + σ z), mean 1 for every σ.
[[nodiscard]] double mean_one_lognormal_exponent(double sigma, double z) noexcept { return -0.5 * sigma * sigma + sigma * z; }

}  // namespace

Model::Model(const ModelParams& params, const EntityKeys& keys, random::Math math)
    : Model(params, std::make_shared<const Roster>(build_roster(params)), keys, math) {}

Model::Model(const ModelParams& params, std::shared_ptr<const Roster> roster, const EntityKeys& keys,
             random::Math math)
    : params_{params}, roster_{std::move(roster)}, math_{math} {
  initialise(keys);
}

Model::Model(const ModelParams& params, std::shared_ptr<const Roster> roster, const EntityKeys& keys,
             random::Math math, Model&& recycled)
    : params_{params},
      roster_{std::move(roster)},
      math_{math},
      labs_{std::move(recycled.labs_)},
      researchers_{std::move(recycled.researchers_)},
      talent_{std::move(recycled.talent_)},
      rate_{std::move(recycled.rate_)},
      due_step_{std::move(recycled.due_step_)},
      queue_capability_{std::move(recycled.queue_capability_)},
      queue_interpretability_{std::move(recycled.queue_interpretability_)},
      access_capability_{std::move(recycled.access_capability_)},
      access_interpretability_{std::move(recycled.access_interpretability_)},
      step_private_capability_{std::move(recycled.step_private_capability_)},
      step_private_interpretability_{std::move(recycled.step_private_interpretability_)},
      scratch_{std::move(recycled.scratch_)} {
  // Every other member starts from its initialiser, as in a new model. The vectors taken over are
  // all rewritten by initialise() (assign, never resize) before anything reads them, except the
  // Philox batch arrays, whose layout invariants reserve_round() keeps across runs; the
  // publication blocks' step word is rewritten at the first step.
  scratch_.publication_step = 0;
  initialise(keys);
}

void Model::initialise(const EntityKeys& keys) {
  const std::size_t lab_count = roster_->lab_count();
  if (keys.labs.size() != lab_count) {
    throw std::invalid_argument("EntityKeys: " + std::to_string(keys.labs.size()) + " lab keys for " +
                                std::to_string(lab_count) + " labs");
  }
  if (keys.researchers.size() != roster_->researchers.size()) {
    throw std::invalid_argument("EntityKeys: " + std::to_string(keys.researchers.size()) +
                                " researcher keys for " + std::to_string(roster_->researchers.size()) +
                                " researchers");
  }

  if (params_.world.steps >= kMaxModelSteps) {
    throw std::invalid_argument("world.steps = " + std::to_string(params_.world.steps) +
                                ": steps are numbered in 32 bits (at most 4294967294)");
  }
  labs_.assign(lab_count, LabState{});
  std::vector<double> lab_scale(lab_count);  // K_ℓ^β, the lab's factor of every researcher's rate
  for (std::size_t l = 0; l < lab_count; ++l) {
    LabState& lab = labs_[l];
    lab.stream = random::Stream{keys.labs[l]};
    const random::Block b = lab.stream.block(Purpose::compute, 0, 0);
    const double z = random::normal_pair(b, math_)[0];
    lab.compute = math_.exp(mean_one_lognormal_exponent(params_.labs.compute_sigma, z));
    lab_scale[l] = math_.pow(lab.compute, params_.labs.compute_elasticity);
    lab.propensity_capabilities = params_.labs.propensity_capabilities;
    lab.propensity_interpretability = params_.labs.propensity_interpretability;
    lab.compliance = params_.norm.compliance;
  }
  for (const std::int64_t l : params_.labs.noncompliant) labs_[static_cast<std::size_t>(l)].compliance = 0.0;
  scratch_.lab_key_low.assign(lab_count, 0);
  scratch_.lab_key_high.assign(lab_count, 0);
  for (std::size_t l = 0; l < lab_count; ++l) {
    scratch_.lab_key_low[l] = low(keys.labs[l]);
    scratch_.lab_key_high[l] = high(keys.labs[l]);
  }

  const std::size_t researcher_count = roster_->researchers.size();
  researchers_.assign(researcher_count, ResearcherState{});
  talent_.assign(researcher_count, 0.0);
  rate_.assign(researcher_count, 0.0);
  for (std::size_t j = 0; j < researcher_count; ++j) {
    const RosterEntry& entry = roster_->researchers[j];
    ResearcherState& r = researchers_[j];
    r.key_low = low(keys.researchers[j]);
    r.key_high = high(keys.researchers[j]);
    r.lab_focus = lab_focus(static_cast<std::size_t>(entry.lab), entry.focus);
    r.local = static_cast<std::uint32_t>(j - roster_->lab_begin[static_cast<std::size_t>(entry.lab)]);
  }
  draw_talents(lab_scale);
  draw_first_results();

  const auto& embargo = params_.norm.embargo;
  const std::int64_t longest = std::min(*std::max_element(embargo.begin(), embargo.end()), params_.world.steps);
  queue_length_ = static_cast<std::size_t>(longest) + 1;
  queue_capability_.assign(lab_count * queue_length_, 0.0);
  queue_interpretability_.assign(lab_count * queue_length_, 0.0);
  access_capability_.assign(lab_count, 0.0);
  access_interpretability_.assign(lab_count, 0.0);
  step_private_capability_.assign(lab_count, 0.0);
  step_private_interpretability_.assign(lab_count, 0.0);
  scratch_.active.reserve(researcher_count);
  scratch_.base.assign(kCategoryCount * lab_count, 0.0);
  scratch_.exponent.assign(kCategoryCount * lab_count, 0.0);
  scratch_.multiplier.assign(kCategoryCount * lab_count, 0.0);
  scratch_.destination.assign(lab_count * kCategoryCount, 0);
  scratch_.add_capability.assign(lab_count * kDestinations, 0.0);
  scratch_.add_interpretability.assign(lab_count * kDestinations, 0.0);
  scratch_.results.assign(lab_count * kCategoryCount, 0);
  scratch_.published.assign(lab_count * kCategoryCount, 0);
  scratch_.defections.assign(lab_count * kCategoryCount, 0);
  scratch_.packed.assign(3 * lab_count, 0);
  scratch_.desire_threshold.assign(lab_count * kCategoryCount, 0);
  scratch_.comply_threshold.assign(lab_count, 0);
  scratch_.payoff.assign(lab_count, 0.0);
  scratch_.next_propensity.assign(lab_count, {0.0, 0.0});
  scratch_.imitation_block.assign(lab_count, random::Block{});
  scratch_.imitation_partner.assign(lab_count, 0);
  scratch_.imitation_follow.assign(lab_count, 0.0);
  log1p_danger_ = math_.log1p(params_.hazard.danger_capability);
  update_coin_thresholds();
  if (params_.world.steps < 1) finished_ = true;
}

void Model::draw_talents(const std::vector<double>& lab_scale) {
  // θ_j for every researcher without a pinned talent, in one batch: the talent block's first
  // normal (Box–Muller: radius from words 0–1, angle from words 2–3), then the mean-one lognormal.
  // Element by element the same operations as normal_pair() and the scalar functions.
  ProductionScratch& s = scratch_;
  s.active.clear();
  for (std::uint32_t j = 0; j < researchers_.size(); ++j) {
    const RosterEntry& entry = roster_->researchers[j];
    if (entry.talent) {
      talent_[j] = *entry.talent;
    } else {
      s.active.push_back(j);
    }
  }
  const std::size_t n = s.active.size();
  s.reserve_round(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ResearcherState& r = researchers_[s.active[i]];
    s.c0[i] = static_cast<std::uint32_t>(Purpose::talent);
    s.c1[i] = 0;
    s.c2[i] = 0;
    s.c3[i] = 0;
    s.k0[i] = r.key_low;
    s.k1[i] = r.key_high;
  }
  random::philox32_batch(s.batch(0, n), math_.path());
  // The researcher blocks' purpose word back to `result` (reserve_round's layout).
  std::fill(s.c0.begin(), s.c0.begin() + static_cast<std::ptrdiff_t>(n), static_cast<std::uint32_t>(Purpose::result));
  double* radius = s.logs.data();
  double* angle = s.logs.data() + n;
  for (std::size_t i = 0; i < n; ++i) {
    radius[i] = random::uniform53(s.out0[i], s.out1[i]);
    angle[i] = random::kTwoPi * random::uniform53(s.out2[i], s.out3[i]);
  }
  math_.log(radius, radius, n);
  math_.cos(angle, angle, n);
  const double sigma = params_.researchers.talent_sigma;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = std::sqrt(-2.0 * radius[i]) * angle[i];
    radius[i] = mean_one_lognormal_exponent(sigma, z);
  }
  math_.exp(radius, radius, n);
  for (std::size_t i = 0; i < n; ++i) talent_[s.active[i]] = radius[i];

  for (std::size_t j = 0; j < researchers_.size(); ++j) {
    const RosterEntry& entry = roster_->researchers[j];
    const bool knocked_out = std::any_of(params_.knockouts.begin(), params_.knockouts.end(), [&](const KnockOut& k) {
      switch (k.kind) {
        case KnockOut::Kind::lab:
          return static_cast<std::uint64_t>(entry.lab) == k.index;
        case KnockOut::Kind::researcher:
          return entry.kind == random::EntityKind::researcher && entry.entity_index == k.index;
        case KnockOut::Kind::individual:
          return entry.kind == random::EntityKind::individual && entry.entity_index == k.index;
      }
      return false;
    });
    const double base_rate = knocked_out ? 0.0 : entry.result_rate.value_or(params_.researchers.result_rate);
    rate_[j] = base_rate * talent_[j] * lab_scale[static_cast<std::size_t>(entry.lab)];
  }
}

void Model::draw_first_results() {
  // One block per result: word 0 is the gap since the previous arrival (Exp(1)/λ), words 1–3 the
  // quality, spill and flag of this result. A Poisson process of rate λ has Poisson(λ) arrivals in
  // each unit step, independently across steps: the per-step counts of docs/model.md, drawn per result.
  ProductionScratch& s = scratch_;
  s.active.clear();
  for (std::uint32_t j = 0; j < researchers_.size(); ++j) {
    ResearcherState& r = researchers_[j];
    if (rate_[j] > 0 && std::isfinite(rate_[j])) {
      r.inverse_rate = 1.0 / rate_[j];
      s.active.push_back(j);
    } else {
      // A researcher with rate 0 never produces: no draws are consumed.
      r.next_arrival = std::numeric_limits<double>::infinity();
      r.ordinal = 1;
    }
  }
  const std::size_t n = s.active.size();
  s.reserve_round(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ResearcherState& r = researchers_[s.active[i]];
    s.c2[i] = 0;
    s.c3[i] = 0;
    s.k0[i] = r.key_low;
    s.k1[i] = r.key_high;
  }
  random::philox32_batch(s.batch(0, n), math_.path());
  math_.exponential(s.out0.data(), s.logs.data(), n);
  math_.exponential(s.out1.data(), s.logs.data() + n, n);
  due_step_.assign((researchers_.size() + 63) / 64 * 64, kNever);
  const auto steps = static_cast<double>(params_.world.steps);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t j = s.active[i];
    ResearcherState& r = researchers_[j];
    r.ordinal = 1;
    r.next_arrival += s.logs[i] * r.inverse_rate;
    r.pending_quality = s.logs[n + i];
    r.pending_spill = s.out2[i];
    r.pending_flag = s.out3[i];
    due_step_[j] = due_step(r.next_arrival, steps);
  }
  s.active.clear();
}

void Model::update_access() noexcept {
  for (std::size_t l = 0; l < labs_.size(); ++l) {
    access_capability_[l] = private_capability(l) + public_capability_;
    access_interpretability_[l] = private_interpretability(l) + public_interpretability_;
  }
}

void Model::release_and_leak() {
  const double leak = params_.labs.leak_rate;
  const std::size_t due = static_cast<std::size_t>(t_) % queue_length_;
  for (std::size_t l = 0; l < labs_.size(); ++l) {
    LabState& lab = labs_[l];
    lab.unpublished_capability += step_private_capability_[l];
    lab.unpublished_interpretability += step_private_interpretability_[l];
    flows_.private_capability += step_private_capability_[l];
    flows_.private_interpretability += step_private_interpretability_[l];
    double* queue_c = queue_capability_.data() + l * queue_length_;
    double* queue_i = queue_interpretability_.data() + l * queue_length_;
    // Embargoed results due at the end of this step move from the lab to the pools.
    public_capability_ += queue_c[due];
    public_interpretability_ += queue_i[due];
    queue_c[due] = 0;
    queue_i[due] = 0;
    if (leak > 0) {
      // ΔC_pub = ℓ_leak · C_ℓ, with C_ℓ the whole private stock (docs/model.md, 7.4), so the embargoed
      // part leaks too: every queued amount shrinks by the same factor and is released later.
      const double moved_c = leak * (lab.unpublished_capability + embargo_sum(l, queue_capability_));
      const double moved_i = leak * (lab.unpublished_interpretability + embargo_sum(l, queue_interpretability_));
      const double keep = 1.0 - leak;
      lab.unpublished_capability *= keep;
      lab.unpublished_interpretability *= keep;
      for (std::size_t s = 0; s < queue_length_; ++s) {
        queue_c[s] *= keep;
        queue_i[s] *= keep;
      }
      public_capability_ += moved_c;
      public_interpretability_ += moved_i;
    }
  }
}

Model::HazardTerms Model::lab_hazard(double capability, double interpretability) const noexcept {
  const HazardParams& h = params_.hazard;
  // Both logarithms in one call, then both logistics' exponentials in one.
  const auto [log_c, log_u] = math_.log1p(capability, h.understanding_cover * interpretability);
  const double x_danger = (log_c - log1p_danger_) / h.width;
  const double x_gap = (log_c - log_u) / h.width;
  const auto [e_danger, e_gap] = math_.exp(-x_danger, -x_gap);
  return {h.max * logistic_from_exp(e_danger) * logistic_from_exp(e_gap), log_c};
}

void Model::adapt(const std::vector<double>& access_capability) {
  const AdaptationParams& a = params_.adaptation;
  const std::size_t lab_count = labs_.size();
  const double max_access = *std::max_element(access_capability.begin(), access_capability.end());
  std::uint64_t max_published = 0;
  for (const LabState& lab : labs_) max_published = std::max(max_published, lab.published_since_review);
  const double prestige_scale = std::max(1.0, static_cast<double>(max_published));

  std::vector<double>& payoff = scratch_.payoff;
  for (std::size_t l = 0; l < lab_count; ++l) {
    // With nothing produced anywhere yet (max Ĉ = 0) every lab leads equally: the lead term is 0.
    const double lead = max_access > 0 ? access_capability[l] / max_access : 0.0;
    payoff[l] = a.weight_lead * lead +
                a.weight_prestige * static_cast<double>(labs_[l].published_since_review) / prestige_scale;
  }

  const auto step = static_cast<std::uint64_t>(t_);
  std::vector<std::array<double, 2>>& next = scratch_.next_propensity;
  std::vector<random::Block>& blocks = scratch_.imitation_block;
  std::vector<std::size_t>& partner = scratch_.imitation_partner;
  std::vector<double>& follow = scratch_.imitation_follow;
  // Each lab's imitation block and a uniformly random other lab m; the probability of following m,
  // logistic(s·(payoff_m − payoff_ℓ)) = 1/(1 + exp(−x)), with the exponentials of all labs in one
  // batch (the same bits as one at a time).
  for (std::size_t l = 0; l < lab_count; ++l) {
    blocks[l] = labs_[l].stream.block(Purpose::imitation, step, 0);
    if (lab_count >= 2) {
      std::size_t m = static_cast<std::size_t>(random::uniform_index(blocks[l][0], static_cast<std::uint32_t>(lab_count - 1)));
      if (m >= l) ++m;
      partner[l] = m;
      follow[l] = -(a.strength * (payoff[m] - payoff[l]));
    }
  }
  if (lab_count >= 2) math_.exp(follow.data(), follow.data(), lab_count);
  for (std::size_t l = 0; l < lab_count; ++l) {
    const LabState& lab = labs_[l];
    next[l] = {lab.propensity_capabilities, lab.propensity_interpretability};
    const random::Block& b = blocks[l];
    if (lab_count >= 2) {
      // All reads use the pre-review propensities.
      const std::size_t m = partner[l];
      if (uniform(b[1]) < logistic_from_exp(follow[l])) {
        next[l] = {labs_[m].propensity_capabilities, labs_[m].propensity_interpretability};
      }
    }
    const bool mutate_capabilities = uniform(b[2]) < a.mutation;
    const bool mutate_interpretability = uniform(b[3]) < a.mutation;
    if (mutate_capabilities || mutate_interpretability) {
      const random::Block g = lab.stream.block(Purpose::mutation, step, 0);
      const auto z = random::normal_pair(g, math_);
      if (mutate_capabilities) next[l][0] = std::clamp(next[l][0] + kMutationSd * z[0], 0.0, 1.0);
      if (mutate_interpretability) next[l][1] = std::clamp(next[l][1] + kMutationSd * z[1], 0.0, 1.0);
    }
  }
  for (std::size_t l = 0; l < lab_count; ++l) {
    labs_[l].propensity_capabilities = next[l][0];
    labs_[l].propensity_interpretability = next[l][1];
    labs_[l].published_since_review = 0;
  }
  update_desire_thresholds();
}

void Model::step() {
  ++t_;
  const std::size_t lab_count = labs_.size();
  flows_ = {};
  step_results_ = 0;
  step_published_ = 0;

  // 1. Access, from the state at the start of the step (synchronous update).
  update_access();
  // 2–4. Production, publication and filing of every lab's results (production.cpp); nothing is
  // visible to other labs until step t+1.
  produce_all();
  // 4. Bookkeeping: new results, embargo releases, leaks.
  public_capability_ += flows_.released_capability;
  public_interpretability_ += flows_.released_interpretability;
  release_and_leak();

  // 5. Frontier, with the updated stocks: the lowest-index lab among those with the largest Ĉ.
  update_access();
  std::size_t frontier = 0;
  for (std::size_t l = 0; l < lab_count; ++l) {
    if (access_capability_[l] > access_capability_[frontier]) frontier = l;
  }
  frontier_capability_ = lab_count > 0 ? access_capability_[frontier] : 0.0;
  frontier_interpretability_ = lab_count > 0 ? access_interpretability_[frontier] : 0.0;

  // 6. Hazard. Progress Δ is clamped at 0: stocks never fall, so a negative Δ is rounding only.
  const HazardParams& hz = params_.hazard;
  const bool per_progress = hz.basis == HazardBasis::progress;
  double hazard = 0;
  // log1p of the previous step's stock is kept, not recomputed (the same value either way).
  if (hz.scope == HazardScope::frontier) {
    const HazardTerms h = lab_hazard(frontier_capability_, frontier_interpretability_);
    const double delta = per_progress ? std::max(0.0, h.log1p_capability - log1p_previous_frontier_) : 1.0;
    hazard = h.hazard * delta;
    survival_ *= 1.0 - std::min(1.0, hazard);
    log1p_previous_frontier_ = h.log1p_capability;
  } else {
    double step_survival = 1.0;
    for (std::size_t l = 0; l < lab_count; ++l) {
      const HazardTerms h = lab_hazard(access_capability_[l], access_interpretability_[l]);
      const double delta = per_progress ? std::max(0.0, h.log1p_capability - labs_[l].log1p_previous_access) : 1.0;
      step_survival *= 1.0 - std::min(1.0, h.hazard * delta);
      labs_[l].log1p_previous_access = h.log1p_capability;
    }
    hazard = 1.0 - step_survival;
    survival_ *= step_survival;
  }

  // 7. Transformative capability.
  if (std::isnan(t_transform_) && frontier_capability_ >= hz.transformative_capability) {
    t_transform_ = static_cast<double>(t_);
    if (params_.world.stop_at_transformative) finished_ = true;
  }
  if (t_ >= params_.world.steps) finished_ = true;

  // 8. Adaptation, after steps with t mod M = 0 (also on the last step: it sets the final π).
  if (params_.adaptation.enabled && t_ % params_.adaptation.every == 0) adapt(access_capability_);

  results_ += step_results_;
  published_ += step_published_;
  double sum_cap = 0;
  double sum_int = 0;
  for (const LabState& lab : labs_) {
    sum_cap += lab.propensity_capabilities;
    sum_int += lab.propensity_interpretability;
  }
  const double labs = static_cast<double>(lab_count);
  at(last_, SeriesId::frontier_capability) = frontier_capability_;
  at(last_, SeriesId::frontier_interpretability) = frontier_interpretability_;
  at(last_, SeriesId::hazard) = hazard;
  at(last_, SeriesId::public_capability) = public_capability_;
  at(last_, SeriesId::public_interpretability) = public_interpretability_;
  at(last_, SeriesId::published_fraction) =
      step_results_ > 0 ? static_cast<double>(step_published_) / static_cast<double>(step_results_) : kMissing;
  at(last_, SeriesId::mean_propensity_capabilities) = lab_count > 0 ? sum_cap / labs : kMissing;
  at(last_, SeriesId::mean_propensity_interpretability) = lab_count > 0 ? sum_int / labs : kMissing;
}

Outcomes Model::outcomes() const noexcept {
  Outcomes o{};
  std::uint64_t defections = 0;
  for (const LabState& lab : labs_) {
    for (const std::uint64_t d : lab.tally.defections) defections += d;
  }
  at(o, OutcomeId::capability) = frontier_capability_;
  at(o, OutcomeId::interpretability) = frontier_interpretability_;
  at(o, OutcomeId::xrisk) = 1.0 - survival_;
  at(o, OutcomeId::t_transform) = t_transform_;
  at(o, OutcomeId::steps_run) = static_cast<double>(t_);
  at(o, OutcomeId::published_fraction) =
      results_ > 0 ? static_cast<double>(published_) / static_cast<double>(results_) : kMissing;
  at(o, OutcomeId::public_capability_share) =
      frontier_capability_ > 0 ? public_capability_ / frontier_capability_ : kMissing;
  at(o, OutcomeId::defections) = static_cast<double>(defections);
  at(o, OutcomeId::mean_propensity_capabilities) = at(last_, SeriesId::mean_propensity_capabilities);
  at(o, OutcomeId::mean_propensity_interpretability) = at(last_, SeriesId::mean_propensity_interpretability);
  at(o, OutcomeId::results) = static_cast<double>(results_);
  return o;
}

}  // namespace normsim::model
