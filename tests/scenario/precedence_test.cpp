// Which norm wins when the file, --set overrides and sweep levels all give one (REFERENCE.md,
// "Precedence"). Each combination is compared with the preset's own scenario file: equal settings
// and equal resolved text (hence equal stream ids and bit-identical runs at the same seed).
#include "scenario/sweep.hpp"
#include "support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::load_error;
using scenario::testing::settings_view;

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(NORMSIM_SOURCE_DIR) / "scenarios";

const std::vector<std::string> kPresets{"open",        "closed", "no_capabilities", "no_interpretability",
                                        "hazard_specific", "embargo_capabilities"};

std::string file_text(const std::string& name) {
  std::ifstream in(kScenarios / name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Scenario norm_file(const std::string& preset, const std::vector<std::string>& overrides = {}) {
  return load_file(kScenarios / ("norm_" + preset + ".toml"), overrides);
}

// resolved_toml without its comment lines (source, --set): what the stream id is a hash of, plus [run].
std::string resolved_sections(const Scenario& s) {
  std::istringstream in(resolved_toml(s));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind('#', 0) != 0) out += line + "\n";
  }
  return out;
}

// `s` and `expected` are the same scenario: settings, resolved text and stream id.
void check_same(const Scenario& s, const Scenario& expected) {
  CHECK(settings_view(s) == settings_view(expected));
  CHECK(resolved_sections(s) == resolved_sections(expected));
  CHECK(point_stream_id(s) == point_stream_id(expected));
}

// baseline.toml (the open norm with every norm key written out) with a [sweep] appended.
std::string baseline_with_sweep(const std::string& factors, const std::string& replace_compliance = "") {
  std::string text = file_text("baseline.toml");
  if (!replace_compliance.empty()) {
    const std::string from = "compliance = 0.9";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), "compliance = " + replace_compliance);
  }
  return text + "\n[sweep]\ndesign = \"grid\"\n" + factors;
}

const std::string kPresetFactor =
    "[[sweep.factor]]\nkey = \"norm.preset\"\nvalues = [\"open\", \"closed\", \"no_capabilities\", "
    "\"no_interpretability\", \"hazard_specific\", \"embargo_capabilities\"]\n";

}  // namespace

TEST_CASE("file preset + file key: the keys adjust the file's preset wherever they stand") {
  const Scenario after = load_text("[norm]\npreset = \"closed\"\nallow.flagged = 0.5\ncompliance = 0.6\n", "x");
  const Scenario before = load_text("[norm]\nallow.flagged = 0.5\ncompliance = 0.6\npreset = \"closed\"\n", "x");
  CHECK(after.model.norm.allow == std::array<double, 3>{0.0, 0.0, 0.5});
  CHECK(after.model.norm.compliance == 0.6);
  CHECK(settings_view(before) == settings_view(after));
  // norm_closed.toml with keys written before its preset: the same as adjusting it by --set.
  std::string text = file_text("norm_closed.toml");
  const std::string table = "[norm]\npreset = \"closed\"\n";
  REQUIRE(text.find(table) != std::string::npos);
  text.replace(text.find(table), table.size(), "[norm]\nallow.flagged = 0.5\ncompliance = 0.6\npreset = \"closed\"\n");
  check_same(load_text(text, "x"), norm_file("closed", {"norm.allow.flagged=0.5", "norm.compliance=0.6"}));
  // baseline.toml's keys restate open's values: adjusting nothing, it is norm_open.toml.
  check_same(load_file(kScenarios / "baseline.toml"), norm_file("open"));
}

