// normsim_bench: researcher-steps per second of the model on the baseline parameters, on one thread
// and on all threads, against the floor: the vectorised cost of drawing the same random numbers
// alone — the same Philox blocks (talent, compute, every result block, every publication block,
// the imitation blocks) computed in batches, and the same transforms (two logarithms per result
// block, the talents' normals and lognormals) on the process's vector path, for the same result
// counts, without the model around them.
//
//   normsim_bench [runs]        (default 2000 runs of the baseline, the model's defaults)
//
// The machine this runs on is often shared. Every figure is therefore a sum over chunks of the best
// of three timings of each chunk: other processes only ever slow a chunk down, so the best of
// three is the least disturbed measurement. One-thread chunks are kChunk different runs (a few
// milliseconds, under a scheduler time slice; never one run repeated, which would let the branch
// predictor learn that run's coins); the floor is chunked the same way, each of its chunks timed
// right after the model's chunk of the same runs, so that the ratio compares like moments. The
// all-threads figure runs chunks of threads · kRunnerChunk runs through the runner, each also timed
// on one thread through the runner right before (the speed-up compares like moments). The load
// average is printed with the figures.
#include "model/model.hpp"
#include "random/batch.hpp"
#include "random/math.hpp"
#include "runner/execute.hpp"
#include "runner/summary.hpp"

#include <fmt/core.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

using namespace normsim;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRepeats = 3;                   // timings of each chunk
constexpr std::uint64_t kChunk = 20;          // runs per one-thread chunk (model and floor)
constexpr std::uint64_t kRunnerChunk = 250;   // runs per timed runner chunk, per thread

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Counters and outputs of one batch of Philox blocks, and the doubles of its transforms. Arrays
/// keep their capacity between runs; blocks are written by index (no per-block push_back).
struct Blocks {
  std::vector<std::uint32_t> c0, c1, c2, c3, k0, k1, out0, out1, out2, out3;
  std::vector<double> values;
  std::size_t n = 0;
  void resize(std::size_t blocks) {
    n = blocks;
    for (auto* v : {&c0, &c1, &c2, &c3, &k0, &k1, &out0, &out1, &out2, &out3}) v->resize(blocks);
  }
  /// Blocks [at, at + count) of one entity: index 0 … count − 1 at (purpose, step).
  void fill(std::size_t at, std::size_t count, random::Purpose purpose, std::uint32_t step, std::uint64_t key) {
    const auto lo = static_cast<std::uint32_t>(key);
    const auto hi = static_cast<std::uint32_t>(key >> 32);
    for (std::size_t i = 0; i < count; ++i) {
      c0[at + i] = static_cast<std::uint32_t>(purpose);
      c1[at + i] = step;
      c2[at + i] = static_cast<std::uint32_t>(i);
      c3[at + i] = 0;
      k0[at + i] = lo;
      k1[at + i] = hi;
    }
  }
  random::BlockBatch compute(random::VectorPath path) {
    const random::BlockBatch b{n, c0.data(), c1.data(), c2.data(), c3.data(), k0.data(),
                               k1.data(), out0.data(), out1.data(), out2.data(), out3.data()};
    random::philox32_batch(b, path);
    return b;
  }
};

/// One run's draws: which blocks and how many results per researcher (from a model run).
struct RunDraws {
  model::EntityKeys keys;
  std::vector<std::uint64_t> results;  // per researcher
  std::uint64_t steps = 0;
  std::size_t blocks = 0;  // researcher and publication blocks: Σ (2 · results + 1)
};

