#!/usr/bin/python3
"""Loading and figure helpers shared by normsim's plotting scripts.

Run the scripts with Debian's interpreter, ``/usr/bin/python3`` (python3-h5py, python3-numpy,
python3-pandas, python3-matplotlib); the ``python3`` first on PATH may be another interpreter.

A normsim file (REFERENCE.md, "HDF5 output") holds P design points x R replicates (x T steps):

- ``/outcomes/<name>``  float64 [P, R], attribute ``units``
- ``/series/<name>``    float64 [P, R, T], NaN after a run stopped (absent with ``--no-series``)
- ``/design/<key>``     [P]: float64 (attributes ``units``, ``scale``) or int64 level codes with
  the labels in attribute ``labels``; absent for a single scenario (P = 1)
- ``/summary/<outcome>/{mean, sd, se, q05, q50, q95, n}`` [P]
- root attributes ``scenario_file``, ``normsim_version``, ``git_commit``, ...

The entry points:

- :class:`NormsimFile` opens a file and gives the design table (:meth:`NormsimFile.design`), a tidy
  table with one row per run (:meth:`NormsimFile.tidy`), the summary of an outcome per point
  (:meth:`NormsimFile.summary`) and series (:meth:`NormsimFile.series`). A dataset that is missing
  raises :class:`NormsimDataError` naming the file and the dataset.
- :func:`select_points` / :func:`group_points` pick and group design points (``--where``, ``--by``).
- :func:`new_figure_labels` (title and footer), :func:`save_figure` (PNG + SVG) and
  :func:`run_main` (clean error exit) keep every figure and script alike.
- Estimates with intervals (``<group>/{estimate, low, high}``, as in /attribution and /claims):
  :meth:`NormsimFile.interval` reads one strictly, :func:`interval_errors` turns it into error-bar
  lengths; :meth:`NormsimFile.texts` / :meth:`NormsimFile.text_attr` /
  :meth:`NormsimFile.number_attr` read attributes strictly (an error naming the object and the
  attribute); :data:`VERDICTS` and :data:`VERDICT_COLORS` name and colour claim verdicts.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import sys
import warnings
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import h5py  # noqa: E402

# Text stays text in SVG files (searchable, editable), not glyph outlines.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["figure.dpi"] = 100
matplotlib.rcParams["savefig.dpi"] = 150
matplotlib.rcParams["axes.grid"] = True
matplotlib.rcParams["grid.alpha"] = 0.3

#: The outcomes of a run (REFERENCE.md, "Outcomes of a run").
OUTCOMES = (
    "capability", "interpretability", "xrisk", "t_transform", "steps_run", "published_fraction",
    "public_capability_share", "defections", "mean_propensity_capabilities",
    "mean_propensity_interpretability", "results",
)

#: Units of the outcomes (REFERENCE.md, "Outcomes of a run"), for files without /outcomes/<name>.
OUTCOME_UNITS = {
    "capability": "capability units", "interpretability": "interpretability units",
    "xrisk": "probability", "t_transform": "step", "steps_run": "steps",
    "published_fraction": "fraction", "public_capability_share": "fraction",
    "defections": "results", "mean_propensity_capabilities": "probability",
    "mean_propensity_interpretability": "probability", "results": "results",
}

#: Units of scenario keys whose design dataset carries no ``units`` attribute of its own
#: (REFERENCE.md, "Scenario keys": chances and shares are probabilities or fractions).
KEY_UNITS_FALLBACK = {
    "labs.interp_fraction": "fraction",
    "labs.leak_rate": "per step",
    "labs.propensity_capabilities": "probability",
    "labs.propensity_interpretability": "probability",
    "research.spill_probability": "probability",
    "research.screen_sensitivity": "probability",
    "research.screen_false_positive": "probability",
    "norm.allow.capabilities": "probability",
    "norm.allow.interpretability": "probability",
    "norm.allow.flagged": "probability",
    "norm.compliance": "probability",
    "adaptation.mutation": "per propensity per review",
    "hazard.max": "probability",
}

Z95 = 1.959963984540054  # two-sided 95 % normal quantile

#: Verdicts of a claim by code (/claims attribute ``verdict_labels``; /claims/<id>/verdict int8).
VERDICTS = ("holds", "fails", "inconclusive")

#: Colour of each verdict: holds green, fails red, inconclusive grey.
VERDICT_COLORS = {"holds": "#2ca02c", "fails": "#d62728", "inconclusive": "#a6a6a6"}


class NormsimDataError(Exception):
    """A file cannot be plotted as asked (missing file, dataset, factor or level)."""


def _text(value) -> str:
    """An HDF5 string attribute (bytes or str) as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


