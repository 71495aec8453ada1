"""Strict, low-level reading of a normsim HDF5 file with h5py (the layer under :mod:`normsim.io`).

A normsim file (REFERENCE.md, "HDF5 output"; root attribute ``format`` = "normsim-runs") holds
P design points × R replicates (× T steps): /outcomes/<name> [P, R], /series/<name> [P, R, T],
/design/<key> [P] (float64, or int64 level codes with attribute ``labels``), /runs/completed
[P, R], /summary/<outcome>/<stat> [P], /attribution/<table>/... (normsim attribute) and
/claims/<id>/... (normsim check), with provenance in root attributes.

Every accessor raises :class:`~normsim._errors.NormsimDataError` naming the file and the missing
dataset or attribute; nothing here guesses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import h5py
import numpy as np

from ._design import Design, categorical_factor, numeric_factor
from ._errors import NormsimDataError

#: Attributes HDF5 dimension scales and netCDF add to datasets; not copied into objects.
INTERNAL_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_FillValue",
                  "_Netcdf4Dimid", "_Netcdf4Coordinates", "_nc3_strict"}


def text(value) -> str:
    """An HDF5 string attribute (bytes or str) as str."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def plain(value):
    """An attribute value as a plain Python object: str, int, float, bool or a list of them."""
    if isinstance(value, bytes):
        return text(value)
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return plain(value[()])
        return [plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def attributes(obj) -> dict:
    """The attributes of an HDF5 object as plain Python values, without HDF5's internal ones."""
    return {k: plain(v) for k, v in obj.attrs.items() if k not in INTERNAL_ATTRS
            and not isinstance(v, h5py.Reference)
            and not (isinstance(v, np.ndarray) and v.dtype == object and v.size
                     and isinstance(v.flat[0], (h5py.Reference, np.ndarray)))}


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
    """A normsim HDF5 file open for reading. Use as a context manager or call :meth:`close`."""

    def __init__(self, path, formats=("normsim-runs",)):
        """Open ``path``; ``formats``: accepted values of the root attribute ``format`` (None: any).
        Raises :class:`NormsimDataError` for a missing file, a file that is not HDF5, or another
        format."""
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise NormsimDataError(f"{self.path}: no such file", self.path)
        try:
            self.h5 = h5py.File(self.path, "r")
        except OSError as err:
            raise NormsimDataError(f"{self.path}: not an HDF5 file ({err})", self.path) from None
        fmt = text(self.h5.attrs.get("format", ""))
        if formats is not None and fmt not in formats:
            self.h5.close()
            raise NormsimDataError(
                f"{self.path}: not a normsim output file (root attribute 'format' is {fmt!r}, "
                f"expected {' or '.join(repr(f) for f in formats)})", self.path)
        self._design = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.h5.close()

    # -- attributes ---------------------------------------------------------------------------
    def attr(self, name: str, default: str = "?") -> str:
        """A root attribute as text (``default`` when absent)."""
        return text(self.h5.attrs[name]) if name in self.h5.attrs else default

    def root_attrs(self) -> dict:
        """Every root attribute as plain Python values (provenance)."""
        return attributes(self.h5)

    @property
    def scenario_name(self) -> str:
        """The scenario file's base name."""
        return os.path.basename(self.attr("scenario_file", "?"))

    @property
    def complete(self) -> bool:
        """The root attribute ``complete`` (1 when every run finished; absent reads as complete)."""
        return bool(self.h5.attrs.get("complete", 1))

    def _attribute(self, path: str, name: str):
        obj = self.require(path)
        if name not in obj.attrs:
            raise NormsimDataError(
                f"{self.path}: missing attribute '{name}' of /{path.strip('/')}", self.path,
                f"/{path.strip('/')}")
        return obj.attrs[name]

    def texts(self, path: str, name: str) -> list:
        """A string-array attribute of the object at ``path``; an error naming both if absent."""
        return [text(x) for x in np.atleast_1d(self._attribute(path, name))]

    def text_attr(self, path: str, name: str) -> str:
        """A string attribute of the object at ``path``; an error naming both if absent."""
        return text(self._attribute(path, name))

    def number_attr(self, path: str, name: str) -> float:
        """A numeric attribute of the object at ``path``; an error naming both if absent or not a
        number."""
        value = self._attribute(path, name)
        try:
            return float(np.asarray(value).reshape(-1)[0])
        except (TypeError, ValueError, IndexError):
            raise NormsimDataError(f"{self.path}: attribute '{name}' of /{path.strip('/')} is "
                                   f"not a number ({value!r})", self.path,
                                   f"/{path.strip('/')}") from None

    # -- datasets -----------------------------------------------------------------------------
    def require(self, dataset: str, hint: str = ""):
        """The dataset or group at ``dataset``; a :class:`NormsimDataError` naming it if absent."""
        name = "/" + dataset.strip("/")
        if name != "/" and dataset.strip("/") not in self.h5:
            msg = f"{self.path}: missing dataset {name}"
            if hint:
                msg += f" ({hint})"
            raise NormsimDataError(msg, self.path, name)
        return self.h5[name]

    def array(self, path: str, length: int | None = None, hint: str = "") -> np.ndarray:
        """A one-dimensional dataset as an array; an error naming it if absent, not 1-D or (with
        ``length``) of another length."""
        ds = self.require(path, hint)
        name = "/" + path.strip("/")
        if not isinstance(ds, h5py.Dataset) or ds.ndim != 1:
            raise NormsimDataError(f"{self.path}: {name} is not a one-dimensional dataset",
                                   self.path, name)
        if length is not None and ds.shape[0] != length:
            raise NormsimDataError(f"{self.path}: {name} has {ds.shape[0]} values, expected "
                                   f"{length}", self.path, name)
        return ds[:]

    def interval(self, group: str, length: int | None = None) -> Interval:
        """``<group>/{estimate, low, high}`` (float64 [n], as in /attribution/<table>/<index> and
        /claims/<id>); an error naming the first dataset missing or of another length."""
        group = group.strip("/")
        estimate = self.array(f"{group}/estimate", length).astype(float)
        n = len(estimate)
        return Interval(estimate, self.array(f"{group}/low", n).astype(float),
                        self.array(f"{group}/high", n).astype(float))

    def shape_of_runs(self) -> tuple[int, int]:
        """(P, R): from /outcomes, else /point and /replicate, else /design (R = 0: unknown)."""
        if "outcomes" in self.h5 and len(self.h5["outcomes"]):
            return next(iter(self.h5["outcomes"].values())).shape[:2]
        design = list(self.h5["design"].values()) if "design" in self.h5 else []
        p = (self.h5["point"].shape[0] if "point" in self.h5
             else design[0].shape[0] if design else 1)
        return p, (self.h5["replicate"].shape[0] if "replicate" in self.h5 else 0)

    # -- design -------------------------------------------------------------------------------
    def design(self, group: str = "design", n: int | None = None) -> Design:
        """The factors of ``group`` (/design, or a claim's /claims/<id>/design) as a
        :class:`Design` over ``n`` entries (default: P). A missing group is a single scenario."""
        if group == "design" and n is None and self._design is not None:
            return self._design
        n = self.shape_of_runs()[0] if n is None else n
        factors = {}
        if group in self.h5:
            for key, ds in self.h5[group].items():
                raw = self.array(f"{group}/{key}", n)
                if "labels" in ds.attrs:
                    labels = [text(x) for x in np.atleast_1d(ds.attrs["labels"])]
                    codes = raw.astype(np.int64)
                    if codes.size and (codes.min() < 0 or codes.max() >= len(labels)):
                        raise NormsimDataError(
                            f"{self.path}: /{group}/{key} holds a level code outside its "
                            f"{len(labels)} labels", self.path, f"/{group}/{key}")
                    factors[key] = categorical_factor(key, labels,
                                                      np.asarray(labels, dtype=object)[codes])
                else:
                    factors[key] = numeric_factor(key, raw, text(ds.attrs.get("units", "")),
                                                  text(ds.attrs.get("scale", "")))
        d = Design(factors, n, self.path, group, self.scenario_name)
        if group == "design":
            self._design = d
        return d
