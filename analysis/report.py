#!/usr/bin/python3
"""The Markdown report of one argument (a file of normsim check), and the index of all of them.

  report.py FILE.h5 --scenario PATH --figures DIR -o report.md [--json claims.json]
  report.py --index A1.json A2.json ... -o results/README.md [--total-seconds S]

The command-line front end of normsim.report (options: --help). Needs the normsim package on the
path: after a build, PYTHONPATH=build/release/python /usr/bin/python3 analysis/report.py ... (or
after cmake --install, nothing). scripts/results sets it."""

import sys

try:
    from normsim.report import main
except ImportError as err:
    sys.exit(f"report.py: error: cannot import the normsim package ({err}): build the project "
             "and run with PYTHONPATH=build/<preset>/python (e.g. build/release/python)")

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
