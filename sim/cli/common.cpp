#include "cli/common.hpp"

#include "cli/exit_codes.hpp"
#include "cli/usage_error.hpp"

#include <boost/program_options/parsers.hpp>
#include <fmt/core.h>

namespace normsim::cli {

namespace po = boost::program_options;

po::variables_map parse_command_line(const std::vector<std::string>& args, const po::options_description& options,
                                     const po::positional_options_description& positional) {
  try {
    po::variables_map given;
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), given);
    po::notify(given);
    return given;
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
}

po::variables_map parse_command_line(const std::vector<std::string>& args, po::options_description options,
                                     std::string& scenario) {
  options.add_options()("scenario", po::value(&scenario));
  po::positional_options_description positional;
  positional.add("scenario", 1);
  return parse_command_line(args, options, positional);
}

study::Conduct conduct(int threads, bool quiet, const study::Processes& processes) {
  check_threads(threads);
  study::Conduct c;
  c.threads = threads;
  c.quiet = quiet || processes.rank() != 0;  // under mpirun, rank 0 speaks for all
  if (!c.quiet) c.note = [](std::string_view text) { fmt::print(stderr, "normsim: {}\n", text); };
  return c;
}

void check_threads(int threads) {
  if (threads < 0 || threads > 4096) throw UsageError("--threads must be between 1 and 4096 (0 = all cores)");
}

study::Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      std::size_t used_i = 0;
      std::size_t used_n = 0;
      const std::string i_text = text.substr(0, slash);
      const std::string n_text = text.substr(slash + 1);
      const unsigned long long i = std::stoull(i_text, &used_i);
      const unsigned long long n = std::stoull(n_text, &used_n);
      if (used_i == i_text.size() && used_n == n_text.size() && n >= 1 && i < n && i_text[0] != '-') return {i, n};
    }
  } catch (const std::exception&) {
  }
  throw UsageError(fmt::format("--shard {}: expected I/N with 0 ≤ I < N, e.g. --shard 0/4", text));
}

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string with_resume(const std::string& command_line) {
  // --overwrite would start over (and contradicts --resume): the command to continue drops it.
  std::string line = command_line;
  for (std::size_t at = line.find(" --overwrite"); at != std::string::npos; at = line.find(" --overwrite")) {
    line.erase(at, std::string(" --overwrite").size());
  }
  return line.find(" --resume") != std::string::npos ? line : line + " --resume";
}

int stopped(study::PipelineStatus status, const std::string& resume_command, const study::Processes& processes) {
  if (status == study::PipelineStatus::interrupted) {
    if (processes.rank() == 0) {
      fmt::print(stderr, "normsim: interrupted; the runs done are kept in the journal. To continue:\n  {}\n",
                 resume_command);
    }
    return code(ExitCode::interrupted);
  }
  return code(ExitCode::failure);
}

}  // namespace normsim::cli
