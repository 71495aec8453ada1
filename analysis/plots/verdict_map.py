#!/usr/bin/python3
"""Verdict map: where each claim holds, fails or is inconclusive (a file of normsim check).

One panel per claim (/claims/<id>), titled with its id and statement:
  map     scope "points" over two design factors: a grid of the design points coloured by the
          verdict (holds green, fails red, inconclusive grey), each cell showing the estimate;
  strip   scope "points" over one factor: the estimate with its interval against the factor,
          points coloured by the verdict, the claimed value as a dashed line;
  forest  scope "design", or a single design point: the estimate with its interval, coloured by
          the verdict, against the claimed value.
With three or more factors choose the map's axes with --x and --y and fix the other factors with
--at KEY=VALUE (repeatable; it selects the points where the factor has that value).

Examples:
  /usr/bin/python3 analysis/plots/verdict_map.py check.h5 -o results/verdicts
  /usr/bin/python3 analysis/plots/verdict_map.py check.h5 --claims A3_xrisk --x research.spill_probability \\
      --y norm.preset --at researchers.talent_sigma=1 -o results/A3_map
"""

import argparse
import sys
import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

import normsim_h5 as nh

SCOPES = ("points", "design")


@dataclass
class Claim:
    """One claim /claims/<id> as normsim check writes it."""

    id: str
    statement: str
    quantity: str
    outcome: str
    compare: str
    value: float
    confidence: float
    scope: str
    interval: nh.Interval  # [P] (or [1] for scope "design")
    verdict: np.ndarray  # int codes into the verdict labels
    n: np.ndarray
    n_needed: np.ndarray
    units: str
    design: object = None  # the NormsimFile view whose factors are this claim's coordinates

    def label(self) -> str:
        """The quantity as an axis label, with its units."""
        return f"{self.quantity} ({self.units or 'dimensionless'})"

    def claim_text(self) -> str:
        return (f"claim: {self.quantity} {self.compare} {self.value:.4g} "
                f"({pct(self.confidence)} confidence; one verdict per "
                f"{'design point' if self.scope == 'points' else 'design'})")


def pct(level: float) -> str:
    return f"{100 * level:.3g} %"


def quantity_units(nf, path: str, quantity: str, outcome: str) -> str:
    """Units of a claim's quantity: its attribute ``units`` when the file has one; "fraction"
    for variance shares and indices, "probability" for P(...); else the outcome's units."""
    attrs = nf.h5[path].attrs
    if "units" in attrs:
        return nh._text(attrs["units"])
    q = quantity.lower()
    if any(w in q for w in ("index", "shapley", "share of variance", "variance share")):
        return "fraction"
    if q.startswith(("p(", "pr(", "probability")):
        return "probability"
    return nf.outcome_units(outcome)


def read_claims(nf, wanted):
    """(verdict labels, [Claim]) for the claims ``wanted`` (None: all, in file order)."""
    nf.require("claims", "not a file written by normsim check: it has no claims")
    labels = nf.texts("claims", "verdict_labels")
    ids = list(nf.h5["claims"])
    if not ids:
        raise nh.NormsimDataError(f"{nf.path}: group /claims holds no claim")
    if wanted is not None:
        for cid in wanted:
            nf.require(f"claims/{cid}", f"claims: {', '.join(ids)}")
        ids = wanted
    claims = []
    for cid in ids:
        base = f"claims/{cid}"
        scope = nf.text_attr(base, "scope")
        if scope not in SCOPES:
            raise nh.NormsimDataError(f"{nf.path}: attribute 'scope' of /{base} is {scope!r}, "
                                      f"expected {' or '.join(SCOPES)}")
        # A claim over the cells of a sweep (e.g. a difference between norms at each combination of
        # the other factors) has its own design table; the others are evaluated at /design's points.
        own = f"{base}/design" in nf.h5
        length = nf.n_points if scope == "points" and not own else None
        iv = nf.interval(base, length)
        design = nf.design_view(f"{base}/design", len(iv)) if own else nf
        verdict = nf.array(f"{base}/verdict", len(iv)).astype(int)
        bad = (verdict < 0) | (verdict >= len(labels))
        if bad.any():
            raise nh.NormsimDataError(
                f"{nf.path}: /{base}/verdict holds code {verdict[bad][0]}, not a code of "
                f"/claims attribute verdict_labels ({', '.join(labels)})")
        quantity, outcome = nf.text_attr(base, "quantity"), nf.text_attr(base, "outcome")
        claims.append(Claim(
            cid, nf.text_attr(base, "statement"), quantity, outcome, nf.text_attr(base, "compare"),
            nf.number_attr(base, "value"), nf.number_attr(base, "confidence"), scope, iv, verdict,
            nf.array(f"{base}/n", len(iv)), nf.array(f"{base}/n_needed", len(iv)).astype(float),
            quantity_units(nf, base, quantity, outcome), design))
    return labels, claims


