#pragma once
// Internal to sim/output: a thin RAII layer over the HDF5 1.10 C API. This is the only header of
// normsim that includes hdf5.h; it is never included from a public header of the output target.
//
// Every handle is move-only and closes its id on destruction. Every failing HDF5 call is turned
// into an OutputError whose message names the operation, the file/object, and the HDF5 error stack
// (outermost call first, innermost cause last).
#include "output/error.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace normsim::output::detail {

/// The kind of object an hid_t refers to; selects the H5?close function.
enum class HandleKind : std::uint8_t { file, group, dataset, dataspace, attribute, property_list, datatype };

/// Owns one HDF5 identifier of kind K. Invariant: id_ is either < 0 (empty) or a valid open id.
template <HandleKind K>
class Handle {
 public:
  Handle() = default;
  /// Takes ownership of `id`; throws OutputError (with the HDF5 stack) if `id` < 0.
  Handle(hid_t id, std::string_view what);
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_{other.id_} { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      other.id_ = -1;
    }
    return *this;
  }
  ~Handle() { reset(); }

  [[nodiscard]] hid_t id() const noexcept { return id_; }
  [[nodiscard]] explicit operator bool() const noexcept { return id_ >= 0; }
  /// Closes the id, ignoring errors (destructor path).
  void reset() noexcept;
  /// Closes the id and throws OutputError if HDF5 reports a failure (commit path).
  void close(std::string_view what);

 private:
  hid_t id_ = -1;
};

using File = Handle<HandleKind::file>;
using Group = Handle<HandleKind::group>;
using Dataset = Handle<HandleKind::dataset>;
using Dataspace = Handle<HandleKind::dataspace>;
using Attribute = Handle<HandleKind::attribute>;
using PropertyList = Handle<HandleKind::property_list>;
using Datatype = Handle<HandleKind::datatype>;

/// Switches off HDF5's automatic error printing for the lifetime of the guard and restores the
/// previous handler afterwards: we read the stack ourselves and report it in an OutputError.
class QuietErrors {
 public:
  QuietErrors() noexcept;
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;
  ~QuietErrors();

 private:
  H5E_auto2_t old_func_ = nullptr;
  void* old_data_ = nullptr;
};

/// Throws OutputError("<what>: <HDF5 stack>") and clears the stack.
[[noreturn]] void throw_hdf5_error(std::string_view what);
/// Throws via throw_hdf5_error if `status` < 0.
void check(herr_t status, std::string_view what);
/// Returns `value`, or throws via throw_hdf5_error if `value` < 0 (for htri_t and ssize_t results).
std::int64_t check_value(std::int64_t value, std::string_view what);

/// The memory type for T: double, std::uint64_t, std::int64_t, std::uint8_t.
template <class T>
[[nodiscard]] hid_t native_type();

/// The H5P_DEFAULT / H5S_ALL identifiers, without their old-style casts in our code.
[[nodiscard]] hid_t default_plist() noexcept;
[[nodiscard]] hid_t all_space() noexcept;
/// H5T_VARIABLE: the size of a variable-length string type.
[[nodiscard]] std::size_t variable_length() noexcept;

// ---- files and groups -------------------------------------------------------------------------

/// Creates (truncating) a file with link/attribute creation order tracked (netCDF-4 readers want it).
[[nodiscard]] File create_file(const std::string& path);
/// Opens an existing file read-only.
[[nodiscard]] File open_file_read_only(const std::string& path);
/// Opens an existing file for reading and writing.
[[nodiscard]] File open_file_read_write(const std::string& path);
/// Flushes and closes the file, with every object still open in it (strong close degree).
void flush_and_close(File& file, std::string_view what);
[[nodiscard]] Group create_group(hid_t loc, const std::string& name);

// ---- datasets ---------------------------------------------------------------------------------

/// How a dataset is created: element type, shape, optional chunking/compression, fill value.
struct DatasetSpec {
  hid_t file_type = -1;                ///< e.g. H5T_IEEE_F64LE (from file_type<T>())
  std::vector<hsize_t> dims;           ///< shape; any entry may be 0
  std::vector<hsize_t> chunk;          ///< empty: contiguous; else chunk shape (all entries > 0)
  bool deflate = false;                ///< shuffle + deflate level 1 (needs chunk)
  hid_t fill_mem_type = -1;            ///< memory type of *fill, or -1 for no fill value
  const void* fill = nullptr;          ///< fill value written for rows never written
};

