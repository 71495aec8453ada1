#!/usr/bin/python3
"""Sweep heatmap: an outcome's mean over a grid of two design factors, with its 95 % CI.

The command-line front end of normsim.plots.sweep_heatmap (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/sweep_heatmap.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"sweep_heatmap.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("sweep_heatmap", sys.argv[1:]))
