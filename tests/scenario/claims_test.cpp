// [[claims]]: every quantity read back, every class of error with its exact message and position,
// --set overrides, the round trip through resolved_toml, and that claims never change a run.
#include "scenario/claims.hpp"
#include "scenario/keys.hpp"
#include "scenario/sweep.hpp"
#include "support.hpp"

using namespace normsim;
using namespace normsim::scenario;
using scenario::testing::load_error;
using scenario::testing::settings_view;

namespace {

using model::NormPreset;

// A [[claims]] entry: the header (line 1), the six common keys on lines 2–7 (columns: id 6,
// statement 13, quantity 12, outcome 11, compare 11, value 9), then `extra` from line 8 on.
std::string claim(const std::string& quantity, const std::string& extra = "", const std::string& value = "0.5",
                  const std::string& outcome = "capability", const std::string& id = "a") {
  return "[[claims]]\nid = \"" + id + "\"\nstatement = \"s\"\nquantity = \"" + quantity + "\"\noutcome = \"" +
         outcome + "\"\ncompare = \"<\"\nvalue = " + value + "\n" + extra;
}

const std::string kFull = R"(labs.sizes = [4, 3, 2]
[[individuals]]
lab = 2
focus = "interpretability"
[[claims]]
id = "A1-max-researcher"
statement = "No researcher explains more than 1 % of the variance in capability"
quantity = "max_researcher_index"
outcome = "capability"
index = "total"
compare = "<"
value = 0.01
[[claims]]
id = "mean.xrisk_2"
statement = "Mean \"x-risk\" stays below ½ — always"
quantity = "mean"
outcome = "reached_transformative"
compare = ">"
value = -3
[[claims]]
id = "p"
statement = "Transformative capability usually comes late"
quantity = "probability"
outcome = "t_transform"
above = 150
compare = ">"
value = 0.5
[[claims]]
id = "q"
statement = "x-risk is rarely small"
quantity = "probability"
outcome = "xrisk"
below = 1e-3
compare = "<"
value = 0.25
[[claims]]
id = "closed-vs-open"
statement = "Closing publication lowers x-risk"
quantity = "mean_difference"
outcome = "xrisk"
norm = "closed"
versus = "open"
compare = "<"
value = 0
[[claims]]
id = "share"
statement = "The norm explains most of the variance"
quantity = "norm_share"
outcome = "capability"
norms = ["open", "hazard_specific", "embargo_capabilities"]
compare = ">"
value = 0.5
[[claims]]
id = "group"
statement = "Researchers matter"
quantity = "index"
outcome = "interpretability"
index = "shapley"
factor = "all researchers"
compare = ">"
value = 0.2
[[claims]]
id = "top"
statement = "Ten researchers explain little"
quantity = "top_researchers_sum"
outcome = "capability"
index = "first_order"
k = 10
compare = "<"
value = 1
)";

std::vector<Claim> claims_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return load_text(text, "test.toml", overrides).claims;
}

}  // namespace

TEST_CASE("a scenario without [[claims]] has none") {
  CHECK(load_text("", "x").claims.empty());
  CHECK(resolved_toml(load_text("", "x")).find("claims") == std::string::npos);
  CHECK(claims_toml({}).empty());
  CHECK(default_toml(*find_key("claims")) == "none");
  CHECK(default_toml(*find_key("claims.id")) == "required");
  CHECK(default_toml(*find_key("claims.k")) == "absent");
}

TEST_CASE("names of a claim's enums") {
  CHECK(quantity_name(ClaimQuantity::mean) == "mean");
  CHECK(quantity_name(ClaimQuantity::top_researchers_sum) == "top_researchers_sum");
  CHECK(index_name(IndexKind::first_order) == "first_order");
  CHECK(index_name(IndexKind::shapley) == "shapley");
  CHECK(comparison_text(Comparison::less) == "<");
  CHECK(comparison_text(Comparison::greater) == ">");
}

