// JournalWriter and JournalReader (see journal.hpp; the byte format is in detail/journal_format.*).
#include "output/journal.hpp"

#include "output/detail/journal_format.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace normsim::output {

namespace {

[[noreturn]] void throw_io(const std::filesystem::path& path, const char* what) {
  throw JournalError(fmt::format("journal '{}': {} failed: {}", path.string(), what, std::strerror(errno)));
}

// Writes all of `bytes` at the end of `fd`, retrying short writes and EINTR.
void write_all(int fd, const unsigned char* data, std::size_t size, const std::filesystem::path& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(path, "write");
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Makes a rename or a new file durable: fsync of the directory entry.
void sync_directory(const std::filesystem::path& file) {
  const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path{"."};
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

void create_journal(const std::filesystem::path& path, const JournalHeader& header) {
  std::filesystem::path temp = path;
  temp += fmt::format(".tmp-{}", static_cast<long>(::getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_io(temp, "creating the file");
  try {
    const auto bytes = detail::encode_header(header);
    write_all(fd, bytes.data(), bytes.size(), temp);
    if (::fsync(fd) != 0) throw_io(temp, "fsync");
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    throw_io(path, "renaming the new journal into place");
  }
  sync_directory(path);
}

}  // namespace

std::string header_difference(const JournalHeader& a, const JournalHeader& b) {
  if (a.sweep_id != b.sweep_id) return fmt::format("sweep_id {:#x} vs {:#x}", a.sweep_id, b.sweep_id);
  if (a.points != b.points) return fmt::format("points {} vs {}", a.points, b.points);
  if (a.replicates != b.replicates) return fmt::format("replicates {} vs {}", a.replicates, b.replicates);
  if (a.steps != b.steps) return fmt::format("steps {} vs {}", a.steps, b.steps);
  if (a.series != b.series) return fmt::format("series {} vs {}", a.series, b.series);
  return {};
}

JournalWriter::JournalWriter(std::filesystem::path path, JournalHeader header, JournalMode mode)
    : path_{std::move(path)}, header_{std::move(header)} {
  if (header_.steps < 0) throw JournalError(fmt::format("journal '{}': negative number of steps {}", path_.string(), header_.steps));
  std::error_code ec;
  const bool exists = std::filesystem::exists(path_, ec);
  if (mode == JournalMode::create && exists) throw OutputExists(fmt::format("{} exists; resume it or choose another name", path_.string()));
  if (mode == JournalMode::resume && !exists) throw JournalError(fmt::format("journal '{}' does not exist", path_.string()));
  if (!exists) create_journal(path_, header_);

  fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0) throw_io(path_, "opening");
  try {
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0)
      throw JournalError(fmt::format("journal '{}' is in use by another process (flock: {})", path_.string(), std::strerror(errno)));
    std::uint64_t data_offset = 0;
    const JournalHeader stored = detail::read_header(path_, data_offset);
    if (const auto diff = header_difference(stored, header_); !diff.empty())
      throw JournalError(fmt::format(
          "journal '{}' belongs to another sweep or layout, or was written by a build whose numbers differ "
          "(another model or math revision): {} (file vs expected); start over with --overwrite",
          path_.string(), diff));
    header_ = stored;
    completed_.assign(header_.runs(), false);
    const auto scan = detail::scan_records(path_, header_, data_offset, [&](std::uint64_t run, auto, std::uint64_t) {
      if (!completed_[run]) ++completed_count_;
      completed_[run] = true;
    });
    end_ = scan.valid_end;
    torn_bytes_ = scan.file_size - scan.valid_end;
    if (torn_bytes_ > 0) {  // cut the torn tail so that appended records follow whole ones
      if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0) throw_io(path_, "truncating the torn tail");
      if (::fdatasync(fd_) != 0) throw_io(path_, "fdatasync");
    }
    if (::lseek(fd_, static_cast<off_t>(end_), SEEK_SET) < 0) throw_io(path_, "seek");
  } catch (...) {
    ::close(fd_);
    throw;
  }
  last_sync_ = std::chrono::steady_clock::now();
}

JournalWriter::~JournalWriter() {
  if (fd_ < 0) return;
  if (unsynced_ > 0) ::fdatasync(fd_);
  ::close(fd_);  // releases the flock
}

void JournalWriter::write(const runner::RunRecord& record) {
  if (failed_) throw JournalError(fmt::format("journal '{}': write after an I/O failure", path_.string()));
  const std::uint64_t runs = header_.runs();
  if (record.run_index >= runs || record.replicate >= header_.replicates ||
      record.point * header_.replicates + record.replicate != record.run_index)
    throw JournalError(fmt::format("journal '{}': run index {} (point {}, replicate {}) does not fit {} points × {} replicates",
                                   path_.string(), record.run_index, record.point, record.replicate, header_.points,
                                   header_.replicates));
  if (header_.series && record.series.size() > static_cast<std::uint64_t>(header_.steps))
    throw JournalError(fmt::format("journal '{}': run {} has {} steps of series, more than T = {}", path_.string(),
                                   record.run_index, record.series.size(), header_.steps));
  detail::encode_record(record, header_.series, frame_);
  try {
    write_all(fd_, frame_.data(), frame_.size(), path_);
  } catch (...) {
    failed_ = true;  // never append after a partial record: cut back to the last whole one
    if (::ftruncate(fd_, static_cast<off_t>(end_)) == 0) ::lseek(fd_, static_cast<off_t>(end_), SEEK_SET);
    throw;
  }
  end_ += frame_.size();
  if (!completed_[record.run_index]) ++completed_count_;
  completed_[record.run_index] = true;
  ++unsynced_;
  const auto now = std::chrono::steady_clock::now();
  if (unsynced_ >= kSyncRecords || std::chrono::duration<double>(now - last_sync_).count() >= kSyncSeconds) flush();
}

void JournalWriter::flush() {
  if (::fdatasync(fd_) != 0) throw_io(path_, "fdatasync");
  unsynced_ = 0;
  last_sync_ = std::chrono::steady_clock::now();
}

JournalReader::JournalReader(std::filesystem::path path) : path_{std::move(path)} {
  header_ = detail::read_header(path_, data_offset_);
}

std::uint64_t JournalReader::for_each(const std::function<void(const runner::RunRecord&)>& f) const {
  return for_each_in(0, header_.runs(), f);
}

std::uint64_t JournalReader::for_each_in(std::uint64_t begin, std::uint64_t end,
                                         const std::function<void(const runner::RunRecord&)>& f) const {
  runner::RunRecord record;
  std::uint64_t passed = 0;
  detail::scan_records(path_, header_, data_offset_, [&](std::uint64_t run, std::span<const unsigned char> payload, std::uint64_t) {
    if (run < begin || run >= end) return;
    detail::decode_record(payload, header_.replicates, record);
    f(record);
    ++passed;
  });
  return passed;
}

std::uint64_t JournalReader::for_each_index(const std::function<void(std::uint64_t)>& f) const {
  return for_each_located([&](std::uint64_t run, std::uint64_t) { f(run); });
}

std::uint64_t JournalReader::for_each_located(const std::function<void(std::uint64_t, std::uint64_t)>& f) const {
  return detail::scan_records(path_, header_, data_offset_, [&](std::uint64_t run, auto, std::uint64_t offset) {
           f(run, offset);
         }).records;
}

void JournalReader::read_at(std::uint64_t offset, runner::RunRecord& out) const {
  if (!file_) {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_io(path_, "opening");
    file_ = std::shared_ptr<int>(new int{fd}, [](int* p) {
      ::close(*p);
      delete p;
    });
  }
  if (!window_) window_ = std::make_shared<detail::ReadAhead>();
  detail::read_record_at(*file_, path_, header_, offset, *window_, out);
}

std::vector<bool> JournalReader::completed() const {
  std::vector<bool> out(header_.runs(), false);
  for_each_index([&](std::uint64_t run) { out[run] = true; });
  return out;
}

}  // namespace normsim::output
