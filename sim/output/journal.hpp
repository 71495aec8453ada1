#pragma once
// The crash-safe run journal: an append-only file of run records, written before anything goes to
// HDF5 (HDF5 1.10 files are not crash-safe). `kill -9` at any moment loses at most the runs in
// flight: every record is handed to the kernel by one write(2) as soon as it arrives, and a torn
// last record is detected by its length and checksum and ignored (and cut off when the journal is
// reopened for appending). fdatasync(2) runs at the write that reaches kSyncRecords unsynced
// records or comes kSyncSeconds after the last sync, and on flush() and destruction, so an
// operating-system crash or power loss loses at most the records of about the last second (or,
// when runs finish rarely, those written since the previous sync).
//
// Format (little-endian; version 1):
//   header : "NSJOURNL" | u32 version | u32 L | payload[L] | u32 crc32(payload)
//            payload = u64 sweep_id | u64 P | u64 R | i64 T | u8 series | u8 outcome count |
//                      u8 series count | u8 0 | u32 D | description[D] (UTF-8)
//   record : u32 N | u32 crc32(payload) | payload[N], repeated to the end of the file
//            payload = u64 run_index | u64 researcher_steps | f64 wall_seconds |
//                      f64 outcomes[outcome count] | u32 steps_run | u32 0 | f64 series[steps_run][series count]
// A damaged record is a *torn tail* (ignored) when it is cut short by the end of the file, when its
// checksum fails and it is the last record, or when it and everything after it are zero bytes
// (a power-loss tail); anywhere else it is corruption and reading throws JournalError naming it.
#include "output/error.hpp"
#include "runner/record.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace normsim::output {

namespace detail {
struct ReadAhead;  // detail/journal_format.hpp
}  // namespace detail

/// A journal that cannot be read or appended to: bad header, corruption, layout mismatch, I/O.
/// The message names the file (and the record and byte offset for corruption).
class JournalError : public OutputError {
 public:
  using OutputError::OutputError;
};

/// What a journal belongs to. Two journals can be merged only if every field but `description`
/// is equal.
struct JournalHeader {
  std::uint64_t sweep_id = 0;     ///< identity of the sweep, chosen by the caller (e.g. a hash of the resolved scenario and seed)
  std::uint64_t points = 1;       ///< P
  std::uint64_t replicates = 0;   ///< R per point; run index < P·R
  std::int64_t steps = 0;         ///< T ≥ 0: at most T steps of series per record
  bool series = true;             ///< records carry series
  std::string description;        ///< free text (e.g. provenance); not compared

  /// P · R.
  [[nodiscard]] std::uint64_t runs() const noexcept { return points * replicates; }
};

/// "" if `a` and `b` describe the same sweep (all fields but description equal), else the first
/// difference, e.g. "sweep_id 0x1 vs 0x2" or "replicates 10 vs 12".
[[nodiscard]] std::string header_difference(const JournalHeader& a, const JournalHeader& b);

/// How JournalWriter opens its file.
enum class JournalMode {
  create,            ///< a new journal; throws OutputExists if the file exists
  resume,            ///< append to an existing journal; throws JournalError if it does not exist
  create_or_resume,  ///< resume if the file exists, else create
};

/// Appends run records to a journal (one writer per file: an exclusive flock(2) is held).
class JournalWriter final : public runner::RunSink {
 public:
  static constexpr std::uint64_t kSyncRecords = 4096;  ///< fdatasync after this many records…
  static constexpr double kSyncSeconds = 1.0;          ///< …or this many seconds since the last one

  /// Opens `path` as `mode` says. A new journal is written as `<path>.tmp-<pid>` (header, fsync)
  /// and renamed, so a journal file always has a whole header. Resuming validates the header
  /// against `header` (JournalError naming the file and the first difference; the stored
  /// description is kept), reads every record (JournalError on corruption), cuts off a torn
  /// tail and fsyncs. Throws JournalError if another process holds the journal, on I/O errors,
  /// or if header.steps < 0.
  JournalWriter(std::filesystem::path path, JournalHeader header, JournalMode mode);
  /// Syncs and closes; never throws (errors are ignored: call flush() to see them).
  ~JournalWriter() override;

