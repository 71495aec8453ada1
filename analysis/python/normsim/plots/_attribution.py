"""Attribution bars: who explains the variance of each outcome (tables of normsim attribute)."""

from __future__ import annotations

import re
import textwrap
import warnings

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._errors import NormsimDataError
from .._schema import OUTCOMES
from ._common import done, figure_labels, interval_errors, legend_right, names, new_figure, styled
from ._data import tables_of

#: Table suffixes drawn (<outcome>.<suffix>); tables with other suffixes are skipped with a note.
KNOWN_SUFFIXES = ("shapley", "knockout")

#: Bar colours and legend texts of the indices.
INDEX_STYLE = {
    "first_order": ("first-order S", "#1f77b4"),
    "shapley": ("Shapley Sh", "#2ca02c"),
    "total": ("total ST", "#ff7f0e"),
    "share": ("variance share", "#9467bd"),
}

RESEARCHER = "researcher"


class AttributionNote(UserWarning):
    """A table of the attribution that the figure does not draw (the command line prints it as a
    note)."""


def _required(tables, source, name, alternatives):
    """Table ``name`` with the indices of the first complete alternative (tuples of measure
    names); an error naming the first missing dataset otherwise."""
    t = tables.get(name)
    if t is None:
        raise NormsimDataError(f"{source}: missing dataset /attribution/{name}/factor", source,
                               f"/attribution/{name}/factor")
    chosen = next((alt for alt in alternatives if all(k in t.indices for k in alt)),
                  alternatives[0])
    for k in chosen:
        if k not in t.indices:
            raise NormsimDataError(f"{source}: missing dataset /attribution/{name}/{k}/estimate",
                                   source, f"/attribution/{name}/{k}/estimate")
    return t


def _select(tables, all_names, source, wanted):
    """{outcome: {"main", "shapley", "knockout": Table or None}} for the outcomes ``wanted``
    (None: every outcome with a main table, in REFERENCE.md's order)."""
    main = [t for t in all_names if "." not in t]
    if not main:
        raise NormsimDataError(f"{source}: group /attribution holds no outcome table (tables: "
                               f"{', '.join(all_names) or 'none'})", source, "/attribution")
    if wanted is None:
        rank = {o: i for i, o in enumerate(OUTCOMES)}
        wanted = sorted(main, key=lambda o: (rank.get(o, len(rank)), o))
    else:
        for o in wanted:
            if o not in all_names:
                raise NormsimDataError(
                    f"{source}: missing dataset /attribution/{o}/factor (attribution tables of "
                    f"outcomes: {', '.join(main)})", source, f"/attribution/{o}/factor")
    out = {o: {"main": None, "shapley": None, "knockout": None} for o in wanted}
    for t in all_names:
        outcome, _, suffix = t.partition(".")
        if suffix and suffix not in KNOWN_SUFFIXES:
            warnings.warn(f"skipping table /attribution/{t} (tables '.{suffix}' are not drawn)",
                          AttributionNote, stacklevel=3)
            continue
        if outcome not in out:
            continue
        if not suffix:
            out[outcome]["main"] = _required(tables, source, t, [("first_order", "total"),
                                                                 ("share",)])
        elif suffix == "shapley":
            out[outcome]["shapley"] = _required(tables, source, t,
                                                [("first_order", "shapley", "total")])
        else:
            out[outcome]["knockout"] = _required(tables, source, t, [("knockout",)])
    return out


def _sort_key(table) -> str:
    """The index that orders the bars: total, else first_order, else the first one."""
    for k in ("total", "first_order", "shapley", "share"):
        if k in table.indices:
            return k
    return next(iter(table.indices))


def _hbars(ax, table, rows, columns, outcome: str) -> None:
    """Horizontal bars of ``columns`` (index names) for the factors ``rows`` (top to bottom)."""
    n, k = len(rows), len(columns)
    height = 0.8 / k
    y = np.arange(n)[::-1].astype(float)
    for j, col in enumerate(columns):
        label, color = INDEX_STYLE.get(col, (col, None))
        iv = table.indices[col].take(np.asarray(rows, dtype=int))
        ax.barh(y + ((k - 1) / 2 - j) * height, iv.estimate, height=height, color=color,
                label=label, xerr=interval_errors(iv),
                error_kw=dict(elinewidth=0.8, capsize=1.5, ecolor="0.2"))
    ax.set_yticks(y, [table.labels[i] for i in rows], fontsize=8)
    ax.set_ylim(-0.6, n - 0.4)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"share of variance of {outcome} (fraction)")


def _pct(level: float) -> str:
    return f"{100 * level:.3g} %"


