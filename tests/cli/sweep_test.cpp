// Sweeps end to end: the plan, the size limit, and the promise that kill -9 and --resume, shards
// and merge, and mpirun all give the file an uninterrupted single process writes, bit for bit.
#include "cli/support.hpp"
#include "output/hdf5_reader.hpp"
#include "output/schema.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using normsim::output::Hdf5Reader;
using normsim::test::run_normsim;
using normsim::test::ScratchDir;

namespace {

// 3 norms × 2 spill probabilities, 40 replicates: 240 short runs.
constexpr const char* kSweep = R"(# small sweep for the CLI tests
[labs]
sizes = [12, 8, 5]
[world]
steps = 60
[run]
replicates = 40
seed = 3
[sweep]
design = "grid"
[[sweep.factor]]
key = "norm.preset"
values = ["open", "closed", "hazard_specific"]
[[sweep.factor]]
key = "research.spill_probability"
values = [0.05, 0.3]
)";

/// The first difference between the reproducible datasets of two files, or "" if none.
std::string difference(const std::filesystem::path& a, const std::filesystem::path& b) {
  const auto d = normsim::output::compare_datasets(a, b, normsim::output::reproducible_dataset_paths(true));
  return d ? d->dataset + ": " + d->description : std::string();
}

/// Starts `normsim args` in `dir` as a child process and returns its pid.
pid_t spawn(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    std::vector<char*> argv{const_cast<char*>(NORMSIM_CLI_PATH)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(NORMSIM_CLI_PATH, argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

TEST_CASE("plan prints the design and the estimates without writing anything", "[cli][sweep]") {
  const ScratchDir dir("plan");
  dir.write("sweep.toml", kSweep);
  const auto r = run_normsim("plan sweep.toml", dir.path());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("design: grid, 2 factors"));
  CHECK_THAT(r.out, Catch::Contains("points: 6   replicates per point: 40   runs: 240"));
  CHECK_THAT(r.out, Catch::Contains("estimated researcher-steps"));
  CHECK_THAT(r.out, Catch::Contains("estimated time"));
  CHECK_THAT(r.out, Catch::Contains("estimated output"));
  CHECK(dir.entries() == 3);  // sweep.toml, stdout.txt, stderr.txt
}

TEST_CASE("a sweep above sweep.max_runs needs --force", "[cli][sweep]") {
  const ScratchDir dir("force");
  dir.write("sweep.toml", kSweep);
  const auto refused = run_normsim("run sweep.toml --set sweep.max_runs=100", dir.path());
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("240 runs (6 points × 40 replicates) exceed sweep.max_runs = 100"));
  CHECK_THAT(refused.err, Catch::Contains("estimated time"));
  const auto forced = run_normsim("run sweep.toml -q --set sweep.max_runs=100 --force", dir.path());
  CHECK(forced.exit_code == 0);
  const Hdf5Reader file((dir / "sweep.h5").string());
  CHECK(file.shape("/outcomes/xrisk") == std::vector<std::uint64_t>{6, 40});
}

TEST_CASE("kill -9 at any moment, then --resume, gives the uninterrupted file", "[cli][sweep][slow]") {
  const ScratchDir dir("resume");
  dir.write("sweep.toml", kSweep);
  // 6 points × 20 000 replicates: seconds of work, so that every kill lands mid-way; outcomes only
  // (the series path is covered by the shard and mpirun tests) to keep the journal small.
  const std::string more = "--no-series --set run.replicates=20000";
  REQUIRE(run_normsim("run sweep.toml -q -o whole.h5 " + more, dir.path()).exit_code == 0);
  for (const int delay_ms : {50, 300, 700, 1200}) {
    INFO("killed after " << delay_ms << " ms");
    std::filesystem::remove(dir / "k.h5");
    std::filesystem::remove(dir / "k.h5.journal");
    const pid_t child = spawn(dir.path(), {"run", "sweep.toml", "-q", "-o", "k.h5", "--no-series", "--set", "run.replicates=20000"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK_FALSE(std::filesystem::exists(dir / "k.h5"));
    // Killed twice: the second resume is killed too, then finished.
    const pid_t again = spawn(dir.path(), {"run", "sweep.toml", "-q", "-o", "k.h5", "--no-series", "--set", "run.replicates=20000", "--resume"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms / 2));
    ::kill(again, SIGKILL);
    ::waitpid(again, &status, 0);
    const auto r = run_normsim("run sweep.toml -q -o k.h5 " + more + " --resume", dir.path());
    REQUIRE(r.exit_code == 0);
    const auto d = normsim::output::compare_datasets(dir / "whole.h5", dir / "k.h5",
                                                     normsim::output::reproducible_dataset_paths(false));
    CHECK_FALSE(d.has_value());
    CHECK_FALSE(std::filesystem::exists(dir / "k.h5.journal"));
  }
}

TEST_CASE("an interrupted run says how to resume, and refuses to start over silently", "[cli][sweep]") {
  const ScratchDir dir("interrupted");
  dir.write("sweep.toml", kSweep);
  const auto r = run_normsim(
      "run sweep.toml -o s.h5 --set run.replicates=100000 & pid=$!; sleep 1; kill -INT $pid; wait $pid", dir.path());
  CHECK(r.exit_code == 130);
  CHECK_THAT(r.err, Catch::Contains("--resume"));
  CHECK(std::filesystem::exists(dir / "s.h5.journal"));
  CHECK_FALSE(std::filesystem::exists(dir / "s.h5"));
  const auto again = run_normsim("run sweep.toml -o s.h5 --set run.replicates=100000", dir.path());
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("pass --resume to continue it, or --overwrite to start over"));
}

TEST_CASE("the command that continues an interrupted run drops --overwrite, which would start over", "[cli][sweep]") {
  const ScratchDir dir("interrupted-overwrite");
  dir.write("sweep.toml", kSweep);
  const auto r = run_normsim("run sweep.toml -o s.h5 --overwrite --set run.replicates=100000 & pid=$!; sleep 1; "
                             "kill -INT $pid; wait $pid",
                             dir.path());
  CHECK(r.exit_code == 130);
  const auto at = r.err.find("To continue:\n");
  REQUIRE(at != std::string::npos);
  const std::string command = r.err.substr(at + std::string("To continue:\n").size());
  CHECK_THAT(command, Catch::Contains("--resume"));
  CHECK_THAT(command, !Catch::Contains("--overwrite"));
  CHECK_THAT(command, Catch::Contains("run.replicates=100000"));
  CHECK(std::filesystem::exists(dir / "s.h5.journal"));
}

TEST_CASE("three shards merged give the single-process file", "[cli][sweep]") {
  const ScratchDir dir("shards");
  dir.write("sweep.toml", kSweep);
  REQUIRE(run_normsim("run sweep.toml -q -o whole.h5", dir.path()).exit_code == 0);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(run_normsim("run sweep.toml -q --shard " + std::to_string(i) + "/3", dir.path()).exit_code == 0);
  }
  const auto merged = run_normsim(
      "merge sweep.shard-2-of-3.journal sweep.shard-0-of-3.journal sweep.shard-1-of-3.journal -o merged.h5 -q",
      dir.path());
  REQUIRE(merged.exit_code == 0);
  CHECK(difference(dir / "whole.h5", dir / "merged.h5").empty());
  const auto missing = run_normsim("merge sweep.shard-0-of-3.journal sweep.shard-1-of-3.journal -o m2.h5", dir.path());
  CHECK(missing.exit_code != 0);
  CHECK_THAT(missing.err, Catch::Contains("missing"));
  const auto twice = run_normsim(
      "merge sweep.shard-0-of-3.journal sweep.shard-0-of-3.journal sweep.shard-1-of-3.journal sweep.shard-2-of-3.journal -o m3.h5",
      dir.path());
  CHECK(twice.exit_code != 0);
  dir.write("other.toml", std::string(kSweep) + "\n[hazard]\nmax = 0.1\n");
  REQUIRE(run_normsim("run other.toml -q --shard 0/3", dir.path()).exit_code == 0);
  const auto foreign = run_normsim(
      "merge other.shard-0-of-3.journal sweep.shard-1-of-3.journal sweep.shard-2-of-3.journal -o m4.h5", dir.path());
  CHECK(foreign.exit_code != 0);
  CHECK_FALSE(std::filesystem::exists(dir / "m2.h5"));
  CHECK_FALSE(std::filesystem::exists(dir / "m4.h5"));
}

TEST_CASE("mpirun with 2 and 3 ranks gives the single-process file", "[cli][sweep][mpi]") {
  const ScratchDir dir("mpi");
  dir.write("sweep.toml", kSweep);
  REQUIRE(run_normsim("run sweep.toml -q -o whole.h5", dir.path()).exit_code == 0);
  for (const int ranks : {2, 3}) {
    const std::string out = "mpi" + std::to_string(ranks) + ".h5";
    // Root in CI containers; 2 cores: oversubscribe, one thread per rank.
    const std::string command = "cd '" + dir.path().string() +
                                "' && mpirun --allow-run-as-root --oversubscribe -np " + std::to_string(ranks) + " '" +
                                NORMSIM_CLI_PATH + "' run sweep.toml -q -j 1 -o " + out + " > mpi.log 2>&1";
    const int status = std::system(command.c_str());
    INFO(normsim::test::read_text(dir / "mpi.log"));
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    CHECK(Hdf5Reader((dir / out).string()).int64_attribute("processes") == ranks);
    CHECK(difference(dir / "whole.h5", dir / out).empty());
  }
}

TEST_CASE("with sweep.common_keys every point draws the same keys, so points pair run by run", "[cli][sweep]") {
  // Under the open norm every result is permitted, so compliance changes nothing but the keys:
  // with common keys both points give identical runs; with their own keys they differ.
  const ScratchDir dir("common-keys");
  dir.write("c.toml", R"(# compliance is irrelevant under the open norm
[labs]
sizes = [10, 6]
[world]
steps = 40
[run]
replicates = 12
seed = 9
[sweep]
design = "grid"
[[sweep.factor]]
key = "norm.compliance"
values = [0.2, 0.9]
)");
  REQUIRE(run_normsim("run c.toml -q -o own.h5", dir.path()).exit_code == 0);
  REQUIRE(run_normsim("run c.toml -q -o common.h5 --set sweep.common_keys=true", dir.path()).exit_code == 0);
  const auto own = Hdf5Reader((dir / "own.h5").string()).read_float64("/outcomes/capability");
  const auto common = Hdf5Reader((dir / "common.h5").string()).read_float64("/outcomes/capability");
  REQUIRE(own.size() == 24);
  REQUIRE(common.size() == 24);
  std::size_t own_equal = 0;
  for (std::size_t r = 0; r < 12; ++r) {
    CHECK(common[r] == common[12 + r]);
    own_equal += own[r] == own[12 + r] ? 1U : 0U;
  }
  CHECK(own_equal == 0);
}