TEST_CASE("every quantity and its keys are read") {
  const std::vector<Claim> c = claims_of(kFull);
  REQUIRE(c.size() == 8);
  Claim a;
  a.id = "A1-max-researcher";
  a.statement = "No researcher explains more than 1 % of the variance in capability";
  a.quantity = ClaimQuantity::max_researcher_index;
  a.outcome = "capability";
  a.compare = Comparison::less;
  a.value = 0.01;
  a.index = IndexKind::total;
  CHECK(c[0] == a);
  CHECK(c[1].statement == "Mean \"x-risk\" stays below ½ — always");
  CHECK(c[1].quantity == ClaimQuantity::mean);
  CHECK(c[1].outcome == "reached_transformative");
  CHECK(c[1].compare == Comparison::greater);
  CHECK(c[1].value == -3.0);
  CHECK(c[2].above == 150.0);
  CHECK_FALSE(c[2].below.has_value());
  CHECK(c[3].below == 1e-3);
  CHECK_FALSE(c[3].above.has_value());
  CHECK(c[4].quantity == ClaimQuantity::mean_difference);
  CHECK(c[4].norm == NormPreset::closed);
  CHECK(c[4].versus == NormPreset::open);
  CHECK(c[5].norms == std::vector<NormPreset>{NormPreset::open, NormPreset::hazard_specific,
                                              NormPreset::embargo_capabilities});
  CHECK(c[6].index == IndexKind::shapley);
  CHECK(c[6].factor == "all researchers");
  CHECK(c[7].index == IndexKind::first_order);
  CHECK(c[7].k == 10);
  // Only the keys of each quantity are set.
  for (const Claim& x : c) {
    INFO(x.id);
    CHECK(x.k == (x.quantity == ClaimQuantity::top_researchers_sum ? 10U : 0U));
    CHECK(x.factor.empty() == (x.quantity != ClaimQuantity::index));
    CHECK(x.norm.has_value() == (x.quantity == ClaimQuantity::mean_difference));
    CHECK(x.norms.empty() == (x.quantity != ClaimQuantity::norm_share));
  }
  // k may be every researcher, regular and pinned (4 + 3 + 2 + 1).
  CHECK(claims_of("labs.sizes = [4, 3, 2]\n[[individuals]]\nlab = 0\nfocus = \"capabilities\"\n" +
                  claim("top_researchers_sum", "index = \"total\"\nk = 10\n"))[0]
            .k == 10);
}

TEST_CASE("the registry's samples make valid claims") {
  const auto sample = [](const char* key) { return std::string(find_key(std::string("claims.") + key)->sample); };
  std::string text = "[[claims]]\n";
  for (const char* key : {"id", "statement", "quantity", "outcome", "compare", "value", "index"}) {
    text += std::string(key) + " = " + sample(key) + "\n";
  }
  CHECK(load_error(text).empty());
  for (const auto& [quantity, extra] : std::vector<std::pair<std::string, std::string>>{
           {"probability", "above = " + sample("above")},
           {"probability", "below = " + sample("below")},
           {"mean_difference", "norm = " + sample("norm") + "\nversus = " + sample("versus")},
           {"norm_share", "norms = " + sample("norms")},
           {"index", "index = " + sample("index") + "\nfactor = " + sample("factor")},
           {"top_researchers_sum", "index = " + sample("index") + "\nk = " + sample("k")}}) {
    INFO(quantity << ": " << extra);
    CHECK(load_error(claim(quantity, extra + "\n", sample("value"))).empty());
  }
}

TEST_CASE("claims: the array and its tables") {
  CHECK(load_error("claims = 3\n") == "test.toml:1:10: claims must be an array of tables, got 3");
  CHECK(load_error("claims = [3]\n") == "test.toml:1:11: claims[0] must be a table, got 3");
  CHECK(load_error("[claims]\nid = \"a\"\n") == "test.toml:1:1: claims must be an array of tables, got a table");
  CHECK(load_error("claims.id = \"a\"\n") == "test.toml:1:1: claims must be an array of tables, got a table");
  CHECK(load_error(claim("mean", "valeu = 1\n")) ==
        "test.toml:8:1: unknown key 'claims.valeu'; did you mean 'claims.value'?");
  CHECK(load_error(claim("mean", "[claims.extra]\n")) ==
        "test.toml:8:9: unknown table 'claims.extra'; did you mean 'claims.norm'?");
  for (const char* missing : {"id", "statement", "quantity", "outcome", "compare", "value"}) {
    INFO(missing);
    std::string text = claim("mean");
    const auto line = text.find(std::string("\n") + missing + " = ");
    text.erase(line + 1, text.find('\n', line + 1) - line);
    CHECK(load_error(text) == std::string("test.toml:1:1: claims[0] is missing the required key '") + missing + "'");
  }
  try {
    (void)load_text("[[claims]]\nid = \"a\"\n", "test.toml");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.line() == 1);
    CHECK(e.column() == 1);
    CHECK(e.key() == "claims.statement");  // the missing key
  }
  try {
    (void)load_text(claim("mean") + claim("mean"), "test.toml");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.line() == 9);
    CHECK(e.column() == 6);
    CHECK(e.key() == "claims.id");
    CHECK(e.message() == "claims[1].id = \"a\" is already the id of claims[0]");
  }
}

