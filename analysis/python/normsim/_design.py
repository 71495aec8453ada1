"""Design factors over the points of a sweep (or the entries of a claim), and how points are picked.

A :class:`Design` is read from a file's /design group, from the coordinates of an outcomes Dataset
or from the factor columns of a claims table; the plots and the report use it to select points
(``where``/``at``), group them (``by``) and name them, with errors that name the file and the
dataset (/design/<key>).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._errors import NormsimDataError
from ._schema import KEY_UNITS_FALLBACK


@dataclass
class Factor:
    """One design factor: a scenario key that varies over the points.

    ``values`` [n]: float64 for a numeric factor, labels (object array of str) for a categorical
    one; ``levels``: the distinct levels, in label order (categorical) or increasing (numeric);
    ``units`` ("" when dimensionless or categorical); ``scale``: "linear", "log", or ""
    (categorical).
    """

    key: str
    categorical: bool
    values: np.ndarray
    levels: list
    units: str
    scale: str

    def axis_label(self) -> str:
        """The factor as an axis label, with its units."""
        if self.categorical:
            return self.key
        return f"{self.key} ({self.units or 'dimensionless'})"

    def format_level(self, level) -> str:
        """A level as short text (4 significant digits for numbers)."""
        if self.categorical:
            return str(level)
        return f"{level:.4g}"


def categorical_factor(key: str, labels, values) -> Factor:
    """A categorical factor from its labels (level order) and its [n] values (labels)."""
    return Factor(key, True, np.asarray(values, dtype=object), [str(x) for x in labels], "", "")


def numeric_factor(key: str, values, units: str = "", scale: str = "") -> Factor:
    """A numeric factor from its [n] values; units fall back to REFERENCE.md's for known keys."""
    values = np.asarray(values, dtype=float)
    levels = sorted(set(float(x) for x in values if np.isfinite(x)))
    return Factor(key, False, values, levels, units or KEY_UNITS_FALLBACK.get(key, ""),
                  scale or "linear")


def parse_where(items, option: str = "--where") -> list[tuple[str, str]]:
    """Conditions as (key, value-as-text) pairs, from ``KEY=VALUE`` strings, a dict or pairs.

    ``option`` names the argument in messages (``--where``, ``--at``, ``where=``)."""
    if items is None:
        return []
    if isinstance(items, dict):
        return [(str(k).strip(), _level_text(v)) for k, v in items.items()]
    if isinstance(items, str):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, (tuple, list)) and len(item) == 2:
            out.append((str(item[0]).strip(), _level_text(item[1])))
            continue
        if not isinstance(item, str) or "=" not in item:
            raise NormsimDataError(f"{option} {item!r}: expected KEY=VALUE")
        k, v = item.split("=", 1)
        out.append((k.strip(), v.strip()))
    return out


def where_text(pairs) -> list[str]:
    """Conditions as ``KEY=VALUE`` strings (for captions)."""
    return [f"{k}={v}" for k, v in pairs]


def _level_text(value) -> str:
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value).strip()


class Design:
    """Design factors over ``n`` entries (design points, or a claim's entries).

    ``source``: the file named in messages; ``group``: the HDF5 group of the factors (``design``,
    or ``claims/<id>/design``); ``name``: how a lone point is named (the scenario's file name)."""

    def __init__(self, factors: dict, n: int, source: str, group: str = "design", name: str = ""):
        self._factors = dict(factors)
        self.n_points = int(n)
        self.source = source
        self.group = group
        self.name = name
        for f in self._factors.values():
            if len(f.values) != self.n_points:
                raise NormsimDataError(
                    f"{source}: /{group}/{f.key} has {len(f.values)} values, expected {n}",
                    source, f"/{group}/{f.key}")

    def factors(self) -> dict:
        """The factors by key, in file order; empty for a single scenario."""
        return self._factors

    def factor(self, key: str) -> Factor:
        """A factor by key; a :class:`NormsimDataError` naming /<group>/<key> when absent."""
        if key not in self._factors:
            have = ", ".join(self._factors) or "none: a single scenario"
            raise NormsimDataError(
                f"{self.source}: missing dataset /{self.group}/{key} (design factors: {have})",
                self.source, f"/{self.group}/{key}")
        return self._factors[key]

    def point_label(self, point: int, keys=None) -> str:
        """A short text naming a point by its factor values (``keys``: the factors to show)."""
        keys = list(self._factors) if keys is None else keys
        if not keys:
            return self.name if self.n_points == 1 else f"point {point}"
        parts = []
        for k in keys:
            f = self._factors[k]
            v = f.values[point]
            parts.append(str(v) if f.categorical else f"{k.split('.')[-1]}={v:.4g}")
        return ", ".join(parts)

    def select(self, where, option: str = "--where") -> np.ndarray:
        """Indices of the points matching every (key, value) pair of ``where``.

        Numeric values match within a relative 1e-9; categorical values match a label. An unknown
        factor, level or an empty selection is a :class:`NormsimDataError`."""
        mask = np.ones(self.n_points, dtype=bool)
        for key, value in where:
            f = self.factor(key)
            if f.categorical:
                if value not in f.levels:
                    raise NormsimDataError(
                        f"{self.source}: factor {key} has no level {value!r} "
                        f"(levels: {', '.join(f.levels)})", self.source, f"/{self.group}/{key}")
                mask &= f.values == value
            else:
                try:
                    x = float(value)
                except ValueError:
                    raise NormsimDataError(f"{option} {key}={value}: not a number") from None
                hit = np.isclose(f.values, x, rtol=1e-9, atol=1e-12)
                if not hit.any():
                    levels = ", ".join(f"{v:.6g}" for v in f.levels)
                    raise NormsimDataError(
                        f"{self.source}: factor {key} has no level {value} (levels: {levels})",
                        self.source, f"/{self.group}/{key}")
                mask &= hit
        points = np.flatnonzero(mask)
        if points.size == 0:
            raise NormsimDataError(f"{self.source}: no design point matches {option} "
                                   + " ".join(where_text(where)), self.source)
        return points

    def free_factors(self, points, used=()) -> list:
        """Factors other than ``used`` that take more than one value over ``points``."""
        return [key for key, f in self._factors.items()
                if key not in used and len(set(f.values[points].tolist())) > 1]

    def group_points(self, points, by: str | None) -> list:
        """Groups of points as (label, point indices): one per point when ``by`` is None, else one
        per level of factor ``by`` (pooling the points of the other factors' levels)."""
        points = np.asarray(points)
        if by is None:
            shown = self.free_factors(points)
            return [(self.point_label(int(p), shown), np.array([p])) for p in points]
        f = self.factor(by)
        groups = []
        for level in f.levels:
            members = points[f.values[points] == level] if f.categorical \
                else points[np.isclose(f.values[points].astype(float), level)]
            if members.size:
                groups.append((f.format_level(level) if f.categorical
                               else f"{by.split('.')[-1]}={f.format_level(level)}", members))
        return groups
