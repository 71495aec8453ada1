// Run journals: round trip, torn tails (reader ignores, writer cuts and appends), header checks on
// resume, corruption in the middle is an error naming the record, locking.
#include "output/error.hpp"
#include "output/journal.hpp"
#include "output_test_support.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <fstream>

namespace {

using namespace normsim;
using namespace normsim::output;
using namespace normsim::output::test;

constexpr std::uint64_t kP = 2, kR = 3;
constexpr std::size_t kT = 4;

JournalHeader sample_header(std::uint64_t sweep_id = 0xC0FFEE) {
  JournalHeader h;
  h.sweep_id = sweep_id;
  h.points = kP;
  h.replicates = kR;
  h.steps = static_cast<std::int64_t>(kT);
  h.series = true;
  h.description = "normsim sweep, provenance: π ü";
  return h;
}

void write_runs(const std::filesystem::path& path, const std::vector<std::uint64_t>& runs,
                JournalMode mode = JournalMode::create) {
  JournalWriter w{path, sample_header(), mode};
  for (std::uint64_t r : runs) w.write(make_record(r, kT, true, kR));
}

std::vector<runner::RunRecord> read_all(const std::filesystem::path& path) {
  std::vector<runner::RunRecord> out;
  JournalReader{path}.for_each([&](const runner::RunRecord& r) { out.push_back(r); });
  return out;
}

// Bitwise equality (NaN == NaN when the bits agree).
bool same(const runner::RunRecord& a, const runner::RunRecord& b) {
  auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  if (a.run_index != b.run_index || a.point != b.point || a.replicate != b.replicate ||
      a.researcher_steps != b.researcher_steps || bits(a.wall_seconds) != bits(b.wall_seconds) ||
      a.series.size() != b.series.size())
    return false;
  for (std::size_t k = 0; k < a.outcomes.size(); ++k)
    if (bits(a.outcomes[k]) != bits(b.outcomes[k])) return false;
  for (std::size_t t = 0; t < a.series.size(); ++t)
    for (std::size_t k = 0; k < a.series[t].size(); ++k)
      if (bits(a.series[t][k]) != bits(b.series[t][k])) return false;
  return true;
}

std::string bytes_of(const std::filesystem::path& p) {
  std::string bytes(static_cast<std::size_t>(std::filesystem::file_size(p)), '\0');
  std::ifstream in{p, std::ios::binary};
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

void put_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream{p, std::ios::binary | std::ios::trunc} << bytes;
}

}  // namespace

TEST_CASE("journal records round-trip bit for bit", "[output][journal]") {
  const ScratchDir dir{"journal-roundtrip"};
  const auto path = dir.path() / "a.journal";
  const std::vector<std::uint64_t> runs{5, 0, 3, 2, 4, 1};
  write_runs(path, runs);
  const JournalReader in{path};
  CHECK(in.header().sweep_id == 0xC0FFEE);
  CHECK(header_difference(in.header(), sample_header()).empty());
  CHECK(in.header().description == sample_header().description);
  const auto records = read_all(path);
  REQUIRE(records.size() == runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    INFO("record " << i);
    CHECK(same(records[i], make_record(runs[i], kT, true, kR)));
  }
  CHECK(records[4].point == 1);
  CHECK(records[4].replicate == 1);
  CHECK(in.completed() == std::vector<bool>(kP * kR, true));
  std::vector<runner::RunRecord> window;
  CHECK(in.for_each_in(2, 4, [&](const runner::RunRecord& r) { window.push_back(r); }) == 2);
  CHECK(window.size() == 2);
  CHECK(window[0].run_index == 3);
}