def parse_args(argv=None):
    p = nh.base_parser(__doc__, "file written by normsim check (normsim check ... -o FILE.h5)")
    p.add_argument("--claims", help="comma-separated claim ids, one panel each (default: all)")
    p.add_argument("--x", metavar="KEY", help="design factor along the map's columns, or the "
                                              "strip's x axis (default: the second factor)")
    p.add_argument("--y", metavar="KEY", help="design factor along the map's rows "
                                              "(default: the first factor)")
    p.add_argument("--at", metavar="KEY=VALUE", action="append", default=[],
                   help="keep only the design points where factor KEY equals VALUE (repeatable)")
    return p.parse_args(argv)


def choose_axes(nf, args):
    """(points, x key or None, y key or None) of the panels of scope "points"."""
    at = nh.parse_where(args.at, "--at")
    points = nh.select_points(nf, at, "--at") if at else np.arange(nf.n_points)
    for key in (args.x, args.y):
        if key:
            nf.factor(key)
    if args.x and args.x == args.y:
        raise nh.NormsimDataError("--x and --y must be different factors")
    varying = nh.free_factors(nf, points, used=())
    chosen = [k for k in (args.y, args.x) if k]
    others = [k for k in varying if k not in chosen]
    fixed = ", ".join(args.at) if args.at else "none"
    if not chosen and len(others) >= 3:
        raise nh.NormsimDataError(
            f"{nf.path}: the design has {len(others)} factors that vary ({', '.join(others)}; "
            f"--at: {fixed}); a map shows two: choose them with --x KEY --y KEY and fix the "
            f"others with --at KEY=VALUE")
    if len(chosen) == 2 and others or len(chosen) == 1 and len(others) > 1:
        raise nh.NormsimDataError(
            f"{nf.path}: factor(s) {', '.join(others)} also vary over the points selected "
            f"(--at: {fixed}); fix them with --at KEY=VALUE"
            + ("" if len(chosen) == 2 else " or choose the map's other axis with --x/--y"))
    y, x = args.y, args.x
    if not chosen:
        if len(others) == 2:
            y, x = others
        elif len(others) == 1:
            x = others[0]
    elif x is None:  # --y alone: the other varying factor along x, or a strip over y
        x, y = (others[0], y) if others else (y, None)
    elif y is None and others:
        y = others[0]
    # One point per cell (or per strip position).
    keys = [k for k in (x, y) if k]
    cells = {}
    for p in points:
        cell = tuple(nf.factor(k).values[p] for k in keys)
        cells.setdefault(cell, []).append(int(p))
    crowded = next((c for c, ps in cells.items() if len(ps) > 1), None)
    if crowded is not None:
        where = ", ".join(f"{k}={nf.factor(k).format_level(v)}" for k, v in zip(keys, crowded)) \
            or "the whole design"
        raise nh.NormsimDataError(
            f"{nf.path}: {len(cells[crowded])} design points fall on {where} (--at: {fixed}); "
            "select one point per cell with --at KEY=VALUE")
    return points, x, y


def axes_for(claim, args):
    """(design view, points, x key or None, y key or None) of one claim's panel. --x, --y and --at
    apply to the claims whose coordinates have those factors (a difference between norms has no
    norm.preset axis); the others ignore them."""
    d = claim.design
    if claim.scope != "points" or d.n_points <= 1:
        return d, np.arange(len(claim.interval)), None, None
    keys = d.factors()
    own = argparse.Namespace(at=[a for a in args.at if a.split("=", 1)[0].strip() in keys],
                             x=args.x if args.x in keys else None, y=args.y if args.y in keys else None)
    points, x, y = choose_axes(d, own)
    return d, points, x, y


