#include "study/journaled.hpp"

#include "output/error.hpp"
#include "output/finalize.hpp"
#include "study/progress.hpp"
#include "study/setup.hpp"

#include <fmt/core.h>
#include <oneapi/tbb/info.h>

#include <atomic>
#include <csignal>
#include <stdexcept>
#include <string>

namespace normsim::study {

namespace {

// Set by SIGINT/SIGTERM; the runner starts no new run once it is set. A signal handler can only
// reach a global; lock-free, so it may be written from the handler.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int signal_number) {
  g_stop.store(true, std::memory_order_relaxed);
  std::signal(signal_number, SIG_DFL);  // a second signal ends the process at once
}

/// Installs the stop handlers for the lifetime of the object (when `active`) and restores the
/// previous ones, so that an embedding program (Python) gets its own handlers back.
class StopSignals {
 public:
  explicit StopSignals(bool active) : active_(active) {
    g_stop.store(false);
    if (!active_) return;
    previous_int_ = std::signal(SIGINT, on_stop_signal);
    previous_term_ = std::signal(SIGTERM, on_stop_signal);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals() {
    if (!active_) return;
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
  }

 private:
  bool active_;
  void (*previous_int_)(int) = nullptr;
  void (*previous_term_)(int) = nullptr;
};

/// This process's share of the set, minus the runs its journal already holds.
runner::ExecutionReport execute_share(const Pipeline& p, const Conduct& conduct, std::uint64_t& already,
                                      std::uint64_t& copied) {
  output::JournalWriter journal(p.journal, p.header,
                                p.resume ? output::JournalMode::create_or_resume : output::JournalMode::create);
  const std::uint64_t before = journal.completed_count();
  copied = p.prefill ? p.prefill(journal, p.shard) : 0;
  if (journal.completed_count() != before + copied) {
    throw std::logic_error("Pipeline::prefill reported " + std::to_string(copied) + " runs but the journal gained " +
                           std::to_string(journal.completed_count() - before));
  }
  std::vector<std::uint64_t> positions;
  for (const std::uint64_t k : runner::shard_positions(p.set->size(), p.shard.index, p.shard.count)) {
    if (journal.completed()[p.set->plan(k).run_index]) {  // positions need not be run indices (attribution sets)
      ++already;
    } else {
      positions.push_back(k);
    }
  }
  already -= copied;  // the copied runs are all in this share, and none was in the journal before
  const runner::SubsetSet todo(*p.set, std::move(positions));
  if (p.announce) p.announce(already);
  Progress progress(stderr, progress_style_for(stderr, conduct.quiet || static_cast<bool>(conduct.progress)), todo.size(), 5.0,
                    already == 0 && p.shard.count == 1 ? p.per_point : 0);
  runner::ExecutionOptions options;
  options.threads = thread_count(conduct);
  options.record.series = p.layout.series;
  options.on_progress = [&](std::uint64_t done, std::uint64_t total) {
    if (conduct.progress) {
      conduct.progress(done, total);
    } else {
      progress.update(done);
    }
  };
  options.stop = &g_stop;
  runner::ExecutionReport report;
  {
    const StopSignals signals(conduct.handle_signals);
    report = runner::execute(todo, journal, options);
  }
  journal.flush();
  progress.finish(report.runs_completed);
  return report;
}

}  // namespace

int thread_count(const Conduct& conduct) {
  return conduct.threads > 0 ? conduct.threads : tbb::info::default_concurrency();
}

PipelineResult run_pipeline(const Pipeline& p, const Conduct& conduct, const Processes& processes) {
  PipelineResult out;
  if (!p.from_shards) {
    prepare_journal(p.sharded ? std::filesystem::path() : p.output, p.journal, p.resume, p.overwrite);
  } else if (std::filesystem::exists(p.output) && !p.overwrite) {
    throw output::OutputExists(fmt::format("{} exists; pass --overwrite to replace it", p.output.string()));
  }
  bool ok = p.from_shards;
  if (!p.from_shards) {
    try {
      out.report = execute_share(p, conduct, out.already, out.copied);
      ok = true;
    } catch (...) {
      (void)processes.all_succeeded(false);  // let the other ranks stop instead of waiting for us
      throw;
    }
  }
  if (!processes.all_succeeded(ok && !out.report.interrupted)) {
    // Under mpirun a rank interrupted by Ctrl-C makes every rank stop; report it as such.
    out.status = out.report.interrupted || g_stop.load() ? PipelineStatus::interrupted : PipelineStatus::failed;
    return out;
  }
  if (p.sharded) {
    out.status = PipelineStatus::shard_written;
    return out;
  }
  if (processes.rank() != 0) {
    out.status = PipelineStatus::follower;
    return out;
  }
  output::Provenance provenance = p.provenance;
  provenance.threads = thread_count(conduct);
  provenance.processes = static_cast<std::int64_t>(p.journals.size());
  provenance.end_time = utc_now();
  provenance.wall_seconds = out.report.wall_seconds;
  output::FinalizeOptions options;
  options.overwrite = p.overwrite;
  options.threads = static_cast<int>(provenance.threads);
  output::finalize(p.journals, p.layout, provenance, p.output, options);
  for (const std::filesystem::path& j : p.journals) std::filesystem::remove(j);
  out.status = PipelineStatus::written;
  return out;
}

std::filesystem::path journal_path(const std::filesystem::path& output, std::uint64_t rank, std::uint64_t ranks) {
  return ranks > 1 ? std::filesystem::path(output).concat(fmt::format(".rank-{}-of-{}.journal", rank, ranks))
                   : std::filesystem::path(output).concat(".journal");
}

}  // namespace normsim::study