/// The little-endian file type used for T.
template <class T>
[[nodiscard]] hid_t file_type();

[[nodiscard]] Dataset create_dataset(hid_t loc, const std::string& name, const DatasetSpec& spec);
[[nodiscard]] Dataset open_dataset(hid_t loc, const std::string& path);
/// Shape of a dataset (rank 0 gives an empty vector).
[[nodiscard]] std::vector<hsize_t> dataset_dims(hid_t dataset);

/// Writes `data` (row-major, T elements) into the block starting at `start` with extent `count`
/// (rank 1 or 2). Throws OutputError if data.size() does not equal the block size.
template <class T>
void write_block(hid_t dataset, std::span<const hsize_t> start, std::span<const hsize_t> count,
                 std::span<const T> data, std::string_view what);

/// Reads the block starting at `start` with extent `count` into `out` (row-major, converted to T
/// by HDF5). Throws OutputError if out.size() does not equal the block size.
template <class T>
void read_block(hid_t dataset, std::span<const hsize_t> start, std::span<const hsize_t> count, std::span<T> out,
                std::string_view what);

/// Reads the whole dataset, converted to T by HDF5, row-major.
template <class T>
[[nodiscard]] std::vector<T> read_all(hid_t dataset, std::string_view what);

/// Reads the whole dataset in its own (native) element type, as raw bytes: for bitwise comparison.
[[nodiscard]] std::vector<unsigned char> read_raw(hid_t dataset, std::size_t& element_size,
                                                  std::string_view what);

/// A chunk of float64 as HDF5's shuffle and deflate filters store it (the pipeline of a dataset
/// created with DatasetSpec::deflate): the bytes shuffled by byte position (H5Z shuffle, element
/// size 8), then a zlib stream at level 1 with the run-length strategy (what H5Z deflate stores and
/// inflates; HDF5's own writes use the default strategy), filter mask 0. Chunks ≤ 4 GiB.
/// Computed by the caller, on any thread; written by write_filtered_chunk.
struct FilteredChunk {
  std::vector<unsigned char> shuffled;  // scratch
  std::vector<unsigned char> bytes;     // what is stored
};
void filter_chunk(std::span<const double> chunk, FilteredChunk& out);
/// Writes a whole chunk, filtered already, whose first element is at `offset` (H5Dwrite_chunk).
void write_filtered_chunk(hid_t dataset, std::span<const hsize_t> offset, const FilteredChunk& chunk,
                          std::string_view what);

/// Makes `scale` a dimension scale named `name` and attaches it to dimension `dim` of `dataset`.
void set_scale(hid_t scale, const std::string& name);
void attach_scale(hid_t dataset, hid_t scale, unsigned dim);

// ---- attributes -------------------------------------------------------------------------------

/// Writes (replacing any existing attribute of that name) a variable-length UTF-8 string attribute.
void write_string_attribute(hid_t object, const std::string& name, std::string_view value);
/// Writes a 1-D attribute of variable-length UTF-8 strings (may be empty).
void write_string_array_attribute(hid_t object, const std::string& name,
                                  const std::vector<std::string>& values);
/// Writes a 1-D int64 attribute (e.g. CF flag_values), replacing any existing one.
void write_int64_array_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values);
/// Writes a scalar numeric attribute of type T (replacing any existing one).
template <class T>
void write_number_attribute(hid_t object, const std::string& name, T value);

[[nodiscard]] bool has_attribute(hid_t object, const std::string& name);
/// Reads a string attribute (variable- or fixed-length), throws OutputError if it is not a string.
[[nodiscard]] std::string read_string_attribute(hid_t object, const std::string& name);
[[nodiscard]] std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& name);
/// Reads a scalar numeric attribute converted to T by HDF5.
template <class T>
[[nodiscard]] T read_number_attribute(hid_t object, const std::string& name);
/// Names of the attributes of `object`, sorted.
[[nodiscard]] std::vector<std::string> attribute_names(hid_t object);
/// Paths ("/outcomes/xrisk") of every dataset in the file, sorted.
[[nodiscard]] std::vector<std::string> dataset_paths(hid_t file);
/// "float64", "uint64", "int64", "uint8", "string" or "other" for a dataset's element type.
[[nodiscard]] std::string element_type_name(hid_t dataset);

}  // namespace normsim::output::detail
