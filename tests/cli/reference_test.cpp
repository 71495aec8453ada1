// REFERENCE.md is generated from the registries in the code; the committed file must match.
#include "cli/reference.hpp"
#include "cli/support.hpp"
#include "model/outcomes.hpp"

#include <catch2/catch.hpp>

TEST_CASE("REFERENCE.md is what `normsim reference` prints", "[cli][docs]") {
  const std::string committed = normsim::test::read_text(normsim::test::source_path("REFERENCE.md"));
  const std::string generated = normsim::cli::reference_markdown();
  INFO("regenerate with: build/<preset>/sim/cli/normsim reference > REFERENCE.md");
  CHECK(committed == generated);
  const normsim::test::ScratchDir dir("reference");
  const auto r = normsim::test::run_normsim("reference", dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out == generated);
}

TEST_CASE("the reference names every outcome and series", "[cli][docs]") {
  const std::string text = normsim::cli::reference_markdown();
  for (const auto& d : normsim::model::kOutcomeDescriptors) CHECK_THAT(text, Catch::Contains("/outcomes/" + std::string(d.name)));
  for (const auto& d : normsim::model::kSeriesDescriptors) CHECK_THAT(text, Catch::Contains("/series/" + std::string(d.name)));
}
