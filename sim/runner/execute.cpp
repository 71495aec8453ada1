#include "runner/execute.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <chrono>
#include <memory>
#include <optional>

namespace normsim::runner {

RunRecord run_one(const RunSet& set, const RunPlan& plan, const RecordConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  const std::shared_ptr<const Point> point = set.point(plan.point);
  const model::ModelParams& params = point->params;
  const model::EntityKeys keys = derive_keys(*point->roster, set.master_seed(), plan);
  // One model per thread, recycled from run to run (Model's recycling constructor: the same bits
  // as a new model), so that a run allocates nothing once the thread has run one of its size.
  thread_local std::optional<model::Model> spare;
  model::Model m = spare ? model::Model(params, point->roster, keys, random::Math::for_this_process(), std::move(*spare))
                         : model::Model(params, point->roster, keys);

  RunRecord record;
  record.run_index = plan.run_index;
  record.point = plan.output_point;
  record.replicate = plan.replicate;
  if (config.series) record.series.reserve(static_cast<std::size_t>(params.world.steps));
  while (!m.finished()) {
    m.step();
    if (config.series) record.series.push_back(m.last_step());
  }
  record.outcomes = m.outcomes();
  record.researcher_steps = static_cast<std::uint64_t>(m.researcher_count()) * static_cast<std::uint64_t>(m.steps_run());
  spare.emplace(std::move(m));
  record.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return record;
}

ExecutionReport execute(const RunSet& set, RunSink& sink, const ExecutionOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  // Tokens bound the records alive at once (in flight or waiting for the writer): memory is
  // O(threads × one run), independent of the run count.
  const auto tokens = static_cast<std::size_t>(4 * threads);
  const std::uint64_t total = set.size();

  ExecutionReport report;
  std::uint64_t next = 0;
  // Honour a thread count above the core count (oversubscription is the user's call, and the
  // determinism tests use it): without this, oneTBB caps the workers at the hardware concurrency.
  const tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                        static_cast<std::size_t>(threads));
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, std::uint64_t>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> std::uint64_t {
              if (next >= total || (options.stop != nullptr && options.stop->load(std::memory_order_relaxed))) {
                fc.stop();
                return 0;
              }
              return next++;
            }) &
            tbb::make_filter<std::uint64_t, std::shared_ptr<RunRecord>>(
                tbb::filter_mode::parallel,
                [&](std::uint64_t index) {
                  return std::make_shared<RunRecord>(run_one(set, set.plan(index), options.record));
                }) &
            tbb::make_filter<std::shared_ptr<RunRecord>, void>(
                tbb::filter_mode::serial_in_order, [&](const std::shared_ptr<RunRecord>& record) {
                  sink.write(*record);
                  ++report.runs_completed;
                  report.researcher_steps += record->researcher_steps;
                  if (options.on_progress) options.on_progress(report.runs_completed, total);
                }));
  });
  report.interrupted = report.runs_completed < total;
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace normsim::runner
