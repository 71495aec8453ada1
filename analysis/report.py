#!/usr/bin/python3
"""The Markdown report of one argument (a file of ``normsim check``), and the index of all of them.

  report.py FILE.h5 --scenario PATH --figures DIR -o report.md [--json claims.json]
  report.py --index A1.json A2.json ... -o results/README.md [--total-seconds S]

Run with Debian's ``/usr/bin/python3`` (python3-h5py, python3-numpy, python3-pandas); the
``python3`` first on PATH may be another interpreter.

The report of one argument holds: the title and the argument's text (the scenario file's header
comment), the verdict table of every claim (estimate, 95 % interval, n, and n_needed when
inconclusive; for a claim with one verdict per design point a summary of the map, verdicts per level
of each factor, and a table per point with the design values), the figures of DIR embedded with
links relative to the report, the scenario (path, and the resolved TOML of the file's
``scenario_resolved`` attribute in a collapsible block), the provenance (normsim version, git
commit, command line, host, threads) and the run time. With ``--json`` it also writes the claims'
verdicts in a small JSON file that ``--index`` gathers into the table of every argument.

The claims are read from ``/claims/<id>/{estimate, low, high, verdict, n, n_needed}`` with the
attributes statement, quantity, outcome, compare, value, confidence and scope ("points": one value
per entry of the map, "design": one value). The entries of a map are located by, in this order:
``/claims/<id>/design/<key>`` datasets (the factor values of each entry, categorical ones as level
codes with attribute ``labels``), or, when the claim has one entry per design point, ``/design``.

Strict: a dataset or attribute that is missing gives exit status 2 and a message naming the file
and the dataset. Tables of ``/attribution`` are summarised when present (Shapley tables with the
sums of their first-order, Shapley and total indices).
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import re
import sys
import tomllib

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plots"))
import normsim_h5 as nh  # noqa: E402  (read-only use of the plotting helpers)

VERDICTS = nh.VERDICTS
VERDICT_MARK = {"holds": "✅ holds", "fails": "❌ fails", "inconclusive": "❔ inconclusive"}
QUANTITY_TEXT = {
    "mean": "mean",
    "probability": "probability",
    "mean_difference": "paired mean difference",
    "norm_share": "variance share of the norm",
    "index": "index",
    "max_researcher_index": "largest per-researcher index",
    "top_researchers_sum": "sum of the largest per-researcher indices",
    "level_difference": "paired difference between levels",
    "index_sum": "sum of indices",
}
#: Claim attributes the report needs (each missing one is an error naming it).
CLAIM_ATTRS = ("statement", "quantity", "outcome", "compare", "value", "scope")
CLAIM_DATASETS = ("estimate", "low", "high", "verdict", "n", "n_needed")


class ReportError(Exception):
    """Input the report cannot be written from (names the file and what is missing)."""


# -- small formatting helpers ------------------------------------------------------------------
def fmt_num(x, digits: int = 4) -> str:
    """A number for a table: 4 significant digits, '—' for NaN, '∞' for inf."""
    if x is None:
        return "—"
    x = float(x)
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if 1e3 <= abs(x) < 1e7:  # 4 significant digits, written out: 20 290 rather than 2.029e+04
        r = round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))
        return f"{r:,.0f}".replace(",", " ").replace("-", "−")
    if abs(x) >= 1e7 or abs(x) < 1e-3:
        return f"{x:.{digits - 1}e}".replace("-", "−")
    return f"{x:.{digits}g}".replace("-", "−")


def fmt_count(x) -> str:
    x = float(x)
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞ (not decidable)"
    return f"{int(round(x)):,}".replace(",", " ")


def md_escape(text: str) -> str:
    """Text for a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def fmt_seconds(s: float) -> str:
    if not math.isfinite(s):
        return "unknown"
    if s < 90:
        return f"{s:.1f} s"
    return f"{s / 60:.1f} min ({s:.0f} s)"


def table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


