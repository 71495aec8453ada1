"""``python3 -m normsim.plots NAME FILE.h5 [options] -o STEM``: one figure from the command line
(NAME: sweep_lines, sweep_heatmap, fan_chart, outcome_distributions, attribution_bars,
verdict_map; ``NAME --help`` lists its options)."""

import sys

from .cli import DESCRIPTIONS, main


def run(argv) -> int:
    """Exit status: that of the figure, 0 for --help, 2 without a known NAME (usage on stderr)."""
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if not argv or argv[0] not in DESCRIPTIONS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return main(argv[0], argv[1:], prog=f"python3 -m normsim.plots {argv[0]}")


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
