#!/usr/bin/python3
"""Verdict map: where each claim holds, fails or is inconclusive (a file of normsim check).

The command-line front end of normsim.plots.verdict_map (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/verdict_map.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"verdict_map.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("verdict_map", sys.argv[1:]))
