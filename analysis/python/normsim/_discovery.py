"""Scenario discovery (/discovery/<claim>, normsim discover) as tidy pandas DataFrames; see
:func:`read_discovery`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._errors import NormsimDataError
from ._h5 import NormsimFile, attributes

#: Sides of a restriction (/discovery/<claim>/<box>/restrictions/side), by code.
SIDES = ("low", "high", "levels")
#: Kinds of an assumption (/discovery/<claim>/dimensions/kind), by code.
KINDS = ("numeric", "categorical")
#: The columns of each table of a :class:`Discovery` (after the design factors, for ``points``).
COLUMNS = {
    "points": ("claim", "point", "estimate", "low", "high", "verdict", "interest", "n"),
    "dimensions": ("claim", "dimension", "name", "kind", "scale", "low", "high", "levels"),
    "boxes": ("claim", "box", "accepted", "stage", "coverage", "density", "mass", "p_value", "null_density",
              "similarity", "stage_base_rate", "n_points", "resamples", "chosen_step", "stage_points",
              "description", "dropped"),
    "restrictions": ("claim", "box", "dimension", "name", "side", "limit", "levels", "quasi_p", "frequency",
                     "limit_mean", "limit_sd", "text"),
    "limits": ("claim", "box", "dimension", "name", "kind", "scale", "range_low", "range_high", "low", "high",
               "levels", "restricted"),
    "trajectory": ("claim", "box", "step", "coverage", "density", "mass", "n_points", "n_restricted", "chosen"),
    "stability": ("claim", "box", "dimension", "name", "side", "frequency", "limit_mean", "limit_sd"),
}


@dataclass
class Discovery:
    """What ``normsim discover`` found, one table per aspect; every table has a ``claim`` column
    (a file may hold several claims' discoveries) and boxes are named as in the file: ``box_1``,
    ``box_2``, … (accepted, in covering order) and ``rejected`` (the box that stopped the covering).

    - ``points``: one row per design point: claim, point, the assumptions (categorical as
      ``pandas.Categorical``), estimate, low, high, verdict (categorical: holds, fails,
      inconclusive), interest (1 where the claim fails at its estimate), n.
    - ``dimensions``: one row per assumption: claim, dimension (its index), name, kind, scale
      (linear, log; "" for categorical), low, high (its range; NaN for categorical), levels (tuple of
      level names; empty for numeric).
    - ``boxes``: one row per box: claim, box, accepted, stage, coverage, density, mass, n_points,
      p_value, null_density, similarity, resamples, chosen_step, stage_points, stage_base_rate,
      description (its restrictions in words, joined by " and "), dropped (restrictions the
      resolution pass removed).
    - ``restrictions``: one row per restriction of a box: claim, box, dimension, name, side (low,
      high, levels), limit, levels (tuple of admitted level names; empty for numeric), quasi_p,
      frequency, limit_mean, limit_sd, text.
    - ``limits``: one row per box and assumption: claim, box, dimension, name, kind, scale,
      range_low, range_high, low, high, levels (admitted level names), restricted (bool).
    - ``trajectory``: one row per box and peeling step: claim, box, step, coverage, density, mass,
      n_points, n_restricted, chosen (the step the rule picked).
    - ``stability``: one row per box, assumption and side: claim, box, dimension, name, side,
      frequency (share of bootstrap resamples restricting it), limit_mean, limit_sd.
    - ``attrs``: the file's provenance (``path`` and the root attributes) and ``claims``: per claim
      the group's attributes (statement, quantity, value, base_rate, stop_reason, PRIM's settings…).

    Numeric limits are in the assumption's units; for a log-scale assumption PRIM searched ln x,
    limit_mean is the geometric mean and limit_sd the sd of ln(limit).
    """

    points: pd.DataFrame
    dimensions: pd.DataFrame
    boxes: pd.DataFrame
    restrictions: pd.DataFrame
    limits: pd.DataFrame
    trajectory: pd.DataFrame
    stability: pd.DataFrame
    attrs: dict = field(default_factory=dict)

    def claims(self) -> list:
        """The claims of the discovery, in file order."""
        return list(self.attrs.get("claims", {}))


def _levels(mask: int, names) -> tuple:
    return tuple(n for k, n in enumerate(names) if int(mask) >> k & 1)


def _box(nf: NormsimFile, base: str, claim: str, box: str, dims: pd.DataFrame, frames: dict) -> None:
    g = f"{base}/{box}"
    d = len(dims)
    names, kinds, scales = list(dims["name"]), list(dims["kind"]), list(dims["scale"])
    level_names = list(dims["levels"])
    a = attributes(nf.require(g))
    r = f"{g}/restrictions"
    dimension = nf.array(f"{r}/dimension").astype(np.int64)
    k = len(dimension)
    side = nf.array(f"{r}/side", k).astype(np.int64)
    levels = nf.array(f"{r}/levels", k).astype(np.uint64)
    texts = nf.texts(r, "text") if k else []
    frames["restrictions"].append(pd.DataFrame({
        "claim": claim, "box": box, "dimension": dimension, "name": [names[j] for j in dimension],
        "side": [SIDES[s] for s in side], "limit": nf.array(f"{r}/limit", k).astype(float),
        "levels": [_levels(m, level_names[j]) if kinds[j] == "categorical" else () for j, m in zip(dimension, levels)],
        "quasi_p": nf.array(f"{r}/quasi_p", k).astype(float),
        "frequency": nf.array(f"{r}/frequency", k).astype(float),
        "limit_mean": nf.array(f"{r}/limit_mean", k).astype(float),
        "limit_sd": nf.array(f"{r}/limit_sd", k).astype(float), "text": texts}))
    low, high = nf.array(f"{g}/limits/low", d).astype(float), nf.array(f"{g}/limits/high", d).astype(float)
    masks = nf.array(f"{g}/limits/levels", d).astype(np.uint64)
    admitted = [_levels(m, level_names[j]) if kinds[j] == "categorical" else () for j, m in enumerate(masks)]
    frames["limits"].append(pd.DataFrame({
        "claim": claim, "box": box, "dimension": np.arange(d), "name": names, "kind": kinds,
        "scale": scales, "range_low": dims["low"].to_numpy(), "range_high": dims["high"].to_numpy(),
        "low": low, "high": high, "levels": admitted,
        "restricted": [j in set(dimension.tolist()) for j in range(d)]}))
    t = f"{g}/trajectory"
    coverage = nf.array(f"{t}/coverage").astype(float)
    s = len(coverage)
    chosen = int(a.get("chosen_step", -1))
    frames["trajectory"].append(pd.DataFrame({
        "claim": claim, "box": box, "step": np.arange(s), "coverage": coverage,
        "density": nf.array(f"{t}/density", s).astype(float), "mass": nf.array(f"{t}/mass", s).astype(float),
        "n_points": nf.array(f"{t}/n_points", s).astype(np.int64),
        "n_restricted": nf.array(f"{t}/n_restricted", s).astype(np.int64),
        "chosen": np.arange(s) == chosen}))
    st = nf.require(f"{g}/stability/frequency")[:]
    mean = nf.require(f"{g}/stability/limit_mean")[:]
    sd = nf.require(f"{g}/stability/limit_sd")[:]
    rows = []
    for j in range(d):
        for code, side_name in enumerate(SIDES):
            if (kinds[j] == "categorical") != (side_name == "levels"):
                continue
            rows.append({"claim": claim, "box": box, "dimension": j, "name": names[j], "side": side_name,
                         "frequency": float(st[j, code]),
                         "limit_mean": float(mean[j, code]) if code < 2 else np.nan,
                         "limit_sd": float(sd[j, code]) if code < 2 else np.nan})
    frames["stability"].append(pd.DataFrame(rows, columns=["claim", "box", "dimension", "name", "side",
                                                           "frequency", "limit_mean", "limit_sd"]))
    dropped = a.get("dropped", [])
    frames["boxes"].append(pd.DataFrame([{
        "claim": claim, "box": box, "accepted": box != "rejected", "stage": int(a["stage"]),
        **{key: float(a[key]) for key in ("coverage", "density", "mass", "p_value", "null_density",
                                          "similarity", "stage_base_rate")},
        **{key: int(a[key]) for key in ("n_points", "resamples", "chosen_step", "stage_points")},
        "description": " and ".join(texts) if texts else "(no restriction)",
        "dropped": "; ".join([dropped] if isinstance(dropped, str) else dropped)}]))


def _claim(nf: NormsimFile, claim: str, frames: dict) -> dict:
    base = f"discovery/{claim}"
    group = nf.require(base)
    estimate = nf.array(f"{base}/points/estimate").astype(float)
    n = len(estimate)
    labels = nf.texts("discovery", "verdict_labels")
    design = nf.design(f"{base}/points/design", n)
    columns = {"claim": claim, "point": np.arange(n)}
    for key, f in design.factors().items():
        columns[key] = pd.Categorical(f.values, categories=f.levels) if f.categorical else f.values
    verdict = nf.array(f"{base}/points/verdict", n).astype(np.int64)
    columns.update(estimate=estimate, low=nf.array(f"{base}/points/low", n).astype(float),
                   high=nf.array(f"{base}/points/high", n).astype(float),
                   verdict=pd.Categorical.from_codes(verdict, categories=labels),
                   interest=nf.array(f"{base}/points/interest", n).astype(float),
                   n=nf.array(f"{base}/points/n", n).astype(np.int64))
    frames["points"].append(pd.DataFrame(columns))
    dims_group = f"{base}/dimensions"
    names = nf.texts(dims_group, "names")
    d = len(names)
    kinds = [KINDS[k] for k in nf.array(f"{dims_group}/kind", d).astype(np.int64)]
    factors = design.factors()
    dims = pd.DataFrame({
        "claim": claim, "dimension": np.arange(d), "name": names, "kind": kinds,
        "scale": nf.texts(dims_group, "scales"), "low": nf.array(f"{dims_group}/low", d).astype(float),
        "high": nf.array(f"{dims_group}/high", d).astype(float),
        "levels": [tuple(factors[name].levels) if kind == "categorical" and name in factors else ()
                   for name, kind in zip(names, kinds)]})
    frames["dimensions"].append(dims)
    boxes = [b for b in group if b.startswith("box_")]
    boxes.sort(key=lambda b: int(b.split("_")[1]))
    if "rejected" in group:
        boxes.append("rejected")
    for box in boxes:
        _box(nf, base, claim, box, dims, frames)
    return attributes(group)


def read_discovery(path) -> Discovery:
    """The discoveries of a file of ``normsim discover`` as a :class:`Discovery` of tidy tables
    (see there). Raises :class:`~normsim.NormsimDataError` naming the file and the dataset when
    /discovery or a part of it is missing."""
    with NormsimFile(path, formats=None) as nf:
        nf.require("discovery", "not a file written by normsim discover: it has no /discovery; run "
                                "normsim discover SCENARIO --claim ID -o FILE.h5")
        claims = list(nf.h5["discovery"])
        if not claims:
            raise NormsimDataError(f"{nf.path}: group /discovery holds no claim", nf.path, "/discovery")
        frames = {k: [] for k in ("points", "dimensions", "boxes", "restrictions", "limits", "trajectory",
                                  "stability")}
        per_claim = {c: _claim(nf, c, frames) for c in claims}
        tables = {k: pd.concat(v, ignore_index=True) if v else pd.DataFrame(columns=list(COLUMNS[k]))
                  for k, v in frames.items()}
        attrs = nf.root_attrs()
        attrs["path"] = nf.path
        attrs["claims"] = per_claim
        return Discovery(attrs=attrs, **tables)

