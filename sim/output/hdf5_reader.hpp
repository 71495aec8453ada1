#pragma once
// Read access to normsim HDF5 files for tests and tools, without exposing HDF5: whole datasets as
// row-major vectors, root attributes, the list of datasets, and a bitwise comparison of datasets
// between two files (the thread-count determinism tests use compare_datasets).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace normsim::output {

/// An HDF5 file opened read-only. Every member throws OutputError (message names the file, the
/// object and the HDF5 cause) if the object is missing or cannot be read as asked.
class Hdf5Reader {
 public:
  /// Opens `path` read-only.
  explicit Hdf5Reader(const std::filesystem::path& path);
  Hdf5Reader(Hdf5Reader&&) noexcept;
  Hdf5Reader& operator=(Hdf5Reader&&) noexcept;
  ~Hdf5Reader();

  /// Absolute paths of every dataset ("/outcomes/xrisk"), sorted.
  [[nodiscard]] std::vector<std::string> dataset_paths() const;
  /// Names of the attributes of the object at `object` ("/" = root), sorted.
  [[nodiscard]] std::vector<std::string> attribute_names(const std::string& object = "/") const;
  /// Shape of a dataset, e.g. {R, T}.
  [[nodiscard]] std::vector<std::uint64_t> shape(const std::string& dataset) const;
  /// "float64", "uint64", "int64", "uint8", "string" or "other".
  [[nodiscard]] std::string element_type(const std::string& dataset) const;

  /// The whole dataset, row-major, converted by HDF5 to the requested element type.
  [[nodiscard]] std::vector<double> read_float64(const std::string& dataset) const;
  [[nodiscard]] std::vector<std::uint64_t> read_uint64(const std::string& dataset) const;
  [[nodiscard]] std::vector<std::int64_t> read_int64(const std::string& dataset) const;
  [[nodiscard]] std::vector<std::uint8_t> read_uint8(const std::string& dataset) const;
  /// The block of a dataset that starts at `start` and has extent `count` (one entry per
  /// dimension), row-major, converted to the requested type: e.g. replicates [r, r + n) of point p
  /// of a [P, R] dataset are start {p, r}, count {1, n}. Memory is the block's, not the dataset's.
  [[nodiscard]] std::vector<double> read_float64(const std::string& dataset, const std::vector<std::uint64_t>& start,
                                                 const std::vector<std::uint64_t>& count) const;
  [[nodiscard]] std::vector<std::uint64_t> read_uint64(const std::string& dataset, const std::vector<std::uint64_t>& start,
                                                       const std::vector<std::uint64_t>& count) const;
  [[nodiscard]] std::vector<std::uint8_t> read_uint8(const std::string& dataset, const std::vector<std::uint64_t>& start,
                                                     const std::vector<std::uint64_t>& count) const;

  /// A scalar string attribute of `object` (variable- or fixed-length).
  [[nodiscard]] std::string string_attribute(const std::string& name, const std::string& object = "/") const;
  /// A 1-D string attribute of `object` (e.g. cli_overrides).
  [[nodiscard]] std::vector<std::string> string_array_attribute(const std::string& name,
                                                                const std::string& object = "/") const;
  /// A scalar numeric attribute converted to double (exact for integers below 2^53).
  [[nodiscard]] double number_attribute(const std::string& name, const std::string& object = "/") const;
  /// A scalar integer attribute as uint64 (e.g. master_seed, exact for any value).
  [[nodiscard]] std::uint64_t uint64_attribute(const std::string& name, const std::string& object = "/") const;
  /// A scalar integer attribute as int64 (e.g. threads, format_version).
  [[nodiscard]] std::int64_t int64_attribute(const std::string& name, const std::string& object = "/") const;

 private:
  struct State;  // the open file handle (hdf5_reader.cpp)
  std::filesystem::path path_;
  std::unique_ptr<State> state_;
};

/// The first difference found by compare_datasets.
struct DatasetDifference {
  std::string dataset;      ///< path of the dataset that differs
  std::string description;  ///< e.g. "element 12 (row-major): 0x3ff0… vs 0x3ff1…" or "shape [4] vs [5]"
};

/// Compares the datasets `names` of two files bitwise: same element type, same shape, same bytes
/// (so NaN equals NaN exactly when the bit patterns are equal, and 0.0 differs from −0.0). Returns
/// the first difference in the order of `names`, or nullopt if all are identical. A dataset
/// missing from either file is a difference. Throws OutputError if a file cannot be opened/read.
[[nodiscard]] std::optional<DatasetDifference> compare_datasets(const std::filesystem::path& a,
                                                                const std::filesystem::path& b,
                                                                const std::vector<std::string>& names);

}  // namespace normsim::output
