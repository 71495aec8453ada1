#!/usr/bin/python3
"""Attribution bars: who explains the variance of each outcome (a file of normsim attribute).

The command-line front end of normsim.plots.attribution_bars (options: --help).
It needs the package normsim on the path: after a build,
  PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/attribution_bars.py ...
(after cmake --install, nothing)."""

import sys

try:
    from normsim.plots.cli import main
except ImportError as err:
    sys.exit(f"attribution_bars.py: error: cannot import the normsim package ({err}): build "
             "the project and run with PYTHONPATH=build/<preset>/python (build/release/python)")

if __name__ == "__main__":
    sys.exit(main("attribution_bars", sys.argv[1:]))
