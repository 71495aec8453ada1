// Hdf5Reader and compare_datasets (see hdf5_reader.hpp).
#include "output/hdf5_reader.hpp"

#include "output/detail/hdf5_handles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace normsim::output {

struct Hdf5Reader::State {
  detail::File file;
};

namespace {

// Opens `object` ("/" or a dataset/group path) as a generic object id for attribute access.
struct ObjectId {
  hid_t id = -1;
  ObjectId(hid_t file, const std::string& path) : id{H5Oopen(file, path.c_str(), detail::default_plist())} {
    if (id < 0) detail::throw_hdf5_error(fmt::format("opening object '{}'", path));
  }
  ObjectId(const ObjectId&) = delete;
  ObjectId& operator=(const ObjectId&) = delete;
  ~ObjectId() { H5Oclose(id); }
};

// Runs `f`, prefixing any OutputError with the file name.
template <class F>
auto in_file(const std::filesystem::path& path, F&& f) {
  detail::QuietErrors quiet;
  try {
    return f();
  } catch (const OutputError& e) {
    throw OutputError(fmt::format("{}: {}", path.string(), e.what()));
  }
}

}  // namespace

Hdf5Reader::Hdf5Reader(const std::filesystem::path& path) : path_{path}, state_{std::make_unique<State>()} {
  detail::QuietErrors quiet;
  state_->file = detail::open_file_read_only(path.string());
}

Hdf5Reader::Hdf5Reader(Hdf5Reader&&) noexcept = default;
Hdf5Reader& Hdf5Reader::operator=(Hdf5Reader&&) noexcept = default;
Hdf5Reader::~Hdf5Reader() = default;

std::vector<std::string> Hdf5Reader::dataset_paths() const {
  return in_file(path_, [&] { return detail::dataset_paths(state_->file.id()); });
}

std::vector<std::string> Hdf5Reader::attribute_names(const std::string& object) const {
  return in_file(path_, [&] {
    ObjectId o{state_->file.id(), object};
    return detail::attribute_names(o.id);
  });
}

std::vector<std::uint64_t> Hdf5Reader::shape(const std::string& dataset) const {
  return in_file(path_, [&] {
    auto d = detail::open_dataset(state_->file.id(), dataset);
    auto dims = detail::dataset_dims(d.id());
    return std::vector<std::uint64_t>(dims.begin(), dims.end());
  });
}

std::string Hdf5Reader::element_type(const std::string& dataset) const {
  return in_file(path_, [&] { return detail::element_type_name(detail::open_dataset(state_->file.id(), dataset).id()); });
}

#define NORMSIM_READ(NAME, T)                                                                     \
  std::vector<T> Hdf5Reader::NAME(const std::string& dataset) const {                             \
    return in_file(path_, [&] {                                                                   \
      auto d = detail::open_dataset(state_->file.id(), dataset);                                  \
      return detail::read_all<T>(d.id(), fmt::format("reading dataset '{}'", dataset));           \
    });                                                                                           \
  }
NORMSIM_READ(read_float64, double)
NORMSIM_READ(read_uint64, std::uint64_t)
NORMSIM_READ(read_int64, std::int64_t)
NORMSIM_READ(read_uint8, std::uint8_t)
#undef NORMSIM_READ

#define NORMSIM_READ_BLOCK(NAME, T)                                                                                  \
  std::vector<T> Hdf5Reader::NAME(const std::string& dataset, const std::vector<std::uint64_t>& start,                \
                                  const std::vector<std::uint64_t>& count) const {                                   \
    return in_file(path_, [&] {                                                                                      \
      auto d = detail::open_dataset(state_->file.id(), dataset);                                                     \
      const std::vector<hsize_t> first(start.begin(), start.end());                                                  \
      const std::vector<hsize_t> extent(count.begin(), count.end());                                                 \
      if (first.size() != extent.size() || extent.size() != detail::dataset_dims(d.id()).size()) {                 \
        throw OutputError(fmt::format("reading a block of dataset '{}': {} start and {} count entries for rank {}",  \
                                      dataset, first.size(), extent.size(), detail::dataset_dims(d.id()).size()));   \
      }                                                                                                              \
      hsize_t size = 1;                                                                                              \
      for (const hsize_t c : extent) size *= c;                                                                      \
      std::vector<T> out(static_cast<std::size_t>(size));                                                           \
      detail::read_block<T>(d.id(), first, extent, out, fmt::format("reading a block of dataset '{}'", dataset));   \
      return out;                                                                                                    \
    });                                                                                                              \
  }
