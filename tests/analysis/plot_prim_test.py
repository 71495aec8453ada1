#!/usr/bin/python3
"""Tests of analysis/discovery/plot_prim.py on small arrays: the trade-off curve carries the arrays
it was given and rings the chosen step; the box-limits panel has one row per restricted assumption
(unrestricted ones left out) plus one per categorical assumption, bars at the normalised limits;
bad inputs raise ValueError. Writes PNGs to the directory given as the first argument.
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "analysis", "discovery"))
import plot_prim  # noqa: E402


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def test_tradeoff(out):
    coverage = np.array([1.0, 0.95, 0.9, 0.8, 0.7, 0.5])
    density = np.array([0.15, 0.2, 0.3, 0.6, 0.9, 0.92])
    fig, ax = plt.subplots()
    plot_prim.plot_tradeoff(ax, coverage, density, n_restricted=[0, 1, 1, 2, 2, 3], chosen=4, base_rate=0.15)
    line = ax.get_lines()[0]
    check(np.array_equal(line.get_xdata(), coverage) and np.array_equal(line.get_ydata(), density),
          "the curve must carry the trajectory")
    ringed = [c for c in ax.collections if c.get_label() == "chosen step 4"]
    check(len(ringed) == 1 and np.allclose(ringed[0].get_offsets(), [[0.7, 0.9]]), "step 4 must be ringed")
    check(any(np.allclose(l.get_ydata(), 0.15) for l in ax.get_lines()[1:]), "base rate line missing")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "prim_tradeoff.png"))
    plt.close(fig)
    for bad in (lambda a: plot_prim.plot_tradeoff(a, coverage, density[:-1]),
                lambda a: plot_prim.plot_tradeoff(a, coverage, density, chosen=6)):
        fig, ax = plt.subplots()
        try:
            bad(ax)
        except ValueError:
            pass
        else:
            raise AssertionError("bad trade-off input must raise ValueError")
        plt.close(fig)


def test_box_limits(out):
    names = ["spill", "size", "phi"]
    fig, ax = plt.subplots()
    plot_prim.plot_box_limits(ax, names, [0.0, 0.0, 1.0], [1.0, 40.0, 3.0], [0.0, 10.0, 1.0],
                              [0.3, 40.0, 3.0], frequency=[0.97, 0.9, 0.1],
                              categorical=[("norm", ["open", "closed", "secret"], [False, True, True], 0.95)])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    check(labels == ["spill (97%)", "size (90%)", "norm (95%)"], f"row labels {labels}")
    widths = sorted(round(p.get_width(), 6) for p in ax.patches if p.get_facecolor()[:3] != (0.85, 0.85, 0.85))
    # spill: [0, 0.3] of [0, 1] → 0.3; size: [10, 40] of [0, 40] → 0.75; two admitted levels of 3.
    check(widths == sorted([0.3, 0.75, round(1 / 3, 6), round(1 / 3, 6)]), f"box bar widths {widths}")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "prim_box_limits.png"))
    plt.close(fig)
    fig, ax = plt.subplots()
    try:
        plot_prim.plot_box_limits(ax, names, [0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [1.0, 1.0])
    except ValueError:
        pass
    else:
        raise AssertionError("arrays of different lengths must raise ValueError")
    plt.close(fig)


if __name__ == "__main__":
    directory = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(directory, exist_ok=True)
    test_tradeoff(directory)
    test_box_limits(directory)
    print("plot_prim: all checks passed")
