#!/usr/bin/python3
"""Fan charts over steps: frontier capability, frontier interpretability and hazard.

One row per design point, or per level of a factor with --by (e.g. norm.preset, pooling the runs
of the other factors' points), and one column per series. Each panel shows, step by step, the
median across the group's runs and the bands between their 25-75 % and 5-95 % quantiles.

Runs stop (at t_transform with world.stop_at_transformative, or on catastrophe-free completion
of world.steps); a stopped run's series is NaN afterwards. The quantiles at a step are over the
runs still going, and a group's fan is drawn only while at least half of its runs are still going
(--min-running); the figure's caption says so.

Examples:
  /usr/bin/python3 analysis/plots/fan_chart.py closed.h5 -o results/fan_closed
  /usr/bin/python3 analysis/plots/fan_chart.py sweep.h5 --by norm.preset \\
      --where research.spill_probability=0.1 -o results/fan_norms
"""

import sys

import matplotlib.pyplot as plt
import numpy as np

import normsim_h5 as nh

DEFAULT_SERIES = "frontier_capability,frontier_interpretability,hazard"
LOG_SERIES = {"frontier_capability", "frontier_interpretability", "public_capability",
              "public_interpretability"}


def parse_args(argv=None):
    p = nh.base_parser(__doc__)
    p.add_argument("--series", default=DEFAULT_SERIES,
                   help="comma-separated series, one column each (default: %(default)s)")
    p.add_argument("--by", metavar="FACTOR",
                   help="one row per level of this design factor (default: one row per point)")
    p.add_argument("--where", metavar="KEY=VALUE", action="append", default=[],
                   help="keep only points with this factor level (repeatable)")
    p.add_argument("--min-running", type=float, default=0.5, metavar="SHARE",
                   help="draw a step only while at least this share of runs is going (default 0.5)")
    p.add_argument("--max-rows", type=int, default=12,
                   help="refuse more rows than this (use --by or --where; default %(default)s)")
    p.add_argument("--linear", action="store_true",
                   help="linear y axes (default: log for capability and interpretability)")
    return p.parse_args(argv)


def fan(runs: np.ndarray, min_running: float):
    """Quantiles per step of ``runs`` [n, T] over the runs not NaN, and the mask of steps where
    at least ``min_running`` of the runs are going."""
    going = np.sum(~np.isnan(runs), axis=0)
    shown = going >= max(1, min_running * runs.shape[0])
    q = np.full((5, runs.shape[1]), np.nan)
    if shown.any():
        q[:, shown] = np.nanquantile(runs[:, shown], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return q, shown, going


def main(argv=None):
    args = parse_args(argv)
    names = nh.split_list(args.series)
    with nh.NormsimFile(args.file) as nf:
        for name in names:
            nf.require(f"series/{name}",
                       "the file was written without series: run normsim without --no-series")
        points = nh.select_points(nf, nh.parse_where(args.where))
        groups = nh.group_points(nf, points, args.by)
        if len(groups) > args.max_rows:
            raise nh.NormsimDataError(
                f"{args.file}: {len(groups)} rows (design points) is more than --max-rows "
                f"{args.max_rows}; group with --by FACTOR or select with --where KEY=VALUE "
                f"(factors: {', '.join(nf.factors())})")
        steps = nf.steps()
        completed = nf.h5["runs/completed"][:].astype(bool) if "runs/completed" in nf.h5 else \
            np.ones((nf.n_points, nf.n_replicates), dtype=bool)
        data = {name: nf.series(name) for name in names}

        nrows, ncols = len(groups), len(names)
        fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 2.5 * nrows + 1.6),
                                 squeeze=False, sharex=True, sharey="col")
        color = "tab:blue"
        last_step = 0
        for r, (label, members) in enumerate(groups):
            for c, name in enumerate(names):
                ax = axes[r, c]
                runs = data[name][members][completed[members]].reshape(-1, len(steps))
                q, shown, going = fan(runs, args.min_running)
                x = np.where(shown, steps, np.nan)
                ax.fill_between(steps, q[0], q[4], where=shown, color=color, alpha=0.18, lw=0,
                                label="5–95 %")
                ax.fill_between(steps, q[1], q[3], where=shown, color=color, alpha=0.38, lw=0,
                                label="25–75 %")
                ax.plot(x, q[2], color=color, lw=1.6, label="median")
                if shown.any():
                    last_step = max(last_step, int(steps[shown][-1]))
                if name in LOG_SERIES and not args.linear and np.nanmin(q[0], initial=np.inf) > 0:
                    ax.set_yscale("log")
                if r == 0:
                    ax.set_title(name, fontsize=11)
                units = nf.units(name, "series") or "dimensionless"
                ax.set_ylabel(units, fontsize=9)
                if c == 0 and nrows > 1:  # row header, left of the y label
                    ax.annotate(label, xy=(0, 0.5), xycoords="axes fraction", xytext=(-62, 0),
                                textcoords="offset points", rotation=90, ha="right",
                                va="center", fontsize=10, fontweight="bold")
                if r == nrows - 1:
                    ax.set_xlabel("step (steps)")
                ax.text(0.99, 0.03, f"n = {runs.shape[0]} runs", transform=ax.transAxes,
                        ha="right", va="bottom", fontsize=7, color="0.35")
        for ax in axes.flat:
            ax.set_xlim(steps[0], max(last_step, steps[0] + 1))
        axes[0, -1].legend(fontsize=8, loc="upper left")
        caption = (f"median and 25–75 % / 5–95 % quantile bands across runs, per step; a run's series "
                   f"ends when the run stops, and each fan is drawn only while at least "
                   f"{args.min_running:.0%} of its runs are still going (quantiles over those runs)")
        rows = f"rows: levels of {args.by}" if args.by else "rows: design points"
        if args.where:
            rows += "; " + ", ".join(args.where)
        caption += "\n" + rows
        nh.new_figure_labels(fig, nf, f"{', '.join(names)} over time", caption)
        return nh.save_figure(fig, args.output, bottom_lines=3)


if __name__ == "__main__":
    nh.run_main(lambda: main(sys.argv[1:]))
