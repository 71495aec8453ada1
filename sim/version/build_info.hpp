#pragma once
// Build provenance, generated at build time (cmake/write_build_info.cmake). Recorded in every
// output file and printed by `normsim --version`.
#include <string_view>

namespace normsim::build_info {
std::string_view version() noexcept;     ///< normsim's semantic version, e.g. "0.1.0"
std::string_view git_commit() noexcept;  ///< full commit hash, "-dirty" if the tree had changes; "unknown" outside git
std::string_view compiler() noexcept;    ///< compiler id and version, e.g. "GNU 12.2.0"
std::string_view build_type() noexcept;  ///< CMAKE_BUILD_TYPE, e.g. "Release"
std::string_view sanitizer() noexcept;   ///< sanitizers compiled in, empty for none
}  // namespace normsim::build_info
