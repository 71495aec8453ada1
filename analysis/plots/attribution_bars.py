#!/usr/bin/python3
"""Attribution bars: who explains the variance of each outcome (a file of normsim attribute).

One row of panels per outcome:
  groups        first-order (S) and total (ST) Sobol index of every factor that is not a single
                researcher (all labs, all researchers, each lab's stream and researchers, each lab,
                custom groups, ...), largest total index on top, with their confidence intervals;
  Shapley       (when the file has <outcome>.shapley) S, Shapley effect Sh and ST of its groups;
  top K         the K researchers with the largest total index, S and ST with intervals;
  cumulative    researchers in decreasing order of first-order index: the sum of the first-order
                and of the total indices of the first m researchers against m, with the
                first-order index of the group "all researchers" as a reference line (the gap
                between that group and the sum of its members' first-order indices is the part
                that only shows in interactions).
Knockout tables (<outcome>.knockout: the mean change of the outcome without an entity) are
written in the caption; tables of other kinds are skipped with a note on stderr.

Examples:
  normsim attribute scenarios/attribution_talent_field.toml -o talent_attr.h5
  /usr/bin/python3 analysis/plots/attribution_bars.py talent_attr.h5 -o results/talent_attr
  /usr/bin/python3 analysis/plots/attribution_bars.py attr.h5 --outcomes xrisk --top 10 -o xrisk_attr
"""

import os
import re
import sys
import textwrap
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np

import normsim_h5 as nh

#: Table suffixes this script draws (<outcome>.<suffix>); other suffixes are skipped with a note.
KNOWN_SUFFIXES = ("shapley", "knockout")

#: Bar colours and legend texts of the indices.
INDEX_STYLE = {
    "first_order": ("first-order S", "#1f77b4"),
    "shapley": ("Shapley Sh", "#2ca02c"),
    "total": ("total ST", "#ff7f0e"),
    "share": ("variance share", "#9467bd"),
}

RESEARCHER = "researcher"


@dataclass
class Table:
    """One table /attribution/<name>: factors (labels, kinds), indices and table attributes."""

    name: str
    labels: list
    kinds: list
    indices: dict  # index name -> nh.Interval
    rows: float
    runs: float
    variance: float
    confidence: float
    ci: dict = field(default_factory=dict)  # index name -> text of attribute `ci`
    estimator: dict = field(default_factory=dict)  # index name -> text of attribute `estimator`


def read_table(nf, name: str, required) -> Table:
    """Table /attribution/<name> with the indices ``required`` (a list of alternatives: tuples of
    index names, the first complete one is used; errors name the first missing dataset)."""
    base = f"attribution/{name}"
    nf.require(f"{base}/factor")
    labels = nf.texts(f"{base}/factor", "labels")
    kinds = nf.texts(f"{base}/factor", "kinds")
    n = nf.array(f"{base}/factor").shape[0]
    if len(labels) != n or len(kinds) != n:
        raise nh.NormsimDataError(
            f"{nf.path}: /{base}/factor has {n} factors but {len(labels)} labels and "
            f"{len(kinds)} kinds")
    present = [k for k in nf.h5[base] if k != "factor"]
    chosen = next((alt for alt in required if all(k in present for k in alt)), required[0])
    indices, ci, estimator = {}, {}, {}
    for k in list(chosen) + [k for k in present if k not in chosen]:
        if k not in chosen and not all(f"{base}/{k}/{d}" in nf.h5 for d in ("estimate", "low", "high")):
            continue  # an extra, unknown column: not drawn
        indices[k] = nf.interval(f"{base}/{k}", n)
        attrs = nf.h5[f"{base}/{k}"].attrs
        ci[k] = nh._text(attrs.get("ci", ""))
        estimator[k] = nh._text(attrs.get("estimator", ""))
    return Table(name, labels, kinds, indices,
                 rows=nf.number_attr(base, "rows"), runs=nf.number_attr(base, "runs"),
                 variance=nf.number_attr(base, "variance"),
                 confidence=nf.number_attr(base, "confidence"), ci=ci, estimator=estimator)