@dataclass
class Factor:
    """One design factor: a scenario key swept over the points."""

    key: str
    categorical: bool
    values: np.ndarray  # [P]: float values, or labels (object) for a categorical factor
    levels: list  # the distinct levels in design order (labels order for categorical)
    units: str
    scale: str  # "linear", "log" or "" (categorical)

    def axis_label(self) -> str:
        """The factor as an axis label, with its units."""
        if self.categorical:
            return self.key
        return f"{self.key} ({self.units or 'dimensionless'})"

    def format_level(self, level) -> str:
        if self.categorical:
            return str(level)
        return f"{level:.4g}"


@dataclass
class Interval:
    """An estimate per element with the ends of its confidence interval (all [n] float64)."""

    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def __len__(self) -> int:
        return len(self.estimate)

    def take(self, index) -> "Interval":
        """The elements at ``index`` (an index array or mask), in that order."""
        return Interval(self.estimate[index], self.low[index], self.high[index])


class NormsimFile:
    """A normsim HDF5 file, read with h5py. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str, formats=("normsim-runs",), require_outcomes: bool = True):
        """Open ``path``. ``formats``: accepted values of the root attribute ``format`` (None:
        any). ``require_outcomes``: the file must hold /outcomes (P and R are read from it); when
        False, P and R come from /outcomes, else /point and /replicate, else /design (R = 0:
        unknown)."""
        self.path = path
        if not os.path.exists(path):
            raise NormsimDataError(f"{path}: no such file")
        try:
            self.h5 = h5py.File(path, "r")
        except OSError as err:
            raise NormsimDataError(f"{path}: not an HDF5 file ({err})") from None
        fmt = _text(self.h5.attrs.get("format", ""))
        if formats is not None and fmt not in formats:
            self.h5.close()
            raise NormsimDataError(
                f"{path}: not a normsim output file (root attribute 'format' is {fmt!r}, "
                f"expected {' or '.join(repr(f) for f in formats)})")
        if require_outcomes or "outcomes" in self.h5:
            self.require("outcomes")
            first = next(iter(self.h5["outcomes"].values()), None)
            if first is None:
                raise NormsimDataError(f"{path}: group /outcomes is empty")
            self.n_points, self.n_replicates = first.shape
        else:
            design = list(self.h5["design"].values()) if "design" in self.h5 else []
            self.n_points = (self.h5["point"].shape[0] if "point" in self.h5
                             else design[0].shape[0] if design else 1)
            self.n_replicates = self.h5["replicate"].shape[0] if "replicate" in self.h5 else 0
        self._factors = None
        self._design_group = "design"

    # -- basics -----------------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.h5.close()

    def attr(self, name: str, default: str = "?") -> str:
        """A root attribute as text (``default`` when absent)."""
        return _text(self.h5.attrs[name]) if name in self.h5.attrs else default

    @property
    def scenario_name(self) -> str:
        """The scenario file's base name, for titles."""
        return os.path.basename(self.attr("scenario_file", "?"))

    @property
    def complete(self) -> bool:
        return bool(self.h5.attrs.get("complete", 1))

    def require(self, dataset: str, hint: str = "") -> h5py.Dataset:
        """The dataset or group at ``dataset``; a :class:`NormsimDataError` naming it if absent."""
        if dataset not in self.h5:
            msg = f"{self.path}: missing dataset /{dataset.lstrip('/')}"
            if hint:
                msg += f" ({hint})"
            raise NormsimDataError(msg)
        return self.h5[dataset]

    def units(self, name: str, group: str = "outcomes") -> str:
        """Units of an outcome or series (its ``units`` attribute)."""
        return _text(self.require(f"{group}/{name}").attrs.get("units", ""))

    def outcome_units(self, name: str) -> str:
        """Units of an outcome: its /outcomes/<name> ``units`` attribute, else REFERENCE.md's
        (:data:`OUTCOME_UNITS`); "" when unknown. Never an error (for captions and labels)."""
        if f"outcomes/{name}" in self.h5:
            return _text(self.h5[f"outcomes/{name}"].attrs.get("units", ""))
        return OUTCOME_UNITS.get(name, "")

    def label(self, name: str, group: str = "outcomes") -> str:
        """``name (units)`` for an axis."""
        return f"{name} ({self.units(name, group) or 'dimensionless'})"

    def _attribute(self, path: str, name: str):
        obj = self.require(path)
        if name not in obj.attrs:
            raise NormsimDataError(
                f"{self.path}: missing attribute '{name}' of /{path.strip('/')}")
        return obj.attrs[name]

    def texts(self, path: str, name: str) -> list[str]:
        """A string-array attribute of the object at ``path``; an error naming both if absent."""
        return [_text(x) for x in np.atleast_1d(self._attribute(path, name))]

    def text_attr(self, path: str, name: str) -> str:
        """A string attribute of the object at ``path``; an error naming both if absent."""
        return _text(self._attribute(path, name))

    def number_attr(self, path: str, name: str) -> float:
        """A numeric attribute of the object at ``path``; an error naming both if absent or not a
        number."""
        value = self._attribute(path, name)
        try:
            return float(np.asarray(value).reshape(-1)[0])
        except (TypeError, ValueError, IndexError):
            raise NormsimDataError(f"{self.path}: attribute '{name}' of /{path.strip('/')} is "
                                   f"not a number ({value!r})") from None

    def array(self, path: str, length: int | None = None, hint: str = "") -> np.ndarray:
        """A one-dimensional dataset as an array; an error naming it if absent, not 1-D or (with
        ``length``) of another length."""
        ds = self.require(path, hint)
        if not isinstance(ds, h5py.Dataset) or ds.ndim != 1:
            raise NormsimDataError(f"{self.path}: /{path.strip('/')} is not a one-dimensional dataset")
        if length is not None and ds.shape[0] != length:
            raise NormsimDataError(f"{self.path}: /{path.strip('/')} has {ds.shape[0]} values, "
                                   f"expected {length}")
        return ds[:]

    def interval(self, group: str, length: int | None = None) -> Interval:
        """``<group>/{estimate, low, high}`` (float64 [n], as in /attribution/<table>/<index> and
        /claims/<id>); an error naming the first dataset missing or of another length."""
        group = group.strip("/")
        estimate = self.array(f"{group}/estimate", length).astype(float)
        n = len(estimate)
        return Interval(estimate, self.array(f"{group}/low", n).astype(float),
                        self.array(f"{group}/high", n).astype(float))

    # -- design -----------------------------------------------------------------------------
    def factors(self) -> dict[str, Factor]:
        """The design factors by key, in file order; empty for a single scenario."""
        if self._factors is None:
            self._factors = {}
            if self._design_group in self.h5:
                for key, ds in self.h5[self._design_group].items():
                    raw = ds[:]
                    if "labels" in ds.attrs:
                        labels = [_text(x) for x in ds.attrs["labels"]]
                        values = np.asarray(labels, dtype=object)[raw]
                        self._factors[key] = Factor(key, True, values, labels, "", "")
                    else:
                        units = _text(ds.attrs.get("units", "")) or KEY_UNITS_FALLBACK.get(key, "")
                        levels = sorted(set(float(x) for x in raw))
                        self._factors[key] = Factor(key, False, raw.astype(float), levels, units,
                                                    _text(ds.attrs.get("scale", "linear")))
        return self._factors

    def design_view(self, group: str, n_points: int) -> "NormsimFile":
        """The same open file seen through another design table: the [n_points] columns of
        ``group`` (e.g. a claim's own /claims/<id>/design) instead of /design."""
        view = copy.copy(self)
        view._factors = None
        view._design_group = group
        view.n_points = n_points
        return view

    def factor(self, key: str) -> Factor:
        """A design factor by key; a clear error listing the factors when absent."""
        factors = self.factors()
        if key not in factors:
            have = ", ".join(factors) or "none: a single scenario"
            raise NormsimDataError(
                f"{self.path}: missing dataset /{self._design_group}/{key} (design factors: {have})")
        return factors[key]

    def design(self) -> pd.DataFrame:
        """One row per point: ``point`` and each factor (labels for categorical factors)."""
        df = pd.DataFrame({"point": np.arange(self.n_points)})
        for key, f in self.factors().items():
            df[key] = pd.Categorical(f.values, categories=f.levels) if f.categorical else f.values
        return df

    def point_label(self, point: int, keys=None) -> str:
        """A short text naming a point by its factor values (``keys``: the factors to show)."""
        factors = self.factors()
        keys = list(factors) if keys is None else keys
        if not keys:
            return self.scenario_name if self.n_points == 1 else f"point {point}"
        parts = []
        for k in keys:
            f = factors[k]
            v = f.values[point]
            parts.append(str(v) if f.categorical else f"{k.split('.')[-1]}={v:.4g}")
        return ", ".join(parts)

    # -- data -------------------------------------------------------------------------------
    def outcome(self, name: str) -> np.ndarray:
        """An outcome, [P, R] float64 (NaN for runs never written or without a value)."""
        return self.require(f"outcomes/{name}",
                            f"outcomes: {', '.join(self.h5['outcomes'])}")[:]

    def tidy(self, outcomes=None) -> pd.DataFrame:
        """One row per run: ``point``, ``replicate``, each design factor (labelled), each outcome.

        Runs never written (``/runs/completed`` = 0) are dropped.
        """
        names = list(self.h5["outcomes"]) if outcomes is None else list(outcomes)
        p, r = np.meshgrid(np.arange(self.n_points), np.arange(self.n_replicates), indexing="ij")
        df = pd.DataFrame({"point": p.ravel(), "replicate": r.ravel()})
        for key, f in self.factors().items():
            col = f.values[df["point"].to_numpy()]
            df[key] = pd.Categorical(col, categories=f.levels) if f.categorical else col
        for name in names:
            df[name] = self.outcome(name).ravel()
        if "runs/completed" in self.h5:
            df = df[self.h5["runs/completed"][:].ravel().astype(bool)]
        return df.reset_index(drop=True)

    def summary(self, outcome: str) -> pd.DataFrame:
        """One row per point: the design factors and mean, sd, se, q05, q50, q95, n of ``outcome``
        over the point's runs (NaN excluded), plus ``ci_low``/``ci_high`` = mean -/+ 1.96 se.

        Read from /summary/<outcome>/ when present, else recomputed from /outcomes/<outcome>
        the same way (sample sd, type 7 quantiles).
        """
        df = self.design()
        if f"summary/{outcome}/se" in self.h5:
            for stat in ("mean", "sd", "se", "q05", "q50", "q95", "n"):
                df[stat] = self.require(f"summary/{outcome}/{stat}")[:]
        else:
            x = self.outcome(outcome)
            if "runs/completed" in self.h5:
                x = np.where(self.h5["runs/completed"][:].astype(bool), x, np.nan)
            n = np.sum(~np.isnan(x), axis=1)
            with np.errstate(invalid="ignore", divide="ignore"), \
                    warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                df["mean"] = np.nanmean(x, axis=1)
                df["sd"] = np.where(n >= 2, np.nanstd(x, axis=1, ddof=1), np.nan)
                df["se"] = df["sd"] / np.sqrt(n)
                for q, col in ((0.05, "q05"), (0.5, "q50"), (0.95, "q95")):
                    df[col] = np.nanquantile(x, q, axis=1)
            df["n"] = n
        df["ci_low"] = df["mean"] - Z95 * df["se"]
        df["ci_high"] = df["mean"] + Z95 * df["se"]
        return df

    def series(self, name: str, points=None) -> np.ndarray:
        """A series, [P, R, T] float64 (or [len(points), R, T]); NaN after a run stopped."""
        ds = self.require(f"series/{name}",
                          "the file was written without series: run normsim without --no-series")
        if points is None:
            return ds[:]
        points = np.asarray(points)
        order = np.argsort(points)  # h5py reads increasing indices; restore the order asked
        return ds[points[order], :, :][np.argsort(order)]

    def steps(self) -> np.ndarray:
        """Step numbers 1 … T of the series."""
        if "step" in self.h5:
            return self.h5["step"][:]
        return np.arange(1, self.require("series/frontier_capability").shape[2] + 1)