def _empty_panel(ax, title: str, text: str) -> None:
    ax.set_title(title, fontsize=10)
    for spine in ax.spines.values():
        spine.set_color("0.8")
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10,
            color="0.35")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def _groups_panel(ax, table, outcome: str) -> None:
    rows = [i for i, kind in enumerate(table.kinds) if kind != RESEARCHER]
    title = f"{outcome}: groups\n(every factor but single researchers)"
    if not rows:
        _empty_panel(ax, title, "no group indices")
        return
    key = table.indices[_sort_key(table)].estimate
    rows.sort(key=lambda i: -np.nan_to_num(key[i], nan=-np.inf))
    columns = [c for c in ("first_order", "total") if c in table.indices] or list(table.indices)
    _hbars(ax, table, rows, columns, outcome)
    ax.set_title(title, fontsize=10)


def _shapley_panel(ax, table, outcome: str) -> None:
    title = f"{outcome}: Shapley effects"
    if table is None:
        _empty_panel(ax, title + "\n", f"no Shapley table\n(/attribution/{outcome}.shapley)")
        return
    key = table.indices["shapley"].estimate
    rows = sorted(range(len(table.labels)), key=lambda i: -np.nan_to_num(key[i], nan=-np.inf))
    _hbars(ax, table, rows, ["first_order", "shapley", "total"], outcome)
    ax.set_title(f"{title}\n({len(table.labels)} groups; sum of Sh: {np.nansum(key):.3g})",
                 fontsize=10)


def _researchers(table) -> list:
    return [i for i, kind in enumerate(table.kinds) if kind == RESEARCHER]


def _top_panel(ax, table, outcome: str, top: int) -> None:
    members = _researchers(table)
    if not members or "total" not in table.indices:
        _empty_panel(ax, f"{outcome}: top {top} researchers\n", "no per-researcher indices")
        return
    total = table.indices["total"].estimate
    members.sort(key=lambda i: -np.nan_to_num(total[i], nan=-np.inf))
    rows = members[:top]
    _hbars(ax, table, rows, ["first_order", "total"], outcome)
    ax.set_title(f"{outcome}: top {len(rows)} researchers by total index\n"
                 f"(of {len(members)} researchers with their own index)", fontsize=10)


