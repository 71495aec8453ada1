#!/usr/bin/python3
"""Boundary: where a claim crosses its value along a factor (a claim with locate, in a file of normsim check).

The command-line front end of normsim.plots.boundary (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/boundary.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"boundary.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("boundary", sys.argv[1:]))
