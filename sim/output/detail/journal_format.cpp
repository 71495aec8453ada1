// The journal byte format: encoding, decoding and the scan (see journal_format.hpp).
#include "output/detail/journal_format.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>

namespace normsim::output::detail {

static_assert(std::endian::native == std::endian::little, "journals are written in native = little-endian order");

namespace {

constexpr char kMagic[8] = {'N', 'S', 'J', 'O', 'U', 'R', 'N', 'L'};
constexpr std::uint64_t kMaxDescription = std::uint64_t{1} << 30;

template <class T>
void put(std::vector<unsigned char>& out, T value) {
  const auto at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

template <class T>
T get(const unsigned char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

FilePtr open_read(const std::filesystem::path& path) {
  FilePtr f{std::fopen(path.c_str(), "rb")};
  if (!f) throw JournalError(fmt::format("cannot open journal '{}': {}", path.string(), std::strerror(errno)));
  return f;
}

// Sequential reader with a growable window [pos, len) of the file.
class Window {
 public:
  Window(std::FILE* f, std::uint64_t offset) : f_{f} {
    if (std::fseek(f_, static_cast<long>(offset), SEEK_SET) != 0) throw JournalError("seek failed");
    grow(std::size_t{4} << 20);
  }
  // Makes n bytes available at data(); returns how many are (fewer only at the end of the file).
  std::size_t ensure(std::size_t n) {
    if (len_ - pos_ >= n) return n;
    std::memmove(buf_.get(), buf_.get() + pos_, len_ - pos_);
    len_ -= pos_;
    pos_ = 0;
    if (size_ < n) grow(n);
    while (len_ < n) {
      const std::size_t got = std::fread(buf_.get() + len_, 1, size_ - len_, f_);
      if (got == 0) break;
      len_ += got;
    }
    return std::min(n, len_);
  }
  [[nodiscard]] const unsigned char* data() const noexcept { return buf_.get() + pos_; }
  void skip(std::size_t n) noexcept { pos_ += n; }

 private:
  // The buffer is left uninitialised (only bytes read into it are ever looked at): zeroing 4 MiB
  // touched every page of it, about a millisecond each time a journal is opened, for journals
  // that are mostly a few kilobytes.
  void grow(std::size_t n) {
    auto bigger = std::make_unique_for_overwrite<unsigned char[]>(n);
    if (len_ > 0) std::memcpy(bigger.get(), buf_.get(), len_);
    buf_ = std::move(bigger);
    size_ = n;
  }
  std::FILE* f_;
  std::unique_ptr<unsigned char[]> buf_;
  std::size_t size_ = 0;
  std::size_t pos_ = 0, len_ = 0;
};

// True if every byte from the window's position to the end of the file is zero.
bool rest_is_zero(Window& w, std::uint64_t remaining) {
  while (remaining > 0) {
    const std::size_t n = w.ensure(static_cast<std::size_t>(std::min<std::uint64_t>(remaining, 1 << 20)));
    if (n == 0) return true;
    if (std::any_of(w.data(), w.data() + n, [](unsigned char c) { return c != 0; })) return false;
    w.skip(n);
    remaining -= n;
  }
  return true;
}

}  // namespace

std::uint32_t crc32(std::span<const unsigned char> bytes) noexcept {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  std::size_t done = 0;
  while (done < bytes.size()) {  // zlib takes uInt lengths
    const auto n = static_cast<uInt>(std::min<std::size_t>(bytes.size() - done, 1u << 30));
    crc = ::crc32(crc, bytes.data() + done, n);
    done += n;
  }
  return static_cast<std::uint32_t>(crc);
}

std::vector<unsigned char> encode_header(const JournalHeader& h) {
  if (h.description.size() > kMaxDescription)
    throw JournalError(fmt::format("journal description of {} bytes is too long (at most {})", h.description.size(), kMaxDescription));
  std::vector<unsigned char> payload;
  put<std::uint64_t>(payload, h.sweep_id);
  put<std::uint64_t>(payload, h.points);
  put<std::uint64_t>(payload, h.replicates);
  put<std::int64_t>(payload, h.steps);
  put<std::uint8_t>(payload, h.series ? 1 : 0);
  put<std::uint8_t>(payload, static_cast<std::uint8_t>(model::kOutcomeCount));
  put<std::uint8_t>(payload, static_cast<std::uint8_t>(model::kSeriesCount));
  put<std::uint8_t>(payload, 0);
  put<std::uint32_t>(payload, static_cast<std::uint32_t>(h.description.size()));
  for (char c : h.description) payload.push_back(static_cast<unsigned char>(c));
  std::vector<unsigned char> out;
  out.reserve(16 + payload.size() + 4);
  for (char c : kMagic) out.push_back(static_cast<unsigned char>(c));
  put<std::uint32_t>(out, kJournalVersion);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(payload.size()));
  for (unsigned char c : payload) out.push_back(c);
  put<std::uint32_t>(out, crc32(payload));
  return out;
}

JournalHeader read_header(const std::filesystem::path& path, std::uint64_t& data_offset) {
  auto bad = [&](const std::string& why) { return JournalError(fmt::format("'{}' is not a usable journal: {}", path.string(), why)); };
  const FilePtr f = open_read(path);
  Window w{f.get(), 0};
  if (w.ensure(16) < 16 || std::memcmp(w.data(), kMagic, 8) != 0) throw bad("no journal header (magic \"NSJOURNL\")");
  const auto version = get<std::uint32_t>(w.data() + 8);
  const auto length = get<std::uint32_t>(w.data() + 12);
  if (version != kJournalVersion) throw bad(fmt::format("format version {} (this build reads {})", version, kJournalVersion));
  if (length < 40 || length > kMaxDescription + 40) throw bad(fmt::format("header length {} is invalid", length));
  if (w.ensure(16 + std::size_t{length} + 4) < 16 + std::size_t{length} + 4) throw bad("header cut short");
  const unsigned char* p = w.data() + 16;
  if (crc32({p, length}) != get<std::uint32_t>(p + length)) throw bad("header checksum mismatch");
  JournalHeader h;
  h.sweep_id = get<std::uint64_t>(p);
  h.points = get<std::uint64_t>(p + 8);
  h.replicates = get<std::uint64_t>(p + 16);
  h.steps = get<std::int64_t>(p + 24);
  h.series = p[32] != 0;
  if (p[33] != model::kOutcomeCount || p[34] != model::kSeriesCount)
    throw bad(fmt::format("{} outcomes and {} series per record (this build has {} and {})", p[33], p[34],
                          model::kOutcomeCount, model::kSeriesCount));
  const auto d = get<std::uint32_t>(p + 36);
  if (40 + std::uint64_t{d} != length) throw bad("header length does not match its description");
  h.description.assign(reinterpret_cast<const char*>(p + 40), d);
  if (h.steps < 0) throw bad(fmt::format("negative number of steps {}", h.steps));
  data_offset = 16 + std::uint64_t{length} + 4;
  return h;
}

void encode_record(const runner::RunRecord& r, bool series, std::vector<unsigned char>& frame) {
  const std::uint64_t steps = series ? r.series.size() : 0;
  frame.clear();
  frame.reserve(8 + kRecordFixedBytes + steps * kRecordStepBytes);
  put<std::uint32_t>(frame, 0);  // length and checksum, filled below
  put<std::uint32_t>(frame, 0);
  put<std::uint64_t>(frame, r.run_index);
  put<std::uint64_t>(frame, r.researcher_steps);
  put<double>(frame, r.wall_seconds);
  for (double x : r.outcomes) put<double>(frame, x);
  put<std::uint32_t>(frame, static_cast<std::uint32_t>(steps));
  put<std::uint32_t>(frame, 0);
  for (std::uint64_t t = 0; t < steps; ++t)
    for (double x : r.series[t]) put<double>(frame, x);
  const auto n = static_cast<std::uint32_t>(frame.size() - 8);
  const std::uint32_t crc = crc32({frame.data() + 8, n});
  std::memcpy(frame.data(), &n, 4);
  std::memcpy(frame.data() + 4, &crc, 4);
}

void decode_record(std::span<const unsigned char> payload, std::uint64_t replicates, runner::RunRecord& out) {
  const unsigned char* p = payload.data();
  out.run_index = get<std::uint64_t>(p);
  out.point = replicates == 0 ? 0 : out.run_index / replicates;
  out.replicate = replicates == 0 ? 0 : out.run_index % replicates;
  out.researcher_steps = get<std::uint64_t>(p + 8);
  out.wall_seconds = get<double>(p + 16);
  std::memcpy(out.outcomes.data(), p + 24, 8 * model::kOutcomeCount);
  const auto steps = get<std::uint32_t>(p + kRecordFixedBytes - 8);
  out.series.resize(steps);
  if (steps > 0) std::memcpy(static_cast<void*>(out.series.data()), p + kRecordFixedBytes, steps * kRecordStepBytes);
}

ScanResult scan_records(const std::filesystem::path& path, const JournalHeader& header, std::uint64_t data_offset,
                        const std::function<void(std::uint64_t, std::span<const unsigned char>, std::uint64_t)>& f) {
  const FilePtr file = open_read(path);
  ScanResult result;
  std::error_code ec;
  result.file_size = std::filesystem::file_size(path, ec);
  if (ec) throw JournalError(fmt::format("cannot read journal '{}': {}", path.string(), ec.message()));
  Window w{file.get(), data_offset};
  const std::uint64_t max_steps = header.series ? static_cast<std::uint64_t>(header.steps) : 0;
  const std::uint64_t max_payload = kRecordFixedBytes + max_steps * kRecordStepBytes;
  const std::uint64_t runs = header.runs();
  std::uint64_t off = data_offset;
  auto corrupt = [&](const std::string& why) {
    return JournalError(fmt::format("journal '{}' is corrupt: record #{} at byte offset {}: {} ({} more bytes follow; "
                                    "refusing to skip it)", path.string(), result.records, off, why,
                                    result.file_size - off));
  };
  while (off < result.file_size) {
    const std::uint64_t remaining = result.file_size - off;
    if (w.ensure(8) < 8) break;  // torn: not even a whole frame header
    const auto n = get<std::uint32_t>(w.data());
    const auto crc = get<std::uint32_t>(w.data() + 4);
    if (n < kRecordFixedBytes || n > max_payload || (n - kRecordFixedBytes) % kRecordStepBytes != 0) {
      if (rest_is_zero(w, remaining)) break;  // a zero-filled (power-loss) tail
      throw corrupt(fmt::format("invalid length {}", n));
    }
    if (8 + std::uint64_t{n} > remaining) break;  // torn: cut short by the end of the file
    if (w.ensure(8 + std::size_t{n}) < 8 + std::size_t{n}) throw corrupt("read failed");
    const std::span<const unsigned char> payload{w.data() + 8, n};
    if (crc32(payload) != crc) {
      if (8 + std::uint64_t{n} == remaining) break;  // the last record, damaged: a torn tail
      throw corrupt("checksum mismatch");
    }
    const auto run = get<std::uint64_t>(payload.data());
    const auto steps = get<std::uint32_t>(payload.data() + kRecordFixedBytes - 8);
    if (run >= runs) throw corrupt(fmt::format("run index {} ≥ P·R = {}", run, runs));
    if (kRecordFixedBytes + std::uint64_t{steps} * kRecordStepBytes != n) throw corrupt("length and step count disagree");
    f(run, payload, off);
    w.skip(8 + std::size_t{n});
    off += 8 + std::uint64_t{n};
    ++result.records;
  }
  result.valid_end = off;
  return result;
}

void read_record_at(int fd, const std::filesystem::path& path, const JournalHeader& header, std::uint64_t offset,
                    ReadAhead& window, runner::RunRecord& out) {
  auto fail = [&](const std::string& why) {
    return JournalError(fmt::format("journal '{}': no intact record at byte offset {} ({}); did the file change?",
                                    path.string(), offset, why));
  };
  // The n bytes at `at`, from the window. A window that does not hold them is read again from `at`
  // on, retrying short reads: 1 MiB when `at` continues the window (reading in file order), else
  // 4 KiB, which holds a record without series (records read out of file order: a journal whose
  // runs were written out of order, or several journals), and at least n bytes either way.
  auto bytes_at = [&](std::size_t n, std::uint64_t at) -> const unsigned char* {
    if (at >= window.begin && at - window.begin + n <= window.size) return window.bytes.data() + (at - window.begin);
    const bool in_order = window.size > 0 && at >= window.begin && at <= window.begin + window.size;
    const std::size_t want = std::max(n, in_order ? std::size_t{1} << 20 : std::size_t{4} << 10);
    if (window.bytes.size() < want) window.bytes.resize(want);
    window.begin = at;
    window.size = 0;
    while (window.size < n) {
      const ssize_t got = ::pread(fd, window.bytes.data() + window.size, want - window.size,
                                  static_cast<off_t>(at + window.size));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) throw fail(got == 0 ? "end of file" : std::strerror(errno));
      window.size += static_cast<std::size_t>(got);
    }
    return window.bytes.data();
  };
  const std::uint64_t max_steps = header.series ? static_cast<std::uint64_t>(header.steps) : 0;
  const unsigned char* frame = bytes_at(8, offset);
  const auto n = get<std::uint32_t>(frame);
  const auto crc = get<std::uint32_t>(frame + 4);
  if (n < kRecordFixedBytes || n > kRecordFixedBytes + max_steps * kRecordStepBytes) throw fail("invalid length");
  const std::span<const unsigned char> payload{bytes_at(n, offset + 8), n};
  if (crc32(payload) != crc) throw fail("checksum mismatch");
  const auto steps = get<std::uint32_t>(payload.data() + kRecordFixedBytes - 8);
  if (kRecordFixedBytes + std::uint64_t{steps} * kRecordStepBytes != n || get<std::uint64_t>(payload.data()) >= header.runs())
    throw fail("invalid contents");
  decode_record(payload, header.replicates, out);
}

}  // namespace normsim::output::detail
