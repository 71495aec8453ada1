#!/usr/bin/python3
"""Fan charts over steps: frontier capability, frontier interpretability and hazard.

The command-line front end of normsim.plots.fan_chart (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/fan_chart.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"fan_chart.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("fan_chart", sys.argv[1:]))