def read_attribution(nf, wanted):
    """{outcome: {"main": Table, "shapley": Table | None, "knockout": Table | None}} for the
    outcomes ``wanted`` (None: every outcome with a main table), in REFERENCE.md's order."""
    nf.require("attribution", "not a file written by normsim attribute: it has no attribution "
                              "tables; run normsim attribute SCENARIO -o FILE.h5")
    names = list(nf.h5["attribution"])
    main = [t for t in names if "." not in t]
    if not main:
        raise nh.NormsimDataError(f"{nf.path}: group /attribution holds no outcome table "
                                  f"(tables: {', '.join(names) or 'none'})")
    prog = os.path.basename(sys.argv[0])
    if wanted is None:
        rank = {o: i for i, o in enumerate(nh.OUTCOMES)}
        wanted = sorted(main, key=lambda o: (rank.get(o, len(rank)), o))
    else:
        for o in wanted:
            nf.require(f"attribution/{o}/factor",
                       f"attribution tables of outcomes: {', '.join(main)}")
    out = {o: {"main": None, "shapley": None, "knockout": None} for o in wanted}
    for t in names:
        outcome, _, suffix = t.partition(".")
        if suffix and suffix not in KNOWN_SUFFIXES:
            print(f"{prog}: note: skipping table /attribution/{t} (tables '.{suffix}' are not drawn)",
                  file=sys.stderr)
            continue
        if outcome not in out:
            continue
        if not suffix:
            out[outcome]["main"] = read_table(nf, t, [("first_order", "total"), ("share",)])
        elif suffix == "shapley":
            out[outcome]["shapley"] = read_table(nf, t, [("first_order", "shapley", "total")])
        else:
            out[outcome]["knockout"] = read_table(nf, t, [("knockout",)])
    return out


def parse_args(argv=None):
    p = nh.base_parser(__doc__, "file written by normsim attribute (normsim attribute ... -o FILE.h5)")
    p.add_argument("--outcomes", help="comma-separated outcomes, one row of panels each "
                                      "(default: every outcome with an attribution table)")
    p.add_argument("--top", type=int, default=20, metavar="K",
                   help="researchers shown in the 'top K researchers' panel (default: %(default)s)")
    args = p.parse_args(argv)
    if args.top < 1:
        p.error("--top must be at least 1")
    return args


def sort_key(table: Table) -> str:
    """The index that orders the bars: total, else first_order, else the first one."""
    for k in ("total", "first_order", "shapley", "share"):
        if k in table.indices:
            return k
    return next(iter(table.indices))


def hbars(ax, table: Table, rows, columns, outcome: str) -> None:
    """Horizontal bars of ``columns`` (index names) for the factors ``rows`` (top to bottom)."""
    n, k = len(rows), len(columns)
    height = 0.8 / k
    y = np.arange(n)[::-1].astype(float)
    for j, col in enumerate(columns):
        label, color = INDEX_STYLE.get(col, (col, None))
        iv = table.indices[col].take(np.asarray(rows, dtype=int))
        ax.barh(y + ((k - 1) / 2 - j) * height, iv.estimate, height=height, color=color,
                label=label, xerr=nh.interval_errors(iv),
                error_kw=dict(elinewidth=0.8, capsize=1.5, ecolor="0.2"))
    ax.set_yticks(y, [table.labels[i] for i in rows], fontsize=8)
    ax.set_ylim(-0.6, n - 0.4)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"share of variance of {outcome} (fraction)")


def set_title(ax, title: str) -> None:
    """A panel title (two lines at most: the outcome and what the panel shows, then details)."""
    ax.set_title(title, fontsize=10)


def pct(level: float) -> str:
    """A confidence level as "95 %"."""
    return f"{100 * level:.3g} %"


def empty_panel(ax, title: str, text: str) -> None:
    set_title(ax, title)
    for spine in ax.spines.values():
        spine.set_color("0.8")
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, fontsize=10,
            color="0.35")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def groups_panel(ax, table: Table, outcome: str) -> None:
    rows = [i for i, kind in enumerate(table.kinds) if kind != RESEARCHER]
    title = f"{outcome}: groups\n(every factor but single researchers)"
    if not rows:
        empty_panel(ax, title, "no group indices")
        return
    key = table.indices[sort_key(table)].estimate
    rows.sort(key=lambda i: -np.nan_to_num(key[i], nan=-np.inf))
    columns = [c for c in ("first_order", "total") if c in table.indices] or list(table.indices)
    hbars(ax, table, rows, columns, outcome)
    set_title(ax, title)


