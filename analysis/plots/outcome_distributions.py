#!/usr/bin/python3
"""Outcome distributions: the spread of outcomes across replicates, per design point.

One panel per outcome. --kind violin (default): one violin per design point (or per level of a
factor with --by, pooling the runs of the other factors' points), with the median (white dot),
the mean (black bar) and the 25-75 % range; --kind hist: overlaid step histograms, one per point
or level (best for a few groups). Runs without a value (t_transform of a run that never reached
C_T) are left out and counted in the panel.

Examples:
  /usr/bin/python3 analysis/plots/outcome_distributions.py closed.h5 -o results/closed_outcomes
  /usr/bin/python3 analysis/plots/outcome_distributions.py sweep.h5 --by norm.preset \\
      --where research.spill_probability=0.1 --outcomes xrisk,t_transform -o results/norms_violins
"""

import sys

import matplotlib.pyplot as plt
import numpy as np

import normsim_h5 as nh


def parse_args(argv=None):
    p = nh.base_parser(__doc__)
    p.add_argument("--outcomes", default="xrisk,capability,interpretability,t_transform",
                   help="comma-separated outcomes, one panel each (default: %(default)s)")
    p.add_argument("--kind", choices=("violin", "hist"), default="violin")
    p.add_argument("--by", metavar="FACTOR",
                   help="one violin per level of this design factor (default: one per point)")
    p.add_argument("--where", metavar="KEY=VALUE", action="append", default=[],
                   help="keep only points with this factor level (repeatable)")
    p.add_argument("--bins", type=int, default=30, help="histogram bins (--kind hist)")
    p.add_argument("--max-groups", type=int, default=40,
                   help="refuse more groups than this (use --by or --where; default %(default)s)")
    return p.parse_args(argv)


def violins(ax, values, labels, color):
    """Violins of the non-empty groups, with median, mean and quartiles."""
    pos = [i for i, v in enumerate(values) if v.size]
    if pos:
        parts = ax.violinplot([values[i] for i in pos], positions=pos, widths=0.8,
                              showextrema=False)
        for body in parts["bodies"]:
            body.set_facecolor(color)
            body.set_alpha(0.45)
    for i in pos:
        q1, med, q3 = np.percentile(values[i], [25, 50, 75])
        ax.vlines(i, q1, q3, color="0.15", lw=3.5)
        ax.scatter([i], [med], color="white", edgecolor="0.15", s=18, zorder=3)
        ax.hlines(np.mean(values[i]), i - 0.22, i + 0.22, color="black", lw=1.2)
    ax.set_xticks(range(len(labels)), labels, rotation=35 if len(labels) > 3 else 0,
                  ha="right" if len(labels) > 3 else "center", fontsize=8)
    pad = max(0.0, (3 - len(labels)) / 2)  # keep a lone violin from filling the panel
    ax.set_xlim(-0.6 - pad, len(labels) - 0.4 + pad)


def histograms(ax, values, labels, bins):
    finite = [v for v in values if v.size]
    if not finite:
        return
    allv = np.concatenate(finite)
    edges = np.histogram_bin_edges(allv, bins=bins)
    cmap = plt.get_cmap("tab10")
    for i, (v, label) in enumerate(zip(values, labels)):
        if v.size:
            ax.hist(v, bins=edges, histtype="step", lw=1.5, color=cmap(i % 10), label=label)
    ax.set_ylabel("runs (count)")


def main(argv=None):
    args = parse_args(argv)
    outcomes = nh.split_list(args.outcomes)
    with nh.NormsimFile(args.file) as nf:
        data = {o: nf.outcome(o) for o in outcomes}
        points = nh.select_points(nf, nh.parse_where(args.where))
        groups = nh.group_points(nf, points, args.by)
        if len(groups) > args.max_groups:
            raise nh.NormsimDataError(
                f"{args.file}: {len(groups)} groups (design points) is more than --max-groups "
                f"{args.max_groups}; group with --by FACTOR or select with --where KEY=VALUE")
        completed = nf.h5["runs/completed"][:].astype(bool) if "runs/completed" in nf.h5 else \
            np.ones((nf.n_points, nf.n_replicates), dtype=bool)
        labels = [label for label, _ in groups]

        nrows, ncols = nh.panel_grid(len(outcomes), max_cols=2)
        per_group = 0.45 if args.kind == "violin" else 0
        width = max(5.5, 1.8 + per_group * len(groups))
        fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, 3.9 * nrows + 1.2),
                                 squeeze=False)
        missing_notes = []
        for k, outcome in enumerate(outcomes):
            ax = axes.flat[k]
            values, dropped, total = [], 0, 0
            for _, members in groups:
                v = data[outcome][members][completed[members]]
                total += v.size
                dropped += int(np.sum(np.isnan(v)))
                values.append(v[~np.isnan(v)])
            label = nf.label(outcome)
            if args.kind == "violin":
                violins(ax, values, labels, "tab:blue")
                ax.set_ylabel(label)
                ax.set_xlabel(args.by if args.by else "design point")
            else:
                histograms(ax, values, labels, args.bins)
                ax.set_xlabel(label)
            ax.set_title(outcome)
            if dropped:
                ax.text(0.99, 0.98, f"{dropped} of {total} runs without a value",
                        transform=ax.transAxes, ha="right", va="top", fontsize=7.5, color="0.3")
                missing_notes.append(outcome)
        for ax in axes.flat[len(outcomes):]:
            ax.set_visible(False)
        right = 1.0
        if args.kind == "hist" and len(groups) > 1:
            right = nh.legend_right(fig, axes.flat[0], args.by or "design point")
        if args.kind == "violin":
            caption = ("violins: distribution across replicates; white dot: median; thick bar: "
                       "25–75 %; black line: mean")
        else:
            caption = "histograms of the outcomes across replicates, one line per group"
        if missing_notes:
            caption += ("; runs without a value are left out (t_transform: the run never reached "
                        "C_T)" if "t_transform" in missing_notes else "; runs without a value are left out")
        if args.where:
            caption += "\n" + ", ".join(args.where)
        nh.new_figure_labels(fig, nf, f"distributions of {', '.join(outcomes)}", caption)
        return nh.save_figure(fig, args.output, bottom_lines=2 + caption.count("\n"), right=right)


if __name__ == "__main__":
    nh.run_main(lambda: main(sys.argv[1:]))