TEST_CASE("a torn last record is ignored by the reader and cut off by a resuming writer", "[output][journal]") {
  const ScratchDir dir{"journal-torn"};
  const auto full = dir.path() / "full.journal";
  write_runs(full, {0, 1, 2});
  const auto two = dir.path() / "two.journal";
  write_runs(two, {0, 1});
  const std::string whole = bytes_of(full);
  const std::size_t last_begin = bytes_of(two).size();
  REQUIRE(whole.size() > last_begin);
  const auto torn = dir.path() / "torn.journal";
  for (std::size_t cut = last_begin; cut < whole.size(); ++cut) {  // every byte offset of the last record
    INFO("cut at byte " << cut << " of " << whole.size());
    put_bytes(torn, whole.substr(0, cut));
    const auto records = read_all(torn);
    REQUIRE(records.size() == 2);
    CHECK(JournalReader{torn}.completed() == std::vector<bool>{true, true, false, false, false, false});
    {
      JournalWriter w{torn, sample_header(), JournalMode::resume};
      CHECK(w.torn_bytes_dropped() == cut - last_begin);
      CHECK(w.completed_count() == 2);
      w.write(make_record(2, kT, true, kR));
    }
    CHECK(bytes_of(torn) == whole);
  }
}

TEST_CASE("a zero-filled tail and a damaged last record are torn tails", "[output][journal]") {
  const ScratchDir dir{"journal-zero"};
  const auto path = dir.path() / "a.journal";
  write_runs(path, {0, 1});
  const std::string whole = bytes_of(path);
  put_bytes(path, whole + std::string(4096, '\0'));  // power loss: size extended, data not written
  CHECK(read_all(path).size() == 2);
  std::string damaged = whole;
  damaged[damaged.size() - 3] ^= 0x10;  // last record's checksum fails: torn, not corruption
  put_bytes(path, damaged);
  CHECK(read_all(path).size() == 1);
  JournalWriter w{path, sample_header(), JournalMode::resume};
  CHECK(w.completed_count() == 1);
}

TEST_CASE("corruption of a middle record is an error naming the record", "[output][journal]") {
  const ScratchDir dir{"journal-corrupt"};
  const auto path = dir.path() / "a.journal";
  const auto one = dir.path() / "one.journal";
  write_runs(one, {0});
  write_runs(path, {0, 1, 2});
  const std::size_t second = bytes_of(one).size();
  std::string bytes = bytes_of(path);
  bytes[second + 40] ^= 0x01;  // inside record #1's payload
  put_bytes(path, bytes);
  for (int attempt = 0; attempt < 2; ++attempt) {  // the reader, then a resuming writer
    try {
      if (attempt == 0) (void)read_all(path);
      else JournalWriter w{path, sample_header(), JournalMode::resume};
      FAIL("no exception");
    } catch (const JournalError& e) {
      CHECK_THAT(e.what(), Catch::Contains(path.string()) && Catch::Contains("record #1") &&
                               Catch::Contains("byte offset " + std::to_string(second)) &&
                               Catch::Contains("checksum mismatch"));
    }
  }
  bytes = bytes_of(path);
  bytes[second + 40] ^= 0x01;  // repair, then break record #1's length field
  bytes[second + 1] = 0x7f;
  put_bytes(path, bytes);
  CHECK_THROWS_WITH(read_all(path), Catch::Contains("record #1") && Catch::Contains("invalid length"));
}

TEST_CASE("resuming checks the header, and create or resume refuse the wrong state", "[output][journal]") {
  const ScratchDir dir{"journal-header"};
  const auto path = dir.path() / "a.journal";
  write_runs(path, {0});
  JournalHeader other = sample_header();
  other.replicates = 4;
  CHECK_THROWS_WITH((JournalWriter{path, other, JournalMode::resume}),
                    Catch::Contains(path.string()) && Catch::Contains("replicates 3 vs 4"));
  CHECK_THROWS_WITH((JournalWriter{path, sample_header(7), JournalMode::create_or_resume}),
                    Catch::Contains("sweep_id 0xc0ffee vs 0x7"));
  CHECK_THROWS_AS((JournalWriter{path, sample_header(), JournalMode::create}), OutputExists);
  CHECK_THROWS_WITH((JournalWriter{dir.path() / "none.journal", sample_header(), JournalMode::resume}),
                    Catch::Contains("does not exist"));
  JournalHeader changed_text = sample_header();
  changed_text.description = "another start time";
  JournalWriter w{path, changed_text, JournalMode::create_or_resume};  // the description is not compared
  CHECK(w.header().description == sample_header().description);
  CHECK(w.completed() == std::vector<bool>{true, false, false, false, false, false});
}