TEST_CASE("claims: id and statement") {
  const std::string allowed = "allowed: non-empty; letters, digits, '_', '.', '-' (not only dots)";
  CHECK(load_error(claim("mean", "", "0.5", "capability", "") ) == "test.toml:2:6: claims[0].id must not be empty");
  for (const char* bad : {"a b", "a/b", "ä", "..", ".", "a:1"}) {
    INFO(bad);
    CHECK(load_error(claim("mean", "", "0.5", "capability", bad)) ==
          std::string("test.toml:2:6: claims[0].id = \"") + bad + "\" is not a claim id; " + allowed);
  }
  for (const char* good : {"A1-max_researcher.v2", ".hidden", "0", "a..b"}) {
    INFO(good);
    CHECK(load_error(claim("mean", "", "0.5", "capability", good)).empty());
  }
  CHECK(load_error("[[claims]]\nid = 3\n") == "test.toml:1:1: claims[0] is missing the required key 'statement'");
  std::string text = claim("mean");
  text.replace(text.find("id = \"a\""), 8, "id = 3");
  CHECK(load_error(text) == "test.toml:2:6: claims[0].id must be a string, got 3");
  CHECK(load_error(claim("mean") + claim("mean", "", "0.5", "capability", "b") +
                   claim("mean", "", "0.5", "capability", "b")) ==
        "test.toml:16:6: claims[2].id = \"b\" is already the id of claims[1]");
  text = claim("mean");
  text.replace(text.find("statement = \"s\""), 15, "statement = \"\"");
  CHECK(load_error(text) == "test.toml:3:13: claims[0].statement must not be empty");
  text.replace(text.find("statement = \"\""), 14, "statement = [\"s\"]");
  CHECK(load_error(text) == "test.toml:3:13: claims[0].statement must be a string, got an array");
}

