// The same bits on every code path, whole files across processes: the baseline and a small sweep
// run by the normsim executable with its vector code (the default), with NORMSIM_SIMD=off (portable
// code everywhere: Philox and the math), with NORMSIM_SIMD=avx2, and with glibc told to use its
// non-AVX2, non-FMA code (GLIBC_TUNABLES; the model no longer calls libm's functions, so this must
// change nothing) write bit-identical datasets. The provenance records which path each used.
#include "output/hdf5_reader.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

using normsim::output::Hdf5Reader;
using normsim::test::run_normsim;
using normsim::test::ScratchDir;
using normsim::test::source_path;

namespace {

/// Runs normsim with one environment variable set (or none when `name` is empty).
normsim::test::CommandResult run_with(const char* name, const char* value, const std::string& args,
                                      const std::filesystem::path& dir) {
  if (name[0] != '\0') setenv(name, value, 1);
  const auto r = run_normsim(args, dir);
  if (name[0] != '\0') unsetenv(name);
  return r;
}

std::vector<std::string> reproducible_datasets(const std::filesystem::path& path) {
  std::vector<std::string> names = Hdf5Reader(path.string()).dataset_paths();
  names.erase(std::remove(names.begin(), names.end(), "/runs/wall_seconds"), names.end());
  return names;
}

struct Variant {
  const char* variable;
  const char* value;
  const char* file;
};

constexpr Variant kVariants[] = {
    {"", "", "default.h5"},
    {"NORMSIM_SIMD", "off", "off.h5"},
    {"NORMSIM_SIMD", "avx2", "avx2.h5"},
    {"GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F", "tunables.h5"},
};

void check_identical_files(const ScratchDir& dir, const std::string& args) {
  for (const Variant& v : kVariants) {
    const auto r = run_with(v.variable, v.value, args + " -q -o " + v.file, dir.path());
    INFO(v.variable << "=" << v.value << ": " << r.err);
    REQUIRE(r.exit_code == 0);
  }
  const auto names = reproducible_datasets(dir.path() / "default.h5");
  CHECK(std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.rfind("/outcomes/", 0) == 0; }) > 5);
  for (const Variant& v : kVariants) {
    const auto difference = normsim::output::compare_datasets(dir.path() / "default.h5", dir.path() / v.file, names);
    INFO(v.file << ": " << (difference ? difference->dataset + ": " + difference->description : std::string("none")));
    CHECK_FALSE(difference.has_value());
  }
  const Hdf5Reader portable((dir.path() / "off.h5").string());
  CHECK(portable.string_attribute("vector_path") == "portable");
  CHECK(portable.string_attribute("math_implementation").rfind("SLEEF 3.5", 0) == 0);
  const Hdf5Reader vector((dir.path() / "default.h5").string());
  CHECK(vector.string_attribute("math_implementation") == portable.string_attribute("math_implementation"));
}

}  // namespace

TEST_CASE("the baseline gives bit-identical files with vector code, NORMSIM_SIMD=off and glibc's tunables",
          "[cli][determinism]") {
  const ScratchDir dir("simd_baseline");
  check_identical_files(dir, "run '" + source_path("scenarios/baseline.toml") + "' -r 120 --threads 2");
}

TEST_CASE("a sweep gives bit-identical files with vector code, NORMSIM_SIMD=off and glibc's tunables",
          "[cli][determinism]") {
  const ScratchDir dir("simd_sweep");
  check_identical_files(dir, "run '" + source_path("tests/cli/sweep_small.toml") + "' --threads 2");
}

TEST_CASE("an unknown NORMSIM_SIMD value is refused with a message", "[cli]") {
  const ScratchDir dir("simd_bad");
  const auto r = run_with("NORMSIM_SIMD", "sse9", "run '" + source_path("scenarios/baseline.toml") + "' -q -r 2 -o x.h5",
                          dir.path());
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("NORMSIM_SIMD=sse9") != std::string::npos);
}