# -- the scenario file's header ----------------------------------------------------------------
def read_header(path: str) -> tuple[str, list[str]]:
    """The scenario file's leading comment: (title = its first paragraph, the other lines)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as err:
        raise ReportError(f"{path}: cannot read the scenario file ({err.strerror})") from None
    header = []
    for line in lines:
        if line.startswith("#"):
            header.append(line[2:] if line[1:2] == " " else line[1:])
        elif line.strip() == "" and not header:
            continue
        else:
            break
    if not header or not header[0].strip():
        raise ReportError(f"{path}: the scenario file has no header comment (the argument's text)")
    end = next((i for i, l in enumerate(header) if not l.strip()), len(header))
    return " ".join(l.strip() for l in header[:end]), header[end:]


def header_markdown(lines: list[str]) -> str:
    """The header comment as Markdown: prose lines joined into paragraphs; indented lines (lists,
    aligned tables, continued commands) and command lines ("Run:") kept verbatim in text blocks."""
    blocks = []  # (verbatim?, lines)
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            blocks.append((False, []))
            continue
        verbatim = line.startswith("  ") or line.startswith("Run:")
        if blocks and blocks[-1][0] == verbatim and (blocks[-1][1] or verbatim):
            blocks[-1][1].append(line)
        else:
            blocks.append((verbatim, [line]))
    out = []
    for verbatim, block in blocks:
        if not block:
            continue
        if verbatim:
            out.append("```text\n" + "\n".join(block) + "\n```")
        else:
            out.append(" ".join(l.strip() for l in block))
    return "\n\n".join(out)


# -- claims ------------------------------------------------------------------------------------
class Claim:
    """One /claims/<id> group, read strictly."""

    def __init__(self, nf: nh.NormsimFile, cid: str, spec: dict | None = None):
        self.id = cid
        path = f"claims/{cid}"
        nf.require(path)
        for a in CLAIM_ATTRS:
            nf.text_attr(path, a)  # raises naming the attribute when absent
        self.statement = nf.text_attr(path, "statement")
        self.quantity = nf.text_attr(path, "quantity")
        self.outcome = nf.text_attr(path, "outcome")
        self.compare = nf.text_attr(path, "compare")
        self.value = nf.number_attr(path, "value")
        self.scope = nf.text_attr(path, "scope")
        g = nf.require(path)
        self.confidence = float(np.asarray(g.attrs["confidence"]).reshape(-1)[0]) \
            if "confidence" in g.attrs else 0.95
        # The quantity's own keys (norm, versus, norms, index, factor, k, above, below) are not
        # attributes of the group: they come from the claim's table in the resolved scenario.
        self.extra = {k: (", ".join(str(x) for x in v) if isinstance(v, list) else str(v))
                      for k, v in (spec or {}).items()
                      if k not in ("id", "statement", "quantity", "outcome", "compare", "value")}
        iv = nf.interval(path)
        n = len(iv)
        self.estimate, self.low, self.high = iv.estimate, iv.low, iv.high
        self.verdict = nf.array(f"{path}/verdict", n).astype(int)
        self.n = nf.array(f"{path}/n", n).astype(float)
        self.n_needed = nf.array(f"{path}/n_needed", n).astype(float)
        bad = [int(v) for v in self.verdict if v not in (0, 1, 2)]
        if bad:
            raise ReportError(f"{nf.path}: /{path}/verdict holds codes {sorted(set(bad))} "
                              "(expected 0 holds, 1 fails, 2 inconclusive)")
        self.entries = self._locate(nf, path, n)

    def _locate(self, nf: nh.NormsimFile, path: str, n: int):
        """The design values of each entry: a DataFrame-like list of dicts, or None for one
        value without a map."""
        if f"{path}/design" in nf.h5:
            cols = {}
            for key, ds in nf.h5[f"{path}/design"].items():
                raw = nf.array(f"{path}/design/{key}", n)
                if "labels" in ds.attrs:
                    labels = [nh._text(x) for x in np.atleast_1d(ds.attrs["labels"])]
                    cols[key] = [labels[int(c)] for c in raw]
                else:
                    cols[key] = [float(x) for x in raw]
            return [{k: cols[k][i] for k in cols} for i in range(n)]
        if self.scope == "design" or (n == 1 and not nf.factors()):
            return None
        if n == nf.n_points:
            factors = nf.factors()
            return [{k: (f.values[i] if f.categorical else float(f.values[i]))
                     for k, f in factors.items()} for i in range(n)]
        if n == 1:
            return None
        raise ReportError(
            f"{nf.path}: /{path} has {n} entries but neither /{path}/design nor one entry per design "
            f"point ({nf.n_points}): cannot tell which design values they belong to")

    @property
    def is_map(self) -> bool:
        return self.entries is not None and len(self.estimate) >= 1 and self.scope != "design"

    def label(self, i: int) -> str:
        return VERDICTS[self.verdict[i]]

    def counts(self) -> dict[str, int]:
        return {v: int(np.sum(self.verdict == k)) for k, v in enumerate(VERDICTS)}

    def overall(self) -> str:
        """The claim's verdict over all its entries, as normsim check's exit status reads it:
        fails if it fails at one entry, else inconclusive if it is inconclusive at one, else
        holds."""
        k = self.counts()
        return "fails" if k["fails"] else "inconclusive" if k["inconclusive"] else "holds"

    def claim_text(self) -> str:
        """quantity outcome compare value, e.g. 'paired mean difference of xrisk
        (hazard_specific − open) > 0'."""
        q = QUANTITY_TEXT.get(self.quantity, self.quantity)
        detail = ""
        x = self.extra
        if self.quantity == "mean_difference" and "norm" in x and "versus" in x:
            detail = f" ({x['norm']} − {x['versus']})"
        elif self.quantity == "probability":
            if "above" in x:
                detail = f" P({self.outcome} > {x['above']})"
            elif "below" in x:
                detail = f" P({self.outcome} < {x['below']})"
        elif self.quantity == "index_sum" and "factors" in x:
            detail = f" ({x.get('index', '?')} of {x['factors']})"
        elif self.quantity in ("index", "max_researcher_index", "top_researchers_sum"):
            parts = [x[k] for k in ("index",) if k in x]
            if "factor" in x:
                parts.append(f"of “{x['factor']}”")
            if "k" in x:
                parts.append(f"k = {x['k']}")
            detail = " (" + ", ".join(parts) + ")" if parts else ""
        elif self.quantity == "level_difference" and "level" in x and "baseline" in x:
            detail = f" ({x.get('factor', '?')}: {x['level']} − {x['baseline']})"
        elif self.quantity == "norm_share" and "norms" in x:
            detail = f" (over {x['norms']})"
        return f"{q} of {self.outcome}{detail} {self.compare} {fmt_num(self.value)}"

    def interval_text(self, i: int) -> str:
        return f"[{fmt_num(self.low[i])}, {fmt_num(self.high[i])}]"

    def summary(self) -> dict:
        """What the index table needs (JSON-serialisable)."""
        out = {"id": self.id, "statement": self.statement, "claim": self.claim_text(),
               "scope": self.scope, "map": self.is_map, "counts": self.counts(),
               "overall": self.overall()}
        if not self.is_map:
            out.update(verdict=self.label(0), estimate=_json_num(self.estimate[0]),
                       low=_json_num(self.low[0]), high=_json_num(self.high[0]),
                       n=_json_num(self.n[0]), n_needed=_json_num(self.n_needed[0]))
        else:
            out.update(entries=len(self.estimate),
                       estimate_min=_json_num(np.nanmin(self.estimate)) if np.isfinite(self.estimate).any() else None,
                       estimate_max=_json_num(np.nanmax(self.estimate)) if np.isfinite(self.estimate).any() else None)
        return out


