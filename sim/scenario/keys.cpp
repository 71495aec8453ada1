// The registry table. Defaults are never written here (see keys.hpp); ranges and meanings are.
#include "scenario/keys.hpp"

#include <algorithm>
#include <array>

namespace normsim::scenario {

namespace {

using detail::Draft;
using detail::Slot;
using model::PinnedResearcher;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr NumberRange kProbability{0.0, 1.0, false};
constexpr NumberRange kNonNegative{0.0, kInf, false};
constexpr NumberRange kPositive{0.0, kInf, true};
constexpr NumberRange kAnyFinite{};
// Caps on integers keep a typo (an extra zero or five) from asking for days of computing or
// overflowing counters; they are far above any study's needs.
constexpr std::int64_t kMaxLabSize = 1'000'000;
constexpr std::int64_t kMaxSteps = 10'000'000;
constexpr IntegerRange kLabSizes{0, kMaxLabSize};
constexpr IntegerRange kSteps{1, kMaxSteps};
constexpr IntegerRange kEmbargo{0, kMaxSteps};
constexpr IntegerRange kReplicates{1, 1'000'000'000};
constexpr IntegerRange kSeed{0, std::numeric_limits<std::int64_t>::max()};
// A lab index is checked against the number of labs once labs.sizes is known.
constexpr IntegerRange kLabIndex{0, kMaxLabSize};

// In enum order: the index of a choice is the enum's underlying value.
constexpr std::array<std::string_view, model::kNormPresetCount> kPresets{
    "open", "closed", "no_capabilities", "no_interpretability", "hazard_specific", "embargo_capabilities"};
constexpr std::array<std::string_view, 2> kScopes{"frontier", "every_lab"};
constexpr std::array<std::string_view, 2> kBases{"progress", "time"};
constexpr std::array<std::string_view, 2> kFocuses{"capabilities", "interpretability"};
constexpr std::array<std::string_view, 5> kDesigns{"single", "grid", "zip", "latin_hypercube", "sobol"};
constexpr std::array<std::string_view, 2> kScales{"linear", "log"};
constexpr IntegerRange kSampledPoints{1, 1'000'000};
constexpr IntegerRange kMaxRuns{1, std::numeric_limits<std::int64_t>::max()};
// Levels of one from/to factor: each is stored as text and number.
constexpr IntegerRange kLevels{1, 100'000};
// [attribution]
constexpr IntegerRange kRows{2, std::int64_t{1} << 20};
constexpr IntegerRange kBootstrap{0, 100'000};
constexpr NumberRange kOpenUnit{0.0, 1.0, true, true};
constexpr NumberRange kWidth{0.0, 1.0, true, false};
constexpr auto kOutcomeNames = [] {
  std::array<std::string_view, model::kOutcomeCount> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = model::kOutcomeDescriptors[i].name;
  return names;
}();
// Kind words of the pattern keys, in enum order (attribution.hpp).
constexpr std::array<std::string_view, 4> kSelections{"all", "none", "top_talent", "sample"};
constexpr std::array<std::string_view, 3> kKnockouts{"researcher", "individual", "lab"};
// [[claims]]: the outcome names and the extra name of claims (claims.hpp).
constexpr auto kClaimOutcomes = [] {
  std::array<std::string_view, model::kOutcomeCount + 1> names{};
  for (std::size_t i = 0; i < model::kOutcomeCount; ++i) names[i] = model::kOutcomeDescriptors[i].name;
  names[model::kOutcomeCount] = kReachedTransformative;
  return names;
}();
constexpr IntegerRange kClaimK{1, std::numeric_limits<std::int64_t>::max()};
constexpr std::array<std::string_view, 6> kMembers{"lab", "lab_researchers", "researcher", "individual", "labs",
                                                   "researchers"};

constexpr auto kCap = static_cast<std::size_t>(model::Category::capabilities);
constexpr auto kInt = static_cast<std::size_t>(model::Category::interpretability);
constexpr auto kFlag = static_cast<std::size_t>(model::Category::flagged);

// A captureless lambda returning a pointer to one member of the draft (or of a pinned researcher).
#define NORMSIM_SLOT(member) [](Draft& d) -> Slot { return &d.member; }
#define NORMSIM_FIELD(member) [](PinnedResearcher& r) -> Slot { return &r.member; }

const std::array kKeys{
    // labs
    Key{.name = "labs.sizes", .type = KeyType::integer_list, .units = "researchers",
        .meaning = "number of labs L and researchers per lab n_ℓ", .integer = kLabSizes,
        .sample = "[5, 3, 2]", .slot = NORMSIM_SLOT(model.labs.sizes)},
    Key{.name = "labs.interp_fraction", .type = KeyType::number_or_list,
        .meaning = "share f_ℓ of lab ℓ's researchers on interpretability: one number for all labs, or a list "
                   "with one entry per lab",
        .number = kProbability, .sample = "0.3", .slot = NORMSIM_SLOT(interp_fraction)},
    Key{.name = "labs.noncompliant", .type = KeyType::integer_list,
        .meaning = "labs that never comply with the norm (compliance 0 for them; the others use norm.compliance): "
                   "lab indices, no repeats. An extension of the first specification (argument A5: a defecting "
                   "lab; docs/model.md)",
        .integer = kLabIndex, .sample = "[0, 2]", .may_be_empty = true,
        .slot = NORMSIM_SLOT(model.labs.noncompliant)},
    Key{.name = "labs.compute_sigma", .type = KeyType::number,
        .meaning = "spread σ_K of lab compute K_ℓ ~ LogNormal(−σ_K²/2, σ_K) (mean 1)", .number = kNonNegative,
        .sample = "0.8", .slot = NORMSIM_SLOT(model.labs.compute_sigma)},
    Key{.name = "labs.compute_elasticity", .type = KeyType::number,
        .meaning = "β: how much compute multiplies a researcher's output rate (λ ∝ K^β)", .number = kNonNegative,
        .sample = "0.7", .slot = NORMSIM_SLOT(model.labs.compute_elasticity)},
    Key{.name = "labs.leak_rate", .type = KeyType::number, .units = "per step",
        .meaning = "share of each lab's unpublished stock that leaks into the public pool each step",
        .number = kProbability, .sample = "0.05", .slot = NORMSIM_SLOT(model.labs.leak_rate)},
    Key{.name = "labs.propensity_capabilities", .type = KeyType::number,
        .meaning = "initial publication propensity π^cap of every lab", .number = kProbability, .sample = "0.4",
        .slot = NORMSIM_SLOT(model.labs.propensity_capabilities)},
    Key{.name = "labs.propensity_interpretability", .type = KeyType::number,
        .meaning = "initial publication propensity π^int of every lab", .number = kProbability, .sample = "0.7",
        .slot = NORMSIM_SLOT(model.labs.propensity_interpretability)},
    // researchers
    Key{.name = "researchers.talent_sigma", .type = KeyType::number,
        .meaning = "talent θ ~ LogNormal(−σ_θ²/2, σ_θ) (mean 1, heavy tail)", .number = kNonNegative,
        .sample = "0.6", .slot = NORMSIM_SLOT(model.researchers.talent_sigma)},
    Key{.name = "researchers.result_rate", .type = KeyType::number, .units = "results per step",
        .meaning = "r: results per step of a researcher with θ = 1, K = 1", .number = kNonNegative,
        .sample = "0.4", .slot = NORMSIM_SLOT(model.researchers.result_rate)},
    // research
    Key{.name = "research.phi_capabilities", .type = KeyType::number,
        .meaning = "φ_C: standing-on-shoulders exponent of capabilities (Ȧ ∝ R·(1 + A)^φ)", .number = kAnyFinite,
        .sample = "-0.5", .slot = NORMSIM_SLOT(model.research.phi_capabilities)},
    Key{.name = "research.phi_interpretability", .type = KeyType::number,
        .meaning = "φ_I: standing-on-shoulders exponent of interpretability", .number = kAnyFinite,
        .sample = "0.5", .slot = NORMSIM_SLOT(model.research.phi_interpretability)},
    Key{.name = "research.spill_probability", .type = KeyType::number,
        .meaning = "p_s: chance that an interpretability result also advances capabilities", .number = kProbability,
        .sample = "0.3", .slot = NORMSIM_SLOT(model.research.spill_probability)},
    Key{.name = "research.spill_size", .type = KeyType::number,
        .meaning = "ρ: size of that capabilities advance relative to the result", .number = kNonNegative,
        .sample = "0.8", .slot = NORMSIM_SLOT(model.research.spill_size)},
    Key{.name = "research.screen_sensitivity", .type = KeyType::number,
        .meaning = "ζ: chance a lab flags a spilling interpretability result as hazardous", .number = kProbability,
        .sample = "0.5", .slot = NORMSIM_SLOT(model.research.screen_sensitivity)},
    Key{.name = "research.screen_false_positive", .type = KeyType::number,
        .meaning = "ε: chance a lab flags a clean interpretability result as hazardous", .number = kProbability,
        .sample = "0.2", .slot = NORMSIM_SLOT(model.research.screen_false_positive)},
    // world
    Key{.name = "world.steps", .type = KeyType::integer, .units = "steps", .meaning = "T: maximum number of steps",
        .integer = kSteps, .sample = "50", .slot = NORMSIM_SLOT(model.world.steps)},
    Key{.name = "world.stop_at_transformative", .type = KeyType::boolean,
        .meaning = "end the run after the step in which the frontier reaches hazard.transformative_capability",
        .sample = "false", .slot = NORMSIM_SLOT(model.world.stop_at_transformative)},
    // hazard
    Key{.name = "hazard.width", .type = KeyType::number, .units = "e-folds of 1 + C",
        .meaning = "w: width of the logistic danger and gap terms", .number = kPositive, .sample = "0.8",
        .slot = NORMSIM_SLOT(model.hazard.width)},
    Key{.name = "hazard.danger_capability", .type = KeyType::number, .units = "capability",
        .meaning = "C_d: capability at which danger is one half", .number = kNonNegative, .sample = "2000",
        .slot = NORMSIM_SLOT(model.hazard.danger_capability)},
    Key{.name = "hazard.understanding_cover", .type = KeyType::number,
        .units = "capability per interpretability",
        .meaning = "κ: capability that one unit of interpretability covers (gap term)", .number = kNonNegative,
        .sample = "3", .slot = NORMSIM_SLOT(model.hazard.understanding_cover)},
    Key{.name = "hazard.max", .type = KeyType::number,
        .meaning = "h_max: hazard at full danger and gap, per e-fold of progress (basis progress) or per step "
                   "(basis time)",
        .number = kProbability, .sample = "0.1", .slot = NORMSIM_SLOT(model.hazard.max)},
    Key{.name = "hazard.transformative_capability", .type = KeyType::number, .units = "capability",
        .meaning = "C_T: frontier capability recorded as transformative (t_transform)", .number = kNonNegative,
        .sample = "20000", .slot = NORMSIM_SLOT(model.hazard.transformative_capability)},
    Key{.name = "hazard.scope", .type = KeyType::string,
        .meaning = "frontier: hazard of the leading lab only; every_lab: each lab's hazard, survival multiplies",
        .choices = kScopes, .choice_noun = "hazard scope", .sample = "\"every_lab\"",
        .slot = NORMSIM_SLOT(model.hazard.scope)},
    Key{.name = "hazard.basis", .type = KeyType::string,
        .meaning = "progress: risk per e-fold of capability progress; time: risk per step", .choices = kBases,
        .choice_noun = "hazard basis", .sample = "\"time\"", .slot = NORMSIM_SLOT(model.hazard.basis)},
    // adaptation
    Key{.name = "adaptation.enabled", .type = KeyType::boolean,
        .meaning = "labs imitate the propensities of better-paid labs and mutate them", .sample = "false",
        .slot = NORMSIM_SLOT(model.adaptation.enabled)},
    Key{.name = "adaptation.every", .type = KeyType::integer, .units = "steps",
        .meaning = "M: steps between reviews (after steps t with t mod M = 0)", .integer = kSteps, .sample = "2",
        .slot = NORMSIM_SLOT(model.adaptation.every)},
    Key{.name = "adaptation.weight_lead", .type = KeyType::number,
        .meaning = "w_lead: payoff weight of a lab's capability relative to the leader's", .number = kNonNegative,
        .sample = "0.5", .slot = NORMSIM_SLOT(model.adaptation.weight_lead)},
    Key{.name = "adaptation.weight_prestige", .type = KeyType::number,
        .meaning = "w_prestige: payoff weight of results published since the last review", .number = kNonNegative,
        .sample = "1.5", .slot = NORMSIM_SLOT(model.adaptation.weight_prestige)},
    Key{.name = "adaptation.strength", .type = KeyType::number,
        .meaning = "β_imit: how sharply imitation follows the payoff difference", .number = kNonNegative,
        .sample = "2", .slot = NORMSIM_SLOT(model.adaptation.strength)},
    Key{.name = "adaptation.mutation", .type = KeyType::number, .units = "per propensity per review",
        .meaning = "μ: chance that a propensity gets N(0, 0.1²) added (clipped to [0, 1])", .number = kProbability,
        .sample = "0.05", .slot = NORMSIM_SLOT(model.adaptation.mutation)},
    // norm
    Key{.name = "norm.preset", .type = KeyType::string,
        .meaning = "named norm: its allowances and embargoes (not the compliance). Norm keys given with it or after "
                   "it adjust it; given later (--set, a sweep level) it replaces those given before it (see "
                   "Precedence)",
        .choices = kPresets, .choice_noun = "norm preset", .sample = "\"closed\"", .slot = NORMSIM_SLOT(norm.preset)},
    Key{.name = "norm.embargo", .type = KeyType::integer, .units = "steps",
        .meaning = "capabilities embargo of the embargo_capabilities preset; an error with any other preset "
                   "(use norm.embargo_capabilities there)",
        .integer = kEmbargo, .sample = "3", .slot = NORMSIM_SLOT(norm.embargo)},
    Key{.name = "norm.allow.capabilities", .type = KeyType::number,
        .meaning = "a_cap: chance that publishing a capabilities result is permitted", .number = kProbability,
        .sample = "0.5", .slot = NORMSIM_SLOT(norm.allow[kCap])},
    Key{.name = "norm.allow.interpretability", .type = KeyType::number,
        .meaning = "a_int: chance that publishing an unflagged interpretability result is permitted",
        .number = kProbability, .sample = "0.5", .slot = NORMSIM_SLOT(norm.allow[kInt])},
    Key{.name = "norm.allow.flagged", .type = KeyType::number,
        .meaning = "a_flag: chance that publishing a flagged interpretability result is permitted",
        .number = kProbability, .sample = "0.5", .slot = NORMSIM_SLOT(norm.allow[kFlag])},
    Key{.name = "norm.embargo_capabilities", .type = KeyType::integer, .units = "steps",
        .meaning = "e_cap: steps between publishing a capabilities result and its release", .integer = kEmbargo,
        .sample = "2", .slot = NORMSIM_SLOT(norm.embargo_by_category[kCap])},
    Key{.name = "norm.embargo_interpretability", .type = KeyType::integer, .units = "steps",
        .meaning = "e_int: embargo of unflagged interpretability results", .integer = kEmbargo, .sample = "2",
        .slot = NORMSIM_SLOT(norm.embargo_by_category[kInt])},
    Key{.name = "norm.embargo_flagged", .type = KeyType::integer, .units = "steps",
        .meaning = "e_flag: embargo of flagged interpretability results", .integer = kEmbargo, .sample = "2",
        .slot = NORMSIM_SLOT(norm.embargo_by_category[kFlag])},
    Key{.name = "norm.compliance", .type = KeyType::number,
        .meaning = "c: chance that a lab obeys the norm's refusal", .number = kProbability, .sample = "0.5",
        .slot = NORMSIM_SLOT(norm.compliance)},
    // run
    Key{.name = "run.replicates", .type = KeyType::integer, .meaning = "replicates of the scenario",
        .integer = kReplicates, .sample = "10", .slot = NORMSIM_SLOT(run.replicates)},
    Key{.name = "run.seed", .type = KeyType::integer,
        .meaning = "master seed of the key derivation (0 … 2^63−1: TOML integers are signed 64-bit)",
        .integer = kSeed, .sample = "42", .slot = NORMSIM_SLOT(run.seed)},
    // individuals
    Key{.name = "individuals", .type = KeyType::table_list,
        .meaning = "researchers pinned by hand ([[individuals]] tables), added to their lab after its regular "
                   "researchers"},
    Key{.name = "individuals.lab", .type = KeyType::integer,
        .meaning = "0-based index of the pinned researcher's lab, below the number of labs; required",
        .integer = kLabIndex, .field = NORMSIM_FIELD(lab)},
    Key{.name = "individuals.focus", .type = KeyType::string, .meaning = "research focus; required",
        .choices = kFocuses, .choice_noun = "research focus", .field = NORMSIM_FIELD(focus)},
    Key{.name = "individuals.talent", .type = KeyType::number,
        .meaning = "talent θ of this researcher; drawn from the talent distribution when absent",
        .number = kNonNegative, .optional = true, .field = NORMSIM_FIELD(talent)},
    Key{.name = "individuals.result_rate", .type = KeyType::number, .units = "results per step",
        .meaning = "r for this researcher; researchers.result_rate when absent", .number = kNonNegative,
        .optional = true, .field = NORMSIM_FIELD(result_rate)},
    // sweep
    Key{.name = "sweep.design", .type = KeyType::string,
        .meaning = "placement of the design points: single (no sweep, one point), grid (full factorial, last "
                   "factor fastest), zip (point p takes level p of every factor), latin_hypercube, sobol "
                   "(scrambled by a random digital shift)",
        .choices = kDesigns, .choice_noun = "sweep design", .sample = "\"sobol\"", .slot = NORMSIM_SLOT(sweep.design)},
    Key{.name = "sweep.points", .type = KeyType::integer,
        .meaning = "number of design points P of latin_hypercube and sobol; not allowed with grid and zip (their "
                   "P is the product, or the common length, of the factors' levels)",
        .integer = kSampledPoints, .sample = "16", .optional = true, .slot = NORMSIM_SLOT(sweep.points)},
    Key{.name = "sweep.seed", .type = KeyType::integer,
        .meaning = "sampling seed of latin_hypercube and sobol (separate from run.seed: it moves the points, "
                   "not the runs' randomness)",
        .integer = kSeed, .sample = "7", .slot = NORMSIM_SLOT(sweep.seed)},
    Key{.name = "sweep.max_runs", .type = KeyType::integer, .units = "runs",
        .meaning = "normsim run refuses a sweep of more than this many runs (points × run.replicates) unless "
                   "--force is given",
        .integer = kMaxRuns, .sample = "5000", .slot = NORMSIM_SLOT(sweep.max_runs)},
    Key{.name = "sweep.common_keys", .type = KeyType::boolean,
        .meaning = "common random numbers: every point's replicate r uses the same entity keys (those of the base "
                   "scenario), so that points can be compared pairwise; false: each point's keys follow from its own "
                   "parameters (point_stream_id)",
        .sample = "true", .slot = NORMSIM_SLOT(sweep.common_keys)},
    Key{.name = "sweep.factor", .type = KeyType::table_list,
        .meaning = "swept keys ([[sweep.factor]] tables), in order: the first factor varies slowest in a grid",
        .allowed = "tables with the keys sweep.factor.*"},
    Key{.name = "sweep.factor.key", .type = KeyType::string,
        .meaning = "the swept key; required. A key of the table above except run.*, sweep.*, attribution.*, individuals; array "
                   "keys (labs.sizes, labs.interp_fraction) with values only; or \"norm\": whole norms as inline "
                   "tables of norm.* keys (each replaces the base norm)",
        .allowed = "a scenario key, or \"norm\""},
    Key{.name = "sweep.factor.values", .type = KeyType::value_list,
        .meaning = "the levels, each checked like the key itself; numbers, strings, booleans, arrays, or inline "
                   "tables for key = \"norm\". In latin_hypercube and sobol a level is drawn uniformly",
        .optional = true, .allowed = "values of the swept key"},
    Key{.name = "sweep.factor.from", .type = KeyType::number,
        .meaning = "lower end of a range (with to) of a number or integer key; grid and zip need num or step",
        .optional = true, .allowed = "the swept key's range"},
    Key{.name = "sweep.factor.to", .type = KeyType::number, .meaning = "upper end of the range, ≥ from",
        .optional = true, .allowed = "the swept key's range"},
    Key{.name = "sweep.factor.num", .type = KeyType::integer,
        .meaning = "grid and zip: number of levels from … to, ends included (linear or log spacing)",
        .integer = kLevels, .optional = true},
    Key{.name = "sweep.factor.step", .type = KeyType::number,
        .meaning = "grid and zip, linear scale: levels from, from + step, … up to to", .number = kPositive,
        .optional = true},
    Key{.name = "sweep.factor.scale", .type = KeyType::string,
        .meaning = "spacing of num levels and distribution of latin_hypercube / sobol draws between from and to; "
                   "log needs from > 0",
        .choices = kScales, .choice_noun = "scale", .optional = true},
    Key{.name = "sweep.factor.labels", .type = KeyType::string_list,
        .meaning = "names of the values, one each, recorded with the results (default: the values as written)",
        .optional = true},
    // attribution
    Key{.name = "attribution.outcomes", .type = KeyType::string_list,
        .meaning = "outcomes whose variance is attributed (names of the outcomes table), no repeats",
        .choices = kOutcomeNames, .choice_noun = "outcome", .sample = "[\"interpretability\", \"t_transform\"]",
        .slot = NORMSIM_SLOT(attribution.settings.outcomes)},
    Key{.name = "attribution.rows", .type = KeyType::integer,
        .meaning = "N: rows of the pick-freeze design; runs = N × (groups + 2) (matrices A, B and one AB per "
                   "group)",
        .integer = kRows, .sample = "64", .slot = NORMSIM_SLOT(attribution.settings.rows)},
    Key{.name = "attribution.bootstrap", .type = KeyType::integer,
        .meaning = "bootstrap resamples of the confidence intervals (0: no intervals)", .integer = kBootstrap,
        .sample = "100", .slot = NORMSIM_SLOT(attribution.settings.bootstrap)},
    Key{.name = "attribution.confidence", .type = KeyType::number,
        .meaning = "level of the confidence intervals", .number = kOpenUnit, .sample = "0.9",
        .slot = NORMSIM_SLOT(attribution.settings.confidence)},
    Key{.name = "attribution.target_ci_width", .type = KeyType::number,
        .meaning = "CI width the convergence report aims for: it suggests the N that would reach it",
        .number = kWidth, .sample = "0.02", .slot = NORMSIM_SLOT(attribution.settings.target_ci_width)},
    Key{.name = "attribution.researchers", .type = KeyType::string,
        .meaning = "researchers that get their own index: all, none, the K most talented (by drawn or pinned "
                   "talent) or K drawn at random from attribution.seed",
        .choices = kSelections, .choice_noun = "researcher selection", .sample = "\"top_talent:20\"",
        .allowed = "\"all\", \"none\", \"top_talent:K\", \"sample:K\" (K ≥ 1)",
        .slot = NORMSIM_SLOT(attribution.settings.researchers)},
    Key{.name = "attribution.screen_threshold", .type = KeyType::number,
        .meaning = "skip the researchers of a lab whose group total index is confidently below this (upper CI "
                   "end below it); 0: no screening",
        .number = kProbability, .sample = "0.01", .slot = NORMSIM_SLOT(attribution.settings.screen_threshold)},
    Key{.name = "attribution.shapley", .type = KeyType::boolean,
        .meaning = "also compute Shapley effects of the groups (at most 12: the custom groups when the default "
                   "ones make more; more than 12 custom groups is an error)",
        .sample = "true",
        .slot = NORMSIM_SLOT(attribution.settings.shapley)},
    Key{.name = "attribution.knockout", .type = KeyType::string_list,
        .meaning = "entities to knock out one at a time: mean paired effect on each outcome of removing "
                   "regular researcher J, pinned individual K or lab L, no repeats",
        .choices = kKnockouts, .choice_noun = "knockout target", .sample = "[\"researcher:3\", \"lab:1\"]",
        .allowed = "\"researcher:J\" (J < Σ labs.sizes), \"individual:K\" (K < number of [[individuals]]), "
                   "\"lab:L\" (L < number of labs)",
        .slot = NORMSIM_SLOT(attribution.settings.knockout)},
    Key{.name = "attribution.per_point", .type = KeyType::boolean,
        .meaning = "with a [sweep]: false makes the sweep's factors factors of the attribution design (each "
                   "sampled uniformly over its levels or its from … to range, log-uniform with scale = \"log\"; "
                   "the sweep's design and points are ignored); true attributes at every point of the sweep",
        .sample = "true", .slot = NORMSIM_SLOT(attribution.settings.per_point)},
    Key{.name = "attribution.seed", .type = KeyType::integer,
        .meaning = "seed of the design's own sampling (bootstrap resamples, sample:K) — separate from run.seed, "
                   "which keys the runs",
        .integer = kSeed, .sample = "7", .slot = NORMSIM_SLOT(attribution.settings.seed)},
    Key{.name = "attribution.group", .type = KeyType::table_list,
        .meaning = "custom factor groups ([[attribution.group]] tables), attributed in addition to the default "
                   "groups",
        .allowed = "tables with the keys attribution.group.*"},
    Key{.name = "attribution.group.name", .type = KeyType::string,
        .meaning = "the group's label in the output; required, non-empty, unique", .allowed = "a string"},
    Key{.name = "attribution.group.members", .type = KeyType::string_list,
        .meaning = "the entities whose keys the group resamples together; required, non-empty, no repeats",
        .choices = kMembers, .choice_noun = "group member",
        .allowed = "\"lab:L\", \"lab_researchers:L\", \"researcher:J\", \"individual:K\", \"labs\", "
                   "\"researchers\""},
    // claims: read per [[claims]] entry by claims_read.cpp (no slot); samples are valid values
    Key{.name = "claims", .type = KeyType::table_list,
        .meaning = "claims about the outcomes ([[claims]] tables) that normsim check evaluates, each to holds, "
                   "fails or inconclusive; not part of a run's identity",
        .allowed = "tables with the keys claims.*"},
    Key{.name = "claims.id", .type = KeyType::string,
        .meaning = "the claim's name in reports and its HDF5 group (/claims/<id>); required, unique among the claims",
        .sample = "\"A1-max-researcher\"", .allowed = "non-empty; letters, digits, '_', '.', '-' (not only dots)"},
    Key{.name = "claims.statement", .type = KeyType::string, .meaning = "the claim in words; required",
        .sample = "\"No researcher explains more than 1 % of the variance in capability\"",
        .allowed = "a non-empty string"},
    Key{.name = "claims.quantity", .type = KeyType::string,
        .meaning = "what is compared with value; required. mean: the outcome's mean (at each point of a [sweep]); "
                   "probability: P(outcome > above) or P(outcome < below); mean_difference: mean under norm − mean "
                   "under versus, paired on common keys; norm_share: share of the outcome's variance explained by "
                   "the norm over norms; index: a group's or factor's index; max_researcher_index: the largest "
                   "per-researcher index; top_researchers_sum: the sum of the k largest per-researcher indices; "
                   "level_difference: mean at level − mean at baseline of a [sweep] factor, paired on common keys; "
                   "index_sum: the sum of the indices of the groups or factors in factors",
        .choices = kClaimQuantityNames, .choice_noun = "claim quantity", .sample = "\"max_researcher_index\""},
    Key{.name = "claims.outcome", .type = KeyType::string,
        .meaning = "the outcome (names of the outcomes table), or reached_transformative (1 when t_transform was "
                   "reached, else 0: only with quantities mean, mean_difference, norm_share and level_difference); "
                   "required",
        .choices = kClaimOutcomes, .choice_noun = "outcome", .sample = "\"capability\""},
    Key{.name = "claims.compare", .type = KeyType::string,
        .meaning = "the claimed side: quantity < value or quantity > value; required", .choices = kComparisonTexts,
        .choice_noun = "comparison", .sample = "\"<\""},
    Key{.name = "claims.value", .type = KeyType::number,
        .meaning = "the threshold; required. In [0, 1] for probability, norm_share, index and "
                   "max_researcher_index; ≥ 0 for top_researchers_sum and index_sum",
        .number = kAnyFinite, .sample = "0.01"},
    Key{.name = "claims.above", .type = KeyType::number,
        .meaning = "quantity probability: the claim is about P(outcome > above); exactly one of above and below",
        .number = kAnyFinite, .sample = "5000", .optional = true},
    Key{.name = "claims.below", .type = KeyType::number,
        .meaning = "quantity probability: the claim is about P(outcome < below); exactly one of above and below",
        .number = kAnyFinite, .sample = "0.1", .optional = true},
    Key{.name = "claims.norm", .type = KeyType::string,
        .meaning = "quantity mean_difference: the norm whose mean comes first; required there",
        .choices = kPresets, .choice_noun = "norm preset", .sample = "\"closed\"", .optional = true},
    Key{.name = "claims.versus", .type = KeyType::string,
        .meaning = "quantity mean_difference: the norm whose mean is subtracted, not norm; required there",
        .choices = kPresets, .choice_noun = "norm preset", .sample = "\"open\"", .optional = true},
    Key{.name = "claims.norms", .type = KeyType::string_list,
        .meaning = "quantity norm_share: the norms over which the share is taken, at least 2, no repeats; required "
                   "there",
        .choices = kPresets, .choice_noun = "norm preset", .sample = "[\"open\", \"closed\"]", .optional = true},
    Key{.name = "claims.index", .type = KeyType::string,
        .meaning = "quantities index, index_sum, max_researcher_index and top_researchers_sum: which index "
                   "(first-order or total Sobol, or Shapley: not for the per-researcher quantities); required there",
        .choices = kIndexKindNames, .choice_noun = "kind of index", .sample = "\"total\"", .optional = true},
    Key{.name = "claims.factor", .type = KeyType::string,
        .meaning = "quantity index: the group (\"all researchers\", \"lab 3 stream\", a [[attribution.group]] "
                   "name) or [sweep] factor key whose index is claimed; quantity level_difference: the [sweep] "
                   "factor (of a grid) whose levels are compared; required there, resolved by normsim check",
        .sample = "\"all researchers\"", .optional = true, .allowed = "a non-empty string"},
    Key{.name = "claims.factors", .type = KeyType::string_list,
        .meaning = "quantity index_sum: the groups or [sweep] factor keys whose indices are summed, at least 1, no "
                   "repeats; required there, resolved by normsim check",
        .sample = "[\"all labs\", \"all researchers\"]", .optional = true, .allowed = "non-empty strings"},
    Key{.name = "claims.level", .type = KeyType::string,
        .meaning = "quantity level_difference: the level of factor whose mean comes first, by its label (the "
                   "factor's labels, else its values as written: \"hazard_specific\", \"0.2\"); required there",
        .sample = "\"targeted\"", .optional = true, .allowed = "a non-empty string"},
    Key{.name = "claims.baseline", .type = KeyType::string,
        .meaning = "quantity level_difference: the level of factor whose mean is subtracted, not level; required "
                   "there",
        .sample = "\"generic\"", .optional = true, .allowed = "a non-empty string"},
    Key{.name = "claims.k", .type = KeyType::integer,
        .meaning = "quantity top_researchers_sum: how many of the largest per-researcher indices are summed; "
                   "required there, at most the scenario's researchers (Σ labs.sizes + [[individuals]])",
        .integer = kClaimK, .sample = "10", .optional = true},
    Key{.name = "claims.confidence", .type = KeyType::number,
        .meaning = "1 − α: the claim's verdicts are wrong with probability at most α — over all its points "
                   "together (error = family_wise) or at each point (per_point); with normsim check "
                   "--until-decided, at every look too (anytime-valid)",
        .number = kOpenUnit, .sample = "0.9", .optional = true},
    Key{.name = "claims.locate", .type = KeyType::string,
        .meaning = "quantities mean, mean_difference and level_difference: a numeric [sweep] factor of a grid with "
                   "sweep.common_keys = true along which normsim check also locates where the quantity crosses "
                   "value, at every combination of the other factors: the crossing with an interval, or that it "
                   "does not cross within the factor's range, or that it crosses more than once (/claims/<id>/boundary)",
        .sample = "\"research.spill_probability\"", .optional = true, .allowed = "a numeric [sweep] factor key"},
    Key{.name = "claims.error", .type = KeyType::string,
        .meaning = "which error a claim evaluated at several points (points of a sweep, cells of a grid) "
                   "controls: family_wise (the default: P(any point's verdict wrong) ≤ α; each point at level "
                   "1 − α/k, Bonferroni) or per_point (each point at level 1 − α on its own; a map of k points "
                   "then errs somewhere with probability up to 1 − (1 − α)^k)",
        .choices = kClaimErrorNames, .choice_noun = "error control", .sample = "\"per_point\"", .optional = true},
};

#undef NORMSIM_SLOT
#undef NORMSIM_FIELD

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::span<const Key> keys() noexcept { return kKeys; }

const Key* find_key(std::string_view name) noexcept {
  const auto it = std::find_if(kKeys.begin(), kKeys.end(), [&](const Key& k) { return k.name == name; });
  return it == kKeys.end() ? nullptr : &*it;
}

std::string nearest_key(std::string_view name) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  const auto consider = [&](std::string_view candidate) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  };
  for (const Key& k : kKeys) {
    consider(k.name);
    // Tables too ("labs", "norm.allow"), so that a misspelt table gets a suggestion.
    for (std::size_t dot = k.name.find('.'); dot != std::string_view::npos; dot = k.name.find('.', dot + 1)) {
      consider(k.name.substr(0, dot));
    }
  }
  if (best_distance == 0 || 3 * best_distance > name.size()) return {};
  return best;
}

}  // namespace normsim::scenario
