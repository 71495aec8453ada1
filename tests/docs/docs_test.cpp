// docs/model.md describes the model in the project's own words and docs/arguments.md the arguments
// that results/ checks. These tests keep them in step with the code: every scenario key of the
// registry is named in docs/model.md, with the default the code has; so is every outcome, series
// and norm preset; and docs/arguments.md links every argument's scenario file and report.
#include "model/outcomes.hpp"
#include "scenario/keys.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <string>
#include <vector>

using namespace normsim;

namespace {

const std::filesystem::path kRoot{NORMSIM_SOURCE_DIR};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// `name` as Markdown code: the exact name, not a prefix of a longer one (`sweep.factor` is not
/// found in `sweep.factor.key`).
std::string code(std::string_view name) {
  // Appended piece by piece: GCC 12 warns wrongly (-Wrestrict) about "`" + std::string(name) + "`".
  std::string text(1, '`');
  text.append(name);
  text.push_back('`');
  return text;
}

bool mentions(const std::string& text, std::string_view name) { return text.find(code(name)) != std::string::npos; }

/// True when one line names `key` and states `literal` (both as code), as a row of the tables does.
bool states_on_one_line(const std::vector<std::string>& lines, std::string_view key, const std::string& literal) {
  for (const std::string& line : lines) {
    if (line.find(code(key)) != std::string::npos && line.find(code(literal)) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("docs/model.md names every scenario key of the registry") {
  const std::string doc = read_file(kRoot / "docs" / "model.md");
  std::size_t count = 0;
  for (const scenario::Key& key : scenario::keys()) {
    INFO(key.name);
    CHECK(mentions(doc, key.name));
    ++count;
  }
  CHECK(count > 40);  // the registry is read, not empty
}

TEST_CASE("docs/model.md states every key's default as the code has it") {
  const std::vector<std::string> lines = lines_of(read_file(kRoot / "docs" / "model.md"));
  std::size_t checked = 0;
  for (const scenario::Key& key : scenario::keys()) {
    const std::string literal = scenario::default_toml(key);
    // Keys without a default: required, absent unless given, or lists of tables.
    if (literal == "required" || literal == "absent" || literal == "none") continue;
    INFO(key.name << " has default " << literal << " in the code");
    CHECK(states_on_one_line(lines, key.name, literal));
    ++checked;
  }
  CHECK(checked > 40);
}

TEST_CASE("docs/model.md names every outcome, series and norm preset") {
  const std::string doc = read_file(kRoot / "docs" / "model.md");
  for (const model::Descriptor& d : model::kOutcomeDescriptors) {
    INFO("outcome " << d.name);
    CHECK(mentions(doc, d.name));
  }
  for (const model::Descriptor& d : model::kSeriesDescriptors) {
    INFO("series " << d.name);
    CHECK(mentions(doc, d.name));
  }
  const scenario::Key* preset = scenario::find_key("norm.preset");
  REQUIRE(preset != nullptr);
  REQUIRE(preset->choices.size() == model::kNormPresetCount);
  for (const std::string_view name : preset->choices) {
    INFO("preset " << name);
    CHECK(mentions(doc, name));
  }
}

TEST_CASE("docs/arguments.md links every argument's scenario file and report") {
  const std::string doc = read_file(kRoot / "docs" / "arguments.md");
  std::set<std::string> arguments;  // an argument may have several files (A3_discovery.toml)
  for (const auto& entry : std::filesystem::directory_iterator(kRoot / "scenarios")) {
    const std::string name = entry.path().filename().string();
    // Argument files are A<digit>_<topic>.toml.
    if (name.size() < 4 || name[0] != 'A' || name[2] != '_' || entry.path().extension() != ".toml") continue;
    const std::string id = name.substr(0, 2);
    arguments.insert(id);
    INFO(name);
    CHECK(doc.find("## " + id + ":") != std::string::npos);
    CHECK(doc.find("](../scenarios/" + name + ")") != std::string::npos);
    CHECK(doc.find("](../results/" + id + "/report.md)") != std::string::npos);
  }
  CHECK(arguments.size() == 6);
}
