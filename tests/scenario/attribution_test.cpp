// The [attribution] section: defaults, every key read back, every class of error with its exact
// message and position, --set overrides, the round trip through resolved_toml, the example files.
#include "scenario/attribution.hpp"
#include "scenario/keys.hpp"
#include "support.hpp"

#include <filesystem>

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::load_error;
using scenario::testing::settings_view;

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(NORMSIM_SOURCE_DIR) / "scenarios";

const std::string kFull = R"(labs.sizes = [4, 3, 2]
[[individuals]]
lab = 2
focus = "interpretability"
talent = 3.0
[attribution]
outcomes = ["xrisk", "t_transform", "interpretability"]
rows = 64
bootstrap = 0
confidence = 0.9
target_ci_width = 1
researchers = "sample:5"
screen_threshold = 0.02
shapley = true
knockout = ["researcher:8", "individual:0", "lab:2"]
seed = 9
[[attribution.group]]
name = "lab 0 \"all\""
members = ["lab:0", "lab_researchers:0"]
[[attribution.group]]
name = "everything"
members = ["labs", "researchers", "researcher:0", "individual:0", "lab_researchers:2"]
)";

// An [attribution] section with `lines` after its header (line 2 on).
std::string section(const std::string& lines) { return "[attribution]\n" + lines; }

// A [[attribution.group]] entry with `lines` after its header (line 2 on).
std::string group(const std::string& lines) { return "[[attribution.group]]\n" + lines; }

AttributionSettings attribution_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const Scenario s = load_text(text, "test.toml", overrides);
  REQUIRE(s.attribution.has_value());
  return *s.attribution;
}

}  // namespace

TEST_CASE("a scenario without [attribution] has none") {
  CHECK_FALSE(load_text("", "x").attribution.has_value());
  CHECK_FALSE(load_text("[labs]\nsizes = [1]\n", "x").attribution.has_value());
  CHECK(resolved_toml(load_text("", "x")).find("attribution") == std::string::npos);
}

TEST_CASE("an empty [attribution] has the documented defaults") {
  for (const std::string& text : {std::string("[attribution]\n"), std::string("attribution = {}\n")}) {
    INFO(text);
    const AttributionSettings a = attribution_of(text);
    CHECK(a == AttributionSettings{});
    CHECK(a.outcomes == std::vector<model::OutcomeId>{model::OutcomeId::capability, model::OutcomeId::xrisk});
    CHECK(a.rows == 256);
    CHECK(a.bootstrap == 500);
    CHECK(a.confidence == 0.95);
    CHECK(a.target_ci_width == 0.05);
    CHECK(a.researchers == ResearcherSelection{ResearcherSelectionKind::all, 0});
    CHECK(a.screen_threshold == 0.0);
    CHECK_FALSE(a.shapley);
    CHECK(a.knockout.empty());
    CHECK(a.seed == 1);
    CHECK(a.groups.empty());
  }
  CHECK(default_toml(*find_key("attribution.outcomes")) == "[\"capability\", \"xrisk\"]");
  CHECK(default_toml(*find_key("attribution.researchers")) == "\"all\"");
  CHECK(default_toml(*find_key("attribution.knockout")) == "[]");
  CHECK(default_toml(*find_key("attribution.confidence")) == "0.95");
  CHECK(default_toml(*find_key("attribution.group")) == "none");
  CHECK(default_toml(*find_key("attribution.group.name")) == "required");
}