TEST_CASE("file keys + --set preset: the preset means its own norm (baseline.toml = norm_<preset>.toml)") {
  for (const std::string& preset : kPresets) {
    INFO(preset);
    const Scenario s = load_file(kScenarios / "baseline.toml", {"norm.preset=" + preset});
    CHECK(s.model.norm.allow == model::preset_norm(s.norm_preset).allow);
    CHECK(s.model.norm.embargo == model::preset_norm(s.norm_preset).embargo);
    check_same(s, norm_file(preset));
  }
  // The file's compliance is not the preset's: a --set preset keeps it.
  const Scenario half = load_text(file_text("baseline.toml"), "b", {"norm.compliance=0.5", "norm.preset=closed"});
  check_same(half, norm_file("closed", {"norm.compliance=0.5"}));
  // A file with preset embargo_capabilities and its embargo: another preset given later replaces the
  // embargo too (no "norm.embargo applies only to ..." error for a value no longer in effect).
  const Scenario embargo = load_text("[norm]\npreset = \"embargo_capabilities\"\nembargo = 16\n", "x", {"norm.preset=closed"});
  CHECK(embargo.model.norm.embargo == std::array<std::int64_t, 3>{0, 0, 0});
  CHECK(embargo.model.norm.allow == std::array<double, 3>{0.0, 0.0, 0.0});
}

TEST_CASE("preset and key both by --set: a key after the preset adjusts it, a key before it is replaced") {
  const std::string baseline = (kScenarios / "baseline.toml").string();
  check_same(load_file(baseline, {"norm.preset=closed", "norm.allow.flagged=0.5"}),
             norm_file("closed", {"norm.allow.flagged=0.5"}));
  check_same(load_file(baseline, {"norm.allow.flagged=0.5", "norm.preset=closed"}), norm_file("closed"));
  check_same(load_file(baseline, {"norm.preset=closed", "norm.embargo_flagged=3"}),
             norm_file("closed", {"norm.embargo_flagged=3"}));
  check_same(load_file(baseline, {"norm.embargo_flagged=3", "norm.preset=closed"}), norm_file("closed"));
  // The compliance is no preset's: kept in both orders.
  const Scenario half = norm_file("closed", {"norm.compliance=0.5"});
  CHECK(half.model.norm.compliance == 0.5);
  check_same(load_file(baseline, {"norm.preset=closed", "norm.compliance=0.5"}), half);
  check_same(load_file(baseline, {"norm.compliance=0.5", "norm.preset=closed"}), half);
  // A whole norm replaces the whole norm, compliance included; its keys adjust its own preset.
  check_same(load_file(baseline, {"norm.compliance=0.5", "norm={allow = {flagged = 0.5}, preset = \"closed\"}"}),
             norm_file("closed", {"norm.allow.flagged=0.5"}));
  // One --set is one source: its keys adjust its preset whatever their order in it.
  check_same(load_file(baseline, {"norm={preset = \"closed\", compliance = 0.5}"}), half);
}

TEST_CASE("norm.embargo is the shorthand of embargo_capabilities: the later of the two names wins") {
  const std::string baseline = (kScenarios / "baseline.toml").string();
  const Scenario sixteen = norm_file("embargo_capabilities", {"norm.embargo=16"});
  CHECK(sixteen.model.norm.embargo[0] == 16);
  check_same(load_file(baseline, {"norm.preset=embargo_capabilities", "norm.embargo=16"}), sixteen);
  // Given before the preset, the shorthand is replaced by the preset's default (8), not an error.
  check_same(load_file(baseline, {"norm.embargo=16", "norm.preset=embargo_capabilities"}),
             norm_file("embargo_capabilities"));
  // With another preset in effect, the shorthand is still an error (it would be ignored).
  CHECK(load_error(file_text("baseline.toml"), {"norm.embargo=16"})
            .rfind("--set norm.embargo=16: norm.embargo applies only to norm.preset = \"embargo_capabilities\", "
                   "not \"open\"",
                   0) == 0);
  // In different sources the later name replaces the other; in one source embargo_capabilities wins.
  const std::string file = "[norm]\npreset = \"embargo_capabilities\"\nembargo_capabilities = 4\n";
  CHECK(load_text(file, "x", {"norm.embargo=12"}).model.norm.embargo[0] == 12);
  CHECK(load_text("[norm]\npreset = \"embargo_capabilities\"\nembargo = 12\n", "x", {"norm.embargo_capabilities=4"})
            .model.norm.embargo[0] == 4);
  CHECK(load_text(file, "x", {"norm.embargo=12", "norm.embargo_capabilities=5"}).model.norm.embargo[0] == 5);
  CHECK(load_text(file, "x", {"norm.embargo_capabilities=5", "norm.embargo=12"}).model.norm.embargo[0] == 12);
  CHECK(load_text("[norm]\npreset = \"embargo_capabilities\"\nembargo_capabilities = 4\nembargo = 12\n", "x")
            .model.norm.embargo[0] == 4);
}