  /// Appends one record with a single write(2). Checks run_index < P·R, run_index = point·R +
  /// replicate and at most T steps of series (series ignored when !header.series). A run written
  /// again (redone after a resume) is appended as a second copy; readers see both, finalize()
  /// keeps the first. Throws
  /// JournalError on a bad record or I/O failure; after an I/O failure the writer cuts the file
  /// back to its last whole record and refuses further writes.
  void write(const runner::RunRecord& record) override;
  /// fdatasync(2) now. Throws JournalError on failure.
  void flush();

  /// Runs present in the journal: the resumed records plus those written since. Size P·R.
  [[nodiscard]] const std::vector<bool>& completed() const noexcept { return completed_; }
  /// Number of distinct runs present (count of true in completed()).
  [[nodiscard]] std::uint64_t completed_count() const noexcept { return completed_count_; }
  /// Bytes of a torn tail cut off when the journal was resumed (0 if none or new).
  [[nodiscard]] std::uint64_t torn_bytes_dropped() const noexcept { return torn_bytes_; }
  /// The header as stored in the file (for a resumed journal: its original description).
  [[nodiscard]] const JournalHeader& header() const noexcept { return header_; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
  JournalHeader header_;
  int fd_ = -1;
  std::uint64_t end_ = 0;  // bytes of whole records (and header) in the file
  std::vector<bool> completed_;
  std::uint64_t completed_count_ = 0;
  std::uint64_t torn_bytes_ = 0;
  std::uint64_t unsynced_ = 0;
  std::chrono::steady_clock::time_point last_sync_;
  std::vector<unsigned char> frame_;  // reused encoding buffer
  bool failed_ = false;
};

/// Reads a journal. Each traversal reads the file sequentially with a bounded buffer (memory
/// O(one record), never the whole journal); read_at reads single records by offset.
class JournalReader {
 public:
  /// Opens `path` and reads its header. Throws JournalError if the file cannot be read, is not a
  /// journal, has a damaged header, another version, or other outcome/series counts than this build.
  explicit JournalReader(std::filesystem::path path);

  [[nodiscard]] const JournalHeader& header() const noexcept { return header_; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  /// Calls `f` with every intact record in file order (a run redone after a resume appears more
  /// than once; the copies are identical). RunRecord::point/replicate are derived from run_index.
  /// Stops silently at a torn tail; throws JournalError on a corrupt record (naming its ordinal
  /// and byte offset) and whatever `f` throws. Returns the number of records passed to `f`.
  std::uint64_t for_each(const std::function<void(const runner::RunRecord&)>& f) const;
  /// Like for_each, but decodes and passes only records with begin ≤ run_index < end (all records
  /// are still checked).
  std::uint64_t for_each_in(std::uint64_t begin, std::uint64_t end,
                            const std::function<void(const runner::RunRecord&)>& f) const;
  /// Calls `f(run_index)` for every intact record, without decoding values. Same errors as for_each.
  std::uint64_t for_each_index(const std::function<void(std::uint64_t)>& f) const;
  /// Calls `f(run_index, offset)` for every intact record, offset being the byte offset of its
  /// frame (for read_at). Same errors as for_each.
  std::uint64_t for_each_located(const std::function<void(std::uint64_t, std::uint64_t)>& f) const;
  /// Runs present (size P·R). Same errors as for_each.
  [[nodiscard]] std::vector<bool> completed() const;

  /// Reads the record whose frame starts at `offset` (from for_each_located) into `out`, through a
  /// read-ahead window (detail::read_record_at: 1 MiB while reads follow the file's order, one
  /// pread(2) per window; 4 KiB after a jump); keeps the file open for further calls (one
  /// descriptor per reader).
  /// Throws JournalError if no intact record is there (the file changed) or on an I/O error.
  void read_at(std::uint64_t offset, runner::RunRecord& out) const;

 private:
  std::filesystem::path path_;
  JournalHeader header_;
  std::uint64_t data_offset_ = 0;                // first byte after the header
  mutable std::shared_ptr<int> file_;            // descriptor for read_at, opened on first use
  mutable std::shared_ptr<detail::ReadAhead> window_;  // read_at's read-ahead, made on first use
};

}  // namespace normsim::output
