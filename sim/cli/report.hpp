#pragma once
// What `run` and `merge` print when they are done: the outcome means with standard errors, read
// back from the file just written (so a resumed or merged run reports all its runs, not only those
// of the last process).
#include <filesystem>

namespace normsim::cli {

/// Prints, on stdout, one line per outcome (mean, standard error, runs) for a single point, or a
/// table of points (design values, then xrisk, capability and t_transform means ± SE), at most 40
/// rows, for a sweep. Throws output::OutputError if the file cannot be read.
void print_file_summary(const std::filesystem::path& file);

}  // namespace normsim::cli