def shapley_panel(ax, table: Table | None, outcome: str) -> None:
    title = f"{outcome}: Shapley effects"
    if table is None:
        empty_panel(ax, title + "\n", f"no Shapley table\n(/attribution/{outcome}.shapley)")
        return
    key = table.indices["shapley"].estimate
    rows = sorted(range(len(table.labels)), key=lambda i: -np.nan_to_num(key[i], nan=-np.inf))
    hbars(ax, table, rows, ["first_order", "shapley", "total"], outcome)
    total = np.nansum(key)
    set_title(ax, f"{title}\n({len(table.labels)} groups; sum of Sh: {total:.3g})")


def researchers(table: Table) -> list:
    return [i for i, kind in enumerate(table.kinds) if kind == RESEARCHER]


def top_panel(ax, table: Table, outcome: str, top: int) -> None:
    members = researchers(table)
    if not members or "total" not in table.indices:
        empty_panel(ax, f"{outcome}: top {top} researchers\n", "no per-researcher indices")
        return
    total = table.indices["total"].estimate
    members.sort(key=lambda i: -np.nan_to_num(total[i], nan=-np.inf))
    rows = members[:top]
    hbars(ax, table, rows, ["first_order", "total"], outcome)
    set_title(ax, f"{outcome}: top {len(rows)} researchers by total index\n"
                  f"(of {len(members)} researchers with their own index)")


def cumulative_panel(ax, table: Table, outcome: str) -> None:
    title = f"{outcome}: cumulative variance\nexplained by researchers"
    members = researchers(table)
    if not members or "total" not in table.indices:
        empty_panel(ax, title, "no per-researcher indices")
        return
    s = table.indices["first_order"].estimate[members]
    st = table.indices["total"].estimate[members]
    order = np.argsort(-np.nan_to_num(s, nan=-np.inf), kind="stable")
    m = np.arange(1, len(members) + 1)
    marker = "o" if len(members) <= 40 else None
    ax.plot(m, np.nancumsum(s[order]), color=INDEX_STYLE["first_order"][1], lw=1.8, marker=marker,
            ms=3, label="sum of first-order")
    ax.plot(m, np.nancumsum(st[order]), color=INDEX_STYLE["total"][1], lw=1.8, marker=marker,
            ms=3, label="sum of total")
    if "all researchers" in table.labels:
        g = table.labels.index("all researchers")
        iv = table.indices["first_order"].take([g])
        ax.axhline(iv.estimate[0], color="0.25", ls="--", lw=1.2,
                   label=f"all researchers (group): first-order {iv.estimate[0]:.3g}")
        if np.isfinite(iv.low[0]) and np.isfinite(iv.high[0]):
            ax.axhspan(iv.low[0], iv.high[0], color="0.5", alpha=0.15, lw=0,
                       label=f"its {pct(table.confidence)} CI")
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_xlim(0.5, len(members) + 0.5)
    if len(members) <= 25:
        ax.set_xticks(m if len(members) <= 12 else m[::2])
    ax.set_xlabel("researchers (count),\nin decreasing order of first-order index")
    ax.set_ylabel(f"cumulative share of variance of {outcome} (fraction)")
    set_title(ax, title)
    ax.legend(loc="best", fontsize=8, framealpha=0.9)


def row_height(tables: dict, top: int) -> float:
    """Height (inches) of a row of panels, from the most bars any panel of the row draws."""
    main = tables["main"]
    groups = sum(1 for k in main.kinds if k != RESEARCHER)
    people = min(top, len(researchers(main)))
    shap = 1.5 * len(tables["shapley"].labels) if tables["shapley"] else 0
    return max(3.6, 1.1 + 0.26 * max(groups, people, shap))


def knockout_text(outcome: str, table: Table | None, units: str) -> str:
    if table is None:
        return ""
    iv = table.indices["knockout"]
    parts = [f"{lab} {iv.estimate[i]:+.3g} [{iv.low[i]:+.3g}, {iv.high[i]:+.3g}]"
             for i, lab in enumerate(table.labels)]
    return f"{outcome}: " + "; ".join(parts) + f" {units}"


def short(text: str) -> str:
    """An estimator description up to its first ';'."""
    return text.split(";")[0].strip()


