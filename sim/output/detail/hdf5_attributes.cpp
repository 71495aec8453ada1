// Attributes and object listing (see hdf5_handles.hpp).
#include "output/detail/hdf5_handles.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace normsim::output::detail {

namespace {

// Variable-length UTF-8 string type: strings of any length live in the global heap, so a long
// resolved scenario never hits the 64 KiB limit of compact attribute storage.
Datatype utf8_string_type(std::string_view what) {
  Datatype type{H5Tcopy(H5T_C_S1), what};
  check(H5Tset_size(type.id(), variable_length()), what);
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), what);
  return type;
}

void delete_if_present(hid_t object, const std::string& name, std::string_view what) {
  if (has_attribute(object, name)) check(H5Adelete(object, name.c_str()), what);
}

herr_t collect_name(hid_t /*loc*/, const char* name, const H5A_info_t* /*info*/, void* client) noexcept {
  try {
    static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  } catch (...) {
    return -1;
  }
  return 0;
}

herr_t collect_dataset(hid_t /*loc*/, const char* name, const H5O_info_t* info, void* client) noexcept {
  if (info->type != H5O_TYPE_DATASET) return 0;
  try {
    static_cast<std::vector<std::string>*>(client)->push_back(std::string{"/"} + name);
  } catch (...) {
    return -1;
  }
  return 0;
}

// Reads a string attribute of one or more elements, variable- or fixed-length.
std::vector<std::string> read_strings(hid_t object, const std::string& name) {
  const std::string what = fmt::format("reading string attribute '{}'", name);
  Attribute attr{H5Aopen(object, name.c_str(), default_plist()), what};
  Datatype file_t{H5Aget_type(attr.id()), what};
  if (H5Tget_class(file_t.id()) != H5T_STRING) throw OutputError(fmt::format("{}: not a string", what));
  Dataspace space{H5Aget_space(attr.id()), what};
  const auto n = static_cast<std::size_t>(check_value(H5Sget_simple_extent_npoints(space.id()), what));
  std::vector<std::string> out;
  if (H5Tis_variable_str(file_t.id()) > 0) {
    Datatype mem_t = utf8_string_type(what);
    std::vector<char*> raw(n, nullptr);
    if (n > 0) check(H5Aread(attr.id(), mem_t.id(), raw.data()), what);
    for (char* s : raw) out.emplace_back(s ? s : "");
    if (n > 0) H5Dvlen_reclaim(mem_t.id(), space.id(), default_plist(), raw.data());
    return out;
  }
  const std::size_t width = H5Tget_size(file_t.id());
  std::vector<char> buffer(n * width, '\0');
  if (n > 0) check(H5Aread(attr.id(), file_t.id(), buffer.data()), what);
  for (std::size_t i = 0; i < n; ++i) {
    std::string s(buffer.data() + i * width, width);
    s.erase(std::find(s.begin(), s.end(), '\0'), s.end());
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

bool has_attribute(hid_t object, const std::string& name) {
  return check_value(H5Aexists(object, name.c_str()), fmt::format("looking up attribute '{}'", name)) > 0;
}

void write_string_attribute(hid_t object, const std::string& name, std::string_view value) {
  const std::string what = fmt::format("writing string attribute '{}'", name);
  delete_if_present(object, name, what);
  Datatype type = utf8_string_type(what);
  Dataspace space{H5Screate(H5S_SCALAR), what};
  Attribute attr{H5Acreate2(object, name.c_str(), type.id(), space.id(), default_plist(), default_plist()), what};
  const std::string copy{value};  // NUL-terminated
  const char* data = copy.c_str();
  check(H5Awrite(attr.id(), type.id(), &data), what);
}

void write_string_array_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
  const std::string what = fmt::format("writing string array attribute '{}'", name);
  delete_if_present(object, name, what);
  Datatype type = utf8_string_type(what);
  const hsize_t n = values.size();
  Dataspace space{H5Screate_simple(1, &n, nullptr), what};
  Attribute attr{H5Acreate2(object, name.c_str(), type.id(), space.id(), default_plist(), default_plist()), what};
  std::vector<const char*> data;
  for (const auto& v : values) data.push_back(v.c_str());
  if (!data.empty()) check(H5Awrite(attr.id(), type.id(), data.data()), what);
}

void write_int64_array_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values) {
  const std::string what = fmt::format("writing int64 array attribute '{}'", name);
  delete_if_present(object, name, what);
  const hsize_t n = values.size();
  Dataspace space{H5Screate_simple(1, &n, nullptr), what};
  Attribute attr{H5Acreate2(object, name.c_str(), file_type<std::int64_t>(), space.id(), default_plist(), default_plist()), what};
  if (!values.empty()) check(H5Awrite(attr.id(), native_type<std::int64_t>(), values.data()), what);
}