TEST_CASE("claims: quantity, outcome, compare and value") {
  CHECK(load_error(claim("maximum")) ==
        "test.toml:4:12: claims[0].quantity = \"maximum\" is not a claim quantity; allowed: mean, probability, "
        "mean_difference, norm_share, index, max_researcher_index, top_researchers_sum, level_difference, index_sum");
  CHECK(load_error(claim("mean", "", "0.5", "risk")) ==
        "test.toml:5:11: claims[0].outcome = \"risk\" is not an outcome; allowed: capability, interpretability, "
        "xrisk, t_transform, steps_run, published_fraction, public_capability_share, defections, "
        "mean_propensity_capabilities, mean_propensity_interpretability, results, reached_transformative");
  for (const auto& [quantity, extra] : std::vector<std::pair<std::string, std::string>>{
           {"mean", ""}, {"mean_difference", "norm = \"open\"\nversus = \"closed\"\n"},
           {"norm_share", "norms = [\"open\", \"closed\"]\n"}}) {
    INFO(quantity);
    CHECK(load_error(claim(quantity, extra, "0.5", "reached_transformative")).empty());
  }
  CHECK(load_error(claim("probability", "above = 0.5\n", "0.5", "reached_transformative")) ==
        "test.toml:5:11: claims[0].outcome = \"reached_transformative\" is allowed only with quantities mean, "
        "mean_difference, norm_share, level_difference");
  CHECK(load_error(claim("max_researcher_index", "index = \"total\"\n", "0.5", "reached_transformative")) ==
        "test.toml:5:11: claims[0].outcome = \"reached_transformative\" is allowed only with quantities mean, "
        "mean_difference, norm_share, level_difference");
  std::string text = claim("mean");
  text.replace(text.find("compare = \"<\""), 13, "compare = \"<=\"");
  CHECK(load_error(text) == "test.toml:6:11: claims[0].compare = \"<=\" is not a comparison; allowed: <, >");
  CHECK(load_error(claim("mean", "", "\"x\"")) == "test.toml:7:9: claims[0].value must be a number, got string \"x\"");
  CHECK(load_error(claim("mean", "", "nan")) ==
        "test.toml:7:9: claims[0].value = nan is out of range; allowed: any finite number");
  CHECK(load_error(claim("mean", "", "-inf")) ==
        "test.toml:7:9: claims[0].value = -inf is out of range; allowed: any finite number");
  CHECK(claims_of(claim("mean", "", "-12"))[0].value == -12.0);
  CHECK(claims_of(claim("mean_difference", "norm = \"open\"\nversus = \"closed\"\n", "-12"))[0].value == -12.0);
  // The value's range depends on the quantity.
  for (const auto& [quantity, extra] : std::vector<std::pair<std::string, std::string>>{
           {"probability", "above = 0\n"}, {"norm_share", "norms = [\"open\", \"closed\"]\n"},
           {"index", "index = \"total\"\nfactor = \"f\"\n"}, {"max_researcher_index", "index = \"total\"\n"}}) {
    INFO(quantity);
    CHECK(load_error(claim(quantity, extra, "0")).empty());
    CHECK(load_error(claim(quantity, extra, "1")).empty());
    CHECK(load_error(claim(quantity, extra, "1.5")) ==
          "test.toml:7:9: claims[0].value = 1.5 is out of range for quantity " + quantity + "; allowed: [0, 1]");
    CHECK(load_error(claim(quantity, extra, "-1")) ==
          "test.toml:7:9: claims[0].value = -1 is out of range for quantity " + quantity + "; allowed: [0, 1]");
  }
  const std::string top = "index = \"total\"\nk = 3\n";
  CHECK(load_error(claim("top_researchers_sum", top, "7.5")).empty());
  CHECK(load_error(claim("top_researchers_sum", top, "-0.25")) ==
        "test.toml:7:9: claims[0].value = -0.25 is out of range for quantity top_researchers_sum; allowed: [0, ∞)");
}