def levels_at(f: nh.Factor, points) -> list:
    """The factor's levels that occur at ``points``, in design order."""
    present = set(f.values[points].tolist())
    return [v for v in f.levels if v in present]


def level_index(f: nh.Factor, levels, value) -> int:
    if f.categorical:
        return levels.index(value)
    return int(np.argmin(np.abs(np.asarray(levels, dtype=float) - value)))


def set_title(ax, claim: Claim, width_in: float) -> None:
    chars = max(40, int(width_in * 12))
    ax.set_title(textwrap.fill(f"{claim.id}: {claim.statement}", chars) + "\n" + claim.claim_text(),
                 fontsize=10, loc="left")


def colors_of(labels):
    fallback = plt.get_cmap("tab10")
    return [nh.VERDICT_COLORS.get(v, fallback(i)) for i, v in enumerate(labels)]


def draw_map(ax, claim, labels, points, xf, yf):
    xl, yl = levels_at(xf, points), levels_at(yf, points)
    verdict = np.full((len(yl), len(xl)), np.nan)
    estimate = np.full_like(verdict, np.nan)
    for p in points:
        iy, ix = level_index(yf, yl, yf.values[p]), level_index(xf, xl, xf.values[p])
        verdict[iy, ix] = claim.verdict[p]
        estimate[iy, ix] = claim.interval.estimate[p]
    colors = colors_of(labels)
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
                        va="center", fontsize=8, color=nh.text_color_on(colors[int(v)]))


def claimed_line(ax, claim, vertical: bool):
    label = f"claimed value: {claim.quantity} {claim.compare} {claim.value:.4g}"
    (ax.axvline if vertical else ax.axhline)(claim.value, color="0.15", ls="--", lw=1.3,
                                             label=label, zorder=1)


def draw_points(ax, claim, labels, rows, pos, vertical_bars: bool):
    """Estimates of the elements ``rows`` at positions ``pos`` with their intervals."""
    colors = colors_of(labels)
    iv = claim.interval.take(rows)
    err = nh.interval_errors(iv)
    codes = claim.verdict[rows]
    for k in sorted(set(codes.tolist())):
        m = codes == k
        if vertical_bars:
            ax.errorbar(pos[m], iv.estimate[m], yerr=err[:, m], fmt="o", color=colors[k], ms=7,
                        mec="0.2", capsize=4, lw=1.6, zorder=3)
        else:
            ax.errorbar(iv.estimate[m], pos[m], xerr=err[:, m], fmt="o", color=colors[k], ms=8,
                        mec="0.2", capsize=5, lw=2, zorder=3)


def draw_strip(ax, claim, labels, points, xf):
    xl = levels_at(xf, points)
    order = np.asarray(sorted(points, key=lambda p: level_index(xf, xl, xf.values[p])))
    if xf.categorical:
        pos = np.asarray([xl.index(xf.values[p]) for p in order], dtype=float)
        ax.set_xticks(range(len(xl)), xl, rotation=30, ha="right")
        ax.set_xlabel(xf.axis_label())
        ax.set_xlim(-0.5, len(xl) - 0.5)
    else:
        pos = xf.values[order].astype(float)
        nh.set_factor_axis(ax, xf, "x")
    ax.plot(pos, claim.interval.estimate[order], color="0.7", lw=1, zorder=2)
    draw_points(ax, claim, labels, order, pos, vertical_bars=True)
    claimed_line(ax, claim, vertical=False)
    ax.set_ylabel(claim.label())
    ax.legend(loc="best", fontsize=8, framealpha=0.9)


def verdict_text(claim, labels, i) -> str:
    v = labels[claim.verdict[i]]
    iv = claim.interval
    text = f"{v}: {iv.estimate[i]:.3g} [{iv.low[i]:.3g}, {iv.high[i]:.3g}], n = {int(claim.n[i])}"
    need = claim.n_needed[i]
    if need > 0:
        text += ", not decidable" if np.isinf(need) else f", n needed ≈ {need:.0f}"
    return text


