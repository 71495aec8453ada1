#!/usr/bin/python3
"""Outcome distributions: the spread of outcomes across replicates, per design point.

The command-line front end of normsim.plots.outcome_distributions (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/outcome_distributions.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"outcome_distributions.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("outcome_distributions", sys.argv[1:]))