# -- point selection ------------------------------------------------------------------------
def parse_where(items, option: str = "--where") -> list[tuple[str, str]]:
    """``KEY=VALUE`` strings (``--where``, or ``option``) as (key, value) pairs."""
    out = []
    for item in items or []:
        if "=" not in item:
            raise NormsimDataError(f"{option} {item!r}: expected KEY=VALUE")
        k, v = item.split("=", 1)
        out.append((k.strip(), v.strip()))
    return out


def select_points(nf: NormsimFile, where, option: str = "--where") -> np.ndarray:
    """Indices of the points matching every ``(key, value)`` of ``where`` (given as ``option``).

    Numeric values match within a relative 1e-9; categorical values match a label.
    """
    mask = np.ones(nf.n_points, dtype=bool)
    for key, value in where:
        f = nf.factor(key)
        if f.categorical:
            if value not in f.levels:
                raise NormsimDataError(
                    f"{nf.path}: factor {key} has no level {value!r} (levels: {', '.join(f.levels)})")
            mask &= f.values == value
        else:
            try:
                x = float(value)
            except ValueError:
                raise NormsimDataError(f"{option} {key}={value}: not a number") from None
            hit = np.isclose(f.values, x, rtol=1e-9, atol=1e-12)
            if not hit.any():
                levels = ", ".join(f"{v:.6g}" for v in f.levels)
                raise NormsimDataError(f"{nf.path}: factor {key} has no level {value} (levels: {levels})")
            mask &= hit
    points = np.flatnonzero(mask)
    if points.size == 0:
        raise NormsimDataError(f"{nf.path}: no design point matches {option} "
                               + " ".join(f"{k}={v}" for k, v in where))
    return points


