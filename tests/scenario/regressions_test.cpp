// Inputs that once crashed the loader or broke one of its invariants (found by the fuzzer,
// tests/fuzz/scenario_fuzz.cpp): each must load or fail with a ScenarioError, and a scenario that
// loads must read back from its resolved text, to the same points.
#include "scenario/sweep.hpp"
#include "support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace normsim::scenario;

TEST_CASE("every fuzzer regression input loads or fails with a ScenarioError") {
  const std::filesystem::path dir = std::filesystem::path(NORMSIM_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  REQUIRE(std::filesystem::is_directory(dir));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
    INFO(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    try {
      const Scenario s = load_text(text.str(), "regression");
      const Scenario again = load_text(resolved_toml(s), "resolved");
      CHECK(again.sweep.points == s.sweep.points);
      for (std::uint64_t p = 0; p < 4 && p < s.sweep.points; ++p) {
        try {
          CHECK(point_stream_id(point_scenario(s, p)) == point_stream_id(point_scenario(again, p)));
        } catch (const ScenarioError&) {
          // an invalid combination, reported as such
        }
      }
    } catch (const ScenarioError&) {
      SUCCEED();
    }
  }
}
