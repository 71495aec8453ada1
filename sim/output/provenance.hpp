#pragma once
// What the HDF5 sink needs to know besides the records: the shape of the run set (Layout, in
// output/layout.hpp, included here) and the provenance recorded as root attributes of the file
// (Provenance). Plain values, no HDF5.
#include "output/layout.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace normsim::output {

/// Provenance of a run set; every field becomes the root attribute of the same name (output/schema.hpp;
/// cli_overrides as a 1-D string array).
/// Strings are free text (UTF-8); the CLI fills them, the sink records them verbatim.
struct Provenance {
  std::string normsim_version;    ///< build_info::version()
  std::string git_commit;         ///< build_info::git_commit()
  std::string compiler;           ///< build_info::compiler()
  std::string build_type;         ///< build_info::build_type()
  std::string command_line;       ///< the command line as typed (not reproducible)
  std::string scenario_file;      ///< path of the scenario file as given
  std::string scenario_resolved;  ///< the scenario after defaults and overrides, as TOML text
  std::string key_derivation;     ///< random::key_derivation_description()
  std::string rng;                ///< generator name, e.g. "Philox4x64-10 (Random123)"
  std::string math_implementation;  ///< random::math_implementation(): the elementary functions used
  std::string vector_path;        ///< random::vector_path_name(): vector code used (not reproducible;
                                  ///< never changes the numbers)
  std::string host;               ///< host name (not reproducible)
  std::string start_time;         ///< ISO 8601 timestamp of the start (not reproducible)
  std::string end_time;           ///< ISO 8601 timestamp of the end (not reproducible)
  std::vector<std::string> cli_overrides;  ///< the --set key=value overrides, in order
  std::uint64_t master_seed = 0;  ///< run.seed actually used
  std::int64_t threads = 1;       ///< worker threads used (not reproducible)
  std::int64_t processes = 1;     ///< processes used (not reproducible)
  double wall_seconds = 0;        ///< elapsed time of the run set, seconds (not reproducible)
};

}  // namespace normsim::output
