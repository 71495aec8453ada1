"""Verdict map: where each claim holds, fails or is inconclusive (verdicts of normsim check)."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.colors import ListedColormap

from .._design import parse_where, where_text
from .._errors import NormsimDataError
from ._common import (VERDICT_COLORS, colormap, done, figure_labels, interval_errors,
                      legend_right, names, new_figure, set_factor_axis, styled, text_color_on,
                      verdict_handles)
from ._data import claims_of


def _choose_axes(design, x, y, at):
    """(points, x key or None, y key or None) of a panel of scope "points" over ``design``."""
    points = design.select(at, "--at") if at else np.arange(design.n_points)
    for key in (x, y):
        if key:
            design.factor(key)
    if x and x == y:
        raise NormsimDataError("--x and --y must be different factors")
    source = design.source
    others = [k for k in design.free_factors(points) if k not in (x, y)]
    chosen = [k for k in (y, x) if k]
    fixed = ", ".join(where_text(at)) or "none"
    if not chosen and len(others) >= 3:
        raise NormsimDataError(
            f"{source}: the design has {len(others)} factors that vary ({', '.join(others)}; "
            f"--at: {fixed}); a map shows two: choose them with --x KEY --y KEY and fix the "
            f"others with --at KEY=VALUE", source)
    if len(chosen) == 2 and others or len(chosen) == 1 and len(others) > 1:
        raise NormsimDataError(
            f"{source}: factor(s) {', '.join(others)} also vary over the points selected "
            f"(--at: {fixed}); fix them with --at KEY=VALUE"
            + ("" if len(chosen) == 2 else " or choose the map's other axis with --x/--y"), source)
    if not chosen:
        if len(others) == 2:
            y, x = others
        elif len(others) == 1:
            x = others[0]
    elif x is None:  # y alone: the other varying factor along x, or a strip over y
        x, y = (others[0], y) if others else (y, None)
    elif y is None and others:
        y = others[0]
    # One point per cell (or per strip position).
    keys = [k for k in (x, y) if k]
    cells = {}
    for p in points:
        cell = tuple(design.factor(k).values[p] for k in keys)
        cells.setdefault(cell, []).append(int(p))
    crowded = next((c for c, ps in cells.items() if len(ps) > 1), None)
    if crowded is not None:
        where = ", ".join(f"{k}={design.factor(k).format_level(v)}" for k, v in zip(keys, crowded)) \
            or "the whole design"
        raise NormsimDataError(
            f"{source}: {len(cells[crowded])} design points fall on {where} (--at: {fixed}); "
            "select one point per cell with --at KEY=VALUE", source)
    return points, x, y


def _axes_for(claim, x, y, at):
    """(points, x key or None, y key or None) of one claim's panel. ``x``, ``y`` and ``at`` apply
    to the claims whose entries have those factors (a difference between norms has no
    norm.preset axis); the others ignore them."""
    d = claim.design
    if claim.scope != "points" or d.n_points <= 1:
        return np.arange(len(claim.interval)), None, None
    keys = d.factors()
    return _choose_axes(d, x if x in keys else None, y if y in keys else None,
                        [(k, v) for k, v in at if k in keys])


def _levels_at(f, points) -> list:
    """The factor's levels that occur at ``points``, in design order."""
    present = set(f.values[points].tolist())
    return [v for v in f.levels if v in present]


def _level_index(f, levels, value) -> int:
    if f.categorical:
        return levels.index(value)
    return int(np.argmin(np.abs(np.asarray(levels, dtype=float) - value)))


def _colors_of(labels):
    fallback = colormap("tab10")
    return [VERDICT_COLORS.get(v, fallback(i)) for i, v in enumerate(labels)]


def _draw_map(ax, claim, labels, points, xf, yf):
    xl, yl = _levels_at(xf, points), _levels_at(yf, points)
    verdict = np.full((len(yl), len(xl)), np.nan)
    estimate = np.full_like(verdict, np.nan)
    for p in points:
        iy, ix = _level_index(yf, yl, yf.values[p]), _level_index(xf, xl, xf.values[p])
        verdict[iy, ix] = claim.verdict[p]
        estimate[iy, ix] = claim.interval.estimate[p]
    colors = _colors_of(labels)
    cmap = ListedColormap(colors)
    cmap.set_bad("white")
    ax.imshow(np.ma.masked_invalid(verdict), cmap=cmap, vmin=-0.5, vmax=len(labels) - 0.5,
              origin="lower", aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(xl)), [xf.format_level(v) for v in xl],
                  rotation=30 if xf.categorical else 0, ha="right" if xf.categorical else "center")
    ax.set_yticks(range(len(yl)), [yf.format_level(v) for v in yl])
    ax.set_xticks(np.arange(-0.5, len(xl)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(yl)), minor=True)
    ax.grid(False)
    ax.grid(which="minor", color="white", lw=2, alpha=1)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel(xf.axis_label())
    ax.set_ylabel(yf.axis_label())
    if verdict.size <= 200:
        for (iy, ix), v in np.ndenumerate(verdict):
            if np.isfinite(v):
                e = estimate[iy, ix]
                ax.text(ix, iy, f"{e:.3g}" if np.isfinite(e) else "n/a", ha="center",
                        va="center", fontsize=8, color=text_color_on(colors[int(v)]))