NORMSIM_READ_BLOCK(read_float64, double)
NORMSIM_READ_BLOCK(read_uint64, std::uint64_t)
NORMSIM_READ_BLOCK(read_uint8, std::uint8_t)
#undef NORMSIM_READ_BLOCK

std::string Hdf5Reader::string_attribute(const std::string& name, const std::string& object) const {
  return in_file(path_, [&] {
    ObjectId o{state_->file.id(), object};
    return detail::read_string_attribute(o.id, name);
  });
}

std::vector<std::string> Hdf5Reader::string_array_attribute(const std::string& name, const std::string& object) const {
  return in_file(path_, [&] {
    ObjectId o{state_->file.id(), object};
    return detail::read_string_array_attribute(o.id, name);
  });
}

double Hdf5Reader::number_attribute(const std::string& name, const std::string& object) const {
  return in_file(path_, [&] {
    ObjectId o{state_->file.id(), object};
    return detail::read_number_attribute<double>(o.id, name);
  });
}

std::uint64_t Hdf5Reader::uint64_attribute(const std::string& name, const std::string& object) const {
  return in_file(path_, [&] {
    ObjectId o{state_->file.id(), object};
    return detail::read_number_attribute<std::uint64_t>(o.id, name);
  });
}

std::int64_t Hdf5Reader::int64_attribute(const std::string& name, const std::string& object) const {
  return in_file(path_, [&] {
    ObjectId o{state_->file.id(), object};
    return detail::read_number_attribute<std::int64_t>(o.id, name);
  });
}

std::optional<DatasetDifference> compare_datasets(const std::filesystem::path& a, const std::filesystem::path& b,
                                                  const std::vector<std::string>& names) {
  const Hdf5Reader ra{a}, rb{b};
  const auto paths_a = ra.dataset_paths(), paths_b = rb.dataset_paths();
  auto has = [](const std::vector<std::string>& v, const std::string& n) { return std::binary_search(v.begin(), v.end(), n); };
  for (const auto& name : names) {
    if (!has(paths_a, name)) return DatasetDifference{name, fmt::format("missing from {}", a.string())};
    if (!has(paths_b, name)) return DatasetDifference{name, fmt::format("missing from {}", b.string())};
    const auto ta = ra.element_type(name), tb = rb.element_type(name);
    if (ta != tb) return DatasetDifference{name, fmt::format("element type {} vs {}", ta, tb)};
    const auto sa = ra.shape(name), sb = rb.shape(name);
    if (sa != sb) return DatasetDifference{name, fmt::format("shape [{}] vs [{}]", fmt::join(sa, ", "), fmt::join(sb, ", "))};
    std::size_t size_a = 0, size_b = 0;
    std::vector<unsigned char> bytes_a, bytes_b;
    {
      detail::QuietErrors quiet;
      const detail::File fa = detail::open_file_read_only(a.string()), fb = detail::open_file_read_only(b.string());
      bytes_a = detail::read_raw(detail::open_dataset(fa.id(), name).id(), size_a, name);
      bytes_b = detail::read_raw(detail::open_dataset(fb.id(), name).id(), size_b, name);
    }
    const auto mismatch = std::mismatch(bytes_a.begin(), bytes_a.end(), bytes_b.begin(), bytes_b.end());
    if (mismatch.first != bytes_a.end() || size_a != size_b) {
      const std::size_t element = static_cast<std::size_t>(mismatch.first - bytes_a.begin()) / std::max<std::size_t>(size_a, 1);
      auto hex = [&](const std::vector<unsigned char>& v) {
        std::string s = "0x";
        for (std::size_t i = 0; i < size_a && element * size_a + i < v.size(); ++i)
          s += fmt::format("{:02x}", v[element * size_a + size_a - 1 - i]);  // little-endian → most significant first
        return s;
      };
      return DatasetDifference{name, fmt::format("element {} (row-major): {} vs {}", element, hex(bytes_a), hex(bytes_b))};
    }
  }
  return std::nullopt;
}

}  // namespace normsim::output