template <class T>
void write_number_attribute(hid_t object, const std::string& name, T value) {
  const std::string what = fmt::format("writing attribute '{}'", name);
  delete_if_present(object, name, what);
  Dataspace space{H5Screate(H5S_SCALAR), what};
  Attribute attr{H5Acreate2(object, name.c_str(), file_type<T>(), space.id(), default_plist(), default_plist()), what};
  check(H5Awrite(attr.id(), native_type<T>(), &value), what);
}

template <class T>
T read_number_attribute(hid_t object, const std::string& name) {
  const std::string what = fmt::format("reading numeric attribute '{}'", name);
  Attribute attr{H5Aopen(object, name.c_str(), default_plist()), what};
  Dataspace space{H5Aget_space(attr.id()), what};
  if (check_value(H5Sget_simple_extent_npoints(space.id()), what) != 1)
    throw OutputError(fmt::format("{}: not a scalar", what));
  Datatype file_t{H5Aget_type(attr.id()), what};
  const H5T_class_t cls = H5Tget_class(file_t.id());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw OutputError(fmt::format("{}: not a number", what));
  T value{};
  check(H5Aread(attr.id(), native_type<T>(), &value), what);
  return value;
}

template void write_number_attribute<double>(hid_t, const std::string&, double);
template void write_number_attribute<std::uint64_t>(hid_t, const std::string&, std::uint64_t);
template void write_number_attribute<std::int64_t>(hid_t, const std::string&, std::int64_t);
template void write_number_attribute<std::uint8_t>(hid_t, const std::string&, std::uint8_t);
template double read_number_attribute<double>(hid_t, const std::string&);
template std::uint64_t read_number_attribute<std::uint64_t>(hid_t, const std::string&);
template std::int64_t read_number_attribute<std::int64_t>(hid_t, const std::string&);

std::string read_string_attribute(hid_t object, const std::string& name) {
  auto values = read_strings(object, name);
  if (values.size() != 1) throw OutputError(fmt::format("attribute '{}' holds {} strings, expected 1", name, values.size()));
  return values.front();
}

std::vector<std::string> read_string_array_attribute(hid_t object, const std::string& name) {
  return read_strings(object, name);
}

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names), "listing attributes");
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> dataset_paths(hid_t file) {
  std::vector<std::string> paths;
  check(H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &paths, H5O_INFO_BASIC), "listing datasets");
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string element_type_name(hid_t dataset) {
  const char* what = "reading the element type of a dataset";
  Datatype t{H5Dget_type(dataset), what};
  const H5T_class_t cls = H5Tget_class(t.id());
  const std::size_t size = H5Tget_size(t.id());
  if (cls == H5T_FLOAT && size == 8) return "float64";
  if (cls == H5T_STRING) return "string";
  if (cls == H5T_INTEGER) {
    const bool is_signed = H5Tget_sign(t.id()) == H5T_SGN_2;
    if (size == 8) return is_signed ? "int64" : "uint64";
    if (size == 1 && !is_signed) return "uint8";
  }
  return "other";
}

}  // namespace normsim::output::detail