def _cumulative_panel(ax, table, outcome: str) -> None:
    title = f"{outcome}: cumulative variance\nexplained by researchers"
    members = _researchers(table)
    if not members or "total" not in table.indices:
        _empty_panel(ax, title, "no per-researcher indices")
        return
    s = table.indices["first_order"].estimate[members]
    st = table.indices["total"].estimate[members]
    order = np.argsort(-np.nan_to_num(s, nan=-np.inf), kind="stable")
    m = np.arange(1, len(members) + 1)
    marker = "o" if len(members) <= 40 else None
    ax.plot(m, np.nancumsum(s[order]), color=INDEX_STYLE["first_order"][1], lw=1.8,
            marker=marker, ms=3, label="sum of first-order")
    ax.plot(m, np.nancumsum(st[order]), color=INDEX_STYLE["total"][1], lw=1.8, marker=marker,
            ms=3, label="sum of total")
    if "all researchers" in table.labels:
        g = table.labels.index("all researchers")
        iv = table.indices["first_order"].take([g])
        ax.axhline(iv.estimate[0], color="0.25", ls="--", lw=1.2,
                   label=f"all researchers (group): first-order {iv.estimate[0]:.3g}")
        if np.isfinite(iv.low[0]) and np.isfinite(iv.high[0]):
            ax.axhspan(iv.low[0], iv.high[0], color="0.5", alpha=0.15, lw=0,
                       label=f"its {_pct(table.confidence)} CI")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xlim(0.5, len(members) + 0.5)
    if len(members) <= 25:
        ax.set_xticks(m if len(members) <= 12 else m[::2])
    ax.set_xlabel("researchers (count),\nin decreasing order of first-order index")
    ax.set_ylabel(f"cumulative share of variance of {outcome} (fraction)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="best", fontsize=8, framealpha=0.9)


def _row_height(tables: dict, top: int) -> float:
    """Height (inches) of a row of panels, from the most bars any panel of the row draws."""
    main = tables["main"]
    groups = sum(1 for k in main.kinds if k != RESEARCHER)
    people = min(top, len(_researchers(main)))
    shap = 1.5 * len(tables["shapley"].labels) if tables["shapley"] else 0
    return max(3.6, 1.1 + 0.26 * max(groups, people, shap))


def _knockout_text(outcome: str, table, units: str) -> str:
    if table is None:
        return ""
    iv = table.indices["knockout"]
    parts = [f"{lab} {iv.estimate[i]:+.3g} [{iv.low[i]:+.3g}, {iv.high[i]:+.3g}]"
             for i, lab in enumerate(table.labels)]
    return f"{outcome}: " + "; ".join(parts) + f" {units}"


def _short(text: str) -> str:
    """An estimator description up to its first ';'."""
    return text.split(";")[0].strip()


@styled
def attribution_bars(data, outcomes=None, top=20, save=None):
    """Who explains the variance of each outcome: one row of panels per outcome.

    Panels: the first-order (S) and total (ST) Sobol index of every factor that is not a single
    researcher, largest total on top, with confidence intervals; the Shapley effects of the
    groups (when <outcome>.shapley exists); the ``top`` researchers by total index; the cumulative
    first-order and total indices of researchers against their number, with the first-order index
    of the group "all researchers" as reference. Knockout tables are written in the caption;
    tables of other kinds are skipped with an :class:`AttributionNote` warning.

    ``data``: the attribution table of :func:`normsim.read_attribution` (or
    ``normsim.attribute``) or a path; ``outcomes``: names or ``a,b,c`` (default: every outcome with
    a table). ``save``: STEM to write STEM.png and STEM.svg. Returns the Figure. Raises
    :class:`~normsim.NormsimDataError` naming the file and the missing table or index."""
    if top < 1:
        raise ValueError("top must be at least 1")
    tables_by_name, all_names, prov, source, units = tables_of(data)
    wanted = names(outcomes) if outcomes else None
    tables = _select(tables_by_name, all_names, source, wanted)
    for o in list(tables):
        if tables[o]["main"] is None:  # only a Shapley or knockout table for this outcome
            warnings.warn(f"no table /attribution/{o}; its other tables are not drawn",
                          AttributionNote, stacklevel=2)
            del tables[o]
    if not tables:
        raise NormsimDataError(f"{source}: missing dataset /attribution/<outcome>/factor", source,
                               "/attribution")
    outcomes = list(tables)
    with_shapley = any(t["shapley"] is not None for t in tables.values())
    with_people = any(_researchers(t["main"]) for t in tables.values())
    widths = [6.2] + ([5.6] if with_shapley else []) + ([6.6, 5.2] if with_people else [3.8, 3.8])
    heights = [_row_height(tables[o], top) for o in outcomes]
    fig, axes = new_figure((sum(widths), sum(heights) + 1.6), len(outcomes), len(widths),
                           gridspec_kw={"width_ratios": widths, "height_ratios": heights})
    for r, o in enumerate(outcomes):
        t = tables[o]
        c = 0
        _groups_panel(axes[r, c], t["main"], o)
        if with_shapley:
            c += 1
            _shapley_panel(axes[r, c], t["shapley"], o)
        _top_panel(axes[r, c + 1], t["main"], o, top)
        _cumulative_panel(axes[r, c + 2], t["main"], o)

    first = tables[outcomes[0]]["main"]
    legend_names = [f"{INDEX_STYLE[k][0].split()[-1]} = {_short(first.estimator[k]) or k}"
                    for k in ("first_order", "total", "share") if k in first.indices]
    shap = next((t["shapley"] for t in tables.values() if t["shapley"] is not None), None)
    if shap is not None:
        legend_names.append(f"Sh = {_short(shap.estimator['shapley']) or 'Shapley effect'}")
    ci = re.sub(r",\s*[0-9.]+\s*%$", "", first.ci.get(_sort_key(first), "")) or "interval"
    lines = [f"indices: shares of the outcome's variance; {', '.join(legend_names)}; error bars: "
             f"{_pct(first.confidence)} CI ({ci})"]
    if with_people:
        lines.append("researchers: only those with their own index (attribution.researchers); "
                     "cumulative sums in decreasing order of first-order index; dashed line: "
                     "the first-order index of the group of all researchers")
    ko = [_knockout_text(o, tables[o]["knockout"], units.get(o, "")) for o in outcomes]
    ko = [k for k in ko if k]
    if ko:
        lines.append("knockout (mean change of the outcome without the entity, paired runs, "
                     "Student-t CI): " + "; ".join(ko))
    lines.append("variance of the outcomes over the design: " + ", ".join(
        f"{o} {tables[o]['main'].variance:.4g}" + (f" ({units[o]})²" if units.get(o) else "")
        for o in outcomes))
    caption = "\n".join(textwrap.fill(line, int(sum(widths) * 14)) for line in lines)
    extra = []
    for kind in ("shapley", "knockout"):
        runs = sum(int(t[kind].runs) for t in tables.values() if t[kind] is not None)
        if runs:
            extra.append(f"{runs} {'Shapley' if kind == 'shapley' else 'knockout'} runs")
    counts = (f"{int(first.rows)} design rows, {int(first.runs)} runs"
              + (f" (+ {', '.join(extra)})" if extra else ""))
    figure_labels(fig, prov, f"variance attribution of {', '.join(outcomes)}", caption,
                  counts=counts)
    shown = [k for k in ("first_order", "shapley", "total", "share")
             if any(k in t["main"].indices or (t["shapley"] and k in t["shapley"].indices)
                    for t in tables.values())]
    handles = [Patch(facecolor=INDEX_STYLE[k][1], label=INDEX_STYLE[k][0]) for k in shown]
    handles.append(Line2D([], [], color="0.2", lw=0.8, marker="|", ms=6,
                          label=f"{_pct(first.confidence)} CI"))
    right = legend_right(fig, axes[0, 0], "indices", handles=handles)
    return done(fig, save, bottom_lines=2 + caption.count("\n"), right=right)