def free_factors(nf: NormsimFile, points, used) -> list[str]:
    """Factors other than ``used`` that still vary over ``points``."""
    out = []
    for key, f in nf.factors().items():
        if key not in used and len(set(f.values[points].tolist())) > 1:
            out.append(key)
    return out


def group_points(nf: NormsimFile, points, by: str | None) -> list[tuple[str, np.ndarray]]:
    """Groups of points as (label, point indices): one group per point when ``by`` is None,
    else one per level of factor ``by`` (pooling the runs of the other factors)."""
    points = np.asarray(points)
    if by is None:
        shown = free_factors(nf, points, used=())
        return [(nf.point_label(int(p), shown), np.array([p])) for p in points]
    f = nf.factor(by)
    groups = []
    for level in f.levels:
        members = points[np.asarray([f.values[p] == level for p in points])] if f.categorical \
            else points[np.isclose(f.values[points], level)]
        if members.size:
            groups.append((f.format_level(level) if f.categorical
                           else f"{by.split('.')[-1]}={f.format_level(level)}", members))
    return groups


# -- figures --------------------------------------------------------------------------------
def new_figure_labels(fig, nf: NormsimFile, title: str, caption: str = "",
                      counts: str | None = None) -> None:
    """Title naming the scenario file; footer with the normsim version, commit and caption.

    ``counts``: what the footer says after the commit (default: points x replicates)."""
    # Pinned 0.08 in below the top edge: tight_layout reserves the title's height from the edge.
    fig.suptitle(f"{title}\nscenario: {nf.attr('scenario_file')}", fontsize=12,
                 y=1 - 0.08 / fig.get_size_inches()[1], va="top")
    overrides = nf.h5.attrs.get("cli_overrides", [])
    overrides = [_text(o) for o in np.atleast_1d(overrides)] if len(overrides) else []
    if counts is None:
        counts = (f"{nf.n_points} point(s) x {nf.n_replicates} replicates" if nf.n_replicates
                  else f"{nf.n_points} point(s)")
    footer = f"normsim {nf.attr('normsim_version')}, commit {nf.attr('git_commit')[:12]}; {counts}"
    if overrides:
        footer += "; --set " + " ".join(overrides)
    if not nf.complete:
        footer += "; INCOMPLETE FILE (complete = 0)"
    text = footer if not caption else caption + "\n" + footer
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7.5, color="0.3", wrap=True)