TEST_CASE("claims: keys of another quantity, and missing ones") {
  CHECK(load_error(claim("mean", "k = 3\n")) ==
        "test.toml:8:5: claims[0].k applies only to quantity top_researchers_sum");
  CHECK(load_error(claim("probability", "above = 1\nfactor = \"f\"\n")) ==
        "test.toml:9:10: claims[0].factor applies only to quantities index, level_difference");
  CHECK(load_error(claim("mean", "index = \"total\"\n")) ==
        "test.toml:8:9: claims[0].index applies only to quantities index, max_researcher_index, top_researchers_sum, index_sum");
  CHECK(load_error(claim("norm_share", "norms = [\"open\", \"closed\"]\nnorm = \"open\"\n")) ==
        "test.toml:9:8: claims[0].norm applies only to quantity mean_difference");
  CHECK(load_error(claim("mean_difference", "norm = \"open\"\nversus = \"closed\"\nnorms = [\"open\"]\n")) ==
        "test.toml:10:9: claims[0].norms applies only to quantity norm_share");
  CHECK(load_error(claim("index", "index = \"total\"\nfactor = \"f\"\nbelow = 2\n")) ==
        "test.toml:10:9: claims[0].below applies only to quantity probability");
  // The first such key in file order is reported.
  CHECK(load_error(claim("mean", "versus = \"open\"\nabove = 3\n")) ==
        "test.toml:8:10: claims[0].versus applies only to quantity mean_difference");
  // Missing keys of the quantity, at the table.
  CHECK(load_error(claim("probability")) ==
        "test.toml:1:1: claims[0] needs exactly one of the keys 'above' and 'below' (quantity probability), and has "
        "neither");
  CHECK(load_error(claim("probability", "below = 3\nabove = 2\n")) ==
        "test.toml:9:9: claims[0] needs exactly one of the keys 'above' and 'below' (quantity probability), and has "
        "both");
  CHECK(load_error(claim("mean_difference", "norm = \"open\"\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'versus' of quantity mean_difference");
  CHECK(load_error(claim("mean_difference", "versus = \"open\"\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'norm' of quantity mean_difference");
  CHECK(load_error(claim("norm_share")) ==
        "test.toml:1:1: claims[0] is missing the required key 'norms' of quantity norm_share");
  CHECK(load_error(claim("index", "factor = \"f\"\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'index' of quantity index");
  CHECK(load_error(claim("index", "index = \"total\"\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'factor' of quantity index");
  CHECK(load_error(claim("max_researcher_index")) ==
        "test.toml:1:1: claims[0] is missing the required key 'index' of quantity max_researcher_index");
  CHECK(load_error(claim("top_researchers_sum", "k = 3\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'index' of quantity top_researchers_sum");
  CHECK(load_error(claim("top_researchers_sum", "index = \"total\"\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'k' of quantity top_researchers_sum");
  // The second claim's position.
  CHECK(load_error(claim("mean") + claim("norm_share", "", "0.5", "capability", "b")) ==
        "test.toml:8:1: claims[1] is missing the required key 'norms' of quantity norm_share");
}

TEST_CASE("claims: above and below") {
  CHECK(load_error(claim("probability", "above = \"high\"\n")) ==
        "test.toml:8:9: claims[0].above must be a number, got string \"high\"");
  CHECK(load_error(claim("probability", "below = inf\n")) ==
        "test.toml:8:9: claims[0].below = inf is out of range; allowed: any finite number");
  CHECK(claims_of(claim("probability", "below = -2\n"))[0].below == -2.0);
}

TEST_CASE("claims: norms of mean_difference and norm_share") {
  const std::string presets =
      "allowed: open, closed, no_capabilities, no_interpretability, hazard_specific, embargo_capabilities";
  CHECK(load_error(claim("mean_difference", "norm = \"xyz\"\nversus = \"open\"\n")) ==
        "test.toml:8:8: claims[0].norm = \"xyz\" is not a norm preset; " + presets);
  CHECK(load_error(claim("mean_difference", "norm = \"open\"\nversus = 1\n")) ==
        "test.toml:9:10: claims[0].versus must be a string, got 1");
  CHECK(load_error(claim("mean_difference", "norm = \"closed\"\nversus = \"closed\"\n")) ==
        "test.toml:9:10: claims[0].versus = \"closed\" is the same norm as claims[0].norm; a difference needs two "
        "norms");
  CHECK(load_error(claim("norm_share", "norms = \"open\"\n")) ==
        "test.toml:8:9: claims[0].norms must be an array of strings, got string \"open\"");
  CHECK(load_error(claim("norm_share", "norms = [\"open\", 2]\n")) ==
        "test.toml:8:18: claims[0].norms[1] must be a string, got 2");
  CHECK(load_error(claim("norm_share", "norms = [\"open\", \"shut\"]\n")) ==
        "test.toml:8:18: claims[0].norms[1] = \"shut\" is not a norm preset; " + presets);
  CHECK(load_error(claim("norm_share", "norms = [\"open\", \"closed\", \"open\"]\n")) ==
        "test.toml:8:28: claims[0].norms[2] = \"open\" repeats claims[0].norms[0]");
  CHECK(load_error(claim("norm_share", "norms = [\"open\"]\n")) ==
        "test.toml:8:9: claims[0].norms must name at least 2 norm presets, got 1");
  CHECK(load_error(claim("norm_share", "norms = []\n")) ==
        "test.toml:8:9: claims[0].norms must name at least 2 norm presets, got 0");
}

TEST_CASE("claims: index, factor and k") {
  CHECK(load_error(claim("index", "index = \"sobol\"\nfactor = \"f\"\n")) ==
        "test.toml:8:9: claims[0].index = \"sobol\" is not a kind of index; allowed: first_order, total, shapley");
  for (const char* quantity : {"max_researcher_index", "top_researchers_sum"}) {
    INFO(quantity);
    for (const char* bad : {"shapley", "sobol"}) {
      const std::string k = std::string(quantity) == "top_researchers_sum" ? "k = 1\n" : "";
      CHECK(load_error(claim(quantity, std::string("index = \"") + bad + "\"\n" + k)) ==
            std::string("test.toml:8:9: claims[0].index = \"") + bad + "\" is not a kind of index for quantity " +
                quantity + "; allowed: first_order, total");
    }
  }
  CHECK(load_error(claim("index", "index = \"total\"\nfactor = \"\"\n")) ==
        "test.toml:9:10: claims[0].factor must not be empty");
  CHECK(load_error(claim("index", "index = \"total\"\nfactor = 3\n")) ==
        "test.toml:9:10: claims[0].factor must be a string, got 3");
  const std::string top = "index = \"total\"\nk = ";
  CHECK(load_error(claim("top_researchers_sum", top + "0\n")) ==
        "test.toml:9:5: claims[0].k = 0 is out of range; allowed: integers 1 … 9223372036854775807");
  CHECK(load_error(claim("top_researchers_sum", top + "2.5\n")) ==
        "test.toml:9:5: claims[0].k must be an integer, got 2.5");
  // k against the researchers of the scenario (375 by default), overrides applied.
  CHECK(load_error(claim("top_researchers_sum", top + "375\n")).empty());
  CHECK(load_error(claim("top_researchers_sum", top + "376\n")) ==
        "test.toml:9:5: claims[0].k = 376 is out of range; allowed: k ≤ 375 (the scenario has 375 researchers)");
  CHECK(load_error(claim("top_researchers_sum", top + "11\n"), {"labs.sizes=[10]"}) ==
        "test.toml:9:5: claims[0].k = 11 is out of range; allowed: k ≤ 10 (the scenario has 10 researchers)");
  CHECK(load_error("labs.sizes = [0]\n" + claim("top_researchers_sum", top + "1\n")) ==
        "test.toml:10:5: claims[0].k = 1 is out of range; the scenario has no researchers");
  try {
    (void)load_text(claim("top_researchers_sum", top + "400\n"), "test.toml");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.key() == "claims.k");
    CHECK(e.line() == 9);
  }
}

TEST_CASE("claims can be replaced with --set") {
  const std::vector<Claim> c = claims_of(
      claim("mean") + claim("mean", "", "0.5", "capability", "b"),
      {"claims=[{id = \"x\", statement = \"s\", quantity = \"top_researchers_sum\", outcome = \"xrisk\", "
       "compare = \">\", value = 0.5, index = \"total\", k = 3}]"});
  REQUIRE(c.size() == 1);
  CHECK(c[0].id == "x");
  CHECK(c[0].quantity == ClaimQuantity::top_researchers_sum);
  CHECK(c[0].compare == Comparison::greater);
  CHECK(c[0].k == 3);
  CHECK(claims_of(kFull, {"claims=[]"}).empty());
  CHECK(load_error("", {"claims=[{id = \"x\"}]"}) ==
        "--set claims=[{id = \"x\"}]: claims[0] is missing the required key 'statement'");
  CHECK(load_error("", {"claims=[{id = \"x\", statement = \"s\", quantity = \"mean\", outcome = \"xrisk\", "
                        "compare = \"<\", value = 0.5, k = 2}]"}) ==
        "--set claims=[{id = \"x\", statement = \"s\", quantity = \"mean\", outcome = \"xrisk\", compare = \"<\", "
        "value = 0.5, k = 2}]: claims[0].k applies only to quantity top_researchers_sum");
  CHECK(load_error("", {"claims=3"}) == "--set claims=3: claims must be an array of tables, got 3");
  // k is checked against the roster after every override; an override's k has no position.
  CHECK(load_error("", {"claims=[{id = \"x\", statement = \"s\", quantity = \"top_researchers_sum\", outcome = "
                        "\"xrisk\", compare = \"<\", value = 0.5, index = \"total\", k = 3}]",
                        "labs.sizes=[2]"}) ==
        "--set claims=[{id = \"x\", statement = \"s\", quantity = \"top_researchers_sum\", outcome = \"xrisk\", "
        "compare = \"<\", value = 0.5, index = \"total\", k = 3}]: claims[0].k = 3 is out of range; allowed: k ≤ 2 "
        "(the scenario has 2 researchers)");
}

TEST_CASE("resolved_toml writes [[claims]] back and they round-trip") {
  const std::string attribution = "[attribution]\nrows = 8\n";
  for (const std::string& text : {kFull, kFull + attribution, claim("mean", "", "1e-300"),
                                  claim("probability", "below = 0.1\n", "0.3333333333333333")}) {
    const Scenario s = load_text(text, "x");
    const std::string resolved = resolved_toml(s);
    INFO(resolved);
    const Scenario again = load_text(resolved, "resolved");
    CHECK(again.claims == s.claims);
    CHECK(settings_view(again) == settings_view(s));
    const std::string resolved_again = resolved_toml(again);
    CHECK(resolved_again.substr(resolved_again.find("\n[")) == resolved.substr(resolved.find("\n[")));
  }
  const std::string resolved = resolved_toml(load_text(kFull + attribution, "x"));
  CHECK(resolved.find("\n[attribution]\n") < resolved.find("\n[[claims]]\n"));
  CHECK(resolved.find("\n[[claims]]\nid = \"A1-max-researcher\"\nstatement = \"No researcher explains more than "
                      "1 % of the variance in capability\"\nquantity = \"max_researcher_index\"\noutcome = "
                      "\"capability\"\ncompare = \"<\"\nvalue = 0.01\nindex = \"total\"\n\n[[claims]]\n") !=
        std::string::npos);
  CHECK(resolved.find("statement = \"Mean \\\"x-risk\\\" stays below ½ — always\"\n") != std::string::npos);
  CHECK(resolved.find("value = -3.0\n") != std::string::npos);
  CHECK(resolved.find("norm = \"closed\"\nversus = \"open\"\n") != std::string::npos);
  CHECK(resolved.find("norms = [\"open\", \"hazard_specific\", \"embargo_capabilities\"]\n") != std::string::npos);
  CHECK(resolved.find("index = \"shapley\"\nfactor = \"all researchers\"\n") != std::string::npos);
  CHECK(resolved.find("index = \"first_order\"\nk = 10\n") != std::string::npos);
  CHECK(resolved.find("above = 150.0\n") != std::string::npos);
  CHECK(resolved.find("below = 0.001\n") != std::string::npos);
}

TEST_CASE("[[claims]] do not change the runs' identity") {
  const std::string sweep =
      "[sweep]\ndesign = \"grid\"\n[[sweep.factor]]\nkey = \"norm.preset\"\nvalues = [\"open\", \"closed\"]\n";
  const Scenario without = load_text("labs.sizes = [4, 3, 3]\n" + sweep, "x");
  const Scenario with = load_text("labs.sizes = [4, 3, 3]\n" + sweep + kFull.substr(kFull.find("[[claims]]")), "x");
  REQUIRE(with.claims.size() == 8);
  CHECK(sweep_identity(with) == sweep_identity(without));
  for (std::uint64_t p = 0; p < with.sweep.points; ++p) {
    const Scenario point = point_scenario(with, p);
    CHECK(point_stream_id(point) == point_stream_id(point_scenario(without, p)));
    CHECK(point.claims == with.claims);  // a point keeps its scenario's claims
  }
  const Scenario single = load_text(claim("mean"), "x");
  CHECK(point_stream_id(single) == point_stream_id(load_text("", "x")));
  CHECK(point_scenario(single, 0).claims == single.claims);
}

TEST_CASE("keys_markdown documents the claims keys") {
  const std::string md = keys_markdown();
  CHECK(md.find("| `claims` | array of tables | `none` | tables with the keys claims.* |") != std::string::npos);
  CHECK(md.find("| `claims.quantity` | string | `required` | mean, probability, mean_difference, norm_share, index, "
                "max_researcher_index, top_researchers_sum, level_difference, index_sum |") != std::string::npos);
  CHECK(md.find("| `claims.compare` | string | `required` | <, > |") != std::string::npos);
  CHECK(md.find("| `claims.k` | integer | `absent` | integers 1 … 9223372036854775807 |") != std::string::npos);
  CHECK(md.find("\n### Claims\n") != std::string::npos);
  // The example of the section loads as written.
  const std::size_t begin = md.find("```toml\n[[claims]]");
  REQUIRE(begin != std::string::npos);
  const std::size_t end = md.find("```\n", begin + 8);
  const std::vector<Claim> example = claims_of(md.substr(begin + 8, end - begin - 8));
  REQUIRE(example.size() == 1);
  CHECK(example[0].quantity == ClaimQuantity::max_researcher_index);
}

TEST_CASE("claims: level_difference names a factor and two of its levels") {
  const std::vector<Claim> c = claims_of(
      claim("level_difference", "factor = \"norm\"\nlevel = \"targeted\"\nbaseline = \"generic\"\n", "-0.01", "xrisk"));
  REQUIRE(c.size() == 1);
  CHECK(c[0].quantity == ClaimQuantity::level_difference);
  CHECK(c[0].factor == "norm");
  CHECK(c[0].level == "targeted");
  CHECK(c[0].baseline == "generic");
  CHECK(c[0].value == -0.01);
  CHECK(claims_of(claim("level_difference", "factor = \"f\"\nlevel = \"a\"\nbaseline = \"b\"\n", "0.5",
                        "reached_transformative"))[0].outcome == "reached_transformative");
  CHECK(load_error(claim("level_difference", "factor = \"f\"\nlevel = \"a\"\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'baseline' of quantity level_difference");
  CHECK(load_error(claim("level_difference", "factor = \"f\"\nlevel = \"a\"\nbaseline = \"a\"\n")) ==
        "test.toml:10:12: claims[0].baseline = \"a\" is the same level as claims[0].level; a difference needs two levels");
  CHECK(load_error(claim("level_difference", "factor = \"\"\nlevel = \"a\"\nbaseline = \"b\"\n")) ==
        "test.toml:8:10: claims[0].factor must not be empty");
  CHECK(load_error(claim("mean", "level = \"a\"\n")) == "test.toml:8:9: claims[0].level applies only to quantity level_difference");
  // Written back by resolved_toml, read back equal.
  const Scenario s = load_text(claim("level_difference", "factor = \"norm\"\nlevel = \"x y\"\nbaseline = \"z\"\n"), "t");
  CHECK(load_text(resolved_toml(s), "again").claims == s.claims);
}

TEST_CASE("claims: index_sum adds the indices of several groups or factors") {
  const std::vector<Claim> c = claims_of(
      claim("index_sum", "index = \"shapley\"\nfactors = [\"all labs\", \"all researchers\"]\n", "1.0", "xrisk"));
  REQUIRE(c.size() == 1);
  CHECK(c[0].quantity == ClaimQuantity::index_sum);
  CHECK(c[0].index == IndexKind::shapley);
  CHECK(c[0].factors == std::vector<std::string>{"all labs", "all researchers"});
  CHECK(load_error(claim("index_sum", "index = \"total\"\nfactors = []\n")) ==
        "test.toml:9:11: claims[0].factors must not be empty");
  CHECK(load_error(claim("index_sum", "index = \"total\"\nfactors = \"a\"\n")) ==
        "test.toml:9:11: claims[0].factors must be an array of strings, got string \"a\"");
  CHECK(load_error(claim("index_sum", "index = \"total\"\nfactors = [\"a\", \"a\"]\n")) ==
        "test.toml:9:17: claims[0].factors[1] = \"a\" repeats claims[0].factors[0]");
  CHECK(load_error(claim("index_sum", "index = \"total\"\n")) ==
        "test.toml:1:1: claims[0] is missing the required key 'factors' of quantity index_sum");
  CHECK(load_error(claim("index_sum", "index = \"total\"\nfactors = [\"a\"]\n", "-1")) ==
        "test.toml:7:9: claims[0].value = -1 is out of range for quantity index_sum; allowed: [0, ∞)");
  const Scenario s = load_text(claim("index_sum", "index = \"first_order\"\nfactors = [\"x \\\"y\\\"\", \"z\"]\n"), "t");
  CHECK(load_text(resolved_toml(s), "again").claims == s.claims);
}
