"""The panels of scenario discovery (PRIM, analysis/discovery): pure functions on numpy arrays.

plot_tradeoff(ax, coverage, density, ...)   the coverage-density trade-off of a peeling trajectory
plot_box_limits(ax, names, ...)             a box's limits over the assumptions' ranges

They draw on a matplotlib Axes and return it; :func:`normsim.plots.discovery` reads the arrays
from a file of ``normsim discover`` and lays the panels out.
"""

import numpy as np


def plot_tradeoff(ax, coverage, density, n_restricted=None, chosen=None, base_rate=None, label=None):
    """Density (y) against coverage (x) along a peeling trajectory, step 0 at coverage 1.

    coverage, density: 1-D arrays, one value per step, in [0, 1].
    n_restricted: optional integer array (restricted dimensions per step), shown as the colour.
    chosen: optional step index, ringed and annotated with its coverage and density.
    base_rate: optional density of all points, drawn as a dashed horizontal line.
    Returns ax. Raises ValueError if the arrays differ in length or chosen is out of range.
    """
    coverage = np.asarray(coverage, dtype=float)
    density = np.asarray(density, dtype=float)
    if coverage.shape != density.shape or coverage.ndim != 1:
        raise ValueError(f"coverage {coverage.shape} and density {density.shape} must be 1-D of one length")
    ax.plot(coverage, density, color="0.6", linewidth=1, zorder=1, label=label)
    if n_restricted is not None:
        n_restricted = np.asarray(n_restricted)
        if n_restricted.shape != coverage.shape:
            raise ValueError(f"n_restricted {n_restricted.shape} must match coverage {coverage.shape}")
        points = ax.scatter(coverage, density, c=n_restricted, cmap="viridis", s=14, zorder=2)
        ax.figure.colorbar(points, ax=ax, label="restricted dimensions")
    else:
        ax.scatter(coverage, density, s=14, zorder=2)
    if base_rate is not None:
        ax.axhline(base_rate, color="0.4", linestyle="--", linewidth=1, label="base rate")
    if chosen is not None:
        if not 0 <= chosen < coverage.size:
            raise ValueError(f"chosen step {chosen} is outside the trajectory's {coverage.size} steps")
        ax.scatter([coverage[chosen]], [density[chosen]], s=90, facecolors="none", edgecolors="red",
                   linewidths=1.5, zorder=3, label=f"chosen step {chosen}")
        ax.annotate(f"coverage {coverage[chosen]:.2f}\ndensity {density[chosen]:.2f}",
                    (coverage[chosen], density[chosen]), textcoords="offset points", xytext=(8, -24),
                    fontsize=8)
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.set_xlim(0.0, 1.02)
    ax.set_ylim(0.0, 1.02)
    ax.set_title("coverage-density trade-off")
    return ax


def plot_box_limits(ax, names, range_low, range_high, box_low, box_high, frequency=None, categorical=(),
                    scales=None):
    """One row per restricted assumption: its range as a grey bar scaled to [0, 1], the box's interval
    over it in colour, the limits written in the assumption's units.

    names: sequence of N numeric assumptions; range_low, range_high: arrays of their ranges;
    box_low, box_high: the box's limits (equal to the range where a side is not restricted).
    frequency: optional array of N bootstrap frequencies (of the more frequent restricted side),
    appended to the row labels.
    categorical: optional sequence of (name, level_names, admitted, frequency) with admitted a boolean
    array over the levels; each is a row of equal cells, admitted levels in colour.
    scales: optional sequence of N "linear" or "log"; a log-scale row is scaled on ln x (as PRIM
    searched it), its limits still written in the assumption's units.
    Returns ax. Raises ValueError on arrays of different lengths, an empty range with a restriction,
    or a log scale over a range that is not positive.
    """
    names = list(names)
    arrays = [np.asarray(a, dtype=float) for a in (range_low, range_high, box_low, box_high)]
    if any(a.shape != (len(names),) for a in arrays):
        raise ValueError("names, range_low, range_high, box_low and box_high must have one length")
    scales = ["linear"] * len(names) if scales is None else list(scales)
    if len(scales) != len(names):
        raise ValueError(f"{len(scales)} scales for {len(names)} assumptions")
    lo, hi, blo, bhi = arrays
    labels = []
    row = 0
    for i, name in enumerate(names):
        restricted = blo[i] > lo[i] or bhi[i] < hi[i]
        if not restricted:
            continue
        to_axis = (lambda x: x)
        if scales[i] == "log":
            if not lo[i] > 0:
                raise ValueError(f"{name}: log scale over [{lo[i]}, {hi[i]}]")
            to_axis = np.log
        width = to_axis(hi[i]) - to_axis(lo[i])
        if width <= 0:
            raise ValueError(f"{name}: empty range [{lo[i]}, {hi[i]}] with a restriction")
        a, b = (to_axis(blo[i]) - to_axis(lo[i])) / width, (to_axis(bhi[i]) - to_axis(lo[i])) / width
        ax.barh(row, 1.0, left=0.0, color="0.85", height=0.6)
        ax.barh(row, b - a, left=a, color="tab:blue", height=0.6)
        for end, value, align in ((0.0, lo[i], "left"), (1.0, hi[i], "right")):  # the range's ends
            ax.text(end, row - 0.34, f"{value:.3g}", ha=align, va="bottom", fontsize=7, color="0.4")
        if blo[i] > lo[i]:
            ax.text(a, row + 0.38, f"{blo[i]:.3g}", ha="center", fontsize=8)
        if bhi[i] < hi[i]:
            ax.text(b, row + 0.38, f"{bhi[i]:.3g}", ha="center", fontsize=8)
        suffix = "" if frequency is None else f" ({np.asarray(frequency)[i]:.0%})"
        labels.append(f"{name}{' (log)' if scales[i] == 'log' else ''}{suffix}")
        row += 1
    for name, level_names, admitted, freq in categorical:
        admitted = np.asarray(admitted, dtype=bool)
        k = len(level_names)
        if admitted.shape != (k,):
            raise ValueError(f"{name}: {k} levels but {admitted.size} admitted flags")
        for j, level in enumerate(level_names):
            ax.barh(row, 1.0 / k, left=j / k, color="tab:blue" if admitted[j] else "0.85", height=0.6,
                    edgecolor="white")
            ax.text((j + 0.5) / k, row, level, ha="center", va="center", fontsize=8)
        labels.append(name if freq is None else f"{name} ({freq:.0%})")
        row += 1
    ax.set_yticks(range(row))
    ax.set_yticklabels(labels)
    ax.set_xlim(0.0, 1.0)
    ax.set_xticks([0.0, 1.0])
    ax.set_xticklabels(["range low", "range high"])
    ax.invert_yaxis()
    ax.set_title("box limits")
    return ax
