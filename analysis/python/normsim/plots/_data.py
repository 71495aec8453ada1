"""What the figures read, from the objects of :mod:`normsim.io` or from a path: the runs of an
outcomes Dataset (:class:`Runs`), the claims of a verdicts table (:func:`claims_of`) and the
tables of an attribution table (:func:`tables_of`). Missing data raises
:class:`~normsim.NormsimDataError` naming the file (``attrs["path"]``) and the dataset."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from .. import io
from .._design import Design, categorical_factor, numeric_factor
from .._errors import NormsimDataError
from .._h5 import Interval
from .._schema import OUTCOME_UNITS, SERIES_PREFIX, VERDICTS
from .._tables import ATTRIBUTION_COLUMNS, CLAIM_COLUMNS, CLAIM_VALUES
from ._common import Provenance

NO_SERIES = "the file was written without series: run normsim without --no-series"


def _is_path(data) -> bool:
    return isinstance(data, (str, bytes, os.PathLike))


class Runs:
    """The runs of an outcomes Dataset (dims point, replicate[, step])."""

    def __init__(self, ds: xr.Dataset):
        self.ds = ds
        self.path = ds.attrs.get("path") or "<dataset>"
        self.design = io.design_of(ds)
        self.n_points = ds.sizes["point"]
        self.n_replicates = ds.sizes.get("replicate", 0)
        self.prov = Provenance(ds.attrs, self.n_points, self.n_replicates)

    def outcome(self, name: str) -> np.ndarray:
        """An outcome, [P, R] float64; an error naming /outcomes/<name> when absent."""
        v = self.ds.data_vars.get(name)
        if v is None or v.dims != ("point", "replicate"):
            have = ", ".join(k for k, x in self.ds.data_vars.items()
                             if x.dims == ("point", "replicate"))
            raise NormsimDataError(f"{self.path}: missing dataset /outcomes/{name} (outcomes: "
                                   f"{have})", self.path, f"/outcomes/{name}")
        return v.values.astype(float)

    def require_series(self, name: str):
        v = self.ds.data_vars.get(SERIES_PREFIX + name)
        if v is None:
            raise NormsimDataError(f"{self.path}: missing dataset /series/{name} ({NO_SERIES})",
                                   self.path, f"/series/{name}")
        return v

    def series(self, name: str) -> np.ndarray:
        """A series, [P, R, T] float64 (NaN after a run stopped)."""
        return self.require_series(name).values.astype(float)

    def steps(self) -> np.ndarray:
        return self.ds["step"].values

    def completed(self) -> np.ndarray:
        """[P, R] bool: the runs written (all, when the Dataset does not say)."""
        if "completed" in self.ds.coords:
            return self.ds.coords["completed"].values.astype(bool)
        return np.ones((self.n_points, self.n_replicates), dtype=bool)

    def units(self, name: str, group: str = "outcomes") -> str:
        """Units of an outcome (``group`` "outcomes") or a series ("series")."""
        if group == "series":
            return str(self.require_series(name).attrs.get("units", ""))
        self.outcome(name)
        return str(self.ds[name].attrs.get("units", ""))

    def label(self, name: str, group: str = "outcomes") -> str:
        """``name (units)`` for an axis."""
        return f"{name} ({self.units(name, group) or 'dimensionless'})"

    def summary(self, outcome: str) -> pd.DataFrame:
        return io.summary(self.ds, outcome)


def runs_of(data, series=False) -> Runs:
    """:class:`Runs` of an outcomes Dataset, or of a file (read with ``series`` as in
    :func:`normsim.read_outcomes`)."""
    if isinstance(data, xr.Dataset):
        return Runs(data)
    if _is_path(data):
        return Runs(io.read_outcomes(data, series=series))
    raise TypeError(f"expected an outcomes Dataset (normsim.open, normsim.run) or a path, not "
                    f"{type(data).__name__}")


def _table_of(data, reader, what: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if _is_path(data):
        return reader(data)
    raise TypeError(f"expected {what} (a pandas.DataFrame) or a path, not {type(data).__name__}")


def _provenance(df: pd.DataFrame) -> Provenance:
    return Provenance(df.attrs, df.attrs.get("n_points", 1), df.attrs.get("n_replicates", 0))


# -- claims -----------------------------------------------------------------------------------
@dataclass
class Claim:
    """One claim of a verdicts table (all arrays over the claim's entries)."""

    id: str
    statement: str
    quantity: str
    outcome: str
    compare: str
    value: float
    confidence: float
    scope: str
    interval: Interval
    verdict: np.ndarray  # int codes into the verdict labels
    n: np.ndarray
    n_needed: np.ndarray
    units: str
    design: Design  # the factors that locate the entries

    def label(self) -> str:
        """The quantity as an axis label, with its units."""
        return f"{self.quantity} ({self.units or 'dimensionless'})"

    def claim_text(self) -> str:
        return (f"claim: {self.quantity} {self.compare} {self.value:.4g} "
                f"({100 * self.confidence:.3g} % confidence; one verdict per "
                f"{'design point' if self.scope == 'points' else 'design'})")


def claims_of(data, wanted=None):
    """(verdict labels, [Claim], Provenance) of a verdicts table or a check file; ``wanted``:
    claim ids (None: all, in table order)."""
    df = _table_of(data, io.read_claims, "the verdicts table of normsim.read_claims or check")
    source = df.attrs.get("path") or "<table>"
    missing = [c for c in ("claim",) + CLAIM_VALUES + CLAIM_COLUMNS[:7] if c not in df.columns]
    if missing:
        raise NormsimDataError(f"{source}: not a verdicts table (no column {missing[0]!r}; "
                               "read claims with normsim.read_claims)", source, "/claims")
    if isinstance(df["verdict"].dtype, pd.CategoricalDtype):
        labels = [str(x) for x in df["verdict"].cat.categories]
        codes = df["verdict"].cat.codes.to_numpy()
    else:
        labels = list(df.attrs.get("verdict_labels", VERDICTS))
        codes = np.asarray([labels.index(str(v)) if str(v) in labels else -1
                            for v in df["verdict"]])
    if len(df) == 0:
        raise NormsimDataError(f"{source}: group /claims holds no claim", source, "/claims")
    ids = list(dict.fromkeys(df["claim"]))
    if wanted is not None:
        for cid in wanted:
            if cid not in ids:
                raise NormsimDataError(f"{source}: missing dataset /claims/{cid} (claims: "
                                       f"{', '.join(ids)})", source, f"/claims/{cid}")
        ids = list(wanted)
    factor_keys = [c for c in df.columns if c not in ("claim", "entry") + CLAIM_VALUES
                   + CLAIM_COLUMNS]
    meta = df.attrs.get("factors", {})
    claims = []
    for cid in ids:
        mask = (df["claim"] == cid).to_numpy()
        rows = df[mask]
        if "entry" in rows:
            order = np.argsort(rows["entry"].to_numpy(), kind="stable")
            rows, ccodes = rows.iloc[order], codes[mask][order]
        else:
            ccodes = codes[mask]
        if (ccodes < 0).any():
            raise NormsimDataError(f"{source}: claim {cid} has a verdict that is not one of "
                                   f"{', '.join(labels)}", source, f"/claims/{cid}/verdict")
        first = rows.iloc[0]
        factors = {}
        for key in factor_keys:
            col = rows[key]
            if col.isna().any():
                continue  # not a coordinate of this claim's entries
            if isinstance(col.dtype, pd.CategoricalDtype) or col.dtype == object:
                cats = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else \
                    meta.get(key, {}).get("labels") or list(dict.fromkeys(col.astype(str)))
                factors[key] = categorical_factor(key, [str(c) for c in cats], col.astype(str))
            else:
                m = meta.get(key, {})
                factors[key] = numeric_factor(key, col.to_numpy(float), m.get("units", ""),
                                              m.get("scale", ""))
        design = Design(factors, len(rows), source, "design",
                        os.path.basename(str(df.attrs.get("scenario_file", "?"))))
        claims.append(Claim(
            cid, str(first["statement"]), str(first["quantity"]), str(first["outcome"]),
            str(first["compare"]), float(first["value"]), float(first["confidence"]),
            str(first["scope"]),
            Interval(rows["estimate"].to_numpy(float), rows["low"].to_numpy(float),
                     rows["high"].to_numpy(float)),
            ccodes.astype(int), rows["n"].to_numpy(float), rows["n_needed"].to_numpy(float),
            str(first["units"]) if "units" in rows else "", design))
    return labels, claims, _provenance(df)


# -- attribution ------------------------------------------------------------------------------
@dataclass
class Table:
    """One table /attribution/<name>: factors (labels, kinds), indices and table attributes."""

    name: str
    labels: list
    kinds: list
    indices: dict  # measure -> Interval
    rows: float
    runs: float
    variance: float
    confidence: float
    ci: dict = field(default_factory=dict)  # measure -> text of attribute `ci`
    estimator: dict = field(default_factory=dict)  # measure -> text of attribute `estimator`


def tables_of(data):
    """({table name: Table}, list of every table name, Provenance, source, outcome units) of an
    attribution table or file."""
    df = _table_of(data, io.read_attribution,
                   "the attribution table of normsim.read_attribution or attribute")
    source = df.attrs.get("path") or "<table>"
    missing = [c for c in ATTRIBUTION_COLUMNS if c not in df.columns]
    if missing:
        raise NormsimDataError(f"{source}: not an attribution table (no column {missing[0]!r}; "
                               "read it with normsim.read_attribution)", source, "/attribution")
    tables = {}
    for name, rows in df.groupby("table", sort=False):
        rows = rows.sort_values(["measure", "position"], kind="stable")
        labels_by_pos = dict(zip(rows["position"], rows["factor"]))
        kinds_by_pos = dict(zip(rows["position"], rows["kind"]))
        positions = sorted(labels_by_pos)
        first = rows.iloc[0]
        t = Table(name, [labels_by_pos[p] for p in positions],
                  [kinds_by_pos[p] for p in positions], {}, float(first["rows"]),
                  float(first["runs"]), float(first["variance"]), float(first["confidence"]))
        for measure, m in rows.groupby("measure", sort=False):
            m = m.set_index("position").reindex(positions)
            t.indices[measure] = Interval(m["estimate"].to_numpy(float), m["low"].to_numpy(float),
                                          m["high"].to_numpy(float))
            t.ci[measure] = str(m["ci"].iloc[0])
            t.estimator[measure] = str(m["estimator"].iloc[0])
        tables[name] = t
    names = list(df.attrs.get("tables", [])) or list(tables)
    names += [t for t in tables if t not in names]
    units = dict(OUTCOME_UNITS)
    units.update(df.attrs.get("outcome_units", {}))
    return tables, names, _provenance(df), source, units