/// The floor's work for one run; returns a sum that keeps the optimiser from dropping it.
double draw_floor(const model::ModelParams& p, const model::Roster& roster, const RunDraws& d,
                  const random::Math& math, Blocks& talents, Blocks& results) {
  double acc = 0;
  // Labs: compute (one normal and a lognormal) and the imitation block of every review.
  for (std::size_t l = 0; l < d.keys.labs.size(); ++l) {
    const random::Stream s{d.keys.labs[l]};
    acc += math.exp(random::normal_pair(s.block(random::Purpose::compute, 0, 0), math)[0]);
    const auto every = static_cast<std::uint64_t>(p.adaptation.every);
    for (std::uint64_t t = every; t <= d.steps; t += every) {
      acc += random::uniform(s.block(random::Purpose::imitation, t, 0)[1]);
    }
  }
  // Talents: one block each, a normal (log, cos, sqrt) and a lognormal (exp), in batches.
  talents.resize(d.keys.researchers.size());
  for (std::size_t j = 0; j < d.keys.researchers.size(); ++j) talents.fill(j, 1, random::Purpose::talent, 0, d.keys.researchers[j]);
  const random::BlockBatch t = talents.compute(math.path());
  talents.values.resize(2 * t.n);
  double* radius = talents.values.data();
  double* angle = talents.values.data() + t.n;
  for (std::size_t i = 0; i < t.n; ++i) {
    radius[i] = random::uniform53(t.out0[i], t.out1[i]);
    angle[i] = random::kTwoPi * random::uniform53(t.out2[i], t.out3[i]);
  }
  math.log(radius, radius, t.n);
  math.cos(angle, angle, t.n);
  for (std::size_t i = 0; i < t.n; ++i) radius[i] = std::sqrt(-2.0 * radius[i]) * angle[i];
  math.exp(radius, radius, t.n);
  acc += std::accumulate(radius, radius + t.n, 0.0);
  // Results: the researcher block of every result and of the pending one (two logarithms each:
  // the arrival gap and the quality; words 2 and 3 are compared as integers), then the publication
  // block of every result (three coins, integer comparisons: no transform). Researcher blocks first,
  // publication blocks after them, so that the logarithms are taken of the researcher blocks only,
  // as in the model.
  results.resize(d.blocks);
  std::size_t at = 0;
  for (std::size_t j = 0; j < d.keys.researchers.size(); ++j) {
    results.fill(at, d.results[j] + 1, random::Purpose::result, 0, d.keys.researchers[j]);
    at += d.results[j] + 1;
  }
  const std::size_t researcher_blocks = at;
  for (std::size_t j = 0; j < d.keys.researchers.size(); ++j) {
    const std::uint64_t lab_key = d.keys.labs[static_cast<std::size_t>(roster.researchers[j].lab)];
    results.fill(at, d.results[j], random::Purpose::publication, 1, lab_key);
    at += d.results[j];
  }
  const random::BlockBatch r = results.compute(math.path());
  results.values.resize(2 * researcher_blocks);
  math.exponential(r.out0, results.values.data(), researcher_blocks);
  math.exponential(r.out1, results.values.data() + researcher_blocks, researcher_blocks);
  for (std::size_t i = 0; i < researcher_blocks; ++i) acc += results.values[i] + results.values[researcher_blocks + i];
  std::uint64_t words = 0;
  for (std::size_t i = 0; i < r.n; ++i) words += r.out2[i] ^ r.out3[i];
  for (std::size_t i = researcher_blocks; i < r.n; ++i) words += r.out0[i] ^ r.out1[i];
  acc += static_cast<double>(words);
  return acc;
}

runner::ExecutionReport timed_execute(const runner::RunSet& set, int threads) {
  runner::DiscardSink sink;
  runner::ExecutionOptions options;
  options.threads = threads;
  options.record.series = false;
  return runner::execute(set, sink, options);
}

