#pragma once
// What one run hands to the output: a RunRecord, and the RunSink interface that receives records.
// Declaring what to record (RecordConfig) is separate from writing it (a RunSink implementation,
// e.g. output/hdf5_sink.hpp): the runner fills records according to the config and knows nothing
// about files.
#include "model/outcomes.hpp"

#include <cstdint>
#include <vector>

namespace normsim::runner {

/// What to record for each run. Outcomes are always recorded.
struct RecordConfig {
  bool series = true;  ///< per-step series (docs/model.md "Outcomes and series"), one StepValues per step run
};

/// Everything recorded about one run.
struct RunRecord {
  std::uint64_t run_index = 0;   ///< row of this run in the run set (0 … size − 1)
  std::uint64_t point = 0;       ///< design point (0 for a single scenario)
  std::uint64_t replicate = 0;   ///< replicate index within the point
  model::Outcomes outcomes{};
  std::vector<model::StepValues> series;  ///< steps_run entries when RecordConfig::series, else empty
  std::uint64_t researcher_steps = 0;     ///< researchers × steps run
  double wall_seconds = 0;                ///< time spent in this run's model (not reproducible)
};

/// Receives records. `write` is called from one thread at a time (never concurrently), in any run
/// order; implementations must not assume records arrive sorted.
class RunSink {
 public:
  RunSink() = default;
  RunSink(const RunSink&) = delete;
  RunSink& operator=(const RunSink&) = delete;
  virtual ~RunSink() = default;
  /// Takes one record. Throws on failure (e.g. an I/O error), which stops the run set.
  virtual void write(const RunRecord& record) = 0;
};

/// Drops every record (benchmarks, dry runs).
class DiscardSink final : public RunSink {
 public:
  void write(const RunRecord&) override {}
};

/// Forwards every record to several sinks in order.
class TeeSink final : public RunSink {
 public:
  explicit TeeSink(std::vector<RunSink*> sinks) : sinks_{std::move(sinks)} {}
  void write(const RunRecord& record) override {
    for (RunSink* s : sinks_) s->write(record);
  }

 private:
  std::vector<RunSink*> sinks_;
};

}  // namespace normsim::runner
