// The one table builder (study/tables.hpp): every table and interval states its level.
#include "output/schema.hpp"
#include "study/tables.hpp"

#include <catch2/catch.hpp>

using namespace normsim;

TEST_CASE("TableBuilder: the level is the one the intervals were computed at", "[study]") {
  const study::TableBuilder at50(0.5, 200, 3);
  CHECK(at50.level() == "50 %");
  CHECK(at50.confidence() == 0.5);
  CHECK(at50.bootstrap().confidence == 0.5);
  CHECK(at50.bootstrap().resamples == 200);
  CHECK(at50.bootstrap().seed == (analysis::BootstrapSettings{}.seed ^ 3U));
  CHECK(study::TableBuilder(0.95, 10).level() == "95 %");
  CHECK(study::TableBuilder(0.999, 10).level() == "99.9 %");
  const output::AttributionTable t = at50.table("xrisk", output::TableKind::shapley, 64, 640, 0.02);
  CHECK(t.confidence == 0.5);
  CHECK(t.name() == "xrisk.shapley");
  CHECK(t.rows == 64);
  CHECK(t.runs == 640);
  std::vector<analysis::Estimate> e(2);
  e[0] = {"Saltelli 2010", 0.1, 0.05, 0.2, 0.01, 64};
  e[1] = {"Saltelli 2010", 0.3, 0.25, 0.4, 0.01, 64};
  const output::IndexColumn c = at50.bootstrap_column("first_order", e, "rows resampled jointly");
  CHECK(c.ci == "percentile bootstrap, 200 resamples, rows resampled jointly, 50 %");
  CHECK(c.estimator == "Saltelli 2010");
  CHECK(c.estimate == std::vector<double>{0.1, 0.3});
  CHECK(c.low == std::vector<double>{0.05, 0.25});
  CHECK(c.high == std::vector<double>{0.2, 0.4});
  CHECK(at50.column("knockout", "", "Student t on the paired differences").ci ==
        "Student t on the paired differences, 50 %");
}

TEST_CASE("factor kinds and table suffixes round-trip through their stored names", "[study]") {
  for (std::size_t i = 0; i < output::kFactorKindNames.size(); ++i) {
    const auto kind = static_cast<output::FactorKind>(i);
    CHECK(output::factor_kind_by_name(output::factor_kind_name(kind)) == kind);
  }
  CHECK(!output::factor_kind_by_name("nonsense"));
  CHECK(output::table_suffix(output::TableKind::main).empty());
  CHECK(output::table_suffix(output::TableKind::janon) == ".janon");
}

TEST_CASE("the schema documents every factor kind and table suffix", "[study]") {
  std::string documented;
  for (const output::SchemaEntry& e : output::schema_entries()) {
    if (e.path.rfind("/attribution", 0) == 0) documented += e.meaning;
  }
  for (const std::string_view kind : output::kFactorKindNames) CHECK_THAT(documented, Catch::Contains(std::string(kind)));
  for (const auto table : {output::TableKind::shapley, output::TableKind::knockout, output::TableKind::janon}) {
    CHECK_THAT(documented, Catch::Contains("<outcome>" + std::string(output::table_suffix(table))));
  }
}
