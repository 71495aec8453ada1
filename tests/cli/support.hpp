#pragma once
#include "scratch_dir.hpp"

// Runs the normsim executable as a user would and captures what it prints and its exit code.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace normsim::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs `normsim <args>` (args in shell syntax) in `directory`, stdin from /dev/null.
inline CommandResult run_normsim(const std::string& args, const std::filesystem::path& directory) {
  const auto out = directory / "stdout.txt";
  const auto err = directory / "stderr.txt";
  // The braces make the redirections apply to everything in `args`, including a command put in
  // the background by the test.
  const std::string command = "cd '" + directory.string() + "' && { '" + std::string(NORMSIM_CLI_PATH) + "' " + args +
                              "; } </dev/null >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(command.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

/// Path of a file in the source tree, e.g. source_path("scenarios/baseline.toml").
inline std::string source_path(const std::string& relative) {
  return (std::filesystem::path(NORMSIM_SOURCE_DIR) / relative).string();
}

}  // namespace normsim::test