def main(argv=None):
    args = parse_args(argv)
    with nh.NormsimFile(args.file) as nf:
        wanted = nh.split_list(args.outcomes) if args.outcomes else None
        tables = read_attribution(nf, wanted)
        prog = os.path.basename(sys.argv[0])
        for o in list(tables):
            if tables[o]["main"] is None:  # only a Shapley or knockout table for this outcome
                print(f"{prog}: note: no table /attribution/{o}; its other tables are not drawn",
                      file=sys.stderr)
                del tables[o]
        if not tables:
            raise nh.NormsimDataError(f"{nf.path}: missing dataset /attribution/<outcome>/factor")
        outcomes = list(tables)
        with_shapley = any(t["shapley"] is not None for t in tables.values())
        with_people = any(researchers(t["main"]) for t in tables.values())
        widths = [6.2] + ([5.6] if with_shapley else []) + ([6.6, 5.2] if with_people else [3.8, 3.8])
        heights = [row_height(tables[o], args.top) for o in outcomes]
        fig, axes = plt.subplots(len(outcomes), len(widths), squeeze=False,
                                 figsize=(sum(widths), sum(heights) + 1.6),
                                 gridspec_kw={"width_ratios": widths, "height_ratios": heights})
        for r, o in enumerate(outcomes):
            t = tables[o]
            c = 0
            groups_panel(axes[r, c], t["main"], o)
            if with_shapley:
                c += 1
                shapley_panel(axes[r, c], t["shapley"], o)
            top_panel(axes[r, c + 1], t["main"], o, args.top)
            cumulative_panel(axes[r, c + 2], t["main"], o)

        first = tables[outcomes[0]]["main"]
        names = [f"{INDEX_STYLE[k][0].split()[-1]} = {short(first.estimator[k]) or k}"
                 for k in ("first_order", "total", "share") if k in first.indices]
        shap = next((t["shapley"] for t in tables.values() if t["shapley"] is not None), None)
        if shap is not None:
            names.append(f"Sh = {short(shap.estimator['shapley']) or 'Shapley effect'}")
        ci = re.sub(r",\s*[0-9.]+\s*%$", "", first.ci.get(sort_key(first), "")) or "interval"
        lines = [f"indices: shares of the outcome's variance; {', '.join(names)}; error bars: "
                 f"{pct(first.confidence)} CI ({ci})"]
        if with_people:
            lines.append("researchers: only those with their own index (attribution.researchers); "
                         "cumulative sums in decreasing order of first-order index; dashed line: "
                         "the first-order index of the group of all researchers")
        ko = [knockout_text(o, tables[o]["knockout"], nf.outcome_units(o)) for o in outcomes]
        ko = [k for k in ko if k]
        if ko:
            lines.append("knockout (mean change of the outcome without the entity, paired runs, "
                         "Student-t CI): " + "; ".join(ko))
        lines.append("variance of the outcomes over the design: " + ", ".join(
            f"{o} {tables[o]['main'].variance:.4g}"
            + (f" ({nf.outcome_units(o)})²" if nf.outcome_units(o) else "")
            for o in outcomes))
        width_chars = int(sum(widths) * 14)
        caption = "\n".join(textwrap.fill(line, width_chars) for line in lines)
        extra = []
        for kind in ("shapley", "knockout"):
            runs = sum(int(t[kind].runs) for t in tables.values() if t[kind] is not None)
            if runs:
                extra.append(f"{runs} {'Shapley' if kind == 'shapley' else 'knockout'} runs")
        counts = (f"{int(first.rows)} design rows, {int(first.runs)} runs"
                  + (f" (+ {', '.join(extra)})" if extra else ""))
        nh.new_figure_labels(fig, nf, f"variance attribution of {', '.join(outcomes)}", caption,
                             counts=counts)
        from matplotlib.patches import Patch
        shown = [k for k in ("first_order", "shapley", "total", "share")
                 if any(k in t["main"].indices or (t["shapley"] and k in t["shapley"].indices)
                        for t in tables.values())]
        handles = [Patch(facecolor=INDEX_STYLE[k][1], label=INDEX_STYLE[k][0]) for k in shown]
        handles.append(plt.Line2D([], [], color="0.2", lw=0.8, marker="|", ms=6,
                                  label=f"{pct(first.confidence)} CI"))
        right = nh.legend_right(fig, axes[0, 0], "indices", handles=handles)
        return nh.save_figure(fig, args.output, bottom_lines=2 + caption.count("\n"), right=right)


if __name__ == "__main__":
    nh.run_main(lambda: main(sys.argv[1:]))