TEST_CASE("sweep levels of presets over a file with explicit norm keys: each level is the preset's own file") {
  const Scenario s = load_text(baseline_with_sweep(kPresetFactor), "baseline+sweep");
  REQUIRE(s.sweep.points == kPresets.size());
  // The resolved text (what every output file stores, re-read by merge, check and attribute) gives
  // the same points.
  const Scenario again = load_text(resolved_toml(s), "resolved");
  CHECK(sweep_identity(again) == sweep_identity(s));
  for (std::size_t p = 0; p < kPresets.size(); ++p) {
    INFO(kPresets[p]);
    const Scenario point = point_scenario(s, p);
    check_same(point, norm_file(kPresets[p]));
    check_same(point_scenario(again, p), point);
    // check's per-point attribution runs a point as the file with the point's values as --set.
    check_same(load_text(baseline_with_sweep(kPresetFactor), "b",
                         {"norm.preset=\"" + kPresets[p] + "\"", "sweep.design=\"single\"", "sweep.factor=[]"}),
               point);
  }
  // The file's compliance is kept by every level.
  const Scenario half = load_text(baseline_with_sweep(kPresetFactor, "0.5"), "x");
  for (std::size_t p = 0; p < kPresets.size(); ++p) {
    INFO(kPresets[p]);
    check_same(point_scenario(half, p), norm_file(kPresets[p], {"norm.compliance=0.5"}));
    check_same(point_scenario(load_text(resolved_toml(half), "resolved"), p), point_scenario(half, p));
  }
  // The same sweep given by --set (README's example) over baseline.toml.
  const Scenario set = load_file(kScenarios / "baseline.toml",
                                 {"sweep.design=grid", "sweep.factor=[{key = \"norm.preset\", values = [\"closed\"]}]"});
  check_same(point_scenario(set, 0), norm_file("closed"));
}

TEST_CASE("a norm.preset factor with a factor over norm.compliance: every preset at every compliance") {
  for (const bool preset_first : {true, false}) {
    INFO("preset factor first: " << preset_first);
    const std::string compliance = "[[sweep.factor]]\nkey = \"norm.compliance\"\nvalues = [0.5, 0.9]\n";
    const Scenario s = load_text(
        baseline_with_sweep(preset_first ? kPresetFactor + compliance : compliance + kPresetFactor), "x");
    REQUIRE(s.sweep.points == 2 * kPresets.size());
    for (std::uint64_t p = 0; p < s.sweep.points; ++p) {
      const std::size_t preset = static_cast<std::size_t>(s.sweep.level(p, preset_first ? 0 : 1));
      const std::string c = s.sweep.value_text(p, preset_first ? 1 : 0);
      check_same(point_scenario(s, p), norm_file(kPresets[preset], {"norm.compliance=" + c}));
    }
  }
}

TEST_CASE("a norm factor of inline tables replaces the whole norm of the file") {
  const Scenario s = load_text(
      baseline_with_sweep("[[sweep.factor]]\nkey = \"norm\"\nvalues = [{preset = \"closed\"}, "
                          "{allow = {flagged = 0.5}, preset = \"closed\", compliance = 0.5}, {compliance = 0.5}]\n",
                          "0.3"),
      "x");
  check_same(point_scenario(s, 0), norm_file("closed"));  // the file's compliance 0.3 replaced too
  check_same(point_scenario(s, 1), norm_file("closed", {"norm.allow.flagged=0.5", "norm.compliance=0.5"}));
  check_same(point_scenario(s, 2), norm_file("open", {"norm.compliance=0.5"}));
  for (std::uint64_t p = 0; p < s.sweep.points; ++p) {
    check_same(point_scenario(load_text(resolved_toml(s), "resolved"), p), point_scenario(s, p));
  }
}