/// Seconds of `set` through the runner on one thread and on `threads` threads, chunk by chunk and
/// interleaved: each chunk of `threads`·kRunnerChunk runs is timed on one thread, then on all,
/// kRepeats times, and the best of each is summed; both figures see the machine at the same
/// moments, so their ratio (the speed-up) does not move with the VM's speed.
std::pair<double, double> best_execute_seconds(const runner::RunSet& set, int threads) {
  const std::uint64_t chunk = kRunnerChunk * static_cast<std::uint64_t>(threads);
  double one = 0;
  double all = 0;
  for (std::uint64_t begin = 0; begin < set.size(); begin += chunk) {
    std::vector<std::uint64_t> positions(std::min(chunk, set.size() - begin));
    std::iota(positions.begin(), positions.end(), begin);
    const runner::SubsetSet part(set, std::move(positions));
    double best_one = 1e300;
    double best_all = 1e300;
    for (int r = 0; r < kRepeats; ++r) {
      best_one = std::min(best_one, timed_execute(part, 1).wall_seconds);
      best_all = std::min(best_all, timed_execute(part, threads).wall_seconds);
    }
    one += best_one;
    all += best_all;
  }
  return {one, all};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && std::strtoull(argv[1], nullptr, 10) == 0)) {
    fmt::print(stderr, "usage: normsim_bench [runs]   (runs ≥ 1, default 2000)\n");
    return 2;
  }
  const std::uint64_t runs = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000;
  const model::ModelParams baseline;  // the model's defaults = scenarios/baseline.toml
  const runner::ReplicateSet set(baseline, runs, 1);
  const int cores = tbb::this_task_arena::max_concurrency();
  const random::Math math = random::Math::for_this_process();

  // Outcome means, to see that the benchmarked dynamics are the documented ones (also a warm-up).
  runner::SummarySink summary;
  runner::ExecutionOptions options;
  options.record.series = false;
  const runner::ExecutionReport all_runs = runner::execute(set, summary, options);
  const auto researcher_steps = static_cast<double>(all_runs.researcher_steps);

  const auto [one_chunked_seconds, all_seconds] = best_execute_seconds(set, cores);

  // One thread and the floor, chunk by chunk, interleaved: chunk k of the model (the runner's
  // work for each run: keys, model, record), then the floor's work for the same runs — each run's
  // draws, from that run's result counts (the model runs once untimed to count them) — each the
  // best of kRepeats timings. Interleaving makes both figures see the machine at the same moment,
  // so the ratio does not move with the VM's speed from minute to minute.
  const model::Roster roster = model::build_roster(baseline);
  runner::RecordConfig config;
  config.series = false;
  Blocks talents;
  Blocks results;
  double one_seconds = 0;
  double floor_seconds = 0;
  double sink = 0;
  for (std::uint64_t begin = 0; begin < runs; begin += kChunk) {
    const std::uint64_t end = std::min(runs, begin + kChunk);
    std::vector<RunDraws> chunk;
    for (std::uint64_t i = begin; i < end; ++i) {
      RunDraws d{runner::derive_keys(roster, set.master_seed(), set.plan(i)), {}, 0, 0};
      model::Model m(baseline, d.keys);
      while (!m.finished()) m.step();
      d.results.resize(m.researcher_count());
      for (std::size_t j = 0; j < d.results.size(); ++j) {
        d.results[j] = m.results_of(j);
        d.blocks += 2 * d.results[j] + 1;
      }
      d.steps = static_cast<std::uint64_t>(m.steps_run());
      chunk.push_back(std::move(d));
    }
    double best_model = 1e300;
    double best_floor = 1e300;
    for (int r = 0; r < kRepeats; ++r) {
      auto start = Clock::now();
      for (std::uint64_t k = begin; k < end; ++k) {
        const runner::RunRecord record = runner::run_one(set, set.plan(k), config);
        sink += record.outcomes[0];
      }
      best_model = std::min(best_model, seconds_since(start));
      start = Clock::now();
      for (const RunDraws& d : chunk) sink += draw_floor(baseline, roster, d, math, talents, results);
      best_floor = std::min(best_floor, seconds_since(start));
    }
    one_seconds += best_model;
    floor_seconds += best_floor;
  }

  const double one_rate = researcher_steps / one_seconds;
  const double all_rate = researcher_steps / all_seconds;
  const double floor_rate = researcher_steps / floor_seconds;
  fmt::print("normsim_bench: baseline (the model's defaults), {} runs, {:.0f} researcher-steps per run; vector path {}\n",
             runs, researcher_steps / static_cast<double>(runs), random::vector_path_name(math.path()));
  fmt::print("  mean steps run {:.1f}, mean t_transform {:.1f} (reached in {} of {}), mean xrisk {:.3f}, "
             "mean results {:.0f}\n",
             summary.stats(model::OutcomeId::steps_run).mean, summary.stats(model::OutcomeId::t_transform).mean,
             summary.stats(model::OutcomeId::t_transform).count, runs, summary.stats(model::OutcomeId::xrisk).mean,
             summary.stats(model::OutcomeId::results).mean);
  fmt::print("  1 thread:        {:10.3e} researcher-steps/s  ({:.1f} µs per run)\n", one_rate,
             1e6 * one_seconds / static_cast<double>(runs));
  const double chunked_rate = researcher_steps / one_chunked_seconds;
  fmt::print("  1 thread, runner:{:10.3e} researcher-steps/s  (chunks of {} runs through the runner)\n", chunked_rate,
             kRunnerChunk);
  fmt::print("  {} threads:       {:10.3e} researcher-steps/s  ({:.3e} per core), speed-up {:.2f}x over the runner "
             "on 1 thread\n",
             cores, all_rate, all_rate / cores, all_rate / chunked_rate);
  fmt::print("  draws alone:     {:10.3e} researcher-steps/s  ({:.1f} µs per run; floor: the same blocks and "
             "transforms, batched; model costs {:.2f}x the floor)\n",
             floor_rate, 1e6 * floor_seconds / static_cast<double>(runs), floor_rate / one_rate);
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) == 3) fmt::print("  load average during the run: {:.2f} (1 min), {:.2f} (5 min)\n", load[0], load[1]);
  if (sink == 0.12345) fmt::print("(unlikely)\n");
  return 0;
}
