// RAII handles, error-stack capture, files and datasets (see hdf5_handles.hpp).
#include "output/detail/hdf5_handles.hpp"

#include <zlib.h>

#include <fmt/format.h>

#include <cstring>

namespace normsim::output::detail {

// HDF5 spells H5S_ALL and H5T_VARIABLE with C casts ("(hid_t)0", "((size_t)(-1))"); -Wold-style-cast
// would reject every use. They are expanded here, once, under a narrow suppression, and the rest of
// the output code uses these functions instead.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
hid_t default_plist() noexcept { return H5P_DEFAULT; }
hid_t all_space() noexcept { return H5S_ALL; }
std::size_t variable_length() noexcept { return H5T_VARIABLE; }
#pragma GCC diagnostic pop

namespace {

herr_t close_id(HandleKind kind, hid_t id) noexcept {
  switch (kind) {
    case HandleKind::file: return H5Fclose(id);
    case HandleKind::group: return H5Gclose(id);
    case HandleKind::dataset: return H5Dclose(id);
    case HandleKind::dataspace: return H5Sclose(id);
    case HandleKind::attribute: return H5Aclose(id);
    case HandleKind::property_list: return H5Pclose(id);
    case HandleKind::datatype: return H5Tclose(id);
  }
  return -1;
}

// Collects one line per stack frame. Called by H5Ewalk2 on a *copy* of the stack: H5Eget_msg is an
// API call and would otherwise clear the very stack being walked.
herr_t collect_frame(unsigned /*n*/, const H5E_error2_t* err, void* client) noexcept {
  auto* lines = static_cast<std::vector<std::string>*>(client);
  char minor[256] = {};
  H5Eget_msg(err->min_num, nullptr, minor, sizeof minor);
  try {
    lines->push_back(fmt::format("{}(): {}{}{}", err->func_name ? err->func_name : "?",
                                 err->desc ? err->desc : "", minor[0] ? " — " : "", minor));
  } catch (...) {
    return -1;
  }
  return 0;
}

}  // namespace

template <HandleKind K>
Handle<K>::Handle(hid_t id, std::string_view what) : id_{id} {
  if (id_ < 0) throw_hdf5_error(what);
}

template <HandleKind K>
void Handle<K>::reset() noexcept {
  if (id_ >= 0) {
    close_id(K, id_);
    H5Eclear2(H5E_DEFAULT);
  }
  id_ = -1;
}

template <HandleKind K>
void Handle<K>::close(std::string_view what) {
  if (id_ < 0) return;
  const hid_t id = id_;
  id_ = -1;
  check(close_id(K, id), what);
}

template class Handle<HandleKind::file>;
template class Handle<HandleKind::group>;
template class Handle<HandleKind::dataset>;
template class Handle<HandleKind::dataspace>;
template class Handle<HandleKind::attribute>;
template class Handle<HandleKind::property_list>;
template class Handle<HandleKind::datatype>;

QuietErrors::QuietErrors() noexcept {
  H5Eget_auto2(H5E_DEFAULT, &old_func_, &old_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, old_func_, old_data_); }

void throw_hdf5_error(std::string_view what) {
  std::vector<std::string> lines;
  const hid_t stack = H5Eget_current_stack();  // copies and clears the current stack
  if (stack >= 0) {
    H5Ewalk2(stack, H5E_WALK_DOWNWARD, collect_frame, &lines);  // outermost call first
    H5Eclose_stack(stack);
  }
  if (lines.empty()) throw OutputError(fmt::format("{}: HDF5 call failed (no error stack)", what));
  throw OutputError(fmt::format("{}: {}; innermost cause: {}", what, fmt::join(lines, "; "), lines.back()));
}

void check(herr_t status, std::string_view what) {
  if (status < 0) throw_hdf5_error(what);
}

std::int64_t check_value(std::int64_t value, std::string_view what) {
  if (value < 0) throw_hdf5_error(what);
  return value;
}

template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
template <> hid_t native_type<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t file_type<double>() { return H5T_IEEE_F64LE; }
template <> hid_t file_type<std::uint64_t>() { return H5T_STD_U64LE; }
template <> hid_t file_type<std::int64_t>() { return H5T_STD_I64LE; }
template <> hid_t file_type<std::uint8_t>() { return H5T_STD_U8LE; }

File create_file(const std::string& path) {
  const std::string what = fmt::format("creating HDF5 file '{}'", path);
  PropertyList fcpl{H5Pcreate(H5P_FILE_CREATE), what};
  check(H5Pset_link_creation_order(fcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  check(H5Pset_attr_creation_order(fcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  PropertyList fapl{H5Pcreate(H5P_FILE_ACCESS), what};
  check(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), what);
  return File{H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id()), what};
}

File open_file_read_only(const std::string& path) {
  const std::string what = fmt::format("opening HDF5 file '{}' for reading", path);
  return File{H5Fopen(path.c_str(), H5F_ACC_RDONLY, default_plist()), what};
}

File open_file_read_write(const std::string& path) {
  const std::string what = fmt::format("opening HDF5 file '{}' for writing", path);
  return File{H5Fopen(path.c_str(), H5F_ACC_RDWR, default_plist()), what};
}

void flush_and_close(File& file, std::string_view what) {
  check(H5Fflush(file.id(), H5F_SCOPE_GLOBAL), what);
  file.close(what);
}

Group create_group(hid_t loc, const std::string& name) {
  const std::string what = fmt::format("creating group '{}'", name);
  PropertyList gcpl{H5Pcreate(H5P_GROUP_CREATE), what};
  check(H5Pset_link_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  check(H5Pset_attr_creation_order(gcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  return Group{H5Gcreate2(loc, name.c_str(), default_plist(), gcpl.id(), default_plist()), what};
}

Dataset create_dataset(hid_t loc, const std::string& name, const DatasetSpec& spec) {
  const std::string what = fmt::format("creating dataset '{}'", name);
  Dataspace space{H5Screate_simple(static_cast<int>(spec.dims.size()), spec.dims.data(), nullptr), what};
  PropertyList dcpl{H5Pcreate(H5P_DATASET_CREATE), what};
  check(H5Pset_attr_creation_order(dcpl.id(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), what);
  if (!spec.chunk.empty()) {
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(spec.chunk.size()), spec.chunk.data()), what);
    if (spec.deflate) {
      check(H5Pset_shuffle(dcpl.id()), what);
      check(H5Pset_deflate(dcpl.id(), 1), what);
    }
  }
  if (spec.fill != nullptr) {
    check(H5Pset_fill_value(dcpl.id(), spec.fill_mem_type, spec.fill), what);
    check(H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_IFSET), what);
  }
  return Dataset{H5Dcreate2(loc, name.c_str(), spec.file_type, space.id(), default_plist(), dcpl.id(),
                            default_plist()),
                 what};
}

Dataset open_dataset(hid_t loc, const std::string& path) {
  return Dataset{H5Dopen2(loc, path.c_str(), default_plist()), fmt::format("opening dataset '{}'", path)};
}

std::vector<hsize_t> dataset_dims(hid_t dataset) {
  const char* what = "reading the shape of a dataset";
  Dataspace space{H5Dget_space(dataset), what};
  const auto rank = check_value(H5Sget_simple_extent_ndims(space.id()), what);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  check(H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr), what);
  return dims;
}

void filter_chunk(std::span<const double> chunk, FilteredChunk& out) {
  constexpr std::size_t kSize = sizeof(double);
  const std::size_t n = chunk.size();
  const std::size_t bytes = n * kSize;
  const auto* in = reinterpret_cast<const unsigned char*>(chunk.data());
  out.shuffled.resize(bytes);
  for (std::size_t b = 0; b < kSize; ++b) {
    unsigned char* dest = out.shuffled.data() + b * n;
    for (std::size_t i = 0; i < n; ++i) dest[i] = in[i * kSize + b];
  }
  // A zlib stream, as H5Z deflate stores it, at level 1 with the run-length strategy: on shuffled
  // series (long runs of equal bytes: exponents, and the NaN after a run's last step) about 1.5
  // times as fast as compress2 at level 1 and a little smaller; any inflate reads it, HDF5's filter
  // included. Into a buffer of deflateBound: it always fits.
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK) throw OutputError("compressing a chunk: deflateInit2 failed");
  out.bytes.resize(deflateBound(&z, static_cast<uLong>(bytes)));
  z.next_in = out.shuffled.data();
  z.avail_in = static_cast<uInt>(bytes);
  z.next_out = out.bytes.data();
  z.avail_out = static_cast<uInt>(out.bytes.size());
  const int status = deflate(&z, Z_FINISH);
  const std::size_t size = z.total_out;
  deflateEnd(&z);
  if (status != Z_STREAM_END) throw OutputError(fmt::format("compressing a chunk: zlib error {}", status));
  out.bytes.resize(size);
}

void write_filtered_chunk(hid_t dataset, std::span<const hsize_t> offset, const FilteredChunk& chunk,
                          std::string_view what) {
  check(H5Dwrite_chunk(dataset, default_plist(), 0, offset.data(), chunk.bytes.size(), chunk.bytes.data()), what);
}

template <class T>
void write_block(hid_t dataset, std::span<const hsize_t> start, std::span<const hsize_t> count,
                 std::span<const T> data, std::string_view what) {
  hsize_t size = 1;
  for (hsize_t c : count) size *= c;
  if (size != data.size()) throw OutputError(fmt::format("{}: block of {} elements given {}", what, size, data.size()));
  if (size == 0) return;
  Dataspace file_space{H5Dget_space(dataset), what};
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), what);
  Dataspace mem_space{H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), what};
  check(H5Dwrite(dataset, native_type<T>(), mem_space.id(), file_space.id(), default_plist(), data.data()), what);
}

