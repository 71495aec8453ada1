// output_write_example <path> [points replicates steps]: writes a small normsim-runs sweep file
// through Hdf5Sink for check_readers.py (h5py, pandas, xarray): a numeric design factor
// "research.spill_probability" and a categorical one "norms.regime" (labels "open", "closed loop").
// Runs are written in reverse; run 0 (point 0, replicate 0) is left out.
#include "output/error.hpp"
#include "output/hdf5_sink.hpp"
#include "output_test_support.hpp"

#include <cstdlib>
#include <iostream>
#include <limits>
#include <string>

int main(int argc, char** argv) {
  using namespace normsim::output;
  if (argc != 2 && argc != 5) {
    std::cerr << "usage: output_write_example <path> [points replicates steps]\n";
    return 2;
  }
  Layout layout;
  layout.points = argc == 5 ? std::stoull(argv[2]) : 3;
  layout.replicates = argc == 5 ? std::stoull(argv[3]) : 4;
  layout.steps = argc == 5 ? std::stoll(argv[4]) : 5;
  DesignFactor spill{"research.spill_probability", false, {}, {}, {}, "probability", "linear"};
  DesignFactor regime{"norms.regime", true, {"open", "closed loop"}, {}, {}, "", ""};
  for (std::uint64_t p = 0; p < layout.points; ++p) {
    spill.values.push_back(0.1 * static_cast<double>(p + 1));
    spill.levels.push_back(-1);
    regime.values.push_back(std::numeric_limits<double>::quiet_NaN());
    regime.levels.push_back(static_cast<std::int64_t>(p % 2));
  }
  layout.design = {spill, regime};
  try {
    Hdf5Sink sink{argv[1], layout, test::sample_provenance(), true};
    for (std::uint64_t r = layout.runs(); r-- > 1;)  // run 0 is never written: it must read as NaN
      sink.write(test::make_record(r, static_cast<std::size_t>(layout.steps), true, layout.replicates));
    sink.commit(false, test::sample_provenance());
  } catch (const OutputError& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  return 0;
}
