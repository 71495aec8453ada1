// normsim_bench: researcher-steps per second of the model on the baseline parameters, on one thread
// and on all threads, against the floor: the cost of drawing the same random numbers alone (the
// same Philox blocks and transforms, for the same result counts, without the model around them).
//
//   normsim_bench [runs]        (default 2000 runs of the baseline, the model's defaults)
//
// Each figure is the best of three repetitions.
#include "model/model.hpp"
#include "runner/execute.hpp"
#include "runner/summary.hpp"

#include <fmt/core.h>
#include <oneapi/tbb/task_arena.h>

#include <chrono>
#include <cstdlib>
#include <string>

using namespace normsim;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Floor {
  double seconds = 0;
  double sink = 0;  // keeps the optimiser from removing the draws
};

/// Draws exactly the blocks a run draws (talent, compute, one result block per result plus the
/// pending one, one publication block per result, imitation blocks per review) with the same
/// transforms, given the per-researcher result counts of that run.
Floor draw_floor(const model::ModelParams& p, const runner::RunSet& set, std::uint64_t runs) {
  Floor f;
  const model::Roster roster = model::build_roster(p);
  for (std::uint64_t i = 0; i < runs; ++i) {
    const runner::RunPlan plan = set.plan(i);
    const model::EntityKeys keys = runner::derive_keys(roster, set.master_seed(), plan);
    model::Model m(p, keys);
    while (!m.finished()) m.step();
    std::vector<std::uint64_t> counts(m.researcher_count());
    for (std::size_t j = 0; j < counts.size(); ++j) counts[j] = m.results_of(j);
    const auto steps = static_cast<std::uint64_t>(m.steps_run());

    const auto start = Clock::now();
    double acc = 0;
    for (std::size_t l = 0; l < keys.labs.size(); ++l) {
      const random::Stream s{keys.labs[l]};
      const random::Block b = s.block(random::Purpose::compute, 0, 0);
      acc += random::normal_pair(b)[0];
      const auto every = static_cast<std::uint64_t>(p.adaptation.every);
      for (std::uint64_t t = every; t <= steps; t += every) {
        acc += random::uniform(s.block(random::Purpose::imitation, t, 0)[1]);
      }
    }
    for (std::size_t j = 0; j < counts.size(); ++j) {
      const random::Stream s{keys.researchers[j]};
      const random::Block t = s.block(random::Purpose::talent, 0, 0);
      acc += random::normal_pair(t)[0];
      const random::Stream lab{keys.labs[static_cast<std::size_t>(roster.researchers[j].lab)]};
      for (std::uint64_t k = 0; k <= counts[j]; ++k) {
        const random::Block b = s.block(random::Purpose::result, 0, k);
        acc += random::exponential(b[0]) + random::exponential(b[1]) + random::uniform(b[2]);
        if (k < counts[j]) acc += random::uniform(lab.block(random::Purpose::publication, 1, k)[0]);
      }
    }
    f.seconds += seconds_since(start);
    f.sink += acc;
  }
  return f;
}

runner::ExecutionReport timed_execute(const runner::RunSet& set, int threads) {
  runner::DiscardSink sink;
  runner::ExecutionOptions options;
  options.threads = threads;
  options.record.series = false;
  return runner::execute(set, sink, options);
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

  // Outcome means, to see that the benchmarked dynamics are the documented ones.
  runner::SummarySink summary;
  runner::ExecutionOptions options;
  options.record.series = false;
  runner::execute(set, summary, options);

  // Best of three of each: the least disturbed measurement (other processes only ever slow a run).
  timed_execute(set, 1);  // warm-up
  runner::ExecutionReport one = timed_execute(set, 1);
  runner::ExecutionReport all = timed_execute(set, cores);
  Floor floor = draw_floor(baseline, set, runs);
  for (int repeat = 1; repeat < 3; ++repeat) {
    const runner::ExecutionReport a = timed_execute(set, 1);
    if (a.wall_seconds < one.wall_seconds) one = a;
    const runner::ExecutionReport b = timed_execute(set, cores);
    if (b.wall_seconds < all.wall_seconds) all = b;
    const Floor f = draw_floor(baseline, set, runs);
    if (f.seconds < floor.seconds) floor = f;
  }

  const double rs = static_cast<double>(one.researcher_steps);
  const double one_rate = rs / one.wall_seconds;
  const double all_rate = static_cast<double>(all.researcher_steps) / all.wall_seconds;
  const double floor_rate = rs / floor.seconds;
  fmt::print("normsim_bench: baseline (the model's defaults), {} runs, {:.0f} researcher-steps per run\n", runs,
             rs / static_cast<double>(runs));
  fmt::print("  mean steps run {:.1f}, mean t_transform {:.1f} (reached in {} of {}), mean xrisk {:.3f}, "
             "mean results {:.0f}\n",
             summary.stats(model::OutcomeId::steps_run).mean, summary.stats(model::OutcomeId::t_transform).mean,
             summary.stats(model::OutcomeId::t_transform).count, runs, summary.stats(model::OutcomeId::xrisk).mean,
             summary.stats(model::OutcomeId::results).mean);
  fmt::print("  1 thread:        {:10.3e} researcher-steps/s  ({:.1f} µs per run)\n", one_rate,
             1e6 * one.wall_seconds / static_cast<double>(runs));
  fmt::print("  {} threads:       {:10.3e} researcher-steps/s  ({:.3e} per core), speed-up {:.2f}x\n", cores,
             all_rate, all_rate / cores, all_rate / one_rate);
  fmt::print("  draws alone:     {:10.3e} researcher-steps/s  (floor; model costs {:.2f}x the floor)\n", floor_rate,
             floor_rate / one_rate);
  if (floor.sink == 0.12345) fmt::print("(unlikely)\n");
  return 0;
}
