#pragma once
// What the study library throws for input it cannot act on: a configuration that contradicts
// itself or the scenario (e.g. --radial with Shapley effects, a claim naming a factor the sweep
// does not have). Callers map it to "bad input" (the CLI's exit status 2, Python's ValueError);
// what() is the complete message, naming the scenario file, the key or option and what is allowed.
// Scenario files themselves are validated by the scenario library (scenario::ScenarioError), and
// existing outputs are refused with output::OutputExists.
#include <stdexcept>

namespace normsim::study {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace normsim::study