def _json_num(x):
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def claim_specs(nf: nh.NormsimFile, resolved: str) -> list[tuple[str, dict | None]]:
    """(id, its [[claims]] table of the resolved scenario) in the scenario's order, then claims of
    the file that the scenario does not list (without a table)."""
    group = nf.require("claims", "the file was not written by normsim check")
    present = list(group.keys())
    try:
        doc = tomllib.loads(resolved)
    except tomllib.TOMLDecodeError as err:
        raise ReportError(f"{nf.path}: root attribute scenario_resolved is not TOML ({err})") from None
    specs = [(c.get("id"), c) for c in doc.get("claims", []) if c.get("id") in present]
    listed = {cid for cid, _ in specs}
    return specs + [(cid, None) for cid in present if cid not in listed]


def verdict_cell(c: Claim, i: int) -> str:
    return VERDICT_MARK[c.label(i)]


def single_rows(claims: list[Claim]) -> list[list[str]]:
    rows = []
    for c in claims:
        if c.is_map:
            counts = c.counts()
            total = len(c.estimate)
            est = f"{fmt_num(np.nanmin(c.estimate))} … {fmt_num(np.nanmax(c.estimate))}" \
                if np.isfinite(c.estimate).any() else "—"
            rows.append([f"`{c.id}`", c.statement, c.claim_text(),
                         f"{VERDICT_MARK[c.overall()]} overall — map of {total}: {counts['holds']} "
                         f"holds, {counts['fails']} fails, {counts['inconclusive']} inconclusive",
                         est, "(per point below)",
                         f"{fmt_count(np.nanmin(c.n))} … {fmt_count(np.nanmax(c.n))}"
                         if np.isfinite(c.n).any() else "—", ""])
        else:
            need = fmt_count(c.n_needed[0]) if c.verdict[0] == 2 else ""
            rows.append([f"`{c.id}`", c.statement, c.claim_text(), verdict_cell(c, 0),
                         fmt_num(c.estimate[0]), c.interval_text(0), fmt_count(c.n[0]), need])
    return rows


