"""The tables of claims (/claims, normsim check) and of attribution (/attribution, normsim
attribute) as tidy pandas DataFrames; see :mod:`normsim.io` for their columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._design import Design
from ._errors import NormsimDataError
from ._h5 import NormsimFile, text
from ._schema import OUTCOME_UNITS

SCOPES = ("points", "design")

#: The columns of a claims table after the design factors, and the claim's own columns.
CLAIM_VALUES = ("verdict", "estimate", "low", "high", "n", "n_needed", "prospect", "runs")
CLAIM_COLUMNS = ("statement", "quantity", "outcome", "compare", "value", "confidence",
                 "entry_confidence", "error", "mode", "looks", "guarantee", "scope", "units", "estimator")
#: Why an entry stopped (/claims/<id>/prospect), by code.
PROSPECTS = ("decided", "more_runs", "beyond_budget", "on_value")

#: The columns of an attribution table.
ATTRIBUTION_COLUMNS = ("outcome", "table", "analysis", "factor", "kind", "position", "measure",
                       "estimate", "low", "high", "estimator", "ci", "rows", "runs", "variance",
                       "confidence")


def _provenance(nf: NormsimFile) -> dict:
    attrs = nf.root_attrs()
    attrs["path"] = nf.path
    p, r = nf.shape_of_runs()
    attrs["n_points"], attrs["n_replicates"] = int(p), int(r)
    return attrs


def quantity_units(nf: NormsimFile, path: str, quantity: str, outcome: str) -> str:
    """Units of a claim's quantity: its attribute ``units`` when the file has one; "fraction"
    for variance shares and indices, "probability" for P(...); else the outcome's units."""
    attrs = nf.h5[path].attrs
    if "units" in attrs:
        return text(attrs["units"])
    q = quantity.lower()
    if any(w in q for w in ("index", "shapley", "share of variance", "variance share")):
        return "fraction"
    if q.startswith(("p(", "pr(", "probability")):
        return "probability"
    if f"outcomes/{outcome}" in nf.h5:
        return text(nf.h5[f"outcomes/{outcome}"].attrs.get("units", ""))
    return OUTCOME_UNITS.get(outcome, "")


def read_claims(path) -> pd.DataFrame:
    """The claims of a file of ``normsim check``: one row per claim and entry.

    Columns: ``claim``, ``entry`` (0 … E−1 within the claim), one column per design factor of the
    entries (labels as ``pandas.Categorical``, numbers as float; missing for a claim about the whole
    design), ``verdict`` (categorical: holds, fails, inconclusive), ``estimate``, ``low``, ``high``,
    ``n``, ``n_needed``, ``prospect`` (categorical: decided, more_runs, beyond_budget, on_value: why
    an entry stopped), ``runs`` (model runs spent on it), then the claim's ``statement``,
    ``quantity``, ``outcome``, ``compare``, ``value``, ``confidence`` (1 − α of the whole claim),
    ``entry_confidence`` (level of each entry's interval), ``error`` (family_wise or per_point),
    ``mode`` (fixed or sequential), ``looks``, ``guarantee`` (in words), ``scope`` ("points" or
    "design"), ``units``, ``estimator``. Files of versions before these existed give NaN / "".
    ``attrs``: the provenance, ``verdict_labels`` and ``factors`` (key → kind, units, scale,
    labels). A claim's entries are located by /claims/<id>/design, else by /design (one entry per
    design point)."""
    with NormsimFile(path, formats=None) as nf:
        nf.require("claims", "not a file written by normsim check: it has no claims")
        labels = nf.texts("claims", "verdict_labels")
        ids = list(nf.h5["claims"])
        if not ids:
            raise NormsimDataError(f"{nf.path}: group /claims holds no claim", nf.path, "/claims")
        n_points = nf.shape_of_runs()[0]
        frames, factors = [], {}
        for cid in ids:
            frame, design = _read_claim(nf, cid, labels, n_points)
            frames.append(frame)
            for key, f in design.factors().items():
                meta = factors.setdefault(key, {"kind": "categorical" if f.categorical else
                                                "numeric", "units": f.units, "scale": f.scale,
                                                "labels": []})
                if f.categorical:
                    meta["labels"] += [x for x in f.levels if x not in meta["labels"]]
        df = pd.concat(frames, ignore_index=True)
        keys = list(factors)
        for key, meta in factors.items():
            if meta["kind"] == "categorical":
                df[key] = pd.Categorical(df[key], categories=meta["labels"])
            else:
                df[key] = df[key].astype(float)
                del meta["labels"]
        df["verdict"] = pd.Categorical.from_codes(df["verdict"].to_numpy(), categories=labels)
        df["prospect"] = pd.Categorical.from_codes(df["prospect"].to_numpy(), categories=list(PROSPECTS))
        df = df[["claim", "entry"] + keys + list(CLAIM_VALUES) + list(CLAIM_COLUMNS)]
        df.attrs.update(_provenance(nf))
        df.attrs["verdict_labels"] = labels
        df.attrs["factors"] = factors
        return df


