"""Figures of the spread across replicates: :func:`fan_chart` (series over steps, per point or
level) and :func:`outcome_distributions` (violins or histograms of outcomes)."""

from __future__ import annotations

import numpy as np

from .._design import parse_where, where_text
from .._errors import NormsimDataError
from ._common import (colormap, done, figure_labels, legend_right, names, new_figure, panel_grid,
                      styled)
from ._data import runs_of

DEFAULT_SERIES = "frontier_capability,frontier_interpretability,hazard"
LOG_SERIES = {"frontier_capability", "frontier_interpretability", "public_capability",
              "public_interpretability"}


def fan(runs: np.ndarray, min_running: float):
    """Quantiles (5, 25, 50, 75, 95 %) per step of ``runs`` [n, T] over the runs not NaN, the
    mask of steps where at least ``min_running`` of the runs are going, and the count going."""
    going = np.sum(~np.isnan(runs), axis=0)
    shown = going >= max(1, min_running * runs.shape[0])
    q = np.full((5, runs.shape[1]), np.nan)
    if shown.any():
        q[:, shown] = np.nanquantile(runs[:, shown], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return q, shown, going


@styled
def fan_chart(data, series=DEFAULT_SERIES, by=None, where=None, min_running=0.5, max_rows=12,
              linear=False, save=None):
    """Fan charts over steps: by default frontier capability, frontier interpretability, hazard.

    One row per design point, or per level of factor ``by`` (pooling the runs of the other
    factors' points), one column per series (``series``: names or ``a,b,c``). Each panel shows,
    step by step, the median across the group's runs and the bands between their 25–75 % and
    5–95 % quantiles, drawn only while at least ``min_running`` of the runs are still going (a
    stopped run's series is NaN afterwards). Refuses more than ``max_rows`` rows. Capability and
    interpretability axes are logarithmic unless ``linear``.

    ``data``: an outcomes Dataset with series (``normsim.open``) or a path. ``save``: STEM to write
    STEM.png and STEM.svg. Returns the Figure. A file or Dataset without the series raises
    :class:`~normsim.NormsimDataError` naming /series/<name>."""
    series = names(series)
    runs = runs_of(data, series=series)
    for name in series:
        runs.require_series(name)
    conditions = parse_where(where)
    points = runs.design.select(conditions)
    groups = runs.design.group_points(points, by)
    if len(groups) > max_rows:
        raise NormsimDataError(
            f"{runs.path}: {len(groups)} rows (design points) is more than --max-rows "
            f"{max_rows}; group with --by FACTOR or select with --where KEY=VALUE "
            f"(factors: {', '.join(runs.design.factors())})", runs.path)
    steps = runs.steps()
    completed = runs.completed()
    values = {name: runs.series(name) for name in series}

    nrows, ncols = len(groups), len(series)
    fig, axes = new_figure((4.6 * ncols, 2.5 * nrows + 1.6), nrows, ncols, sharex=True,
                           sharey="col")
    color = "tab:blue"
    last_step = 0
    for r, (label, members) in enumerate(groups):
        for c, name in enumerate(series):
            ax = axes[r, c]
            chosen = values[name][members][completed[members]].reshape(-1, len(steps))
            q, shown, _ = fan(chosen, min_running)
            xs = np.where(shown, steps, np.nan)
            ax.fill_between(steps, q[0], q[4], where=shown, color=color, alpha=0.18, lw=0,
                            label="5–95 %")
            ax.fill_between(steps, q[1], q[3], where=shown, color=color, alpha=0.38, lw=0,
                            label="25–75 %")
            ax.plot(xs, q[2], color=color, lw=1.6, label="median")
            if shown.any():
                last_step = max(last_step, int(steps[shown][-1]))
            if name in LOG_SERIES and not linear and np.nanmin(q[0], initial=np.inf) > 0:
                ax.set_yscale("log")
            if r == 0:
                ax.set_title(name, fontsize=11)
            ax.set_ylabel(runs.units(name, "series") or "dimensionless", fontsize=9)
            if c == 0 and nrows > 1:  # row header, left of the y label
                ax.annotate(label, xy=(0, 0.5), xycoords="axes fraction", xytext=(-62, 0),
                            textcoords="offset points", rotation=90, ha="right",
                            va="center", fontsize=10, fontweight="bold")
            if r == nrows - 1:
                ax.set_xlabel("step (steps)")
            ax.text(0.99, 0.03, f"n = {chosen.shape[0]} runs", transform=ax.transAxes,
                    ha="right", va="bottom", fontsize=7, color="0.35")
    for ax in axes.flat:
        ax.set_xlim(steps[0], max(last_step, steps[0] + 1))
    axes[0, -1].legend(fontsize=8, loc="upper left")
    caption = (f"median and 25–75 % / 5–95 % quantile bands across runs, per step; a run's series "
               f"ends when the run stops, and each fan is drawn only while at least "
               f"{min_running:.0%} of its runs are still going (quantiles over those runs)")
    rows = f"rows: levels of {by}" if by else "rows: design points"
    if conditions:
        rows += "; " + ", ".join(where_text(conditions))
    caption += "\n" + rows
    figure_labels(fig, runs.prov, f"{', '.join(series)} over time", caption)
    return done(fig, save, bottom_lines=3)


def _violins(ax, values, labels, color):
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


def _histograms(ax, values, labels, bins):
    finite = [v for v in values if v.size]
    if not finite:
        return
    edges = np.histogram_bin_edges(np.concatenate(finite), bins=bins)
    cmap = colormap("tab10")
    for i, (v, label) in enumerate(zip(values, labels)):
        if v.size:
            ax.hist(v, bins=edges, histtype="step", lw=1.5, color=cmap(i % 10), label=label)
    ax.set_ylabel("runs (count)")


@styled
def outcome_distributions(data, outcomes="xrisk,capability,interpretability,t_transform",
                          kind="violin", by=None, where=None, bins=30, max_groups=40, save=None):
    """The spread of outcomes across replicates, per design point or per level of ``by``.

    One panel per outcome. ``kind`` "violin": one violin per point (or level), with the median
    (white dot), the mean (black bar) and the 25–75 % range; "hist": overlaid step histograms
    (``bins``), one per point or level. Runs without a value (t_transform of a run that never
    reached C_T) are left out and counted in the panel. Refuses more than ``max_groups`` groups.
    ``data``, ``where``, ``save``, the return value and errors as in :func:`sweep_lines`."""
    if kind not in ("violin", "hist"):
        raise ValueError(f"kind {kind!r}: expected 'violin' or 'hist'")
    outcomes = names(outcomes)
    runs = runs_of(data)
    values_of = {o: runs.outcome(o) for o in outcomes}
    conditions = parse_where(where)
    points = runs.design.select(conditions)
    groups = runs.design.group_points(points, by)
    if len(groups) > max_groups:
        raise NormsimDataError(
            f"{runs.path}: {len(groups)} groups (design points) is more than --max-groups "
            f"{max_groups}; group with --by FACTOR or select with --where KEY=VALUE", runs.path)
    completed = runs.completed()
    labels = [label for label, _ in groups]

    nrows, ncols = panel_grid(len(outcomes), max_cols=2)
    per_group = 0.45 if kind == "violin" else 0
    width = max(5.5, 1.8 + per_group * len(groups))
    fig, axes = new_figure((width * ncols, 3.9 * nrows + 1.2), nrows, ncols)
    missing_notes = []
    for k, outcome in enumerate(outcomes):
        ax = axes.flat[k]
        values, dropped, total = [], 0, 0
        for _, members in groups:
            v = values_of[outcome][members][completed[members]]
            total += v.size
            dropped += int(np.sum(np.isnan(v)))
            values.append(v[~np.isnan(v)])
        if kind == "violin":
            _violins(ax, values, labels, "tab:blue")
            ax.set_ylabel(runs.label(outcome))
            ax.set_xlabel(by if by else "design point")
        else:
            _histograms(ax, values, labels, bins)
            ax.set_xlabel(runs.label(outcome))
        ax.set_title(outcome)
        if dropped:
            ax.text(0.99, 0.98, f"{dropped} of {total} runs without a value",
                    transform=ax.transAxes, ha="right", va="top", fontsize=7.5, color="0.3")
            missing_notes.append(outcome)
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    right = 1.0
    if kind == "hist" and len(groups) > 1:
        right = legend_right(fig, axes.flat[0], by or "design point")
    if kind == "violin":
        caption = ("violins: distribution across replicates; white dot: median; thick bar: "
                   "25–75 %; black line: mean")
    else:
        caption = "histograms of the outcomes across replicates, one line per group"
    if missing_notes:
        caption += ("; runs without a value are left out (t_transform: the run never reached "
                    "C_T)" if "t_transform" in missing_notes
                    else "; runs without a value are left out")
    if conditions:
        caption += "\n" + ", ".join(where_text(conditions))
    figure_labels(fig, runs.prov, f"distributions of {', '.join(outcomes)}", caption)
    return done(fig, save, bottom_lines=2 + caption.count("\n"), right=right)
