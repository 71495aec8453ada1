#!/usr/bin/python3
"""Sweep lines: outcome means with 95 % confidence bands against a numeric design factor.

One panel per outcome; in each, the mean over replicates at every design point (from
/summary/<outcome>, or recomputed from /outcomes) against factor X, one line per level of factor
HUE, with a band of mean +/- 1.96 standard errors. Other factors that vary must be fixed with
--where KEY=VALUE.

Example:
  /usr/bin/python3 analysis/plots/sweep_lines.py sweep.h5 \\
      --x research.spill_probability --hue norm.preset --outcomes xrisk,capability,t_transform \\
      -o results/sweep_lines
"""

import sys

import matplotlib.pyplot as plt
import numpy as np

import normsim_h5 as nh


def parse_args(argv=None):
    p = nh.base_parser(__doc__)
    p.add_argument("--outcomes", default="xrisk,capability,t_transform",
                   help="comma-separated outcomes, one panel each (default: %(default)s)")
    p.add_argument("--x", metavar="FACTOR",
                   help="numeric design factor on the x axis (default: the first numeric factor)")
    p.add_argument("--hue", metavar="FACTOR",
                   help="factor with one line per level (default: the other varying factor, if any)")
    p.add_argument("--where", metavar="KEY=VALUE", action="append", default=[],
                   help="keep only points with this factor level (repeatable)")
    p.add_argument("--logy", action="store_true", help="logarithmic y axes")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    outcomes = nh.split_list(args.outcomes)
    with nh.NormsimFile(args.file) as nf:
        factors = nf.factors()
        if not factors:
            raise nh.NormsimDataError(
                f"{args.file}: missing dataset /design/<factor>: a single scenario, not a sweep "
                "(sweep_lines needs a numeric design factor)")
        points = nh.select_points(nf, nh.parse_where(args.where))
        where_keys = [k for k, _ in nh.parse_where(args.where)]
        if args.x is None:
            numeric = [k for k, f in factors.items() if not f.categorical and k not in where_keys]
            if not numeric:
                raise nh.NormsimDataError(f"{args.file}: no numeric design factor for the x axis "
                                          f"(factors: {', '.join(factors)})")
            args.x = numeric[0]
        fx = nf.factor(args.x)
        if fx.categorical:
            raise nh.NormsimDataError(f"{args.file}: --x {args.x} is categorical; "
                                      "use sweep_heatmap.py or outcome_distributions.py")
        if args.hue is None:
            rest = nh.free_factors(nf, points, used=(args.x,))
            args.hue = rest[0] if rest else None
        used = (args.x,) + ((args.hue,) if args.hue else ())
        extra = nh.free_factors(nf, points, used)
        if extra:
            raise nh.NormsimDataError(
                f"{args.file}: factor(s) {', '.join(extra)} also vary; fix them with --where KEY=VALUE")
        groups = [("all points", points)] if args.hue is None else nh.group_points(nf, points, args.hue)

        nrows, ncols = nh.panel_grid(len(outcomes))
        fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 4.0 * nrows + 0.9), squeeze=False)
        colors = plt.get_cmap("tab10" if len(groups) <= 10 else "viridis")
        notes = []
        for i, outcome in enumerate(outcomes):
            ax = axes.flat[i]
            s = nf.summary(outcome)
            for g, (label, members) in enumerate(groups):
                d = s.iloc[members].sort_values(args.x)
                x = d[args.x].to_numpy(float)
                c = colors(g % 10) if len(groups) <= 10 else colors(g / max(1, len(groups) - 1))
                ax.plot(x, d["mean"], marker="o", ms=3.5, lw=1.6, color=c, label=label)
                ax.fill_between(x, d["ci_low"], d["ci_high"], color=c, alpha=0.18, lw=0)
            if outcome == "t_transform":
                reached = nf.h5["summary/reached_transformative"][:][points] \
                    if "summary/reached_transformative" in nf.h5 else s["n"].to_numpy()[points]
                notes.append(f"t_transform: mean over the runs that reached C_T "
                             f"({int(np.sum(reached))} of {len(points) * nf.n_replicates} runs)")
            ax.set_title(outcome)
            nh.set_factor_axis(ax, fx, "x")
            ax.set_ylabel(f"mean {nf.label(outcome)}")
            if args.logy:
                ax.set_yscale("log")
        for ax in axes.flat[len(outcomes):]:
            ax.set_visible(False)
        right = nh.legend_right(fig, axes.flat[0], args.hue) if args.hue else 1.0
        caption = "lines: mean over replicates; bands: 95 % CI (mean ± 1.96 SE)"
        if args.where:
            caption += "; " + ", ".join(args.where)
        if notes:
            caption += "\n" + "; ".join(notes)
        nh.new_figure_labels(fig, nf, f"{', '.join(outcomes)} against {args.x}", caption)
        return nh.save_figure(fig, args.output, bottom_lines=2 + caption.count("\n"), right=right)


if __name__ == "__main__":
    nh.run_main(lambda: main(sys.argv[1:]))
