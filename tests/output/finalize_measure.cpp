// output_finalize_measure write|finalize <dir> <points> <replicates> <steps> <shards>: measures
// finalize() at scale. `write` writes the synthetic records of every run round-robin into <shards>
// journals in <dir> (as the workers of a shared queue would); `finalize` merges them into
// <dir>/sweep.h5 and prints the time. Run under /usr/bin/time -f %M for the peak RSS. Not a test.
#include "output/error.hpp"
#include "output/finalize.hpp"
#include "output/journal.hpp"
#include "output_test_support.hpp"

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

int main(int argc, char** argv) {
  using namespace normsim::output;
  if (argc != 7) {
    std::cerr << "usage: output_finalize_measure write|finalize <dir> <points> <replicates> <steps> <shards>\n";
    return 2;
  }
  const std::string mode = argv[1];
  const std::filesystem::path dir = argv[2];
  Layout layout = test::single_point(std::stoull(argv[4]), std::stoll(argv[5]), true);
  layout.points = std::stoull(argv[3]);
  const std::size_t shards = std::stoul(argv[6]);
  std::vector<std::filesystem::path> journals;
  for (std::size_t s = 0; s < shards; ++s) journals.push_back(dir / ("shard" + std::to_string(s) + ".journal"));
  const auto start = std::chrono::steady_clock::now();
  try {
    if (mode == "write") {
      const JournalHeader header{1, layout.points, layout.replicates, layout.steps, true, "measure"};
      std::vector<std::unique_ptr<JournalWriter>> writers;
      for (const auto& j : journals) writers.push_back(std::make_unique<JournalWriter>(j, header, JournalMode::create));
      for (std::uint64_t r = 0; r < layout.runs(); ++r)
        writers[r % shards]->write(test::make_record(r, static_cast<std::size_t>(layout.steps), true, layout.replicates));
    } else {
      const auto report = finalize(journals, layout, test::sample_provenance(), dir / "sweep.h5", {true, false});
      std::cout << report.present << " runs from " << report.records << " records\n";
    }
  } catch (const OutputError& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  std::cout << mode << ": " << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s\n";
  return 0;
}
