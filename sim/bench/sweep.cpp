// normsim_sweep_bench: throughput of a whole sweep as `normsim run` executes it, from a scenario
// file: runs/s and researcher-steps/s on one thread and on all threads, with the journal writing
// every record (what `run` does) and with the records discarded (the writer's overhead is the
// difference), and the time to turn the journal into the HDF5 file.
//
//   normsim_sweep_bench SCENARIO [--set KEY=VALUE]...      e.g. scenarios/sweep_norms_spill.toml
//
// (Speed-up across MPI ranks is measured with mpirun on the normsim executable; see README.)
#include "study/setup.hpp"
#include "output/finalize.hpp"
#include "output/journal.hpp"
#include "runner/execute.hpp"

#include <fmt/core.h>
#include <oneapi/tbb/info.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

using namespace normsim;

namespace {

runner::ExecutionReport timed(const runner::RunSet& set, runner::RunSink& sink, int threads, bool series) {
  runner::ExecutionOptions options;
  options.threads = threads;
  options.record.series = series;
  return runner::execute(set, sink, options);
}

void print(const char* what, const runner::ExecutionReport& r) {
  fmt::print("  {:<34} {:9.1f} runs/s  {:10.3e} researcher-steps/s  ({:.2f} s)\n", what,
             static_cast<double>(r.runs_completed) / r.wall_seconds,
             static_cast<double>(r.researcher_steps) / r.wall_seconds, r.wall_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: normsim_sweep_bench SCENARIO [--set KEY=VALUE]...\n");
    return 2;
  }
  std::vector<std::string> overrides;
  for (int i = 2; i + 1 < argc; i += 2) overrides.emplace_back(argv[i + 1]);
  const scenario::Scenario base = scenario::load_file(argv[1], overrides);
  const output::Layout layout = study::make_layout(base, true);
  const std::unique_ptr<runner::SweepSet> set = study::make_run_set(base);
  const int cores = tbb::info::default_concurrency();
  fmt::print("normsim_sweep_bench: {}, {} points × {} replicates = {} runs\n", argv[1], layout.points,
             layout.replicates, set->size());

  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    fmt::format("normsim-sweep-bench-{}", std::chrono::steady_clock::now().time_since_epoch().count());
  std::filesystem::create_directories(dir);
  runner::DiscardSink discard;
  timed(*set, discard, cores, true);  // warm-up
  print("1 thread, records discarded", timed(*set, discard, 1, true));
  print(fmt::format("{} threads, records discarded", cores).c_str(), timed(*set, discard, cores, true));
  runner::ExecutionReport written;
  {
    output::JournalWriter journal(dir / "bench.journal", study::make_journal_header(base, layout),
                                  output::JournalMode::create);
    written = timed(*set, journal, cores, true);
    journal.flush();
  }
  print(fmt::format("{} threads, journal written", cores).c_str(), written);
  const auto start = std::chrono::steady_clock::now();
  output::Provenance provenance = study::make_provenance(base, "normsim_sweep_bench", argv[1]);
  output::finalize({dir / "bench.journal"}, layout, provenance, dir / "bench.h5");
  const double finalize_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("  journal → HDF5 (finalize)          {:9.1f} runs/s  ({:.2f} s, file {:.1f} MB)\n",
             static_cast<double>(set->size()) / finalize_seconds, finalize_seconds,
             static_cast<double>(std::filesystem::file_size(dir / "bench.h5")) / 1e6);
  std::filesystem::remove_all(dir);
  return 0;
}
