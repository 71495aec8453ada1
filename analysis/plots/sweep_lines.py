#!/usr/bin/python3
"""Sweep lines: outcome means with 95 % confidence bands against a numeric design factor.

The command-line front end of normsim.plots.sweep_lines (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/sweep_lines.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"sweep_lines.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("sweep_lines", sys.argv[1:]))
