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
"""

from __future__ import annotations

import argparse
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


class NormsimFile:
    """A normsim HDF5 file, read with h5py. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str):
        self.path = path
        if not os.path.exists(path):
            raise NormsimDataError(f"{path}: no such file")
        try:
            self.h5 = h5py.File(path, "r")
        except OSError as err:
            raise NormsimDataError(f"{path}: not an HDF5 file ({err})") from None
        fmt = _text(self.h5.attrs.get("format", ""))
        if fmt != "normsim-runs":
            self.h5.close()
            raise NormsimDataError(
                f"{path}: not a normsim output file (root attribute 'format' is {fmt!r}, "
                "expected 'normsim-runs')")
        self.require("outcomes")
        first = next(iter(self.h5["outcomes"].values()), None)
        if first is None:
            raise NormsimDataError(f"{path}: group /outcomes is empty")
        self.n_points, self.n_replicates = first.shape
        self._factors = None

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

    def label(self, name: str, group: str = "outcomes") -> str:
        """``name (units)`` for an axis."""
        return f"{name} ({self.units(name, group) or 'dimensionless'})"

    # -- design -----------------------------------------------------------------------------
    def factors(self) -> dict[str, Factor]:
        """The design factors by key, in file order; empty for a single scenario."""
        if self._factors is None:
            self._factors = {}
            if "design" in self.h5:
                for key, ds in self.h5["design"].items():
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

    def factor(self, key: str) -> Factor:
        """A design factor by key; a clear error listing the factors when absent."""
        factors = self.factors()
        if key not in factors:
            have = ", ".join(factors) or "none: a single scenario"
            raise NormsimDataError(
                f"{self.path}: missing dataset /design/{key} (design factors: {have})")
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
def parse_where(items) -> list[tuple[str, str]]:
    """``KEY=VALUE`` strings (``--where``) as (key, value) pairs."""
    out = []
    for item in items or []:
        if "=" not in item:
            raise NormsimDataError(f"--where {item!r}: expected KEY=VALUE")
        k, v = item.split("=", 1)
        out.append((k.strip(), v.strip()))
    return out


def select_points(nf: NormsimFile, where) -> np.ndarray:
    """Indices of the points matching every ``(key, value)`` of ``where``.

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
                raise NormsimDataError(f"--where {key}={value}: not a number") from None
            hit = np.isclose(f.values, x, rtol=1e-9, atol=1e-12)
            if not hit.any():
                levels = ", ".join(f"{v:.6g}" for v in f.levels)
                raise NormsimDataError(f"{nf.path}: factor {key} has no level {value} (levels: {levels})")
            mask &= hit
    points = np.flatnonzero(mask)
    if points.size == 0:
        raise NormsimDataError(f"{nf.path}: no design point matches --where "
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
def new_figure_labels(fig, nf: NormsimFile, title: str, caption: str = "") -> None:
    """Title naming the scenario file; footer with the normsim version, commit and caption."""
    # Pinned 0.08 in below the top edge: tight_layout reserves the title's height from the edge.
    fig.suptitle(f"{title}\nscenario: {nf.attr('scenario_file')}", fontsize=12,
                 y=1 - 0.08 / fig.get_size_inches()[1], va="top")
    overrides = nf.h5.attrs.get("cli_overrides", [])
    overrides = [_text(o) for o in np.atleast_1d(overrides)] if len(overrides) else []
    footer = (f"normsim {nf.attr('normsim_version')}, commit {nf.attr('git_commit')[:12]}; "
              f"{nf.n_points} point(s) x {nf.n_replicates} replicates")
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


def legend_right(fig, ax, title: str) -> float:
    """A figure legend right of the panels with ``ax``'s handles; returns the width share left
    for the panels (pass it to :func:`save_figure` as ``right``)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return 1.0
    longest = max(len(str(x)) for x in labels + [title])
    width_in = fig.get_size_inches()[0]
    share = min(0.4, (0.5 + 0.075 * longest) / width_in)
    fig.legend(handles, labels, title=title, loc="center left", bbox_to_anchor=(1 - share, 0.55),
               fontsize=9, title_fontsize=9, frameon=False)
    return 1 - share


def split_list(text: str) -> list[str]:
    """``a,b,c`` as a list (blanks ignored)."""
    return [t.strip() for t in text.split(",") if t.strip()]


def panel_grid(n: int, max_cols: int = 3) -> tuple[int, int]:
    cols = min(n, max_cols)
    return math.ceil(n / cols), cols


def base_parser(description: str) -> argparse.ArgumentParser:
    """An argument parser with the positional FILE and ``-o OUTPUT_STEM`` every script takes."""
    p = argparse.ArgumentParser(description=description,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE.h5", help="normsim output file (normsim run ... -o FILE.h5)")
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