def map_section(c: Claim) -> str:
    """Summary of a claim's map: counts, verdicts per level of each factor, and the table."""
    keys = list(c.entries[0].keys()) if c.entries else []
    counts = c.counts()
    lines = [f"#### `{c.id}`: {c.statement}", "",
             f"Claim: {c.claim_text()} at each of {len(c.estimate)} points "
             f"({int(round(c.confidence * 100))} % intervals). "
             f"**{counts['holds']} hold, {counts['fails']} fail, {counts['inconclusive']} "
             "inconclusive.**"]
    if np.isfinite(c.estimate).any():
        lo, hi = int(np.nanargmin(c.estimate)), int(np.nanargmax(c.estimate))
        lines.append(f"Estimates range from {fmt_num(c.estimate[lo])} (at {point_text(c, lo)}) to "
                     f"{fmt_num(c.estimate[hi])} (at {point_text(c, hi)}).")
    # verdicts per level of each factor that varies
    by_level = []
    for k in keys:
        levels = []
        for e in c.entries:
            if e[k] not in levels:
                levels.append(e[k])
        if len(levels) < 2 or len(levels) > 12:
            continue
        cells = []
        for lv in levels:
            idx = [i for i, e in enumerate(c.entries) if e[k] == lv]
            v = c.verdict[idx]
            cells.append(f"{fmt_level(lv)}: {int(np.sum(v == 0))}/{int(np.sum(v == 1))}/"
                         f"{int(np.sum(v == 2))}")
        by_level.append([f"`{k}`", "; ".join(cells)])
    if by_level and len(keys) >= 2:
        lines += ["", "Verdicts per level (holds/fails/inconclusive):", "",
                  table(["factor", "levels"], by_level)]
    rows = []
    for i, e in enumerate(c.entries):
        need = fmt_count(c.n_needed[i]) if c.verdict[i] == 2 else ""
        rows.append([fmt_level(e[k]) for k in keys]
                    + [verdict_cell(c, i), fmt_num(c.estimate[i]), c.interval_text(i),
                       fmt_count(c.n[i]), need])
    t = table([f"`{k}`" for k in keys] + ["verdict", "estimate", "95 % interval", "n", "n_needed"],
              rows)
    if len(rows) <= 8:
        lines += ["", t]
    else:
        lines += ["", f"<details><summary>The {len(rows)} points of <code>{c.id}</code></summary>",
                  "", t, "", "</details>"]
    return "\n".join(lines)


