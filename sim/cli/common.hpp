#pragma once
// What the commands share between parsing their options and calling the study library: the
// conduct of an execution (threads, progress, messages on stderr), --shard's syntax, comma lists,
// and the exit status and message of a pipeline that did not finish.
#include "study/journaled.hpp"

// GCC 12 at -O3 reports a "potential null pointer dereference" inside std::string's and
// std::vector's copy assignment as instantiated by Boost.Program_options for the options' values (a
// known false positive of -Wnull-dereference after inlining). It is silenced here, before Boost's
// headers, for the command files that include this one (they all parse options, through
// parse_command_line below).
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/positional_options.hpp>
#include <boost/program_options/variables_map.hpp>

#include <string>
#include <vector>

namespace normsim::cli {

/// Parses `args` into the variables `options` names, the positional arguments going to the
/// options `positional` names; a malformed command line (unknown option, missing or bad value)
/// throws UsageError with Boost's message, which names the option. Returns what was given.
boost::program_options::variables_map parse_command_line(const std::vector<std::string>& args,
                        const boost::program_options::options_description& options,
                        const boost::program_options::positional_options_description& positional);

/// The same for a command that takes one SCENARIO file: `options` plus a positional argument
/// written to `scenario` (empty when none was given: the command says what is missing).
boost::program_options::variables_map parse_command_line(const std::vector<std::string>& args, boost::program_options::options_description options,
                        std::string& scenario);

/// Threads, progress and messages as the CLI shows them: progress bar or lines on stderr and
/// "normsim: …" messages unless quiet; under mpirun only rank 0 talks.
[[nodiscard]] study::Conduct conduct(int threads, bool quiet, const study::Processes& processes);

/// "I/N" → shard I of N; throws UsageError unless 0 ≤ I < N.
[[nodiscard]] study::Shard parse_shard(const std::string& text);

/// "a,b,,c" → {"a", "b", "c"}.
[[nodiscard]] std::vector<std::string> split_list(const std::string& list);

/// Checks --threads: 0 (all cores) … 4096; throws UsageError.
void check_threads(int threads);

/// For a pipeline that stopped (interrupted, failed): prints, on rank 0, how to continue, and
/// returns the exit code (130 interrupted, 4 failed). `resume_command` is what to type.
[[nodiscard]] int stopped(study::PipelineStatus status, const std::string& resume_command,
                          const study::Processes& processes);

/// The command line with --resume added (what to type to continue).
[[nodiscard]] std::string with_resume(const std::string& command_line);

}  // namespace normsim::cli
