// A program outside normsim: loads a scenario (argv[1]), runs it through the installed library into
// an HDF5 file (argv[2]) and prints the mean x-risk read back from it.
#include "output/hdf5_reader.hpp"
#include "scenario/scenario.hpp"
#include "study/run.hpp"

#include <cstdio>
#include <numeric>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer SCENARIO OUT.h5\n");
    return 2;
  }
  normsim::study::RunConfig config;
  config.scenario = normsim::scenario::load_file(argv[1], {"run.replicates=12", "world.steps=40"});
  config.output = argv[2];
  config.overwrite = true;
  config.series = false;
  config.conduct.quiet = true;
  const normsim::study::RunResult result = normsim::study::run(config, normsim::study::Processes());
  if (result.status != normsim::study::PipelineStatus::written) return 1;
  const std::vector<double> xrisk = normsim::output::Hdf5Reader(config.output).read_float64("/outcomes/xrisk");
  std::printf("runs %zu mean xrisk %.6f\n", xrisk.size(),
              std::accumulate(xrisk.begin(), xrisk.end(), 0.0) / static_cast<double>(xrisk.size()));
  return xrisk.size() == 12 ? 0 : 1;
}