TEST_CASE("every attribution key is read") {
  const AttributionSettings a = attribution_of(kFull);
  CHECK(a.outcomes == std::vector<model::OutcomeId>{model::OutcomeId::xrisk, model::OutcomeId::t_transform,
                                                    model::OutcomeId::interpretability});
  CHECK(a.rows == 64);
  CHECK(a.bootstrap == 0);
  CHECK(a.confidence == 0.9);
  CHECK(a.target_ci_width == 1.0);
  CHECK(a.researchers == ResearcherSelection{ResearcherSelectionKind::sample, 5});
  CHECK(a.screen_threshold == 0.02);
  CHECK(a.shapley);
  CHECK(a.knockout == std::vector<EntityRef>{{EntityRefKind::researcher, 8},
                                             {EntityRefKind::individual, 0},
                                             {EntityRefKind::lab, 2}});
  CHECK(a.seed == 9);
  REQUIRE(a.groups.size() == 2);
  CHECK(a.groups[0].name == "lab 0 \"all\"");
  CHECK(a.groups[0].members == std::vector<EntityRef>{{EntityRefKind::lab, 0}, {EntityRefKind::lab_researchers, 0}});
  CHECK(a.groups[1].name == "everything");
  CHECK(a.groups[1].members == std::vector<EntityRef>{{EntityRefKind::labs, 0},
                                                      {EntityRefKind::researchers, 0},
                                                      {EntityRefKind::researcher, 0},
                                                      {EntityRefKind::individual, 0},
                                                      {EntityRefKind::lab_researchers, 2}});
  CHECK(a.runs(20) == 64 * 22);
  CHECK(attribution_of(section("researchers = \"top_talent:10\"\n")).researchers ==
        ResearcherSelection{ResearcherSelectionKind::top_talent, 10});
  CHECK(attribution_of(section("researchers = \"none\"\n")).researchers ==
        ResearcherSelection{ResearcherSelectionKind::none, 0});
  CHECK(attribution_of("attribution.rows = 2\n").rows == 2);
  CHECK(attribution_of(section("rows = 1048576\n")).rows == 1048576);
}

