#pragma once
#include <stdexcept>

namespace normsim::cli {

/// Bad command-line input (exit code 2). what() is the complete message, without the program name.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace normsim::cli
