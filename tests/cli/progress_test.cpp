// Progress reports: the text, and the styles chosen for terminals, logs and --quiet.
#include "study/progress.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

using namespace normsim::study;

TEST_CASE("a progress report gives runs done, percentage, rate and ETA", "[cli]") {
  CHECK(Progress::describe(250, 1000, 5.0) == "250/1000 runs (25%)  50.0 runs/s  ETA 15 s");
  CHECK(Progress::describe(1000, 1000, 20.0) == "1000/1000 runs (100%)  50.0 runs/s  ETA 0 s");
  CHECK(Progress::describe(100, 100000, 10.0) == "100/100000 runs (0%)  10.0 runs/s  ETA 2 h 46 min");
  CHECK(Progress::describe(600, 1500, 12.0, 50) == "12/30 points, 600/1500 runs (40%)  50.0 runs/s  ETA 18 s");
  CHECK(Progress::describe(0, 10, 0.0) == "0/10 runs (0%)  0.0 runs/s  ETA ?");
}

TEST_CASE("quiet means no progress, and a file is not a terminal", "[cli]") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  CHECK(progress_style_for(file, true) == ProgressStyle::none);
  CHECK(progress_style_for(file, false) == ProgressStyle::lines);
  std::fclose(file);
}

TEST_CASE("plain-line progress prints the final state once and nothing in between when not due", "[cli]") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  Progress p(file, ProgressStyle::lines, 10, 3600.0);
  for (std::uint64_t i = 1; i <= 10; ++i) p.update(i);
  p.finish(10);
  std::rewind(file);
  std::string text(256, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), file));
  std::fclose(file);
  CHECK_THAT(text, Catch::StartsWith("normsim: 10/10 runs (100%)"));
  CHECK(text.find('\n') == text.size() - 1);  // exactly one line
}