def _claimed_line(ax, claim, vertical: bool):
    label = f"claimed value: {claim.quantity} {claim.compare} {claim.value:.4g}"
    (ax.axvline if vertical else ax.axhline)(claim.value, color="0.15", ls="--", lw=1.3,
                                             label=label, zorder=1)


def _draw_points(ax, claim, labels, rows, pos, vertical_bars: bool):
    """Estimates of the entries ``rows`` at positions ``pos`` with their intervals."""
    colors = _colors_of(labels)
    iv = claim.interval.take(rows)
    err = interval_errors(iv)
    codes = claim.verdict[rows]
    for k in sorted(set(codes.tolist())):
        m = codes == k
        if vertical_bars:
            ax.errorbar(pos[m], iv.estimate[m], yerr=err[:, m], fmt="o", color=colors[k], ms=7,
                        mec="0.2", capsize=4, lw=1.6, zorder=3)
        else:
            ax.errorbar(iv.estimate[m], pos[m], xerr=err[:, m], fmt="o", color=colors[k], ms=8,
                        mec="0.2", capsize=5, lw=2, zorder=3)


def _draw_strip(ax, claim, labels, points, xf):
    xl = _levels_at(xf, points)
    order = np.asarray(sorted(points, key=lambda p: _level_index(xf, xl, xf.values[p])))
    if xf.categorical:
        pos = np.asarray([xl.index(xf.values[p]) for p in order], dtype=float)
        ax.set_xticks(range(len(xl)), xl, rotation=30, ha="right")
        ax.set_xlabel(xf.axis_label())
        ax.set_xlim(-0.5, len(xl) - 0.5)
    else:
        pos = xf.values[order].astype(float)
        set_factor_axis(ax, xf, "x")
    ax.plot(pos, claim.interval.estimate[order], color="0.7", lw=1, zorder=2)
    _draw_points(ax, claim, labels, order, pos, vertical_bars=True)
    _claimed_line(ax, claim, vertical=False)
    ax.set_ylabel(claim.label())
    ax.legend(loc="best", fontsize=8, framealpha=0.9)


def _verdict_text(claim, labels, i) -> str:
    iv = claim.interval
    text = (f"{labels[claim.verdict[i]]}: {iv.estimate[i]:.3g} [{iv.low[i]:.3g}, "
            f"{iv.high[i]:.3g}], n = {int(claim.n[i])}")
    need = claim.n_needed[i]
    if need > 0:
        text += ", not decidable" if np.isinf(need) else f", n needed ≈ {need:.0f}"
    return text


