"""Reading normsim files as xarray and pandas objects.

- :func:`open` (``normsim.open``): any normsim file as the object that the command which wrote
  it gives in Python: a file of ``normsim run`` (or ``plan``/``merge``) → the outcomes Dataset
  (:func:`read_outcomes`); of ``normsim attribute`` → the attribution table
  (:func:`read_attribution`); of ``normsim check`` → the verdicts table (:func:`read_claims`); of
  ``normsim discover`` → its boxes and points (:func:`read_discovery`, a
  :class:`~normsim._discovery.Discovery` of tidy tables).
  The runs of an attribution or check file are read with :func:`read_outcomes`.
- :func:`read_outcomes` → ``xarray.Dataset``: one variable per outcome, dims (point, replicate);
  the series as ``series.<name>``, dims (point, replicate, step); design factors as coordinates on
  ``point`` (labels for categorical ones); ``completed`` (bool, point × replicate) as a coordinate;
  the provenance (root attributes) and ``path`` in ``attrs``.
- :func:`read_claims` → ``pandas.DataFrame``, one row per claim and entry (design point, or cell):
  claim, entry, the entry's design factors, verdict (categorical: holds, fails, inconclusive),
  estimate, low, high, n, n_needed, then the claim's statement, quantity, outcome, compare, value,
  confidence, scope, units and estimator.
- :func:`read_attribution` → ``pandas.DataFrame``, one row per table, factor and index: outcome,
  table, analysis ("main", "shapley", "knockout"), factor, kind, position, measure (first_order,
  total, shapley, share, knockout), estimate, low, high, estimator, ci, rows, runs, variance,
  confidence.
- :func:`summary` and :func:`tidy`: per-point statistics and a one-row-per-run table of a Dataset
  or a file.

Tables carry the provenance in ``DataFrame.attrs`` (``path``, ``scenario_file``,
``normsim_version``, ``git_commit``, ...; plus ``factors``: units, scale and labels of each design
factor). Anything missing raises :class:`~normsim.NormsimDataError` naming the file and the
dataset. Values are read as stored (float64, with NaN for runs never written), not converted.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import xarray as xr

from ._design import Design, Factor, categorical_factor, numeric_factor
from ._errors import NormsimDataError
from ._h5 import NormsimFile, attributes
from ._schema import OUTCOME_UNITS, SERIES_PREFIX, SUMMARY_STATS, Z95
from ._discovery import Discovery, read_discovery
from ._tables import read_attribution, read_claims

__all__ = ["open", "file_kind", "read_outcomes", "read_claims", "read_attribution", "read_discovery",
           "Discovery", "summary", "tidy", "make_dataset", "design_of"]

NO_SERIES = "the file was written without series: run normsim without --no-series"


def file_kind(path) -> str:
    """What a normsim file holds: "claims" (normsim check), "discovery" (normsim discover),
    "attribution" (normsim attribute) or "runs" (normsim run, plan, merge)."""
    with NormsimFile(path, formats=None) as nf:
        for group, kind in (("claims", "claims"), ("discovery", "discovery"),
                            ("attribution", "attribution"), ("outcomes", "runs")):
            if group in nf.h5:
                return kind
        raise NormsimDataError(f"{nf.path}: missing dataset /outcomes (a normsim file holds "
                               "/outcomes, /attribution or /claims)", nf.path, "/outcomes")


def open(path, series=None):  # noqa: A001 (normsim.open, like xarray.open_dataset)
    """Any normsim file as a Dataset or a table, by what it holds (see :func:`file_kind`):
    :func:`read_claims` for a check file, :func:`read_discovery` for a discover file,
    :func:`read_attribution` for an attribution file, else :func:`read_outcomes` (``series`` as
    there)."""
    kind = file_kind(path)
    if kind == "claims":
        return read_claims(path)
    if kind == "discovery":
        return read_discovery(path)
    if kind == "attribution":
        return read_attribution(path)
    return read_outcomes(path, series=series)


# -- outcomes ---------------------------------------------------------------------------------
def read_outcomes(path, series=None) -> xr.Dataset:
    """The runs of a normsim file as an ``xarray.Dataset`` (see the module's description).

    ``series``: None reads the series the file has; True requires them; False reads none; a list
    of names reads those (each missing one is an error naming /series/<name>). Everything is read
    into memory."""
    with NormsimFile(path) as nf:
        group = nf.require("outcomes", "not a file of normsim runs")
        if not len(group):
            raise NormsimDataError(f"{nf.path}: group /outcomes is empty", nf.path, "/outcomes")
        outcomes, var_attrs = {}, {}
        for name, ds in group.items():
            outcomes[name] = ds[:]
            var_attrs[name] = attributes(ds)
        if series is None:
            names = list(nf.h5["series"]) if "series" in nf.h5 else []
        elif series is True:
            names = list(nf.require("series", NO_SERIES))
        elif series is False:
            names = []
        else:
            names = [series] if isinstance(series, str) else list(series)
        series_data = {}
        for name in names:
            ds = nf.require(f"series/{name}", NO_SERIES)
            series_data[name] = ds[:]
            var_attrs[SERIES_PREFIX + name] = attributes(ds)
        p, r = next(iter(outcomes.values())).shape
        steps = nf.h5["step"][:] if names and "step" in nf.h5 else None
        completed = nf.h5["runs/completed"][:].astype(bool) if "runs/completed" in nf.h5 else None
        attrs = nf.root_attrs()
        attrs["path"] = nf.path
        points = nf.h5["point"][:] if "point" in nf.h5 else None
        replicates = nf.h5["replicate"][:] if "replicate" in nf.h5 else None
        return make_dataset(outcomes, factors=nf.design(n=p).factors(), series=series_data,
                            steps=steps, completed=completed, attrs=attrs,
                            variable_attrs=var_attrs, points=points, replicates=replicates)


def make_dataset(outcomes: dict, *, factors: dict | None = None, series: dict | None = None,
                 steps=None, completed=None, attrs: dict | None = None,
                 variable_attrs: dict | None = None, points=None, replicates=None) -> xr.Dataset:
    """The outcomes Dataset from arrays (what :func:`read_outcomes` returns; also for results
    computed in memory, e.g. by the compiled engine).

    ``outcomes``: name → [P, R] float64; ``series``: name → [P, R, T] (variables ``series.<name>``);
    ``factors``: key → :class:`Factor`, or a dict with ``values`` [P] (floats, or labels) and
    optionally ``labels`` (the levels of a categorical factor: values are then labels, or int
    codes into them), ``units``, ``scale``; ``completed``: [P, R] bool; ``steps``: [T] (default
    1 … T); ``attrs``: provenance; ``variable_attrs``: variable name → attributes (units default
    to REFERENCE.md's)."""
    variable_attrs = variable_attrs or {}
    first = np.asarray(next(iter(outcomes.values())))
    p, r = first.shape
    data_vars = {}
    for name, values in outcomes.items():
        a = dict(variable_attrs.get(name, {}))
        a.setdefault("units", OUTCOME_UNITS.get(name, ""))
        data_vars[name] = (("point", "replicate"), np.asarray(values, dtype=float), a)
    coords = {"point": np.arange(p) if points is None else np.asarray(points),
              "replicate": np.arange(r) if replicates is None else np.asarray(replicates)}
    for name, values in (series or {}).items():
        values = np.asarray(values, dtype=float)
        if steps is None:
            steps = np.arange(1, values.shape[2] + 1)
        data_vars[SERIES_PREFIX + name] = (("point", "replicate", "step"), values,
                                           dict(variable_attrs.get(SERIES_PREFIX + name, {})))
    if series:
        coords["step"] = ("step", np.asarray(steps), {"units": "step"})
    for key, f in (factors or {}).items():
        f = f if isinstance(f, Factor) else _factor_from_dict(key, f)
        if f.categorical:
            a = {"kind": "categorical", "labels": list(f.levels), "key": key}
            coords[key] = ("point", np.asarray(f.values, dtype=object), a)
        else:
            a = {"kind": "numeric", "units": f.units, "scale": f.scale, "key": key}
            coords[key] = ("point", np.asarray(f.values, dtype=float), a)
    if completed is not None:
        coords["completed"] = (("point", "replicate"), np.asarray(completed, dtype=bool),
                               {"meaning": "1 when the run was written (/runs/completed)"})
    return xr.Dataset(data_vars, coords=coords, attrs=dict(attrs or {}))


def _factor_from_dict(key: str, spec: dict) -> Factor:
    values = np.asarray(spec["values"])
    labels = spec.get("labels")
    if labels is None:
        if values.dtype.kind in "OUS":
            return categorical_factor(key, list(dict.fromkeys(values.tolist())), values)
        return numeric_factor(key, values, spec.get("units", ""), spec.get("scale", ""))
    if values.dtype.kind in "iu":
        values = np.asarray(labels, dtype=object)[values]
    return categorical_factor(key, labels, values)


def design_of(ds: xr.Dataset) -> Design:
    """The design factors of an outcomes Dataset: every coordinate on ``point`` alone (but
    ``point``); categorical when its attribute ``kind`` says so or its values are text."""
    source = ds.attrs.get("path") or "<dataset>"
    factors = {}
    for key, c in ds.coords.items():
        if key == "point" or c.dims != ("point",):
            continue
        values = c.values
        if c.attrs.get("kind") == "categorical" or values.dtype.kind in "OUS":
            labels = c.attrs.get("labels") or list(dict.fromkeys(str(v) for v in values))
            factors[key] = categorical_factor(key, labels, [str(v) for v in values])
        else:
            factors[key] = numeric_factor(key, values, c.attrs.get("units", ""),
                                          c.attrs.get("scale", ""))
    name = os.path.basename(str(ds.attrs.get("scenario_file", "?")))
    return Design(factors, ds.sizes["point"], source, "design", name)


def _design_frame(design: Design) -> pd.DataFrame:
    df = pd.DataFrame({"point": np.arange(design.n_points)})
    for key, f in design.factors().items():
        df[key] = pd.Categorical(f.values, categories=f.levels) if f.categorical else f.values
    return df


def _outcome_values(ds: xr.Dataset, outcome: str) -> np.ndarray:
    """[P, R] values of an outcome, NaN where a run was not written."""
    if outcome not in ds.data_vars or ds[outcome].dims != ("point", "replicate"):
        source = ds.attrs.get("path") or "<dataset>"
        have = ", ".join(k for k, v in ds.data_vars.items() if v.dims == ("point", "replicate"))
        raise NormsimDataError(f"{source}: missing dataset /outcomes/{outcome} (outcomes: {have})",
                               source, f"/outcomes/{outcome}")
    x = ds[outcome].values.astype(float)
    if "completed" in ds.coords:
        x = np.where(ds.coords["completed"].values.astype(bool), x, np.nan)
    return x


def summary(data, outcome: str) -> pd.DataFrame:
    """One row per point: ``point``, the design factors, and mean, sd, se, q05, q50, q95, n of
    ``outcome`` over the point's completed runs with a value, plus ci_low/ci_high = mean ∓ 1.96 se.

    ``data``: a path (the file's /summary/<outcome>, or computed from /outcomes when the file has
    no summary) or an outcomes Dataset (computed the way normsim does: sample sd, type 7
    quantiles, NaN excluded)."""
    if isinstance(data, xr.Dataset):
        x = _outcome_values(data, outcome)
        df = _design_frame(design_of(data))
        n = np.sum(~np.isnan(x), axis=1)
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # points without a value: NaN
            df["mean"] = np.nanmean(x, axis=1)
            df["sd"] = np.where(n >= 2, np.nanstd(x, axis=1, ddof=1), np.nan)
            df["se"] = df["sd"] / np.sqrt(n)
            for q, col in ((0.05, "q05"), (0.5, "q50"), (0.95, "q95")):
                df[col] = np.nanquantile(x, q, axis=1)
        df["n"] = n.astype(np.int64)
    else:
        with NormsimFile(data) as nf:
            if f"summary/{outcome}" not in nf.h5:
                return summary(read_outcomes(data, series=False), outcome)
            df = _design_frame(nf.design())
            for stat in SUMMARY_STATS:
                df[stat] = nf.array(f"summary/{outcome}/{stat}", len(df))
            df["n"] = df["n"].astype(np.int64)
    df["ci_low"] = df["mean"] - Z95 * df["se"]
    df["ci_high"] = df["mean"] + Z95 * df["se"]
    return df


def tidy(data, outcomes=None) -> pd.DataFrame:
    """One row per run written: ``point``, ``replicate``, each design factor (categorical ones as
    ``pandas.Categorical``), each outcome (``outcomes``: the names; default all). ``data``: an
    outcomes Dataset or a path."""
    ds = data if isinstance(data, xr.Dataset) else read_outcomes(data, series=False)
    names = [k for k, v in ds.data_vars.items() if v.dims == ("point", "replicate")] \
        if outcomes is None else list(outcomes)
    p, r = ds.sizes["point"], ds.sizes["replicate"]
    pi, ri = np.meshgrid(np.arange(p), np.arange(r), indexing="ij")
    df = pd.DataFrame({"point": ds["point"].values[pi.ravel()],
                       "replicate": ds["replicate"].values[ri.ravel()]})
    for key, f in design_of(ds).factors().items():
        col = f.values[pi.ravel()]
        df[key] = pd.Categorical(col, categories=f.levels) if f.categorical else col
    for name in names:
        df[name] = _outcome_values(ds, name).ravel()
    if "completed" in ds.coords:
        df = df[ds.coords["completed"].values.ravel().astype(bool)]
    return df.reset_index(drop=True)