def save_figure(fig, stem: str, bottom_lines: int = 2, right: float = 1.0) -> list[str]:
    """Lay out ``fig`` leaving room for a footer of ``bottom_lines`` lines (and a legend right of
    ``right``, as a fraction of the width); write STEM.png and STEM.svg; return their paths."""
    height_in = fig.get_size_inches()[1]
    bottom = min(0.4, (0.08 + 0.135 * bottom_lines) / height_in)
    fig.tight_layout(rect=(0, bottom, right, 1))
    d = os.path.dirname(stem)
    if d:
        os.makedirs(d, exist_ok=True)
    paths = [f"{stem}.png", f"{stem}.svg"]
    for p in paths:
        fig.savefig(p)
    plt.close(fig)
    return paths


def set_factor_axis(ax, factor: Factor, axis: str = "x") -> None:
    """Scale (linear or log) and ticks of a numeric factor's axis: on a log axis, ticks at the
    design levels (up to 8) written plainly, not as powers of ten."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter
    a = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(factor.axis_label())
    if factor.scale != "log":
        return
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    levels = factor.levels
    if len(levels) > 8:
        levels = levels[:: math.ceil(len(levels) / 8)]
    a.set_major_locator(FixedLocator(levels))
    a.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3g}"))
    a.set_minor_formatter(NullFormatter())


def legend_right(fig, ax, title: str, handles=None, labels=None) -> float:
    """A figure legend right of the panels with ``ax``'s handles (or ``handles`` and ``labels``);
    returns the width share left for the panels (pass it to :func:`save_figure` as ``right``)."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    elif labels is None:
        labels = [h.get_label() for h in handles]
    if not handles:
        return 1.0
    longest = max(len(str(x)) for x in labels + [title])
    width_in = fig.get_size_inches()[0]
    share = min(0.4, (0.5 + 0.075 * longest) / width_in)
    fig.legend(handles, labels, title=title, loc="center left", bbox_to_anchor=(1 - share, 0.55),
               fontsize=9, title_fontsize=9, frameon=False)
    return 1 - share