def _read_claim(nf: NormsimFile, cid: str, labels: list, n_points: int):
    """(DataFrame of one claim's entries, its Design)."""
    base = f"claims/{cid}"
    scope = nf.text_attr(base, "scope")
    if scope not in SCOPES:
        raise NormsimDataError(f"{nf.path}: attribute 'scope' of /{base} is {scope!r}, expected "
                               f"{' or '.join(SCOPES)}", nf.path, f"/{base}")
    # A claim over the cells of a sweep (e.g. a difference between norms at each combination of the
    # other factors) has its own design table; the others are evaluated at /design's points.
    own = f"{base}/design" in nf.h5
    iv = nf.interval(base, n_points if scope == "points" and not own else None)
    n = len(iv)
    if own:
        design = nf.design(f"{base}/design", n)
    elif scope == "points":
        design = nf.design()
    else:
        design = Design({}, n, nf.path, f"{base}/design", nf.scenario_name)
    verdict = nf.array(f"{base}/verdict", n).astype(np.int64)
    bad = (verdict < 0) | (verdict >= len(labels))
    if bad.any():
        raise NormsimDataError(
            f"{nf.path}: /{base}/verdict holds code {verdict[bad][0]}, not a code of /claims "
            f"attribute verdict_labels ({', '.join(labels)})", nf.path, f"/{base}/verdict")
    quantity, outcome = nf.text_attr(base, "quantity"), nf.text_attr(base, "outcome")
    attrs = nf.h5[base].attrs
    # Datasets and attributes added with family-wise maps and sequential checking (older files: -1 / NaN).
    prospect = (nf.array(f"{base}/prospect", n).astype(np.int64) if f"{base}/prospect" in nf.h5
                else np.full(n, -1, dtype=np.int64))
    runs = nf.array(f"{base}/runs", n).astype(float) if f"{base}/runs" in nf.h5 else np.full(n, np.nan)
    columns = {"claim": [cid] * n, "entry": np.arange(n)}
    for key, f in design.factors().items():
        columns[key] = f.values
    columns.update(
        verdict=verdict, estimate=iv.estimate, low=iv.low, high=iv.high,
        n=nf.array(f"{base}/n", n).astype(np.int64),
        n_needed=nf.array(f"{base}/n_needed", n).astype(float), prospect=prospect, runs=runs,
        statement=nf.text_attr(base, "statement"), quantity=quantity, outcome=outcome,
        compare=nf.text_attr(base, "compare"), value=nf.number_attr(base, "value"),
        confidence=nf.number_attr(base, "confidence"),
        entry_confidence=float(attrs.get("entry_confidence", np.nan)),
        error=text(attrs.get("error", "")), mode=text(attrs.get("mode", "")),
        looks=float(attrs.get("looks", np.nan)), guarantee=text(attrs.get("guarantee", "")), scope=scope,
        units=quantity_units(nf, base, quantity, outcome),
        estimator=text(nf.h5[base].attrs.get("estimator", "")))
    return pd.DataFrame(columns), design


def read_attribution(path) -> pd.DataFrame:
    """The attribution tables of a file of ``normsim attribute``: one row per table, factor (or
    group) and index.

    Columns: ``outcome``, ``table`` (/attribution/<table>: the outcome, or <outcome>.shapley,
    <outcome>.knockout), ``analysis`` ("main", or the suffix: "shapley", "knockout"), ``factor``
    (its label), ``kind`` (group, lab, researcher, ...), ``position`` (its code in the table),
    ``measure`` (first_order, total, shapley, share or knockout), ``estimate``, ``low``, ``high``,
    ``estimator``, ``ci``, and the table's ``rows``, ``runs``, ``variance``, ``confidence``.
    ``attrs``: the provenance, ``tables`` (every table's name, in file order) and
    ``outcome_units``."""
    with NormsimFile(path, formats=None) as nf:
        group = nf.require("attribution", "not a file written by normsim attribute: it has no "
                                          "attribution tables; run normsim attribute SCENARIO -o "
                                          "FILE.h5")
        tables = list(group)
        if not tables:
            raise NormsimDataError(f"{nf.path}: group /attribution holds no table", nf.path,
                                   "/attribution")
        frames = [_read_table(nf, t) for t in tables]
        df = pd.concat(frames, ignore_index=True)[list(ATTRIBUTION_COLUMNS)]
        df.attrs.update(_provenance(nf))
        df.attrs["tables"] = tables
        units = dict(OUTCOME_UNITS)
        if "outcomes" in nf.h5:
            units.update({k: text(v.attrs.get("units", "")) for k, v in nf.h5["outcomes"].items()})
        df.attrs["outcome_units"] = units
        return df


def _read_table(nf: NormsimFile, name: str) -> pd.DataFrame:
    base = f"attribution/{name}"
    labels = nf.texts(f"{base}/factor", "labels")
    kinds = nf.texts(f"{base}/factor", "kinds")
    g = len(nf.array(f"{base}/factor"))
    if len(labels) != g or len(kinds) != g:
        raise NormsimDataError(f"{nf.path}: /{base}/factor has {g} factors but {len(labels)} "
                               f"labels and {len(kinds)} kinds", nf.path, f"/{base}/factor")
    table = {k: nf.number_attr(base, k) for k in ("rows", "runs", "variance", "confidence")}
    outcome, _, suffix = name.partition(".")
    frames = []
    for measure, obj in nf.h5[base].items():
        if measure == "factor" or not hasattr(obj, "keys"):
            continue  # only groups hold an index (estimate, low, high)
        iv = nf.interval(f"{base}/{measure}", g)
        frames.append(pd.DataFrame({
            "outcome": outcome, "table": name, "analysis": suffix or "main", "factor": labels,
            "kind": kinds, "position": np.arange(g), "measure": measure,
            "estimate": iv.estimate, "low": iv.low, "high": iv.high,
            "estimator": text(obj.attrs.get("estimator", "")), "ci": text(obj.attrs.get("ci", "")),
            **table}))
    if not frames:
        return pd.DataFrame({c: [] for c in ATTRIBUTION_COLUMNS})
    return pd.concat(frames, ignore_index=True)