TEST_CASE("a factor over a norm key adjusts the preset of the file or of --set") {
  const std::string factor = "[[sweep.factor]]\nkey = \"norm.allow.flagged\"\nvalues = [0.25]\n";
  check_same(point_scenario(load_text(baseline_with_sweep(factor), "x", {"norm.preset=closed"}), 0),
             norm_file("closed", {"norm.allow.flagged=0.25"}));
  check_same(point_scenario(load_text(file_text("norm_no_capabilities.toml") + "[sweep]\ndesign = \"grid\"\n" + factor, "x"), 0),
             norm_file("no_capabilities", {"norm.allow.flagged=0.25"}));
}

TEST_CASE("a sweep whose base norm comes from --set reads back from its resolved text to the same points") {
  const std::string compliance = "[[sweep.factor]]\nkey = \"norm.compliance\"\nvalues = [0.5, 0.9]\n";
  const std::vector<std::vector<std::string>> overrides{
      {"norm.preset=closed", "norm.allow.flagged=0.5"},
      {"norm.allow.flagged=0.5", "norm.preset=embargo_capabilities", "norm.embargo=12"},
      {"norm.preset=embargo_capabilities", "norm.embargo=12", "norm.embargo_capabilities=4"},
      {"norm={preset = \"hazard_specific\", embargo_flagged = 3}"}};
  for (const std::vector<std::string>& o : overrides) {
    INFO(o.front());
    const Scenario s = load_text(baseline_with_sweep(compliance), "x", o);
    const Scenario again = load_text(resolved_toml(s), "resolved");
    CHECK(sweep_identity(again) == sweep_identity(s));
    for (std::uint64_t p = 0; p < s.sweep.points; ++p) {
      check_same(point_scenario(again, p), point_scenario(s, p));
      // The point is the base with the level given last.
      std::vector<std::string> single = o;
      single.push_back("norm.compliance=" + s.sweep.value_text(p, 0));
      check_same(point_scenario(s, p), load_file(kScenarios / "baseline.toml", single));
    }
  }
}

TEST_CASE("two factors that set one norm value at every point are ambiguous") {
  const std::string allow = "[[sweep.factor]]\nkey = \"norm.allow.flagged\"\nvalues = [0.5]\n";
  CHECK(load_error("[sweep]\ndesign = \"grid\"\n" + kPresetFactor + allow) ==
        "test.toml:7:7: sweep.factor[1].key = \"norm.allow.flagged\" is already swept by sweep.factor[0] "
        "(key = \"norm.preset\", line 4): every preset sets norm.allow.flagged too, so each point would take it "
        "from two factors at once; sweep whole norms with key = \"norm\" (inline tables such as {preset = "
        "\"closed\", allow = {flagged = 0.5}}) instead");
  CHECK(load_error("[sweep]\ndesign = \"zip\"\n" + allow + kPresetFactor) ==
        "test.toml:7:7: sweep.factor[1].key = \"norm.preset\" is already swept by sweep.factor[0] "
        "(key = \"norm.allow.flagged\", line 4): every preset sets norm.allow.flagged too, so each point would take "
        "it from two factors at once; sweep whole norms with key = \"norm\" (inline tables such as {preset = "
        "\"closed\", allow = {flagged = 0.5}}) instead");
  for (const char* key : {"norm.embargo", "norm.embargo_interpretability", "norm.allow.capabilities"}) {
    INFO(key);
    CHECK(load_error("[sweep]\ndesign = \"grid\"\n" + kPresetFactor + "[[sweep.factor]]\nkey = \"" + key +
                     "\"\nvalues = [1]\n")
              .find("is already swept by sweep.factor[0] (key = \"norm.preset\", line 4): every preset sets") !=
          std::string::npos);
  }
  CHECK(load_error("norm.preset = \"embargo_capabilities\"\n[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\n"
                   "key = \"norm.embargo\"\nvalues = [1]\n[[sweep.factor]]\nkey = \"norm.embargo_capabilities\"\n"
                   "values = [2]\n") ==
        "test.toml:8:7: sweep.factor[1].key = \"norm.embargo_capabilities\" is already swept by sweep.factor[0] "
        "(key = \"norm.embargo\", line 5): both set the capabilities embargo");
  // Given with --set, the factors have no positions.
  CHECK(load_error("", {"sweep.design=grid",
                        "sweep.factor=[{key = \"norm.preset\", values = [\"open\"]}, {key = \"norm.allow.flagged\", "
                        "values = [0.5]}]"})
            .rfind("--set sweep.factor=[{key = \"norm.preset\", values = [\"open\"]}, {key = \"norm.allow.flagged\", "
                   "values = [0.5]}]: sweep.factor[1].key = \"norm.allow.flagged\" is already swept by sweep.factor[0] "
                   "(key = \"norm.preset\"): every preset sets",
                   0) == 0);
}

