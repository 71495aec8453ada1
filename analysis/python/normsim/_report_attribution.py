"""The attribution files of a check as the report summarises them (:mod:`normsim.report`)."""

from __future__ import annotations

import glob
import os
import re

import numpy as np

from ._h5 import NormsimFile
from ._report_claims import fmt_level
from ._report_text import ReportError, fmt_num, table

def attribution_files(check_file: str) -> list[tuple[int | None, str]]:
    """The attribution files normsim check wrote next to FILE.h5: (None, STEM.attribution.h5) for
    the whole design, (P, STEM.point-P.attribution.h5) per sweep point, in point order."""
    stem = os.path.splitext(check_file)[0]
    out = []
    if os.path.exists(stem + ".attribution.h5"):
        out.append((None, stem + ".attribution.h5"))
    points = []
    for path in glob.glob(glob.escape(stem) + ".point-*.attribution.h5"):
        m = re.search(r"\.point-(\d+)\.attribution\.h5$", path)
        if m:
            points.append((int(m.group(1)), path))
    return out + sorted(points)


def _open_attribution(path: str) -> NormsimFile:
    return NormsimFile(path, formats=None)


def shapley_tables(af: NormsimFile) -> list[str]:
    """Each /attribution/<outcome>.shapley table: groups × S, Sh, ST with intervals, and sums."""
    out = []
    names = {"first_order": "first-order S", "shapley": "Shapley Sh", "total": "total ST"}
    for name in sorted(af.require("attribution").keys()):
        if not name.endswith(".shapley"):
            continue
        path = f"attribution/{name}"
        labels = af.texts(f"{path}/factor", "labels")
        cols = {k: af.interval(f"{path}/{k}", len(labels)) for k in names if f"{path}/{k}" in af.h5}
        if not cols:
            raise ReportError(f"{af.path}: missing dataset /{path}/shapley (no index under the table)")
        rows = [[lab] + [f"{fmt_num(iv.estimate[i])} [{fmt_num(iv.low[i])}, {fmt_num(iv.high[i])}]"
                         for iv in cols.values()] for i, lab in enumerate(labels)]
        rows.append(["**sum**"] + [f"**{fmt_num(np.nansum(iv.estimate))}**" for iv in cols.values()])
        out += [f"#### {name.removesuffix('.shapley')}: first-order, Shapley and total indices", "",
                table(["factor or group"] + [names[k] for k in cols], rows), ""]
    return out


def outcome_tables(af: NormsimFile) -> list[str]:
    """The plain tables /attribution/<outcome> (not Shapley, not knockout)."""
    return [t for t in sorted(af.require("attribution").keys()) if "." not in t]


def group_row(af: NormsimFile, table_name: str) -> dict:
    """Per outcome table: the first-order and total index of every non-researcher factor, and the
    researchers' largest total index and the sum of their total indices."""
    path = f"attribution/{table_name}"
    labels = af.texts(f"{path}/factor", "labels")
    kinds = af.texts(f"{path}/factor", "kinds")
    s = af.interval(f"{path}/first_order", len(labels))
    st = af.interval(f"{path}/total", len(labels))
    res = [i for i, k in enumerate(kinds) if k == "researcher"]
    row = {"labels": labels, "kinds": kinds, "S": s, "ST": st, "researchers": len(res)}
    if res:
        top = max(res, key=lambda i: st.estimate[i] if np.isfinite(st.estimate[i]) else -np.inf)
        row["max_ST"] = (st.estimate[top], st.low[top], st.high[top], labels[top])
        row["sum_ST"] = float(np.nansum(st.estimate[res]))
        row["sum_S"] = float(np.nansum(s.estimate[res]))
    return row


def attribution_section(check_file: str, nf: NormsimFile) -> str:
    """What the attribution files of a check hold: for the whole design, every factor's and group's
    first-order and total index (and the Shapley tables); per point, the groups "all labs" and
    "all researchers" and the tracked researchers (largest total index, sums) per outcome."""
    files = attribution_files(check_file)
    if not files:
        return ""
    levels = set()
    for _, path in files:
        with _open_attribution(path) as af:
            for name, group in af.require("attribution").items():
                levels.add(float(group.attrs.get("confidence", 0.95)))
    shown = ", ".join(f"{100 * c:.4g} %" for c in sorted(levels)) or "n/a"
    out = ["Files: " + ", ".join(f"`{os.path.basename(p)}`" for _, p in files) + " (next to the "
           f"check's file). Intervals: percentile bootstrap, {shown} (attribution.confidence).", ""]
    design_level = [(p, path) for p, path in files if p is None]
    per_point = [(p, path) for p, path in files if p is not None]
    for _, path in design_level:
        with _open_attribution(path) as af:
            for t in outcome_tables(af):
                r = group_row(af, t)
                rows = [[lab, kind, f"{fmt_num(r['S'].estimate[i])} [{fmt_num(r['S'].low[i])}, "
                         f"{fmt_num(r['S'].high[i])}]", f"{fmt_num(r['ST'].estimate[i])} "
                         f"[{fmt_num(r['ST'].low[i])}, {fmt_num(r['ST'].high[i])}]"]
                        for i, (lab, kind) in enumerate(zip(r["labels"], r["kinds"]))
                        if kind != "researcher"]
                rows.sort(key=lambda x: x[1] != "parameter")
                out += [f"#### {t}: every factor and group", "",
                        f"<details><summary>{len(rows)} factors and groups</summary>", "",
                        table(["factor or group", "kind", "first-order S", "total ST"], rows), "",
                        "</details>", ""]
            sh = shapley_tables(af)
            if sh:
                out += ["The Shapley effects sum to 1 by construction (each interaction is shared "
                        "among the factors in it); the first-order indices of the same factors sum "
                        "to less than 1 (the interactions are left out) and the total indices to more "
                        "(each interaction is counted once per factor in it: double-counting).", ""]
                out += sh
    if per_point:
        factors = nf.design().factors()
        keys = list(factors)
        by_outcome: dict[str, list[list[str]]] = {}
        for p, path in per_point:
            if p >= nf.shape_of_runs()[0]:
                raise ReportError(f"{path}: point {p} is not a design point of {nf.path} "
                                  f"({nf.shape_of_runs()[0]} points)")
            where = [fmt_level(factors[k].values[p]) for k in keys]
            with _open_attribution(path) as af:
                for t in outcome_tables(af):
                    r = group_row(af, t)
                    idx = {lab: i for i, lab in enumerate(r["labels"])}
                    cells = []
                    for g in ("all labs", "all researchers"):
                        i = idx.get(g)
                        cells.append("—" if i is None else
                                     f"{fmt_num(r['ST'].estimate[i])} [{fmt_num(r['ST'].low[i])}, "
                                     f"{fmt_num(r['ST'].high[i])}]")
                    if "max_ST" in r:
                        e, lo, hi, lab = r["max_ST"]
                        cells += [f"{fmt_num(e)} [{fmt_num(lo)}, {fmt_num(hi)}]", lab,
                                  fmt_num(r["sum_ST"]), str(r["researchers"])]
                    else:
                        cells += ["—", "—", "—", "0"]
                    by_outcome.setdefault(t, []).append([str(p)] + where + cells)
        for t, rows in by_outcome.items():
            out += [f"#### {t}: one attribution per point", "",
                    table(["point"] + [f"`{k}`" for k in keys]
                          + ["ST all labs", "ST all researchers", "largest researcher ST",
                             "that researcher", "Σ ST of the tracked", "tracked"], rows), ""]
    return "\n".join(out)

