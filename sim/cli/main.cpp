// normsim: the command-line interface. Thin: parses the command, calls the library, maps errors to
// exit codes (exit_codes.hpp). Everything it does is also reachable from the library.
#include "cli/exit_codes.hpp"
#include "cli/reference.hpp"
#include "cli/run_command.hpp"
#include "cli/usage_error.hpp"
#include "output/error.hpp"
#include "scenario/scenario.hpp"
#include "version/build_info.hpp"

#include <fmt/core.h>

#include <exception>
#include <new>
#include <string>
#include <vector>

using namespace normsim;
using cli::ExitCode;

namespace {

std::string main_help() {
  return fmt::format(
      "normsim {} — agent-based simulator of AI-research publishing norms (model: MODEL.md)\n\n"
      "Usage:\n"
      "  normsim run SCENARIO [-o FILE] [--set KEY=VALUE]... [--replicates R] [--seed S]\n"
      "              [--threads N] [--no-series] [--overwrite] [--quiet]\n"
      "  normsim reference        print REFERENCE.md: every scenario key, outcome and HDF5 dataset\n"
      "  normsim help [COMMAND]   help on a command\n"
      "  normsim --version        version, git commit, compiler and build type\n\n"
      "Commands:\n"
      "  run        run a scenario's replicates in parallel into an HDF5 file, print a summary\n"
      "  reference  print the reference of scenario keys, outcomes and output datasets\n\n"
      "Run 'normsim run --help' for the options of run.\n\n{}",
      build_info::version(), cli::kExitCodeHelp);
}

std::string version_text() {
  return fmt::format("normsim {}\ncommit {}\ncompiler {}\nbuild {}{}\n", build_info::version(),
                     build_info::git_commit(), build_info::compiler(), build_info::build_type(),
                     build_info::sanitizer().empty() ? "" : fmt::format(" (sanitizers: {})", build_info::sanitizer()));
}

int dispatch(const std::vector<std::string>& args, const std::string& command_line) {
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
    else if (rest[0] == "reference") fmt::print("Usage: normsim reference > REFERENCE.md\n");
    else throw cli::UsageError(fmt::format("no such command '{}'; commands: run, reference", rest[0]));
    return code(ExitCode::ok);
  }
  if (command == "run") return cli::run_command(rest, command_line);
  if (command == "reference") {
    if (!rest.empty()) throw cli::UsageError("reference takes no arguments");
    fmt::print("{}", cli::reference_markdown());
    return code(ExitCode::ok);
  }
  throw cli::UsageError(fmt::format("unknown command '{}'; commands: run, reference, help", command));
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line = argc > 0 ? argv[0] : "normsim";
  for (const std::string& a : args) command_line += " " + a;
  try {
    return dispatch(args, command_line);
  } catch (const cli::UsageError& e) {
    fmt::print(stderr, "normsim: {}\nTry 'normsim --help'.\n", e.what());
    return code(ExitCode::bad_input);
  } catch (const scenario::ScenarioError& e) {
    fmt::print(stderr, "normsim: {}\n", e.what());
    return code(ExitCode::bad_input);
  } catch (const output::OutputExists& e) {
    fmt::print(stderr, "normsim: {}\n", e.what());
    return code(ExitCode::bad_input);
  } catch (const output::OutputError& e) {
    fmt::print(stderr, "normsim: output error: {}\n", e.what());
    return code(ExitCode::failure);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "normsim: out of memory\n");
    return code(ExitCode::failure);
  } catch (const std::exception& e) {
    fmt::print(stderr, "normsim: internal error: {}\n", e.what());
    return code(ExitCode::failure);
  }
}