def fmt_level(v) -> str:
    return fmt_num(v) if isinstance(v, (float, np.floating)) else str(v)


def point_text(c: Claim, i: int) -> str:
    e = c.entries[i]
    return ", ".join(f"{k} = {fmt_level(v)}" for k, v in e.items()) or "the scenario"


# -- attribution -------------------------------------------------------------------------------
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


def _open_attribution(path: str) -> nh.NormsimFile:
    return nh.NormsimFile(path, formats=None, require_outcomes=False)


def shapley_tables(af: nh.NormsimFile) -> list[str]:
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


def outcome_tables(af: nh.NormsimFile) -> list[str]:
    """The plain tables /attribution/<outcome> (not Shapley, not knockout)."""
    return [t for t in sorted(af.require("attribution").keys()) if "." not in t]


def group_row(af: nh.NormsimFile, table_name: str) -> dict:
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


def attribution_section(check_file: str, nf: nh.NormsimFile) -> str:
    """What the attribution files of a check hold: for the whole design, every factor's and group's
    first-order and total index (and the Shapley tables); per point, the groups "all labs" and
    "all researchers" and the tracked researchers (largest total index, sums) per outcome."""
    files = attribution_files(check_file)
    if not files:
        return ""
    out = ["Files: " + ", ".join(f"`{os.path.basename(p)}`" for _, p in files) + " (next to the "
           "check's file). Intervals: percentile bootstrap, 95 %.", ""]
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
        factors = nf.factors()
        keys = list(factors)
        by_outcome: dict[str, list[list[str]]] = {}
        for p, path in per_point:
            if p >= nf.n_points:
                raise ReportError(f"{path}: point {p} is not a design point of {nf.path} "
                                  f"({nf.n_points} points)")
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


# -- figures -----------------------------------------------------------------------------------
def figures_section(fig_dir: str, report_path: str) -> str:
    if not fig_dir:
        return ""
    if not os.path.isdir(fig_dir):
        raise ReportError(f"{fig_dir}: no such figures directory")
    pngs = sorted(glob.glob(os.path.join(fig_dir, "**", "*.png"), recursive=True))
    if not pngs:
        return "_No figures were made for this argument._"
    base = os.path.dirname(os.path.abspath(report_path))
    out = []
    for p in pngs:
        rel = os.path.relpath(os.path.abspath(p), base).replace(os.sep, "/")
        stem = os.path.splitext(os.path.basename(p))[0]
        svg = os.path.splitext(rel)[0] + ".svg"
        link = f" ([SVG]({svg}))" if os.path.exists(os.path.splitext(p)[0] + ".svg") else ""
        out.append(f"**{stem}**{link}\n\n![{stem}]({rel})\n")
    return "\n".join(out)


