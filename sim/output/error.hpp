#pragma once
// Errors of the output layer. Every failure of HDF5 or of the file system while writing or reading
// an output file is reported as an OutputError whose message says what was being done, on which
// file and object, and (for HDF5 failures) the HDF5 error stack, innermost cause last.
#include <stdexcept>

namespace normsim::output {

/// Any failure to write or read an output file (I/O, HDF5, a record that does not fit the layout).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The target file exists and the caller did not allow overwriting it.
class OutputExists : public OutputError {
 public:
  using OutputError::OutputError;
};

}  // namespace normsim::output
