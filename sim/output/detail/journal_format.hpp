#pragma once
// Internal to sim/output: the byte format of run journals (documented in output/journal.hpp) —
// encoding, decoding, the CRC-32 and the sequential scan that separates intact records, a torn
// tail and corruption. Shared by JournalWriter (resume) and JournalReader.
#include "output/journal.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <span>
#include <vector>

namespace normsim::output::detail {

inline constexpr std::uint32_t kJournalVersion = 1;
/// Bytes of a record payload without series: run, researcher_steps, wall, outcomes, steps_run, pad.
inline constexpr std::uint64_t kRecordFixedBytes = 8 + 8 + 8 + 8 * model::kOutcomeCount + 4 + 4;
/// Bytes of one step of series in a record payload.
inline constexpr std::uint64_t kRecordStepBytes = 8 * model::kSeriesCount;

/// CRC-32 (IEEE 802.3, as zlib's crc32) of `bytes`.
[[nodiscard]] std::uint32_t crc32(std::span<const unsigned char> bytes) noexcept;

/// The whole header: magic, version, length, payload, checksum.
[[nodiscard]] std::vector<unsigned char> encode_header(const JournalHeader& header);
/// Reads and checks the header at the start of `path`; sets `data_offset` to the first record.
/// Throws JournalError naming the file and what is wrong.
[[nodiscard]] JournalHeader read_header(const std::filesystem::path& path, std::uint64_t& data_offset);

/// Replaces `frame` with the framed record (length, checksum, payload). Series only if `series`.
void encode_record(const runner::RunRecord& record, bool series, std::vector<unsigned char>& frame);
/// Decodes a payload checked by scan_records into `out` (point and replicate from run_index).
void decode_record(std::span<const unsigned char> payload, std::uint64_t replicates, runner::RunRecord& out);

/// Result of scan_records.
struct ScanResult {
  std::uint64_t records = 0;    ///< intact records
  std::uint64_t valid_end = 0;  ///< byte offset just after the last intact record
  std::uint64_t file_size = 0;  ///< size of the file when scanned; > valid_end iff there is a torn tail
};

/// Reads the records of `path` from `data_offset` on, calling `f(run_index, payload, offset)` for
/// each intact record (offset = byte offset of its frame). Stops at a torn tail; throws JournalError on corruption (record ordinal, byte
/// offset, cause) or an I/O error.
ScanResult scan_records(const std::filesystem::path& path, const JournalHeader& header, std::uint64_t data_offset,
                        const std::function<void(std::uint64_t, std::span<const unsigned char>, std::uint64_t)>& f);

/// A window of a file's bytes read ahead, [begin, begin + size) of the file: reads at increasing
/// offsets — finalize reads a journal's records in run order, which is usually the order they were
/// written in — cost one pread(2) per window instead of two per record.
struct ReadAhead {
  std::vector<unsigned char> bytes;  ///< capacity of the window (grown for a record larger than it)
  std::uint64_t begin = 0;
  std::size_t size = 0;
};

/// Reads the record whose frame starts at byte `offset` of the open file `fd` (an offset reported
/// by scan_records) into `out`, through `window`. Throws JournalError naming `path` and the offset
/// if no intact record is there (the file changed since it was scanned).
void read_record_at(int fd, const std::filesystem::path& path, const JournalHeader& header, std::uint64_t offset,
                    ReadAhead& window, runner::RunRecord& out);

}  // namespace normsim::output::detail