def _draw_forest(ax, claim, labels, rows, row_names):
    rows = np.asarray(rows)
    pos = np.arange(len(rows))[::-1].astype(float)
    _draw_points(ax, claim, labels, rows, pos, vertical_bars=False)
    _claimed_line(ax, claim, vertical=True)
    iv = claim.interval.take(rows)
    ends = np.concatenate([iv.low, iv.high, iv.estimate, [claim.value]])
    ends = ends[np.isfinite(ends)]
    lo, hi = ends.min(), ends.max()
    pad = 0.12 * (hi - lo) if hi > lo else max(abs(hi), 1.0) * 0.1
    ax.set_xlim(lo - pad, hi + pad)
    mid = (lo + hi) / 2
    for yy, i in zip(pos, rows):
        e = claim.interval.estimate[i]
        left = not np.isfinite(e) or e <= mid
        ax.annotate(_verdict_text(claim, labels, i), (e if np.isfinite(e) else mid, yy),
                    xytext=(0, 10), textcoords="offset points", ha="left" if left else "right",
                    va="bottom", fontsize=8.5)
    ax.set_yticks(pos, row_names)
    ax.set_ylim(-0.6, len(rows) - 0.1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(claim.label())
    ax.legend(loc="lower right" if mid < claim.value else "lower left", fontsize=8,
              framealpha=0.9)


def _caption_line(c, labels, rows) -> str:
    codes = c.verdict[rows]
    counts = ", ".join(f"{np.sum(codes == k)} {v}" for k, v in enumerate(labels)
                       if np.sum(codes == k))
    n = c.n[rows].astype(float)
    text = f"{c.id}: {counts}; n = {n.min():.0f}" + (f"–{n.max():.0f}" if n.max() > n.min() else "")
    need = c.n_needed[rows][codes == labels.index("inconclusive")] \
        if "inconclusive" in labels else np.array([])
    finite = need[np.isfinite(need) & (need > 0)]
    if finite.size:
        text += (f"; inconclusive ones would likely be decided at n ≈ {finite.min():.0f}"
                 + (f"–{finite.max():.0f}" if finite.max() > finite.min() else ""))
    if np.isinf(need).any():
        text += f"; {int(np.isinf(need).sum())} not decidable"
    return text


@styled
def verdict_map(data, claims=None, x=None, y=None, at=None, save=None):
    """Where each claim holds, fails or is inconclusive: one panel per claim.

    Panels: a map over two design factors (``y`` rows, ``x`` columns) of the entries coloured by
    verdict (holds green, fails red, inconclusive grey), each cell showing the estimate; a strip
    over one factor (the estimate with its interval, the claimed value dashed); a forest (the
    estimate with its interval against the claimed value) for a claim about the whole design or
    a single point. With three or more varying factors choose the axes with ``x``, ``y`` and fix
    the others with ``at`` ({key: value} or ["KEY=VALUE", ...]); they apply to the claims whose
    entries have those factors.

    ``data``: the verdicts table of :func:`normsim.read_claims` (or ``normsim.check``) or a path;
    ``claims``: ids or ``a,b`` (default: all). ``save``: STEM to write STEM.png and STEM.svg.
    Returns the Figure. Raises :class:`~normsim.NormsimDataError` naming the file and what is
    missing or ambiguous."""
    at = parse_where(at, "--at")
    labels, chosen, prov = claims_of(data, names(claims) if claims else None)
    panels = []  # (claim, kind, height in inches, width in inches, points, x, y)
    for c in chosen:
        d = c.design
        points, px, py = _axes_for(c, x, y, at)
        if px and py:
            ny, nx = len(_levels_at(d.factor(py), points)), len(_levels_at(d.factor(px), points))
            ylab = max(len(d.factor(py).format_level(v)) for v in d.factor(py).levels)
            panels.append((c, "map", max(3.2, 1.9 + 0.45 * ny), 2.2 + 0.07 * ylab + 0.8 * nx,
                           points, px, py))
        elif px:
            panels.append((c, "strip", 4.0, 8.0, points, px, py))
        else:
            panels.append((c, "forest", 1.5 + 0.4 * len(points), 8.0, points, px, py))
    width = max(8.0, max(p[3] for p in panels))
    titles = [1 + len(textwrap.wrap(f"{c.id}: {c.statement}", max(40, int(width * 12))))
              for c, *_ in panels]
    heights = [p[2] + 0.2 * t for p, t in zip(panels, titles)]
    fig, axes = new_figure((width + 2.0, sum(heights) + 1.8), len(panels), 1,
                           gridspec_kw={"height_ratios": heights})
    for ax, (c, kind, _, _, points, px, py) in zip(axes[:, 0], panels):
        d = c.design
        if kind == "map":
            _draw_map(ax, c, labels, points, d.factor(px), d.factor(py))
        elif kind == "strip":
            _draw_strip(ax, c, labels, points, d.factor(px))
        elif c.scope == "points" and d.n_points > 1:
            shown = d.free_factors(np.arange(d.n_points))
            _draw_forest(ax, c, labels, points, [d.point_label(int(p), shown) for p in points])
        else:
            row_names = ["whole design"] if len(c.interval) == 1 else \
                [f"element {i}" for i in range(len(c.interval))]
            _draw_forest(ax, c, labels, np.arange(len(c.interval)), row_names)
        chars = max(40, int(width * 12))
        ax.set_title(textwrap.fill(f"{c.id}: {c.statement}", chars) + "\n" + c.claim_text(),
                     fontsize=10, loc="left")
    right = legend_right(fig, axes[0, 0], "verdict", handles=verdict_handles(labels))

    lines = ["colours: the verdict of each claim (normsim check); map cells: the estimate at "
             "the design point; bars: its confidence interval; dashed line: the claimed value"]
    lines += [_caption_line(c, labels, points) for c, _, _, _, points, _, _ in panels]
    if at:
        lines.append("--at " + " ".join(where_text(at)))
    caption = "\n".join(textwrap.fill(line, int((width + 2) * 13)) for line in lines)
    figure_labels(fig, prov, f"verdicts of {len(chosen)} claim(s)", caption)
    return done(fig, save, bottom_lines=2 + caption.count("\n"), right=right)