TEST_CASE("entity and selection syntax") {
  CHECK(parse_entity("lab:3") == EntityRef{EntityRefKind::lab, 3});
  CHECK(parse_entity("lab_researchers:0") == EntityRef{EntityRefKind::lab_researchers, 0});
  CHECK(parse_entity("researchers") == EntityRef{EntityRefKind::researchers, 0});
  for (const char* bad : {"lab", "lab:", "lab:x", "lab:-1", "lab:+1", "lab: 1", "labs:1", "lab:1:2", "Lab:1", "",
                          "lab:99999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_entity(bad).has_value());
  }
  for (const EntityRef r : {EntityRef{EntityRefKind::individual, 12}, EntityRef{EntityRefKind::labs, 0}}) {
    CHECK(parse_entity(entity_text(r)) == r);
  }
  CHECK(parse_selection("sample:7") == ResearcherSelection{ResearcherSelectionKind::sample, 7});
  for (const char* bad : {"top_talent:0", "top_talent", "all:1", "some", "sample:1.5"}) {
    INFO(bad);
    CHECK_FALSE(parse_selection(bad).has_value());
  }
  CHECK(selection_text({ResearcherSelectionKind::top_talent, 20}) == "top_talent:20");
  CHECK(outcome_by_name("t_transform") == model::OutcomeId::t_transform);
  CHECK_FALSE(outcome_by_name("risk").has_value());
  CHECK(outcome_name(model::OutcomeId::results) == "results");
}

TEST_CASE("attribution keys: unknown names and wrong types") {
  CHECK(load_error(section("row = 64\n")) == "test.toml:2:1: unknown key 'attribution.row'; did you mean 'attribution.rows'?");
  CHECK(load_error("[atribution]\nrows = 64\n") ==
        "test.toml:2:1: unknown key 'atribution.rows'; did you mean 'attribution.rows'?");
  CHECK(load_error("[attribution.extra]\n") == "test.toml:1:14: unknown table 'attribution.extra'; did you mean 'attribution.rows'?");
  CHECK(load_error("attribution = 3\n") == "test.toml:1:15: attribution must be a table, got 3");
  CHECK(load_error(section("rows = 2.5\n")) == "test.toml:2:8: attribution.rows must be an integer, got 2.5");
  CHECK(load_error(section("shapley = 1\n")) == "test.toml:2:11: attribution.shapley must be a boolean, got 1");
  CHECK(load_error(section("confidence = \"high\"\n")) ==
        "test.toml:2:14: attribution.confidence must be a number, got string \"high\"");
  CHECK(load_error(section("researchers = 3\n")) == "test.toml:2:15: attribution.researchers must be a string, got 3");
}

TEST_CASE("attribution numbers out of range") {
  CHECK(load_error(section("rows = 1\n")) ==
        "test.toml:2:8: attribution.rows = 1 is out of range; allowed: integers 2 … 1048576");
  CHECK(load_error(section("rows = 1048577\n")) ==
        "test.toml:2:8: attribution.rows = 1048577 is out of range; allowed: integers 2 … 1048576");
  CHECK(load_error(section("bootstrap = 100001\n")) ==
        "test.toml:2:13: attribution.bootstrap = 100001 is out of range; allowed: integers 0 … 100000");
  CHECK(load_error(section("bootstrap = -1\n")) ==
        "test.toml:2:13: attribution.bootstrap = -1 is out of range; allowed: integers 0 … 100000");
  CHECK(load_error(section("confidence = 1\n")) ==
        "test.toml:2:14: attribution.confidence = 1 is out of range; allowed: (0, 1)");
  CHECK(load_error(section("confidence = 0.0\n")) ==
        "test.toml:2:14: attribution.confidence = 0 is out of range; allowed: (0, 1)");
  CHECK(load_error(section("confidence = nan\n")) ==
        "test.toml:2:14: attribution.confidence = nan is out of range; allowed: (0, 1)");
  CHECK(load_error(section("target_ci_width = 0\n")) ==
        "test.toml:2:19: attribution.target_ci_width = 0 is out of range; allowed: (0, 1]");
  CHECK(load_error(section("target_ci_width = 1.5\n")) ==
        "test.toml:2:19: attribution.target_ci_width = 1.5 is out of range; allowed: (0, 1]");
  CHECK(load_error(section("screen_threshold = 1.5\n")) ==
        "test.toml:2:20: attribution.screen_threshold = 1.5 is out of range; allowed: [0, 1]");
  CHECK(load_error(section("screen_threshold = -0.1\n")) ==
        "test.toml:2:20: attribution.screen_threshold = -0.1 is out of range; allowed: [0, 1]");
  CHECK(load_error(section("seed = -1\n")) ==
        "test.toml:2:8: attribution.seed = -1 is out of range; allowed: integers 0 … 9223372036854775807");
}

TEST_CASE("attribution outcomes") {
  CHECK(load_error(section("outcomes = [\"xrisk\", \"risk\"]\n")) ==
        "test.toml:2:22: attribution.outcomes[1] = \"risk\" is not an outcome; allowed: capability, interpretability, "
        "xrisk, t_transform, steps_run, published_fraction, public_capability_share, defections, "
        "mean_propensity_capabilities, mean_propensity_interpretability, results");
  CHECK(load_error(section("outcomes = []\n")) == "test.toml:2:12: attribution.outcomes must not be empty");
  CHECK(load_error(section("outcomes = \"xrisk\"\n")) ==
        "test.toml:2:12: attribution.outcomes must be an array of strings, got string \"xrisk\"");
  CHECK(load_error(section("outcomes = [1]\n")) == "test.toml:2:13: attribution.outcomes[0] must be a string, got 1");
  CHECK(load_error(section("outcomes = [\"xrisk\", \"capability\", \"xrisk\"]\n")) ==
        "test.toml:2:36: attribution.outcomes[2] = \"xrisk\" repeats attribution.outcomes[0]");
}

TEST_CASE("attribution researchers selection") {
  const std::string allowed = "allowed: \"all\", \"none\", \"top_talent:K\", \"sample:K\" (K ≥ 1)";
  for (const char* bad : {"top:3", "top_talent:0", "top_talent:", "all:3", "sample:-1", "sample: 3", "every"}) {
    INFO(bad);
    CHECK(load_error(section(std::string("researchers = \"") + bad + "\"\n")) ==
          std::string("test.toml:2:15: attribution.researchers = \"") + bad + "\" is not a researcher selection; " +
              allowed);
  }
  // K is checked against the researchers of the scenario, file and overrides applied.
  CHECK(load_error("labs.sizes = [2, 1]\n" + section("researchers = \"top_talent:4\"\n")) ==
        "test.toml:3:15: attribution.researchers = \"top_talent:4\" is out of range; allowed: K ≤ 3 (the scenario "
        "has 3 researchers)");
  CHECK(load_error("labs.sizes = [2, 1]\n[[individuals]]\nlab = 0\nfocus = \"capabilities\"\n" +
                   section("researchers = \"sample:4\"\n"))
            .empty());
  CHECK(load_error(section("researchers = \"top_talent:375\"\n")).empty());
  CHECK(load_error(section("researchers = \"top_talent:375\"\n"), {"labs.sizes=[10]"}) ==
        "test.toml:2:15: attribution.researchers = \"top_talent:375\" is out of range; allowed: K ≤ 10 (the "
        "scenario has 10 researchers)");
}

TEST_CASE("attribution knockout") {
  const std::string allowed =
      "allowed: \"researcher:J\" (J < Σ labs.sizes), \"individual:K\" (K < number of [[individuals]]), \"lab:L\" "
      "(L < number of labs)";
  CHECK(load_error(section("knockout = [\"lab3\"]\n")) ==
        "test.toml:2:13: attribution.knockout[0] = \"lab3\" is not a knockout target; " + allowed);
  CHECK(load_error(section("knockout = [\"lab:1\", \"labs\"]\n")) ==
        "test.toml:2:22: attribution.knockout[1] = \"labs\" is not a knockout target; " + allowed);
  CHECK(load_error(section("knockout = [\"lab_researchers:1\"]\n")) ==
        "test.toml:2:13: attribution.knockout[0] = \"lab_researchers:1\" is not a knockout target; " + allowed);
  CHECK(load_error(section("knockout = [\"lab:1\", \"lab:1\"]\n")) ==
        "test.toml:2:22: attribution.knockout[1] = \"lab:1\" repeats attribution.knockout[0]");
  CHECK(load_error(section("knockout = \"lab:1\"\n")) ==
        "test.toml:2:12: attribution.knockout must be an array of strings, got string \"lab:1\"");
  CHECK(load_error(section("knockout = [2]\n")) == "test.toml:2:13: attribution.knockout[0] must be a string, got 2");
  // Indices against the roster sizes, at the element.
  CHECK(load_error(section("knockout = [\"lab:7\", \"lab:8\"]\n")) ==
        "test.toml:2:22: attribution.knockout[1] = \"lab:8\" is out of range; allowed: lab:0 … lab:7 (labs.sizes has "
        "8 labs)");
  CHECK(load_error(section("knockout = [\"researcher:374\"]\n")).empty());
  CHECK(load_error(section("knockout = [\"researcher:375\"]\n")) ==
        "test.toml:2:13: attribution.knockout[0] = \"researcher:375\" is out of range; allowed: researcher:0 … "
        "researcher:374 (labs.sizes has 375 researchers)");
  CHECK(load_error(section("knockout = [\"individual:0\"]\n")) ==
        "test.toml:2:13: attribution.knockout[0] = \"individual:0\" is out of range; the scenario has no "
        "[[individuals]]");
  CHECK(load_error("[[individuals]]\nlab = 0\nfocus = \"capabilities\"\n" + section("knockout = [\"individual:1\"]\n")) ==
        "test.toml:5:13: attribution.knockout[0] = \"individual:1\" is out of range; allowed: individual:0 … "
        "individual:0 (the scenario has 1 [[individuals]])");
  CHECK(load_error("labs.sizes = [0, 0]\n" + section("knockout = [\"researcher:0\"]\n")) ==
        "test.toml:3:13: attribution.knockout[0] = \"researcher:0\" is out of range; labs.sizes has no researchers");
}

TEST_CASE("attribution groups") {
  CHECK(load_error("attribution.group = 3\n") == "test.toml:1:21: attribution.group must be an array of tables, got 3");
  CHECK(load_error("attribution.group = [3]\n") == "test.toml:1:22: attribution.group[0] must be a table, got 3");
  CHECK(load_error(group("name = \"g\"\nmembers = [\"labs\"]\nmebers = 1\n")) ==
        "test.toml:4:1: unknown key 'attribution.group.mebers'; did you mean 'attribution.group.members'?");
  CHECK(load_error(group("members = [\"labs\"]\n")) ==
        "test.toml:1:1: attribution.group[0] is missing the required key 'name'");
  CHECK(load_error(group("name = \"g\"\n")) == "test.toml:1:1: attribution.group[0] is missing the required key 'members'");
  CHECK(load_error(group("name = 1\nmembers = [\"labs\"]\n")) ==
        "test.toml:2:8: attribution.group[0].name must be a string, got 1");
  CHECK(load_error(group("name = \"\"\nmembers = [\"labs\"]\n")) ==
        "test.toml:2:8: attribution.group[0].name must not be empty");
  CHECK(load_error(group("name = \"g\"\nmembers = [\"labs\"]\n") + group("name = \"g\"\nmembers = [\"lab:0\"]\n")) ==
        "test.toml:5:8: attribution.group[1].name = \"g\" is already the name of attribution.group[0]");
  CHECK(load_error(group("name = \"g\"\nmembers = []\n")) == "test.toml:3:11: attribution.group[0].members must not be empty");
  CHECK(load_error(group("name = \"g\"\nmembers = \"labs\"\n")) ==
        "test.toml:3:11: attribution.group[0].members must be an array of strings, got string \"labs\"");
  CHECK(load_error(group("name = \"g\"\nmembers = [\"labs\", \"lab 1\"]\n")) ==
        "test.toml:3:20: attribution.group[0].members[1] = \"lab 1\" is not a group member; allowed: \"lab:L\", "
        "\"lab_researchers:L\", \"researcher:J\", \"individual:K\", \"labs\", \"researchers\"");
  CHECK(load_error(group("name = \"g\"\nmembers = [\"labs\", \"labs\"]\n")) ==
        "test.toml:3:20: attribution.group[0].members[1] = \"labs\" repeats attribution.group[0].members[0]");
  CHECK(load_error(group("name = \"g\"\nmembers = [\"lab:0\"]\n") + group("name = \"h\"\nmembers = [\"labs\", \"lab_researchers:8\"]\n")) ==
        "test.toml:6:20: attribution.group[1].members[1] = \"lab_researchers:8\" is out of range; allowed: "
        "lab_researchers:0 … lab_researchers:7 (labs.sizes has 8 labs)");
  // Shapley: at most 12 custom groups.
  std::string many = "attribution.shapley = true\n";
  for (int g = 0; g < 13; ++g) many += group("name = \"g" + std::to_string(g) + "\"\nmembers = [\"labs\"]\n");
  CHECK(load_error(many) == "test.toml:1:23: attribution.shapley = true needs at most 12 groups; attribution.group has 13");
  CHECK(load_error(many, {"attribution.shapley=false"}).empty());
}

TEST_CASE("attribution with a sweep") {
  // A sweep's factors join the attribution design (per_point = false) or each point is attributed
  // (per_point = true); per_point without a sweep is an error that names the key.
  const std::string sweep = "[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"hazard.max\"\nvalues = [0.1, 0.2]\n";
  CHECK(load_error(sweep + section("rows = 4\n")).empty());
  CHECK(attribution_of(sweep + section("rows = 4\n")).per_point == false);
  CHECK(attribution_of(sweep + section("rows = 4\nper_point = true\n")).per_point == true);
  CHECK(load_error(section("rows = 4\nper_point = true\n")) ==
        "test.toml:3:13: attribution.per_point = true attributes at every point of a [sweep], and the scenario has "
        "none; add a [sweep] or remove attribution.per_point");
  CHECK(load_error("[sweep]\ndesign = \"single\"\n" + section("rows = 4\n")).empty());
}

TEST_CASE("attribution keys can be overridden with --set") {
  // An attribution key given with --set adds the section; attribution={} adds it at its defaults.
  CHECK(attribution_of("", {"attribution.rows=64"}).rows == 64);
  CHECK(attribution_of("", {"attribution={}"}) == AttributionSettings{});
  const AttributionSettings a = attribution_of(
      kFull, {"attribution.rows=32", "attribution.researchers=none", "attribution.outcomes=[\"capability\"]",
              "attribution.knockout=[]", "attribution.shapley=false", "attribution.confidence=0.5",
              "attribution.group=[{name = \"x\", members = [\"researchers\"]}]", "attribution.seed=3"});
  CHECK(a.rows == 32);
  CHECK(a.researchers.kind == ResearcherSelectionKind::none);
  CHECK(a.outcomes == std::vector<model::OutcomeId>{model::OutcomeId::capability});
  CHECK(a.knockout.empty());
  CHECK_FALSE(a.shapley);
  CHECK(a.confidence == 0.5);
  REQUIRE(a.groups.size() == 1);
  CHECK(a.groups[0].name == "x");
  CHECK(a.seed == 3);
  CHECK(a.bootstrap == 0);  // from the file
  CHECK(load_error("", {"attribution.rows=1"}) ==
        "--set attribution.rows=1: attribution.rows = 1 is out of range; allowed: integers 2 … 1048576");
  CHECK(load_error("", {"attribution.researchers=top"}) ==
        "--set attribution.researchers=top: attribution.researchers = \"top\" is not a researcher selection; allowed: "
        "\"all\", \"none\", \"top_talent:K\", \"sample:K\" (K ≥ 1)");
  CHECK(load_error("", {"attribution.knockout=[\"lab:9\"]"}) ==
        "--set attribution.knockout=[\"lab:9\"]: attribution.knockout[0] = \"lab:9\" is out of range; allowed: lab:0 … "
        "lab:7 (labs.sizes has 8 labs)");
  CHECK(load_error("", {"attribution.group=[{name = \"x\"}]"}) ==
        "--set attribution.group=[{name = \"x\"}]: attribution.group[0] is missing the required key 'members'");
  CHECK(load_error("", {"attribution.rws=3"}) ==
        "--set attribution.rws=3: unknown key 'attribution.rws'; did you mean 'attribution.rows'?");
  // Indices are checked against the roster after every override: the file's value is reported.
  CHECK(load_error(section("knockout = [\"lab:2\"]\n"), {"labs.sizes=[5, 5]"}) ==
        "test.toml:2:13: attribution.knockout[0] = \"lab:2\" is out of range; allowed: lab:0 … lab:1 (labs.sizes "
        "has 2 labs)");
}

TEST_CASE("resolved_toml writes [attribution] back and it round-trips") {
  for (const std::string& text : {kFull, std::string("[attribution]\n"), std::string("attribution.knockout = []\n")}) {
    const Scenario s = load_text(text, "x");
    const std::string resolved = resolved_toml(s);
    INFO(resolved);
    CHECK(resolved.find("\n[attribution]\n") != std::string::npos);
    const Scenario again = load_text(resolved, "resolved");
    REQUIRE(again.attribution.has_value());
    CHECK(*again.attribution == *s.attribution);
    CHECK(settings_view(again) == settings_view(s));
    const std::string resolved_again = resolved_toml(again);
    CHECK(resolved_again.substr(resolved_again.find("\n[")) == resolved.substr(resolved.find("\n[")));
  }
  const std::string resolved = resolved_toml(load_text(kFull, "x"));
  CHECK(resolved.find("\n[attribution]\noutcomes = [\"xrisk\", \"t_transform\", \"interpretability\"]\nrows = 64\n"
                      "bootstrap = 0\nconfidence = 0.9\ntarget_ci_width = 1.0\nresearchers = \"sample:5\"\n"
                      "screen_threshold = 0.02\nshapley = true\nknockout = [\"researcher:8\", \"individual:0\", "
                      "\"lab:2\"]\nper_point = false\nseed = 9\n\n[[attribution.group]]\nname = \"lab 0 \\\"all\\\"\"\n"
                      "members = [\"lab:0\", \"lab_researchers:0\"]\n") != std::string::npos);
  // Every attribution key is written.
  for (const Key& key : keys()) {
    if (key.slot == nullptr || key.name.rfind("attribution.", 0) != 0) continue;
    INFO(key.name);
    std::string line = "\n";
    line.append(key.name.substr(12)).append(" = ");
    CHECK(resolved.find(line) != std::string::npos);
  }
}

TEST_CASE("[attribution] does not change the runs' identity") {
  const Scenario without = load_text("labs.sizes = [4, 3, 2]\n", "x");
  const Scenario with = load_text("labs.sizes = [4, 3, 2]\n" + section("rows = 8\nseed = 5\n"), "x");
  CHECK(point_stream_id(with) == point_stream_id(without));
  CHECK(point_scenario(with, 0).attribution == with.attribution);
}

TEST_CASE("keys_markdown documents the attribution keys") {
  const std::string md = keys_markdown();
  CHECK(md.find("| `attribution.rows` | integer | `256` | integers 2 … 1048576 |") != std::string::npos);
  CHECK(md.find("| `attribution.confidence` | number | `0.95` | (0, 1) |") != std::string::npos);
  CHECK(md.find("| `attribution.target_ci_width` | number | `0.05` | (0, 1] |") != std::string::npos);
  CHECK(md.find("| `attribution.outcomes` | array of strings | `[\"capability\", \"xrisk\"]` | capability, ") !=
        std::string::npos);
  CHECK(md.find("| `attribution.group.members` | array of strings | `required` |") != std::string::npos);
  CHECK(md.find("\n### Attribution\n") != std::string::npos);
}

TEST_CASE("the attribution scenario files load with their documented settings") {
  const Scenario baseline = load_file(kScenarios / "attribution_baseline.toml");
  REQUIRE(baseline.attribution.has_value());
  const AttributionSettings& a = *baseline.attribution;
  CHECK(a.outcomes == std::vector<model::OutcomeId>{model::OutcomeId::capability, model::OutcomeId::interpretability,
                                                    model::OutcomeId::xrisk, model::OutcomeId::t_transform});
  CHECK(a.rows == 256);
  CHECK(a.researchers.kind == ResearcherSelectionKind::all);
  CHECK_FALSE(a.shapley);
  CHECK(a.groups.size() == 2);
  // The norm and the spill probability are factors of the design (per_point = false).
  CHECK_FALSE(a.per_point);
  REQUIRE(baseline.sweep.factors.size() == 2);
  CHECK(baseline.sweep.factors[0].key == "norm.preset");
  CHECK(baseline.sweep.factors[0].levels.size() == 6);
  CHECK(baseline.sweep.factors[1].key == "research.spill_probability");
  // Apart from them, the model is baseline.toml's.
  auto view = settings_view(baseline);
  auto reference = settings_view(load_file(kScenarios / "baseline.toml"));
  for (auto* v : {&view, &reference}) {
    for (auto& [name, value] : *v) {
      if (name.rfind("attribution.", 0) == 0 || name.rfind("sweep.", 0) == 0) value = "absent";
    }
  }
  CHECK(view == reference);

  const Scenario talent = load_file(kScenarios / "attribution_talent_field.toml");
  REQUIRE(talent.attribution.has_value());
  const AttributionSettings& t = *talent.attribution;
  CHECK(talent.model.labs.sizes == std::vector<std::int64_t>{60, 40, 30, 20, 15, 10, 8, 5});
  CHECK(talent.model.researchers.talent_sigma == 1.5);
  CHECK(t.researchers == ResearcherSelection{ResearcherSelectionKind::top_talent, 20});
  CHECK(t.shapley);
  CHECK(t.groups.size() <= 12);
  CHECK(t.knockout == std::vector<EntityRef>{{EntityRefKind::lab, 0}});
  for (const Scenario* s : {&baseline, &talent}) {
    CHECK(s->text.find("normsim attribute scenarios/attribution_") != std::string::npos);
    CHECK(*load_text(resolved_toml(*s), "resolved").attribution == *s->attribution);
  }
  CHECK(load_file(kScenarios / "attribution_baseline.toml", {"attribution.rows=64"}).attribution->rows == 64);
}
