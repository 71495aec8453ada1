#pragma once
// Progress of a long run set on stderr: a redrawn bar when stderr is a terminal, one plain line
// every few seconds otherwise (logs, CI, job schedulers), nothing when quiet.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace normsim::study {

enum class ProgressStyle { bar, lines, none };

/// `bar` when `stream` is a terminal, `lines` otherwise; `none` when quiet.
[[nodiscard]] ProgressStyle progress_style_for(std::FILE* stream, bool quiet);

/// Reports (runs done, total, rate, ETA). Not thread-safe: call from one thread at a time (the
/// runner's writer stage does).
class Progress {
 public:
  /// `interval`: seconds between plain lines (style `lines`); the bar redraws at most 10 times a second.
  /// `per_point`: replicates per design point, to also report points done (runs done / per_point,
  /// when runs complete point by point); 0 to report runs only.
  Progress(std::FILE* stream, ProgressStyle style, std::uint64_t total, double interval = 5.0,
           std::uint64_t per_point = 0);
  /// Records that `done` runs of `total` are finished; prints when due.
  void update(std::uint64_t done);
  /// Prints the final state (always, unless style is `none`) and ends the bar's line.
  void finish(std::uint64_t done);

  /// The text of one report, e.g. "512/1000 runs (51%)  143.2 runs/s  ETA 3 s". Exposed for tests.
  /// With per_point > 0 it starts with points, e.g. "12/30 points, 600/1500 runs (40%) …".
  [[nodiscard]] static std::string describe(std::uint64_t done, std::uint64_t total, double seconds,
                                            std::uint64_t per_point = 0);

 private:
  void print(std::uint64_t done, bool final);

  std::FILE* stream_;
  ProgressStyle style_;
  std::uint64_t total_;
  double interval_;
  std::uint64_t per_point_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace normsim::study
