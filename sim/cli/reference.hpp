#pragma once
// REFERENCE.md: every scenario key (with its model parameter, default and allowed values), every
// outcome and series, every HDF5 dataset and attribute, generated from the registries in the code.
// The committed REFERENCE.md is tested against this text, so the documentation cannot drift.
#include <string>

namespace normsim::cli {

/// The complete text of REFERENCE.md.
[[nodiscard]] std::string reference_markdown();

}  // namespace normsim::cli
