#pragma once
// The CLI's exit codes, documented in `normsim --help` and the README. Fixed values: scripts and
// job schedulers depend on them.
namespace normsim::cli {

enum class ExitCode : int {
  ok = 0,            ///< everything requested was done
  claim_failed = 1,  ///< a claim checked by `normsim check` fails
  bad_input = 2,     ///< bad arguments, scenario file or override; output exists without --overwrite
  inconclusive = 3,  ///< `normsim check`: no claim fails, at least one could not be decided
  failure = 4,       ///< runtime failure: I/O, HDF5, out of memory, internal error
  interrupted = 130, ///< stopped by SIGINT/SIGTERM; completed runs are kept in the journal (--resume)
};

[[nodiscard]] constexpr int code(ExitCode c) noexcept { return static_cast<int>(c); }

/// The exit-code table as shown by --help.
inline constexpr const char* kExitCodeHelp =
    "Exit codes:\n"
    "  0    success\n"
    "  2    bad input: arguments, scenario file, --set override, output exists without --overwrite,\n"
    "       or a journal of an interrupted run exists without --resume\n"
    "  4    runtime failure (I/O, HDF5, internal error)\n"
    "  130  interrupted (Ctrl-C/SIGTERM): runs finished so far are kept in FILE.journal; --resume continues\n"
    "  normsim check: 1 when a claim fails, 3 when none fails but one is inconclusive\n";

}  // namespace normsim::cli