template <class T>
void read_block(hid_t dataset, std::span<const hsize_t> start, std::span<const hsize_t> count, std::span<T> out,
                std::string_view what) {
  hsize_t size = 1;
  for (hsize_t c : count) size *= c;
  if (size != out.size()) throw OutputError(fmt::format("{}: block of {} elements given {}", what, size, out.size()));
  if (size == 0) return;
  Dataspace file_space{H5Dget_space(dataset), what};
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), what);
  Dataspace mem_space{H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), what};
  check(H5Dread(dataset, native_type<T>(), mem_space.id(), file_space.id(), default_plist(), out.data()), what);
}

template <class T>
std::vector<T> read_all(hid_t dataset, std::string_view what) {
  hsize_t size = 1;
  for (hsize_t d : dataset_dims(dataset)) size *= d;
  std::vector<T> out(static_cast<std::size_t>(size));
  if (size > 0) check(H5Dread(dataset, native_type<T>(), all_space(), all_space(), default_plist(), out.data()), what);
  return out;
}

#define NORMSIM_INSTANTIATE(T)                                                                     \
  template void write_block<T>(hid_t, std::span<const hsize_t>, std::span<const hsize_t>,          \
                               std::span<const T>, std::string_view);                              \
  template std::vector<T> read_all<T>(hid_t, std::string_view);                                   \
  template void read_block<T>(hid_t, std::span<const hsize_t>, std::span<const hsize_t>, std::span<T>, \
                              std::string_view);