TEST_CASE("a journal has one writer, and files that are not journals are rejected", "[output][journal]") {
  const ScratchDir dir{"journal-lock"};
  const auto path = dir.path() / "a.journal";
  JournalWriter first{path, sample_header(), JournalMode::create};
  CHECK_THROWS_WITH((JournalWriter{path, sample_header(), JournalMode::resume}), Catch::Contains("in use"));
  const auto text = dir.write("b.journal", "hello, this is not a journal at all");
  CHECK_THROWS_WITH(JournalReader{text}, Catch::Contains("not a usable journal"));
  CHECK_THROWS_AS(JournalReader{dir.path() / "missing.journal"}, JournalError);
  CHECK(dir.entries() == 2);  // no temporary file left by create
}

TEST_CASE("the writer rejects records that do not fit the header", "[output][journal]") {
  const ScratchDir dir{"journal-reject"};
  JournalWriter w{dir.path() / "a.journal", sample_header(), JournalMode::create};
  CHECK_THROWS_WITH(w.write(make_record(6, kT, true, kR)), Catch::Contains("does not fit 2 points × 3 replicates"));
  auto wrong = make_record(4, kT, true, kR);
  wrong.replicate = 0;
  CHECK_THROWS_AS(w.write(wrong), JournalError);
  CHECK_THROWS_WITH(w.write(make_record(1, kT + 1, true, kR)), Catch::Contains("more than T = 4"));
  w.write(make_record(1, kT, true, kR));
  w.flush();
  CHECK(w.completed_count() == 1);
}

TEST_CASE("records read by offset come back bit for bit in any order, through the read-ahead window",
          "[output][journal]") {
  // read_at reads through a window (1 MiB continuing in file order, 4 KiB after a jump): records in
  // file order, in reverse, and alternating between the ends; records smaller and larger than the
  // small window (series of 3 000 steps: about 190 kB each), and a window boundary falling inside a
  // record's frame.
  const ScratchDir dir{"journal-read-at"};
  for (const std::size_t steps : {kT, std::size_t{3000}}) {
    INFO(steps << " steps");
    const auto path = dir.path() / ("r" + std::to_string(steps) + ".journal");
    JournalHeader h = sample_header();
    h.points = 1;
    h.replicates = 40;
    h.steps = static_cast<std::int64_t>(steps);
    std::vector<std::uint64_t> written;
    {
      JournalWriter w{path, h, JournalMode::create};
      for (std::uint64_t r = 0; r < h.replicates; ++r) {
        const std::uint64_t run = (r * 17) % h.replicates;  // out of run order in the file
        w.write(make_record(run, steps, true, h.replicates));
        written.push_back(run);
      }
    }
    const JournalReader in{path};
    std::vector<std::uint64_t> offsets;  // in file order
    in.for_each_located([&](std::uint64_t, std::uint64_t offset) { offsets.push_back(offset); });
    REQUIRE(offsets.size() == written.size());
    std::vector<std::size_t> orders[3];
    for (std::size_t i = 0; i < offsets.size(); ++i) {
      orders[0].push_back(i);
      orders[1].push_back(offsets.size() - 1 - i);
      orders[2].push_back(i % 2 == 0 ? i / 2 : offsets.size() - 1 - i / 2);
    }
    runner::RunRecord record;
    for (const auto& order : orders) {
      for (const std::size_t i : order) {
        in.read_at(offsets[i], record);
        CHECK(same(record, make_record(written[i], steps, true, h.replicates)));
      }
    }
  }
}