TEST_CASE("a --set that every sweep point would replace is an error naming the --set and the factor") {
  const std::string sweep = baseline_with_sweep(kPresetFactor);
  // The [[sweep.factor]] appended to baseline.toml: its key's line in the text.
  const std::string before_key = sweep.substr(0, sweep.find("key = \"norm.preset\""));
  const auto line = std::count(before_key.begin(), before_key.end(), '\n') + 1;
  const std::string factor = "sweep.factor[0] (key = \"norm.preset\", test.toml:" + std::to_string(line) + ":7)";
  CHECK(load_error(sweep, {"norm.allow.flagged=0.5"}) ==
        "--set norm.allow.flagged=0.5: norm.allow.flagged has no effect: every point of the sweep replaces it with "
        "a level of " + factor + ", whose presets set every allowance and embargo; to give it to every preset, sweep "
        "whole norms with key = \"norm\" instead");
  CHECK(load_error(sweep, {"norm.preset=closed"}) ==
        "--set norm.preset=closed: norm.preset has no effect: every point of the sweep replaces it with a level of " +
            factor + "; drop the --set, or change the sweep's levels (--set sweep.factor=[...])");
  CHECK(load_error(sweep, {"norm.embargo_flagged=2"}).rfind("--set norm.embargo_flagged=2: norm.embargo_flagged has no effect", 0) == 0);
  // A whole-norm factor replaces every norm key; a factor replaces its own key.
  const std::string norms = baseline_with_sweep("[[sweep.factor]]\nkey = \"norm\"\nvalues = [{preset = \"closed\"}]\n");
  CHECK(load_error(norms, {"norm.compliance=0.5"}).rfind(
            "--set norm.compliance=0.5: norm.compliance has no effect: every point of the sweep replaces it with a "
            "level of sweep.factor[0] (key = \"norm\", test.toml:",
            0) == 0);
  CHECK(load_error(norms, {"norm.compliance=0.5"}).find(", whose levels replace the whole norm") != std::string::npos);
  const std::string spill = "[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"research.spill_size\"\nvalues = [1, 2]\n";
  CHECK(load_error(spill, {"research.spill_size=3"}) ==
        "--set research.spill_size=3: research.spill_size has no effect: every point of the sweep replaces it with a "
        "level of sweep.factor[0] (key = \"research.spill_size\", test.toml:4:7); drop the --set, or change the "
        "sweep's levels (--set sweep.factor=[...])");
  const std::string embargo = "norm.preset = \"embargo_capabilities\"\n[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\n"
                              "key = \"norm.embargo\"\nvalues = [1, 2]\n";
  CHECK(load_error(embargo, {"norm.embargo_capabilities=3"}).find(", which sets the capabilities embargo by its other name") !=
        std::string::npos);
  // Not errors: what the levels do not replace, and a --set that is replaced by a later --set of the sweep.
  CHECK(load_error(sweep, {"norm.compliance=0.5"}).empty());
  CHECK(load_error(spill, {"research.spill_probability=0.3"}).empty());
  CHECK(load_error(sweep, {"norm.preset=closed", "sweep.factor=[{key = \"research.spill_size\", values = [1]}]"}).empty());
  CHECK(load_error(embargo, {"norm.embargo_interpretability=3"}).empty());
}
