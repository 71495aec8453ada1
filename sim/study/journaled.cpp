#include "cli/journaled.hpp"

#include "cli/usage_error.hpp"

#include "cli/progress.hpp"

#include <fmt/core.h>

#include <atomic>
#include <csignal>

namespace normsim::cli {

namespace {

// Set by SIGINT/SIGTERM; the runner starts no new run once it is set. Lock-free, so it may be
// written from a signal handler.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_stop_signal(int signal_number) {
  g_stop.store(true, std::memory_order_relaxed);
  std::signal(signal_number, SIG_DFL);  // a second signal ends the process at once
}

/// Installs the stop handlers for the lifetime of the object and restores the previous ones.
class StopSignals {
 public:
  StopSignals() {
    g_stop.store(false);
    previous_int_ = std::signal(SIGINT, on_stop_signal);
    previous_term_ = std::signal(SIGTERM, on_stop_signal);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
  }

 private:
  void (*previous_int_)(int) = nullptr;
  void (*previous_term_)(int) = nullptr;
};

}  // namespace

JournaledReport execute_journaled(const runner::RunSet& set, const output::JournalHeader& header,
                                  const JournalTarget& target, int threads, bool series, bool quiet,
                                  std::uint64_t per_point, const std::function<void(std::uint64_t)>& announce) {
  JournaledReport out;
  output::JournalWriter journal(target.journal, header,
                                target.resume ? output::JournalMode::create_or_resume : output::JournalMode::create);
  std::vector<std::uint64_t> positions;
  for (const std::uint64_t k : runner::shard_positions(set.size(), target.shard, target.shards)) {
    if (journal.completed()[set.plan(k).run_index]) {  // positions need not be run indices (attribution sets)
      ++out.already;
    } else {
      positions.push_back(k);
    }
  }
  const runner::SubsetSet todo(set, std::move(positions));
  if (announce) announce(out.already);
  Progress progress(stderr, progress_style_for(stderr, quiet), todo.size(), 5.0,
                    out.already == 0 && target.shards == 1 ? per_point : 0);
  runner::ExecutionOptions options;
  options.threads = threads;
  options.record.series = series;
  options.on_progress = [&](std::uint64_t done, std::uint64_t) { progress.update(done); };
  options.stop = &g_stop;
  {
    const StopSignals signals;
    out.report = runner::execute(todo, journal, options);
  }
  journal.flush();
  progress.finish(out.report.runs_completed);
  return out;
}

std::filesystem::path journal_path(const std::filesystem::path& output, std::uint64_t rank, std::uint64_t ranks) {
  return ranks > 1 ? std::filesystem::path(output).concat(fmt::format(".rank-{}-of-{}.journal", rank, ranks))
                   : std::filesystem::path(output).concat(".journal");
}

/// "I/N" → (I, N).
std::pair<std::uint64_t, std::uint64_t> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      std::size_t used_i = 0;
      std::size_t used_n = 0;
      const std::string i_text = text.substr(0, slash);
      const std::string n_text = text.substr(slash + 1);
      const unsigned long long i = std::stoull(i_text, &used_i);
      const unsigned long long n = std::stoull(n_text, &used_n);
      if (used_i == i_text.size() && used_n == n_text.size() && n >= 1 && i < n && i_text[0] != '-') return {i, n};
    }
  } catch (const std::exception&) {
  }
  throw UsageError(fmt::format("--shard {}: expected I/N with 0 ≤ I < N, e.g. --shard 0/4", text));
}

}  // namespace normsim::cli