def interval_errors(iv: Interval) -> np.ndarray:
    """Error-bar lengths [2, n] (below, above) of an interval around its estimate, for
    ``errorbar``/``bar(xerr=...)``: never negative (an end on the wrong side of the estimate, as
    a percentile bootstrap may give, draws no bar on that side), 0 where a value is NaN."""
    with np.errstate(invalid="ignore"):
        below = np.clip(iv.estimate - iv.low, 0, None)
        above = np.clip(iv.high - iv.estimate, 0, None)
    return np.nan_to_num(np.vstack([below, above]), nan=0.0, posinf=0.0)


def verdict_handles(labels=VERDICTS) -> list:
    """Legend handles (coloured squares) for the verdicts ``labels``."""
    from matplotlib.patches import Patch
    return [Patch(facecolor=VERDICT_COLORS.get(v, "white"), edgecolor="0.3", label=v)
            for v in labels]


def text_color_on(rgba) -> str:
    """Black or white, whichever reads better on a fill of colour ``rgba``."""
    r, g, b = matplotlib.colors.to_rgb(rgba)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def split_list(text: str) -> list[str]:
    """``a,b,c`` as a list (blanks ignored)."""
    return [t.strip() for t in text.split(",") if t.strip()]


def panel_grid(n: int, max_cols: int = 3) -> tuple[int, int]:
    cols = min(n, max_cols)
    return math.ceil(n / cols), cols


def base_parser(description: str,
                file_help: str = "normsim output file (normsim run ... -o FILE.h5)"
                ) -> argparse.ArgumentParser:
    """An argument parser with the positional FILE and ``-o OUTPUT_STEM`` every script takes."""
    p = argparse.ArgumentParser(description=description,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE.h5", help=file_help)
    p.add_argument("-o", "--output", metavar="OUTPUT_STEM", required=True,
                   help="write OUTPUT_STEM.png and OUTPUT_STEM.svg")
    return p


def run_main(main) -> None:
    """Run ``main()``; a :class:`NormsimDataError` prints ``error: ...`` and exits with status 2."""
    try:
        paths = main()
    except NormsimDataError as err:
        print(f"{os.path.basename(sys.argv[0])}: error: {err}", file=sys.stderr)
        sys.exit(2)
    for p in paths or []:
        print(p)
