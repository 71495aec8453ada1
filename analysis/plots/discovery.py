#!/usr/bin/python3
"""Scenario discovery: the boxes of assumptions where a claim fails (a file of normsim discover).

The command-line front end of normsim.plots.discovery (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/discovery.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"discovery.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("discovery", sys.argv[1:]))
