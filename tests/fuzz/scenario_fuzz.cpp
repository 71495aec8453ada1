// libFuzzer target over the scenario loader, [sweep] included. The input is a scenario file's text.
// A ScenarioError is the loader doing its job; anything else (another exception, a crash, a
// sanitizer report, a broken invariant below) is a finding. Invariants checked on every scenario
// that loads:
//   - resolved_toml reads back, and reads back to the same resolved text (round trip);
//   - the first points, and the last, build or fail with a ScenarioError, and their values are
//     the same through value_text and point_scenario;
//   - point_stream_id and sweep_identity are deterministic.
#include "scenario/scenario.hpp"
#include "scenario/sweep.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace normsim::scenario;

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "finding: %s\n%s\n", what, detail.c_str());
  std::abort();
}

std::string body(const std::string& resolved) { return resolved.substr(resolved.find("\n[")); }

void check(const Scenario& s) {
  const std::string resolved = resolved_toml(s);
  Scenario again;
  try {
    again = load_text(resolved, "resolved");
  } catch (const ScenarioError& e) {
    finding("resolved_toml does not read back", std::string(e.what()) + "\n" + resolved);
  }
  if (body(resolved_toml(again)) != body(resolved)) finding("resolved_toml does not round-trip", resolved);
  if (again.sweep.points != s.sweep.points) finding("the point count changes in the round trip", resolved);
  if (sweep_identity(again) != sweep_identity(s)) finding("sweep_identity changes in the round trip", resolved);
  const std::uint64_t points = s.sweep.points;
  for (std::uint64_t i = 0; i < 5 && i < points; ++i) {
    const std::uint64_t p = i < 4 ? i : points - 1;
    try {
      const Scenario point = point_scenario(s, p);
      if (point_stream_id(point) != point_stream_id(point_scenario(again, p))) {
        finding("point_stream_id differs after the round trip", resolved);
      }
      for (std::size_t f = 0; f < s.sweep.factors.size(); ++f) {
        if (s.sweep.value_text(p, f) != again.sweep.value_text(p, f)) finding("value_text differs", resolved);
        (void)s.sweep.numeric(p, f);
        (void)s.sweep.level(p, f);
      }
    } catch (const ScenarioError&) {
      // An invalid combination of levels: reported, naming the point.
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Scenario s;
  try {
    s = load_text(text, "fuzz.toml");
  } catch (const ScenarioError&) {
    return 0;
  }
  check(s);
  return 0;
}
