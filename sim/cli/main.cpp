// normsim: the command-line interface. Thin: parses the command, calls the library, maps errors to
// exit codes (exit_codes.hpp). Everything it does is also reachable from the library.
#include "cli/attribute_command.hpp"
#include "cli/check_command.hpp"
#include "cli/discover_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/plan_command.hpp"
#include "cli/reference.hpp"
#include "cli/run_command.hpp"
#include "cli/usage_error.hpp"
#include "output/error.hpp"
#include "scenario/scenario.hpp"
#include "study/errors.hpp"
#include "study/processes.hpp"
#include "version/build_info.hpp"

#include <fmt/core.h>

#include <exception>
#include <new>
#include <optional>
#include <string>
#include <vector>

using namespace normsim;
using cli::ExitCode;

namespace {

std::string main_help() {
  return fmt::format(
      "normsim {} — agent-based simulator of AI-research publishing norms (model: docs/model.md)\n\n"
      "Usage:\n"
      "  normsim run SCENARIO [-o FILE] [--set KEY=VALUE]... [--replicates R] [--seed S]\n"
      "              [--threads N] [--no-series] [--resume] [--shard I/N] [--force] [--overwrite] [--quiet]\n"
      "  mpirun -np K normsim run SCENARIO ...   the same, split across K processes\n"
      "  normsim plan SCENARIO    dry run: the design, and estimated researcher-steps, time and size\n"
      "  normsim merge SHARD... -o FILE   combine the shards of run --shard into one file\n"
      "  normsim attribute SCENARIO [-o FILE] [--rows N] [--outcomes LIST]   variance attribution\n"
      "  normsim check SCENARIO [-o FILE]   verdicts of the scenario's [[claims]] (exit 0 / 1 / 3)\n"
      "  normsim discover SCENARIO --claim ID [-o FILE]   where in the sweep's assumptions the claim fails (PRIM)\n"
      "  normsim reference        print REFERENCE.md: every scenario key, outcome and HDF5 dataset\n"
      "  normsim help [COMMAND]   help on a command\n"
      "  normsim --version        version, git commit, compiler and build type\n\n"
      "Commands:\n"
      "  run        run a scenario's design points × replicates in parallel into an HDF5 file\n"
      "  plan       print a scenario's design and what running it will cost\n"
      "  merge      merge shard files into the file a whole run would have written\n"
      "  attribute  Sobol indices of labs, researchers and groups of them, with intervals\n"
      "  check      run what a scenario's claims need and say whether each holds, fails or is inconclusive\n"
      "  discover   find the boxes of assumptions where a claim fails (scenario discovery with PRIM)\n"
      "  reference  print the reference of scenario keys, outcomes and output datasets\n\n"
      "Run 'normsim help COMMAND' (or 'normsim COMMAND --help') for a command's options.\n\n{}",
      build_info::version(), cli::kExitCodeHelp);
}

std::string version_text() {
  return fmt::format("normsim {}\ncommit {}\ncompiler {}\nbuild {}{}\n", build_info::version(),
                     build_info::git_commit(), build_info::compiler(), build_info::build_type(),
                     build_info::sanitizer().empty() ? "" : fmt::format(" (sanitizers: {})", build_info::sanitizer()));
}

int dispatch(const std::vector<std::string>& args, const std::string& command_line, const study::Processes& processes) {
  if (args.empty()) {
    fmt::print(stderr, "{}", main_help());
    return code(ExitCode::bad_input);
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h") {
    fmt::print("{}", main_help());
    return code(ExitCode::ok);
  }
  if (command == "--version" || command == "-V") {
    fmt::print("{}", version_text());
    return code(ExitCode::ok);
  }
  if (command == "help") {
    if (rest.empty()) fmt::print("{}", main_help());
    else if (rest[0] == "run") fmt::print("{}", cli::run_help());
    else if (rest[0] == "plan") fmt::print("{}", cli::plan_help());
    else if (rest[0] == "merge") fmt::print("{}", cli::merge_help());
    else if (rest[0] == "attribute") fmt::print("{}", cli::attribute_help());
    else if (rest[0] == "check") fmt::print("{}", cli::check_help());
    else if (rest[0] == "discover") fmt::print("{}", cli::discover_help());
    else if (rest[0] == "reference") fmt::print("Usage: normsim reference > REFERENCE.md\n");
    else throw cli::UsageError(fmt::format("no such command '{}'; commands: run, plan, merge, attribute, check, discover, reference", rest[0]));
    return code(ExitCode::ok);
  }
  if (command == "run") return cli::run_command(rest, command_line, processes);
  if (command == "attribute") return cli::attribute_command(rest, command_line, processes);
  if (command == "check") return cli::check_command(rest, command_line, processes);
  if (command == "discover") return cli::discover_command(rest, command_line, processes);
  if (processes.distributed()) {
    throw cli::UsageError("only `normsim run`, `normsim attribute`, `normsim check` and `normsim discover` can be started by mpirun");
  }
  if (command == "plan") return cli::plan_command(rest);
  if (command == "merge") return cli::merge_command(rest, command_line);
  if (command == "reference") {
    if (!rest.empty()) throw cli::UsageError("reference takes no arguments");
    fmt::print("{}", cli::reference_markdown());
    return code(ExitCode::ok);
  }
  throw cli::UsageError(fmt::format("unknown command '{}'; commands: run, plan, merge, attribute, check, discover, reference, help", command));
}

}  // namespace

int main(int argc, char** argv) {
  std::string command_line = argc > 0 ? argv[0] : "normsim";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  std::optional<study::Processes> processes;
  try {
    processes.emplace(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "normsim: {}\n", e.what());
    return code(ExitCode::bad_input);
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  // Under mpirun every rank meets the same bad input: only rank 0 says so.
  const bool speak = processes->rank() == 0;
  const std::string who = processes->distributed() ? fmt::format("normsim[rank {}]", processes->rank()) : "normsim";
  try {
    return dispatch(args, command_line, *processes);
  } catch (const cli::UsageError& e) {
    if (speak) fmt::print(stderr, "normsim: {}\nTry 'normsim --help'.\n", e.what());
    return code(ExitCode::bad_input);
  } catch (const study::InputError& e) {
    if (speak) fmt::print(stderr, "normsim: {}\n", e.what());
    return code(ExitCode::bad_input);
  } catch (const scenario::ScenarioError& e) {
    if (speak) fmt::print(stderr, "normsim: {}\n", e.what());
    return code(ExitCode::bad_input);
  } catch (const output::OutputExists& e) {
    if (speak) fmt::print(stderr, "normsim: {}\n", e.what());
    return code(ExitCode::bad_input);
  } catch (const output::OutputError& e) {
    fmt::print(stderr, "{}: output error: {}\n", who, e.what());
    return code(ExitCode::failure);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "{}: out of memory\n", who);
    return code(ExitCode::failure);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", who, e.what());
    return code(ExitCode::failure);
  }
}
