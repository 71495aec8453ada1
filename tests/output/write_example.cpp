// output_write_example <path> [replicates steps]: writes a small normsim-runs file through Hdf5Sink
// for check_readers.py (h5py, pandas, xarray). Rows are written in reverse; one row is left out.
#include "output/error.hpp"
#include "output/hdf5_sink.hpp"
#include "output_test_support.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  using namespace normsim::output;
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: output_write_example <path> [replicates steps]\n";
    return 2;
  }
  const std::uint64_t replicates = argc == 4 ? std::stoull(argv[2]) : 6;
  const std::int64_t steps = argc == 4 ? std::stoll(argv[3]) : 5;
  try {
    Hdf5Sink sink{argv[1], Layout{replicates, steps, true}, test::sample_provenance(), true};
    for (std::uint64_t r = replicates; r-- > 1;)  // row 0 is never written: it must read as NaN
      sink.write(test::make_record(r, static_cast<std::size_t>(steps)));
    sink.commit(false, test::sample_provenance());
  } catch (const OutputError& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  return 0;
}
