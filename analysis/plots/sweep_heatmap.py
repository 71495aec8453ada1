#!/usr/bin/python3
"""Sweep heatmap: an outcome's mean over a grid of two design factors, with its 95 % CI.

Left panel: the mean over replicates at every (X, Y) cell, written in the cell; right panel: the
half-width of the 95 % confidence interval (1.96 standard errors). Factors may be categorical or
numeric (each level is a row or column). Other factors that vary must be fixed with
--where KEY=VALUE.

Example:
  /usr/bin/python3 analysis/plots/sweep_heatmap.py sweep.h5 --outcome xrisk \\
      --x research.spill_probability --y norm.preset -o results/xrisk_heatmap
"""

import sys

import matplotlib.pyplot as plt
import numpy as np

import normsim_h5 as nh


def parse_args(argv=None):
    p = nh.base_parser(__doc__)
    p.add_argument("--outcome", default="xrisk", help="outcome to show (default: %(default)s)")
    p.add_argument("--x", metavar="FACTOR", help="factor along the columns (default: the last factor)")
    p.add_argument("--y", metavar="FACTOR", help="factor along the rows (default: the first factor)")
    p.add_argument("--where", metavar="KEY=VALUE", action="append", default=[],
                   help="keep only points with this factor level (repeatable)")
    p.add_argument("--cmap", default="viridis", help="matplotlib colour map of the means")
    return p.parse_args(argv)


def cell_text_color(image, value):
    """Black or white, whichever reads better on the cell's colour."""
    r, g, b, _ = image.cmap(image.norm(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def draw(ax, fig, grid, xf, yf, title, cbar_label, cmap, fmt):
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, interpolation="nearest")
    ax.set_xticks(range(len(xf.levels)), [xf.format_level(v) for v in xf.levels],
                  rotation=30 if xf.categorical else 0, ha="right" if xf.categorical else "center")
    ax.set_yticks(range(len(yf.levels)), [yf.format_level(v) for v in yf.levels])
    ax.set_xlabel(xf.axis_label())
    ax.set_ylabel(yf.axis_label())
    ax.set_title(title)
    ax.grid(False)
    big = grid.size <= 150
    for (iy, ix), v in np.ndenumerate(grid):
        if np.isfinite(v) and big:
            ax.text(ix, iy, fmt(v), ha="center", va="center", fontsize=8,
                    color=cell_text_color(image, v))
    fig.colorbar(image, ax=ax, label=cbar_label, shrink=0.9)


def main(argv=None):
    args = parse_args(argv)
    with nh.NormsimFile(args.file) as nf:
        factors = nf.factors()
        where = nh.parse_where(args.where)
        free = [k for k in factors if k not in [k for k, _ in where]]
        if len(factors) < 2 or len(free) < 2:
            raise nh.NormsimDataError(
                f"{args.file}: sweep_heatmap needs two design factors /design/<x> and /design/<y> "
                f"(design factors: {', '.join(factors) or 'none: a single scenario'})")
        args.y = args.y or next(k for k in free if k != args.x)
        args.x = args.x or next(k for k in reversed(free) if k != args.y)
        if args.x == args.y:
            raise nh.NormsimDataError("--x and --y must be different factors")
        xf, yf = nf.factor(args.x), nf.factor(args.y)
        points = nh.select_points(nf, where)
        extra = nh.free_factors(nf, points, (args.x, args.y))
        if extra:
            raise nh.NormsimDataError(
                f"{args.file}: factor(s) {', '.join(extra)} also vary; fix them with --where KEY=VALUE")
        s = nf.summary(args.outcome).iloc[points]
        mean = np.full((len(yf.levels), len(xf.levels)), np.nan)
        half = np.full_like(mean, np.nan)
        for _, row in s.iterrows():
            ix = xf.levels.index(row[args.x]) if xf.categorical else \
                int(np.argmin(np.abs(np.asarray(xf.levels) - row[args.x])))
            iy = yf.levels.index(row[args.y]) if yf.categorical else \
                int(np.argmin(np.abs(np.asarray(yf.levels) - row[args.y])))
            mean[iy, ix] = row["mean"]
            half[iy, ix] = nh.Z95 * row["se"]

        units = nf.units(args.outcome) or "dimensionless"
        fmt = (lambda v: f"{v:.3g}")
        ncols = len(xf.levels)
        width = max(5.0, 1.6 + 0.62 * ncols + (0.07 * max(len(str(v)) for v in yf.levels)
                                              if yf.categorical else 0.4))
        height = max(3.6, 1.4 + 0.42 * len(yf.levels)) + 1.3
        fig, axes = plt.subplots(1, 2, figsize=(2 * width, height))
        draw(axes[0], fig, mean, xf, yf, f"mean {args.outcome}", f"{args.outcome} ({units})",
             args.cmap, fmt)
        draw(axes[1], fig, half, xf, yf, f"95 % CI half-width of mean {args.outcome}",
             f"1.96 × SE ({units})", "magma_r", fmt)
        n_lo, n_hi = int(s["n"].min()), int(s["n"].max())
        caption = (f"cells: mean of {args.outcome} over replicates (left) and half-width of its 95 % "
                   f"confidence interval, 1.96 standard errors (right); n = "
                   f"{n_lo if n_lo == n_hi else f'{n_lo}–{n_hi}'} runs per cell")
        if args.outcome == "t_transform":
            caption += " (runs that reached C_T)"
        if args.where:
            caption += "; " + ", ".join(args.where)
        nh.new_figure_labels(fig, nf, f"{args.outcome} over {args.y} × {args.x}", caption)
        return nh.save_figure(fig, args.output, bottom_lines=3)


if __name__ == "__main__":
    nh.run_main(lambda: main(sys.argv[1:]))
