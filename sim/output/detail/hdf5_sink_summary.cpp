// The per-point summaries of Hdf5Sink, computed at commit by reading back the outcome rows already
// in the file, a block of points at a time: memory is O(max(R, 65536)), not O(P·R).
#include "output/detail/hdf5_sink_state.hpp"
#include "output/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace normsim::output::detail {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kStatistics = 6;  // mean, sd, se, q05, q50, q95 (then n, uint64)
constexpr std::array<const char*, kStatistics> kStatisticNames{"mean", "sd", "se", "q05", "q50", "q95"};
constexpr std::array<const char*, kStatistics> kStatisticMeanings{
    "mean over the point's completed replicates with a value",
    "sample standard deviation (divisor n − 1; NaN if n < 2)",
    "standard error of the mean, sd/√n (NaN if n < 2)",
    "5 % quantile (type 7, linear interpolation)",
    "median (type 7)",
    "95 % quantile (type 7, linear interpolation)"};

double statistic(const OutcomeSummary& s, std::size_t i) {
  switch (i) {
    case 0: return s.mean;
    case 1: return s.sd;
    case 2: return s.se;
    case 3: return s.q05;
    case 4: return s.q50;
    default: return s.q95;
  }
}

}  // namespace

void SinkState::write_summaries() {
  const hsize_t p = points;
  const hid_t root = file.id();
  Group summary = create_group(root, "summary");
  const DatasetSpec f64{file_type<double>(), {p}, {}, false, native_type<double>(), &kNaN};
  const DatasetSpec u64{file_type<std::uint64_t>(), {p}, {}, false, -1, nullptr};
  std::vector<Group> groups;
  std::vector<Dataset> stats;  // [outcome][kStatistics + 1 (n)]
  for (const auto& desc : model::kOutcomeDescriptors) {
    groups.push_back(create_group(summary.id(), std::string{desc.name}));
    for (std::size_t i = 0; i <= kStatistics; ++i) {
      const bool is_n = i == kStatistics;
      Dataset d = create_dataset(groups.back().id(), is_n ? "n" : kStatisticNames[i], is_n ? u64 : f64);
      write_string_attribute(d.id(), "units", is_n ? std::string_view{"replicates"} : desc.units);
      write_string_attribute(d.id(), "meaning", is_n ? "number of completed replicates with a value (not NaN)"
                                                     : kStatisticMeanings[i]);
      attach_scale(d.id(), point_scale.id(), 0);
      stats.push_back(std::move(d));
    }
  }
  Dataset reached = create_dataset(summary.id(), "reached_transformative", u64);
  write_string_attribute(reached.id(), "units", "replicates");
  write_string_attribute(reached.id(), "meaning", "completed replicates with a finite t_transform");
  attach_scale(reached.id(), point_scale.id(), 0);

  // A block of points per read: about 65536 values per outcome, at least one point.
  const std::uint64_t per_read = std::max<std::uint64_t>(1, 65536 / std::max<std::uint64_t>(replicates, 1));
  std::vector<double> values;
  std::vector<std::uint8_t> done;
  std::vector<double> row, scratch;
  std::vector<double> out(per_read * kStatistics);
  std::vector<std::uint64_t> counts(per_read), reached_counts(per_read);
  const auto t_transform = static_cast<std::size_t>(model::OutcomeId::t_transform);
  for (std::uint64_t p0 = 0; p0 < points; p0 += per_read) {
    const std::uint64_t np = std::min(per_read, points - p0);
    const std::array<hsize_t, 2> start{p0, 0}, count{np, replicates};
    const std::string what = fmt::format("summarising points {}…{}", p0, p0 + np - 1);
    done.resize(np * replicates);
    read_block<std::uint8_t>(completed.id(), start, count, done, what);
    values.resize(np * replicates);
    std::fill(reached_counts.begin(), reached_counts.end(), 0);
    for (std::size_t k = 0; k < model::kOutcomeCount; ++k) {
      read_block<double>(outcomes[k].id(), start, count, values, what);
      for (std::uint64_t j = 0; j < np; ++j) {
        row.assign(replicates, kNaN);
        for (std::uint64_t r = 0; r < replicates; ++r)
          if (done[j * replicates + r]) {
            const double x = values[j * replicates + r];
            row[r] = x;
            if (k == t_transform && std::isfinite(x)) ++reached_counts[j];
          }
        const OutcomeSummary s = summarize(row, scratch);
        for (std::size_t i = 0; i < kStatistics; ++i) out[i * per_read + j] = statistic(s, i);
        counts[j] = s.n;
      }
      const hsize_t s1 = p0, c1 = np;
      for (std::size_t i = 0; i < kStatistics; ++i)
        write_block<double>(stats[k * (kStatistics + 1) + i].id(), {&s1, 1}, {&c1, 1},
                            std::span<const double>{out}.subspan(i * per_read, np), what);
      write_block<std::uint64_t>(stats[k * (kStatistics + 1) + kStatistics].id(), {&s1, 1}, {&c1, 1},
                                 std::span<const std::uint64_t>{counts}.first(np), what);
    }
    const hsize_t s1 = p0, c1 = np;
    write_block<std::uint64_t>(reached.id(), {&s1, 1}, {&c1, 1}, std::span<const std::uint64_t>{reached_counts}.first(np), what);
  }
  for (auto& d : stats) d.close("closing /summary");
  reached.close("closing /summary/reached_transformative");
  for (auto& g : groups) g.close("closing /summary");
  summary.close("closing /summary");
}

}  // namespace normsim::output::detail