def draw_forest(ax, claim, labels, rows, names):
    rows = np.asarray(rows)
    pos = np.arange(len(rows))[::-1].astype(float)
    draw_points(ax, claim, labels, rows, pos, vertical_bars=False)
    claimed_line(ax, claim, vertical=True)
    iv = claim.interval.take(rows)
    ends = np.concatenate([iv.low, iv.high, iv.estimate, [claim.value]])
    ends = ends[np.isfinite(ends)]
    lo, hi = ends.min(), ends.max()
    pad = 0.12 * (hi - lo) if hi > lo else max(abs(hi), 1.0) * 0.1
    ax.set_xlim(lo - pad, hi + pad)
    mid = (lo + hi) / 2
    for y, i in zip(pos, rows):
        e = claim.interval.estimate[i]
        left = not np.isfinite(e) or e <= mid
        ax.annotate(verdict_text(claim, labels, i), (e if np.isfinite(e) else mid, y),
                    xytext=(0, 10), textcoords="offset points", ha="left" if left else "right",
                    va="bottom", fontsize=8.5)
    ax.set_yticks(pos, names)
    ax.set_ylim(-0.6, len(rows) - 0.1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(claim.label())
    ax.legend(loc="lower right" if mid < claim.value else "lower left", fontsize=8,
              framealpha=0.9)


def main(argv=None):
    args = parse_args(argv)
    with nh.NormsimFile(args.file, formats=None, require_outcomes=False) as nf:
        wanted = nh.split_list(args.claims) if args.claims else None
        labels, claims = read_claims(nf, wanted)
        panels = []  # (claim, kind, height in inches, width in inches, design, points, x, y)
        for c in claims:
            d, points, x, y = axes_for(c, args)
            if x and y:
                ny, nx = len(levels_at(d.factor(y), points)), len(levels_at(d.factor(x), points))
                ylab = max(len(d.factor(y).format_level(v)) for v in d.factor(y).levels)
                panels.append((c, "map", max(3.2, 1.9 + 0.45 * ny), 2.2 + 0.07 * ylab + 0.8 * nx, d, points, x, y))
            elif x:
                panels.append((c, "strip", 4.0, 8.0, d, points, x, y))
            else:
                panels.append((c, "forest", 1.5 + 0.4 * len(points), 8.0, d, points, x, y))
        width = max(8.0, max(p[3] for p in panels))
        titles = [1 + len(textwrap.wrap(f"{c.id}: {c.statement}", max(40, int(width * 12))))
                  for c, *_ in panels]
        heights = [p[2] + 0.2 * t for p, t in zip(panels, titles)]
        fig, axes = plt.subplots(len(panels), 1, squeeze=False, figsize=(width + 2.0, sum(heights) + 1.8),
                                 gridspec_kw={"height_ratios": heights})
        for ax, (c, kind, _, _, d, points, x, y) in zip(axes[:, 0], panels):
            if kind == "map":
                draw_map(ax, c, labels, points, d.factor(x), d.factor(y))
            elif kind == "strip":
                draw_strip(ax, c, labels, points, d.factor(x))
            elif c.scope == "points" and d.n_points > 1:
                shown = nh.free_factors(d, np.arange(d.n_points), used=())
                names = [d.point_label(int(p), shown) for p in points]
                draw_forest(ax, c, labels, points, names)
            else:
                names = ["whole design"] if len(c.interval) == 1 else \
                    [f"element {i}" for i in range(len(c.interval))]
                draw_forest(ax, c, labels, np.arange(len(c.interval)), names)
            set_title(ax, c, width)
        right = nh.legend_right(fig, axes[0, 0], "verdict", handles=nh.verdict_handles(labels))

        lines = ["colours: the verdict of each claim (normsim check); map cells: the estimate at "
                 "the design point; bars: its confidence interval; dashed line: the claimed value"]
        for c, kind, _, _, d, points, x, y in panels:
            rows = points
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
            lines.append(text)
        if args.at:
            lines.append("--at " + " ".join(args.at))
        caption = "\n".join(textwrap.fill(line, int((width + 2) * 13)) for line in lines)
        nh.new_figure_labels(fig, nf, f"verdicts of {len(claims)} claim(s)", caption)
        return nh.save_figure(fig, args.output, bottom_lines=2 + caption.count("\n"), right=right)


if __name__ == "__main__":
    nh.run_main(lambda: main(sys.argv[1:]))
