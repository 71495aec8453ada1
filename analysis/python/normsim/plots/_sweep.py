"""Figures of a sweep's outcomes over its design factors: :func:`sweep_lines` (means with 95 %
bands against a numeric factor) and :func:`sweep_heatmap` (an outcome's mean over two factors)."""

from __future__ import annotations

import numpy as np

from .._design import parse_where, where_text
from .._errors import NormsimDataError
from .._schema import Z95
from ._common import (colormap, done, figure_labels, legend_right, names, new_figure, panel_grid,
                      set_factor_axis, styled)
from ._data import runs_of


@styled
def sweep_lines(data, outcomes="xrisk,capability,t_transform", x=None, hue=None, where=None,
                logy=False, save=None):
    """Outcome means with 95 % confidence bands against a numeric design factor.

    One panel per outcome (``outcomes``: names, or ``a,b,c``); in each, the mean over replicates at
    every design point against factor ``x`` (default: the first numeric factor), one line per
    level of factor ``hue`` (default: the other varying factor, if any), with a band of
    mean ± 1.96 standard errors. Other factors that vary must be fixed with ``where``
    ({key: value} or ["KEY=VALUE", ...]).

    ``data``: an outcomes Dataset (:func:`normsim.open`) or a path. ``save``: STEM to write
    STEM.png and STEM.svg. Returns the ``matplotlib.figure.Figure``. Raises
    :class:`~normsim.NormsimDataError` naming the file and the dataset when the data lack what
    the figure needs (no design factor, unknown outcome or factor)."""
    outcomes = names(outcomes)
    runs = runs_of(data)
    factors = runs.design.factors()
    if not factors:
        raise NormsimDataError(
            f"{runs.path}: missing dataset /design/<factor>: a single scenario, not a sweep "
            "(sweep_lines needs a numeric design factor)", runs.path, "/design")
    conditions = parse_where(where)
    points = runs.design.select(conditions)
    where_keys = [k for k, _ in conditions]
    if x is None:
        numeric = [k for k, f in factors.items() if not f.categorical and k not in where_keys]
        if not numeric:
            raise NormsimDataError(f"{runs.path}: no numeric design factor for the x axis "
                                   f"(factors: {', '.join(factors)})", runs.path, "/design")
        x = numeric[0]
    fx = runs.design.factor(x)
    if fx.categorical:
        raise NormsimDataError(f"{runs.path}: x={x} is categorical; use sweep_heatmap or "
                               "outcome_distributions", runs.path, f"/design/{x}")
    if hue is None:
        rest = runs.design.free_factors(points, used=(x,))
        hue = rest[0] if rest else None
    used = (x,) + ((hue,) if hue else ())
    extra = runs.design.free_factors(points, used)
    if extra:
        raise NormsimDataError(
            f"{runs.path}: factor(s) {', '.join(extra)} also vary; fix them with --where "
            "KEY=VALUE", runs.path, f"/design/{extra[0]}")
    groups = [("all points", points)] if hue is None else runs.design.group_points(points, hue)

    nrows, ncols = panel_grid(len(outcomes))
    fig, axes = new_figure((5.2 * ncols, 4.0 * nrows + 0.9), nrows, ncols)
    colors = colormap("tab10" if len(groups) <= 10 else "viridis")
    notes = []
    for i, outcome in enumerate(outcomes):
        ax = axes.flat[i]
        s = runs.summary(outcome)
        for g, (label, members) in enumerate(groups):
            d = s.iloc[members].sort_values(x)
            xs = d[x].to_numpy(float)
            c = colors(g % 10) if len(groups) <= 10 else colors(g / max(1, len(groups) - 1))
            ax.plot(xs, d["mean"], marker="o", ms=3.5, lw=1.6, color=c, label=label)
            ax.fill_between(xs, d["ci_low"], d["ci_high"], color=c, alpha=0.18, lw=0)
        if outcome == "t_transform":
            reached = s["n"].to_numpy()[points]
            notes.append(f"t_transform: mean over the runs that reached C_T "
                         f"({int(np.sum(reached))} of {len(points) * runs.n_replicates} runs)")
        ax.set_title(outcome)
        set_factor_axis(ax, fx, "x")
        ax.set_ylabel(f"mean {runs.label(outcome)}")
        if logy:
            ax.set_yscale("log")
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    right = legend_right(fig, axes.flat[0], hue) if hue else 1.0
    caption = "lines: mean over replicates; bands: 95 % CI (mean ± 1.96 SE)"
    if conditions:
        caption += "; " + ", ".join(where_text(conditions))
    if notes:
        caption += "\n" + "; ".join(notes)
    figure_labels(fig, runs.prov, f"{', '.join(outcomes)} against {x}", caption)
    return done(fig, save, bottom_lines=2 + caption.count("\n"), right=right)