# -- the report --------------------------------------------------------------------------------
def write_report(args) -> dict:
    title, header = read_header(args.scenario)
    with nh.NormsimFile(args.file, require_outcomes=False) as nf:
        for a in ("normsim_version", "git_commit", "scenario_resolved"):
            nf.text_attr("/", a)
        resolved = nf.text_attr("/", "scenario_resolved")
        specs = claim_specs(nf, resolved)
        if not specs:
            raise ReportError(f"{args.file}: /claims holds no claim")
        claims = [Claim(nf, cid, spec) for cid, spec in specs]
        attrs = {k: nf.attr(k, "") for k in ("normsim_version", "git_commit", "command_line",
                                              "scenario_file", "host", "start_time", "end_time",
                                              "build_type", "compiler")}
        wall_runs = float(nf.h5.attrs["wall_seconds"]) if "wall_seconds" in nf.h5.attrs else float("nan")
        walls = [wall_runs]
        for _, path in attribution_files(args.file):
            with _open_attribution(path) as af:
                walls.append(float(af.h5.attrs["wall_seconds"]) if "wall_seconds" in af.h5.attrs
                             else float("nan"))
        wall = float(sum(walls))
        threads = nf.h5.attrs.get("threads", "")
        complete = nf.complete
        counts_runs = (f"{nf.n_points} design point(s) × {nf.n_replicates} replicates"
                       if "outcomes" in nf.h5 else "")
        attribution = attribution_section(args.file, nf)

    parts = [f"# {title}", "", header_markdown(header), "", "## Verdicts", ""]
    parts.append(
        "A claim **holds** when its 95 % interval lies entirely on the claimed side of the value, "
        "**fails** when it lies entirely on the other side, and is **inconclusive** otherwise "
        "(n_needed: the sample size that would likely decide it; ∞ when the estimate sits on the "
        "value). A claim evaluated at several points (a map) holds overall when it holds at every "
        "point, fails when it fails at one, and is inconclusive otherwise (the rule of normsim "
        "check's exit status).")
    parts += ["", table(["id", "statement", "claim", "verdict", "estimate", "95 % interval", "n",
                         "n_needed"], single_rows(claims)), ""]
    maps = [c for c in claims if c.is_map]
    if maps:
        parts += ["### Claims with one verdict per point", ""]
        for c in maps:
            parts += [map_section(c), ""]
    if attribution:
        parts += ["## Attribution", "", attribution, ""]
    figs = figures_section(args.figures, args.output)
    if figs:
        parts += ["## Figures", "", figs, ""]
    parts += ["## Scenario and provenance", ""]
    scen_rel = os.path.relpath(os.path.abspath(args.scenario),
                               os.path.dirname(os.path.abspath(args.output))).replace(os.sep, "/")
    prov = [
        ["scenario file", f"[{args.scenario}]({scen_rel}) (as recorded: `{attrs['scenario_file']}`)"],
        ["normsim", f"{attrs['normsim_version']} ({attrs['build_type']}, {attrs['compiler']})"],
        ["git commit", f"`{attrs['git_commit']}`"],
        ["command", f"`{attrs['command_line']}`"],
        ["run time", f"{fmt_seconds(wall)} on {threads} thread(s), host {attrs['host']}"
                     + (f" (the runs {fmt_seconds(walls[0])}, {len(walls) - 1} attribution(s) "
                        f"{fmt_seconds(sum(walls[1:]))})" if len(walls) > 1 else "")
                     + (f"; started {attrs['start_time']}" if attrs['start_time'] else "")],
    ]
    if counts_runs:
        prov.append(["runs", counts_runs])
    if not complete:
        prov.append(["warning", "**the file is incomplete (root attribute complete = 0)**"])
    parts += [table(["", ""], prov), "",
              "<details><summary>The scenario as run (resolved: defaults and overrides included)"
              "</summary>", "", "```toml", resolved.rstrip(), "```", "", "</details>", ""]
    text = "\n".join(parts)
    d = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(d, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    summary = {"title": title, "scenario": args.scenario,
               "scenario_path": os.path.abspath(args.scenario), "report": os.path.abspath(args.output),
               "normsim_version": attrs["normsim_version"], "git_commit": attrs["git_commit"],
               "wall_seconds": _json_num(wall), "claims": [c.summary() for c in claims]}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
    return summary


# -- the index of every argument ---------------------------------------------------------------
def write_index(args) -> None:
    files = args.index
    for path in files:
        if not os.path.exists(path):
            raise ReportError(f"{path}: no such file (write it with report.py FILE.h5 ... --json)")
    base = os.path.dirname(os.path.abspath(args.output))
    rows, sections, total = [], [], 0.0
    commits = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        commits.add((s["normsim_version"], s["git_commit"]))
        rel = os.path.relpath(s["report"], base).replace(os.sep, "/")
        if s.get("wall_seconds") is not None:
            total += s["wall_seconds"]
        name = os.path.splitext(os.path.basename(path))[0]
        if name == "claims":
            name = os.path.basename(os.path.dirname(path))
        for c in s["claims"]:
            if c["map"]:
                k = c["counts"]
                verdict = (f"{VERDICT_MARK[c['overall']]} overall — map of {c['entries']}: "
                           f"{k['holds']} holds, {k['fails']} fails, {k['inconclusive']} inconclusive")
                est = (f"{fmt_num(c['estimate_min'])} … {fmt_num(c['estimate_max'])}"
                       if c.get("estimate_min") is not None else "—")
                interval = ""
            else:
                verdict = VERDICT_MARK[c["verdict"]]
                est = fmt_num(_num(c["estimate"]))
                interval = f"[{fmt_num(_num(c['low']))}, {fmt_num(_num(c['high']))}]"
                if c["verdict"] == "inconclusive":
                    interval += f"; n_needed {fmt_count(_num(c['n_needed']))}"
            rows.append([f"[{name}]({rel})", f"`{c['id']}`", c["statement"], verdict, est, interval])
        sections.append(f"- [{s['title']}]({rel}) — scenario "
                        f"[`{s['scenario']}`]({os.path.relpath(s['scenario_path'], base)}), "
                        f"run time {fmt_seconds(s['wall_seconds'] if s['wall_seconds'] is not None else float('nan'))}")
    parts = ["# Results: the arguments of docs/arguments.md, checked", "",
             "Generated by `scripts/results` (do not edit by hand): for each argument A1–A6 it runs "
             "`normsim check scenarios/A?_*.toml` into `build/results/A?.h5` (kept out of git), "
             "draws the figures and writes the report `results/A?/report.md`. A claim **holds** when "
             "its 95 % interval lies on the claimed side of its value, **fails** when it lies on the "
             "other side, and is **inconclusive** otherwise; a claim evaluated at every point of a "
             "sweep gives a map, summarised by its counts of points (the report has the map).", "",
             "## Verdicts", "",
             table(["argument", "id", "statement", "verdict", "estimate", "95 % interval"], rows), "",
             "## Reports", "", "\n".join(sections), ""]
    versions = "; ".join(f"normsim {v}, commit `{c}`" for v, c in sorted(commits))
    line = (f"Built with {versions}. Time of the checks (runs and attributions, wall time): "
            f"{fmt_seconds(total)}")
    if args.total_seconds is not None:
        line += f"; the whole pipeline (runs, figures, reports): {fmt_seconds(args.total_seconds)}"
    parts += [line + ".", ""]
    with open(args.output, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


def _num(x):
    if x is None:
        return float("nan")
    if x == "inf":
        return float("inf")
    if x == "-inf":
        return float("-inf")
    return float(x)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("file", nargs="?", metavar="FILE.h5", help="output of normsim check")
    p.add_argument("--scenario", help="the scenario file (its header comment is the argument)")
    p.add_argument("--figures", default="", help="directory of the figures (PNG, with SVG beside)")
    p.add_argument("-o", "--output", required=True, help="the Markdown file to write")
    p.add_argument("--json", help="also write the claims' verdicts as JSON (for --index)")
    p.add_argument("--index", metavar="FILE.json", nargs="+",
                   help="write the table of every argument from these --json files")
    p.add_argument("--total-seconds", type=float, help="with --index: the pipeline's total time")
    args = p.parse_args(argv)
    prog = os.path.basename(sys.argv[0])
    try:
        if args.index:
            write_index(args)
        else:
            if not args.file or not args.scenario:
                p.error("FILE.h5 and --scenario are required (or --index)")
            write_report(args)
    except (ReportError, nh.NormsimDataError) as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 2
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
