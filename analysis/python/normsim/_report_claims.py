"""The claims of a check file as the report shows them: the verdict table, and the map of a claim
evaluated at several points (:mod:`normsim.report`)."""

from __future__ import annotations

import tomllib

import numpy as np

from ._h5 import NormsimFile, text
from ._schema import VERDICTS
from ._report_text import (VERDICT_MARK, ReportError, fmt_count, fmt_num, json_num,
                           table)

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



class Claim:
    """One /claims/<id> group, read strictly."""

    def __init__(self, nf: NormsimFile, cid: str, spec: dict | None = None):
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
        # Written since family-wise maps and sequential checking (older files: fixed 95 % per point).
        self.entry_confidence = float(g.attrs.get("entry_confidence", self.confidence))
        self.guarantee = text(g.attrs["guarantee"]) if "guarantee" in g.attrs else \
            f"per point at {100 * self.confidence:.4g} %"
        self.mode = text(g.attrs.get("mode", "fixed"))
        self.prospect = nf.array(f"{path}/prospect", n).astype(int) if f"{path}/prospect" in nf.h5 \
            else np.full(n, -1)
        self.runs = nf.array(f"{path}/runs", n).astype(float) if f"{path}/runs" in nf.h5 \
            else np.full(n, np.nan)
        bad = [int(v) for v in self.verdict if v not in (0, 1, 2)]
        if bad:
            raise ReportError(f"{nf.path}: /{path}/verdict holds codes {sorted(set(bad))} "
                              "(expected 0 holds, 1 fails, 2 inconclusive)")
        self.entries = self._locate(nf, path, n)

    def _locate(self, nf: NormsimFile, path: str, n: int):
        """The design values of each entry: a DataFrame-like list of dicts, or None for one
        value without a map."""
        if f"{path}/design" in nf.h5:
            cols = {}
            for key, ds in nf.h5[f"{path}/design"].items():
                raw = nf.array(f"{path}/design/{key}", n)
                if "labels" in ds.attrs:
                    labels = [text(x) for x in np.atleast_1d(ds.attrs["labels"])]
                    cols[key] = [labels[int(c)] for c in raw]
                else:
                    cols[key] = [float(x) for x in raw]
            return [{k: cols[k][i] for k in cols} for i in range(n)]
        if self.scope == "design" or (n == 1 and not nf.design().factors()):
            return None
        if n == nf.shape_of_runs()[0]:
            factors = nf.design().factors()
            return [{k: (f.values[i] if f.categorical else float(f.values[i]))
                     for k, f in factors.items()} for i in range(n)]
        if n == 1:
            return None
        raise ReportError(
            f"{nf.path}: /{path} has {n} entries but neither /{path}/design nor one entry per design "
            f"point ({nf.shape_of_runs()[0]}): cannot tell which design values they belong to")

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

    def runs_text(self) -> str:
        """Model runs spent on the claim's entries (shared runs counted at each entry)."""
        return fmt_count(float(np.nansum(self.runs))) if np.isfinite(self.runs).any() else "—"

    def why_text(self, i: int) -> str:
        """Why an undecided entry stopped, "" for a decided one."""
        if self.verdict[i] != 2:
            return ""
        reasons = {1: "budget ran out" if self.mode == "sequential" else "more runs would likely decide it",
                   2: "beyond the budget", 3: "estimate on the value"}
        why = reasons.get(int(self.prospect[i]), "")
        need = fmt_count(self.n_needed[i])
        return f"{why}; n_needed {need}" if why else f"n_needed {need}"

    def summary(self) -> dict:
        """What the index table needs (JSON-serialisable)."""
        out = {"id": self.id, "statement": self.statement, "claim": self.claim_text(),
               "scope": self.scope, "map": self.is_map, "counts": self.counts(),
               "overall": self.overall()}
        if not self.is_map:
            out.update(verdict=self.label(0), estimate=json_num(self.estimate[0]),
                       low=json_num(self.low[0]), high=json_num(self.high[0]),
                       n=json_num(self.n[0]), n_needed=json_num(self.n_needed[0]))
        else:
            out.update(entries=len(self.estimate),
                       estimate_min=json_num(np.nanmin(self.estimate)) if np.isfinite(self.estimate).any() else None,
                       estimate_max=json_num(np.nanmax(self.estimate)) if np.isfinite(self.estimate).any() else None)
        return out



def claim_specs(nf: NormsimFile, resolved: str) -> list[tuple[str, dict | None]]:
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
                         if np.isfinite(c.n).any() else "—", c.runs_text(), c.guarantee])
        else:
            rows.append([f"`{c.id}`", c.statement, c.claim_text(), verdict_cell(c, 0),
                         fmt_num(c.estimate[0]),
                         f"{c.interval_text(0)} ({100 * c.entry_confidence:.4g} %)"
                         + (f"; {c.why_text(0)}" if c.why_text(0) else ""),
                         fmt_count(c.n[0]), c.runs_text(), c.guarantee])
    return rows


def map_section(c: Claim) -> str:
    """Summary of a claim's map: counts, verdicts per level of each factor, and the table."""
    keys = list(c.entries[0].keys()) if c.entries else []
    counts = c.counts()
    lines = [f"#### `{c.id}`: {c.statement}", "",
             f"Claim: {c.claim_text()} at each of {len(c.estimate)} points "
             f"({100 * c.entry_confidence:.4g} % intervals; {c.guarantee}; {c.runs_text()} runs). "
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
        rows.append([fmt_level(e[k]) for k in keys]
                    + [verdict_cell(c, i), fmt_num(c.estimate[i]), c.interval_text(i),
                       fmt_count(c.n[i]), fmt_count(c.runs[i]) if np.isfinite(c.runs[i]) else "—",
                       c.why_text(i)])
    t = table([f"`{k}`" for k in keys] + ["verdict", "estimate", f"{100 * c.entry_confidence:.4g} % interval",
                                          "n", "runs", "undecided because"], rows)
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

