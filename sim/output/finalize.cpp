// finalize: a checking pass that locates the first copy of every run, then one pass in run-index
// order through Hdf5Sink (see finalize.hpp).
#include "output/finalize.hpp"

#include "output/hdf5_sink.hpp"
#include "output/journal.hpp"

#include <fmt/format.h>

#include <limits>
#include <string>

namespace normsim::output {

namespace {

constexpr std::uint16_t kNoJournal = std::numeric_limits<std::uint16_t>::max();

// Where the copy of a run that finalize uses lies: owner[run] (kNoJournal if missing) and the
// byte offset of its frame in that journal.
struct RunLocations {
  std::vector<std::uint16_t> owner;
  std::vector<std::uint64_t> offset;
};

// Reads every journal once: headers agree with each other and with the layout, records intact,
// no run in two journals. Keeps the first copy of each run (later copies are redone runs).
RunLocations locate_runs(const std::vector<JournalReader>& readers, const Layout& layout, FinalizeReport& report) {
  JournalHeader expected = readers.front().header();
  expected.points = layout.points;
  expected.replicates = layout.replicates;
  expected.steps = layout.steps;
  expected.series = layout.series;
  for (const auto& reader : readers) {
    if (const auto diff = header_difference(reader.header(), readers.front().header()); !diff.empty())
      throw JournalError(fmt::format("journal '{}' differs from '{}': {}", reader.path().string(),
                                     readers.front().path().string(), diff));
    if (const auto diff = header_difference(reader.header(), expected); !diff.empty())
      throw JournalError(fmt::format("journal '{}' does not match the layout: {} (journal vs layout)",
                                     reader.path().string(), diff));
  }
  RunLocations at;
  at.owner.assign(layout.runs(), kNoJournal);
  at.offset.assign(layout.runs(), 0);
  for (std::size_t j = 0; j < readers.size(); ++j) {
    report.records += readers[j].for_each_located([&](std::uint64_t run, std::uint64_t offset) {
      std::uint16_t& o = at.owner[run];
      if (o == kNoJournal) {
        o = static_cast<std::uint16_t>(j);
        at.offset[run] = offset;
        ++report.present;
      } else if (o != j) {
        throw JournalError(fmt::format("run {} (point {}, replicate {}) is in both '{}' and '{}': shards overlap", run,
                                       run / layout.replicates, run % layout.replicates, readers[o].path().string(),
                                       readers[j].path().string()));
      }
    });
  }
  report.duplicates = report.records - report.present;
  return at;
}

std::string missing_runs(const std::vector<std::uint16_t>& owner, const Layout& layout, std::uint64_t count) {
  std::string list;
  std::uint64_t listed = 0;
  for (std::uint64_t run = 0; run < owner.size() && listed < 10; ++run)
    if (owner[run] == kNoJournal) {
      list += fmt::format("{}run {} (point {}, replicate {})", listed++ ? ", " : "", run, run / layout.replicates,
                          run % layout.replicates);
    }
  return fmt::format("{} of {} runs are missing from the journals: {}{}", count, owner.size(), list,
                     count > listed ? ", …" : "");
}

}  // namespace

FinalizeReport finalize(const std::vector<std::filesystem::path>& journals, const Layout& layout,
                        const Provenance& provenance, const std::filesystem::path& out, const FinalizeOptions& options) {
  if (journals.empty()) throw JournalError(fmt::format("cannot write '{}': no journals given", out.string()));
  if (journals.size() >= kNoJournal)
    throw JournalError(fmt::format("cannot merge {} journals (at most {})", journals.size(), kNoJournal - 1));
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && !options.overwrite)
    throw OutputExists(fmt::format("{} exists; pass --overwrite to replace it", out.string()));
  validate_layout(layout);
  std::vector<JournalReader> readers;
  readers.reserve(journals.size());
  for (const auto& path : journals) readers.emplace_back(path);

  FinalizeReport report;
  report.runs = layout.runs();
  const RunLocations at = locate_runs(readers, layout, report);
  report.complete = report.present == report.runs;
  if (!report.complete && !options.allow_incomplete)
    throw JournalError(fmt::format("cannot write '{}': {}", out.string(), missing_runs(at.owner, layout, report.runs - report.present)));

  Hdf5Sink sink{out, layout, provenance, options.overwrite};
  sink.set_compression_threads(options.threads);
  runner::RunRecord record;
  for (std::uint64_t run = 0; run < report.runs; ++run) {
    const std::uint16_t j = at.owner[run];
    if (j == kNoJournal) continue;  // allow_incomplete: the row keeps its fill value
    readers[j].read_at(at.offset[run], record);
    sink.write(record);
  }
  sink.commit(report.complete, provenance);
  return report;
}

}  // namespace normsim::output
