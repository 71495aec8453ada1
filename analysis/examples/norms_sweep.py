#!/usr/bin/python3
"""Example: which publishing norm is best as spills grow? A sweep read into Python and explored
with pandas, xarray and matplotlib.

  PYTHONPATH=build/release/python /usr/bin/python3 analysis/examples/norms_sweep.py -o build/example

1. ``normsim.run`` runs the sweep scenarios/sweep_norms_spill.toml (6 norms × 5 spill
   probabilities) in-process, keeping the file OUT/sweep.h5 (the one ``normsim run`` writes);
2. it returns an xarray.Dataset: outcomes with dims (point, replicate), the norm and the spill
   probability as coordinates of ``point`` (``normsim.open(OUT/sweep.h5)`` gives the same);
3. pandas: mean x-risk with its standard error per norm and spill probability (OUT/xrisk_by_norm.csv)
   and, per spill probability, the norm with the lowest x-risk;
4. xarray: the same means as a norm × spill grid (unstacking the design), and the x-risk each norm
   adds over the open norm;
5. matplotlib: our own figure of the trade-off between capability and x-risk (OUT/tradeoff.png),
   then the package's figure normsim.plots.sweep_lines (OUT/sweep_lines.png, .svg).

Options: --replicates R (default 20), --steps T (default: the scenario's), -o OUT (default
build/example).
"""

import argparse
import os
import sys

from matplotlib.figure import Figure

import normsim

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "scenarios", "sweep_norms_spill.toml")
NORM, SPILL = "norm.preset", "research.spill_probability"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--replicates", type=int, default=20)
    p.add_argument("--steps", type=int)
    p.add_argument("-o", "--output", default=os.path.join(ROOT, "build", "example"))
    a = p.parse_args(argv)
    os.makedirs(a.output, exist_ok=True)

    overrides = {"world.steps": a.steps} if a.steps else {}
    ds = normsim.run(SCENARIO, set=overrides, replicates=a.replicates, output=os.path.join(a.output, "sweep.h5"),
                     overwrite=True, quiet=True)
    print(f"{ds.sizes['point']} points × {ds.sizes['replicate']} replicates, "
          f"normsim {ds.attrs['normsim_version']} ({ds.attrs['git_commit'][:12]})")

    # pandas: one row per run, then the mean and its standard error per cell of the design.
    runs = normsim.tidy(ds)
    cells = runs.groupby([NORM, SPILL], observed=True)["xrisk"].agg(["mean", "sem", "count"])
    cells.to_csv(os.path.join(a.output, "xrisk_by_norm.csv"))
    means = cells["mean"].unstack(SPILL)
    print("\nmean x-risk (rows: norm, columns: spill probability)")
    print(means.to_string(float_format="{:.4f}".format))
    best = means.idxmin(axis=0)
    print("\nlowest x-risk per spill probability: "
          + ", ".join(f"{s:g}: {n}" for s, n in best.items()))

    # xarray: the design unstacked into a (norm, spill probability) grid.
    grid = ds.xrisk.mean("replicate").set_index(point=[NORM, SPILL]).unstack("point")
    added = grid - grid.sel({NORM: "open"})
    print("\nx-risk added over the open norm, at the largest spill probability:")
    for norm, value in added.isel({SPILL: -1}).to_series().items():
        print(f"  {norm:22s} {value:+.4f}")

    # matplotlib with the returned objects: the capability–x-risk trade-off, a point per cell.
    summary = runs.groupby([NORM, SPILL], observed=True)[["xrisk", "capability"]].agg(["mean", "sem"])
    fig = Figure(figsize=(7, 5))  # no pyplot needed to draw and save
    ax = fig.subplots()
    for norm, rows in summary.groupby(level=NORM, observed=True):
        ax.errorbar(rows[("capability", "mean")], rows[("xrisk", "mean")],
                    xerr=rows[("capability", "sem")], yerr=rows[("xrisk", "sem")],
                    marker="o", ms=4, lw=0.8, capsize=2, label=norm)  # lines: spill order
    ax.set_xlabel(f"mean capability ({ds.capability.attrs['units']})")
    ax.set_ylabel(f"mean x-risk ({ds.xrisk.attrs['units']})")
    ax.set_title("capability against x-risk, a point per spill probability")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(a.output, "tradeoff.png"), dpi=120)

    # The package's own figure of the same Dataset.
    normsim.plots.sweep_lines(ds, outcomes="xrisk,capability", x=SPILL, hue=NORM,
                              save=os.path.join(a.output, "sweep_lines"))
    for name in ("xrisk_by_norm.csv", "tradeoff.png", "sweep_lines.png", "sweep_lines.svg"):
        print(os.path.join(a.output, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