def _level_index(f, value) -> int:
    if f.categorical:
        return f.levels.index(value)
    return int(np.argmin(np.abs(np.asarray(f.levels) - value)))


def _cell_text_color(image, value) -> str:
    """Black or white, whichever reads better on the cell's colour."""
    r, g, b, _ = image.cmap(image.norm(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _draw_grid(ax, fig, grid, xf, yf, title, cbar_label, cmap):
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap=cmap, interpolation="nearest")
    ax.set_xticks(range(len(xf.levels)), [xf.format_level(v) for v in xf.levels],
                  rotation=30 if xf.categorical else 0, ha="right" if xf.categorical else "center")
    ax.set_yticks(range(len(yf.levels)), [yf.format_level(v) for v in yf.levels])
    ax.set_xlabel(xf.axis_label())
    ax.set_ylabel(yf.axis_label())
    ax.set_title(title)
    ax.grid(False)
    if grid.size <= 150:
        for (iy, ix), v in np.ndenumerate(grid):
            if np.isfinite(v):
                ax.text(ix, iy, f"{v:.3g}", ha="center", va="center", fontsize=8,
                        color=_cell_text_color(image, v))
    fig.colorbar(image, ax=ax, label=cbar_label, shrink=0.9)


@styled
def sweep_heatmap(data, outcome="xrisk", x=None, y=None, where=None, cmap="viridis", save=None):
    """An outcome's mean over a grid of two design factors, with its 95 % CI.

    Left panel: the mean over replicates in every (``x``, ``y``) cell, written in the cell; right
    panel: the half-width of its 95 % confidence interval (1.96 standard errors). Factors may be
    categorical or numeric (each level is a row or column); defaults: ``y`` the first factor, ``x``
    the last. Other factors that vary must be fixed with ``where``. ``data``, ``save``, the return
    value and errors as in :func:`sweep_lines`."""
    runs = runs_of(data)
    factors = runs.design.factors()
    conditions = parse_where(where)
    free = [k for k in factors if k not in [k for k, _ in conditions]]
    if len(factors) < 2 or len(free) < 2:
        raise NormsimDataError(
            f"{runs.path}: sweep_heatmap needs two design factors /design/<x> and /design/<y> "
            f"(design factors: {', '.join(factors) or 'none: a single scenario'})", runs.path,
            "/design")
    y = y or next(k for k in free if k != x)
    x = x or next(k for k in reversed(free) if k != y)
    if x == y:
        raise NormsimDataError("--x and --y must be different factors")
    xf, yf = runs.design.factor(x), runs.design.factor(y)
    points = runs.design.select(conditions)
    extra = runs.design.free_factors(points, (x, y))
    if extra:
        raise NormsimDataError(
            f"{runs.path}: factor(s) {', '.join(extra)} also vary; fix them with --where "
            "KEY=VALUE", runs.path, f"/design/{extra[0]}")
    s = runs.summary(outcome).iloc[points]
    mean = np.full((len(yf.levels), len(xf.levels)), np.nan)
    half = np.full_like(mean, np.nan)
    for _, row in s.iterrows():
        ix, iy = _level_index(xf, row[x]), _level_index(yf, row[y])
        mean[iy, ix] = row["mean"]
        half[iy, ix] = Z95 * row["se"]

    units = runs.units(outcome) or "dimensionless"
    width = max(5.0, 1.6 + 0.62 * len(xf.levels) + (0.07 * max(len(str(v)) for v in yf.levels)
                                                     if yf.categorical else 0.4))
    height = max(3.6, 1.4 + 0.42 * len(yf.levels)) + 1.3
    fig, axes = new_figure((2 * width, height), 1, 2)
    _draw_grid(axes[0, 0], fig, mean, xf, yf, f"mean {outcome}", f"{outcome} ({units})", cmap)
    _draw_grid(axes[0, 1], fig, half, xf, yf, f"95 % CI half-width of mean {outcome}",
               f"1.96 × SE ({units})", "magma_r")
    n_lo, n_hi = int(s["n"].min()), int(s["n"].max())
    caption = (f"cells: mean of {outcome} over replicates (left) and half-width of its 95 % "
               f"confidence interval, 1.96 standard errors (right); n = "
               f"{n_lo if n_lo == n_hi else f'{n_lo}–{n_hi}'} runs per cell")
    if outcome == "t_transform":
        caption += " (runs that reached C_T)"
    if conditions:
        caption += "; " + ", ".join(where_text(conditions))
    figure_labels(fig, runs.prov, f"{outcome} over {y} × {x}", caption)
    return done(fig, save, bottom_lines=3)
