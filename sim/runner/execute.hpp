#pragma once
// Executes a RunSet on oneTBB worker threads and streams each record to a sink as runs complete.
// Memory is bounded by the number of runs in flight (a few per thread), never by the run count.
// Results are bit-identical for any thread count: each run is a pure function of its plan.
#include "runner/plan.hpp"
#include "runner/record.hpp"

#include <atomic>
#include <cstdint>
#include <functional>

namespace normsim::runner {

/// Runs one plan to the end. Pure apart from timing: the record's wall_seconds is measured.
[[nodiscard]] RunRecord run_one(const RunSet& set, const RunPlan& plan, const RecordConfig& config);

struct ExecutionOptions {
  int threads = 0;  ///< worker threads; 0 = all cores oneTBB sees
  RecordConfig record;
  /// Called after each record was written, from one thread at a time: (runs done, runs total).
  std::function<void(std::uint64_t, std::uint64_t)> on_progress;
  /// When set and it becomes true, no new runs start; runs in flight finish and are written.
  const std::atomic<bool>* stop = nullptr;
};

struct ExecutionReport {
  std::uint64_t runs_completed = 0;
  std::uint64_t researcher_steps = 0;  ///< summed over completed runs
  double wall_seconds = 0;             ///< elapsed time of the whole execution
  bool interrupted = false;            ///< stopped through ExecutionOptions::stop
};

/// Runs every plan of `set` and writes each record to `sink` serially, in run-index order (so that
/// anything the sink accumulates is independent of the thread count; records wait for their turn
/// only within the bounded token window).
/// Exceptions from the model or the sink stop the execution and propagate.
ExecutionReport execute(const RunSet& set, RunSink& sink, const ExecutionOptions& options);

}  // namespace normsim::runner
