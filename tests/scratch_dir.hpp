#pragma once
// A fresh, empty directory under the build tree for one test, removed on destruction. Shared by the
// tests that write files (output, CLI).
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <unistd.h>

namespace normsim::test {

class ScratchDir {
 public:
  /// Creates <build>/test-scratch/<name>-<pid>, emptied first if it exists.
  explicit ScratchDir(const std::string& name)
      : path_{std::filesystem::path{NORMSIM_BINARY_DIR} / "test-scratch" / (name + "-" + std::to_string(::getpid()))} {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  /// Writes `text` to a file in the directory and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }
  /// Number of entries in the directory.
  [[nodiscard]] std::size_t entries() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator{path_}) ++n;
    return n;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace normsim::test