NORMSIM_INSTANTIATE(double)
NORMSIM_INSTANTIATE(std::uint64_t)
NORMSIM_INSTANTIATE(std::int64_t)
NORMSIM_INSTANTIATE(std::uint8_t)
#undef NORMSIM_INSTANTIATE

std::vector<unsigned char> read_raw(hid_t dataset, std::size_t& element_size, std::string_view what) {
  Datatype file_t{H5Dget_type(dataset), what};
  Datatype mem_t{H5Tget_native_type(file_t.id(), H5T_DIR_ASCEND), what};
  element_size = H5Tget_size(mem_t.id());
  if (element_size == 0) throw_hdf5_error(what);
  if (H5Tis_variable_str(mem_t.id()) > 0) throw OutputError(fmt::format("{}: variable-length strings cannot be compared bitwise", what));
  hsize_t size = 1;
  for (hsize_t d : dataset_dims(dataset)) size *= d;
  std::vector<unsigned char> out(static_cast<std::size_t>(size) * element_size);
  if (size > 0) check(H5Dread(dataset, mem_t.id(), all_space(), all_space(), default_plist(), out.data()), what);
  return out;
}

void set_scale(hid_t scale, const std::string& name) {
  check(H5DSset_scale(scale, name.c_str()), fmt::format("making '{}' a dimension scale", name));
}

void attach_scale(hid_t dataset, hid_t scale, unsigned dim) {
  check(H5DSattach_scale(dataset, scale, dim), fmt::format("attaching a dimension scale to dimension {}", dim));
}

}  // namespace normsim::output::detail
