// kill -9 of a process writing a journal, at an arbitrary moment: every record the reader returns
// is intact, the journal resumes, and finalize then builds a complete file.
#include "output/finalize.hpp"
#include "output/hdf5_reader.hpp"
#include "output/journal.hpp"
#include "output_test_support.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <csignal>
#include <filesystem>
#include <sys/wait.h>
#include <thread>

namespace {

using namespace normsim;
using namespace normsim::output;
using namespace normsim::output::test;

}  // namespace

TEST_CASE("a journal survives kill -9 of its writer and resumes", "[output][journal][slow]") {
  const ScratchDir dir{"journal-kill"};
  const auto path = dir.path() / "sweep.journal";
  Layout layout = single_point(2000, 50, true);
  layout.points = 20;  // 40,000 runs: far more than the child writes before it is killed
  const JournalHeader header{77, layout.points, layout.replicates, layout.steps, true, "kill -9 test"};
  for (const int delay_ms : {30, 70}) {
    std::filesystem::remove(path);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // the writer: never returns
      JournalWriter w{path, header, JournalMode::create};
      for (std::uint64_t r = 0; r < layout.runs(); ++r) w.write(make_record(r, 50, true, layout.replicates));
      ::_exit(0);
    }
    // Kill it while it writes: once the journal has grown past its header (however slow a loaded
    // machine starts the child), then after `delay_ms` more.
    for (int waited = 0; waited < 10000; ++waited) {
      std::error_code missing;
      if (std::filesystem::file_size(path, missing) > 64 * 1024 && !missing) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));
    std::uint64_t expected = 0;
    bool intact = true;
    JournalReader{path}.for_each([&](const runner::RunRecord& r) {
      const auto want = make_record(expected++, 50, true, layout.replicates);
      intact = intact && r.run_index == want.run_index && r.series.size() == want.series.size() &&
               std::bit_cast<std::uint64_t>(r.outcomes[2]) == std::bit_cast<std::uint64_t>(want.outcomes[2]) &&
               (r.series.empty() || r.series.back() == want.series.back());
    });
    INFO("records before the kill: " << expected);
    CHECK(intact);
    CHECK(expected > 0);
    CHECK(expected < layout.runs());
    {
      JournalWriter w{path, header, JournalMode::resume};
      CHECK(w.completed_count() == expected);
      for (std::uint64_t r = 0; r < layout.runs(); ++r)
        if (!w.completed()[r]) w.write(make_record(r, 50, true, layout.replicates));
    }
    const auto report = finalize({path}, layout, sample_provenance(), dir.path() / "sweep.h5", {true, false});
    CHECK(report.complete);
    CHECK(report.duplicates == 0);
  }
}
