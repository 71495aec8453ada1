"""normsim in Python: read, plot and report the simulator's HDF5 files; run it in-process.

Reading (:mod:`normsim.io`; numpy, h5py, pandas, xarray)::

    import normsim
    ds = normsim.open("sweep.h5")        # file of normsim run: xarray.Dataset (point, replicate)
    ds.xrisk.mean("replicate")
    verdicts = normsim.open("check.h5")  # file of normsim check: DataFrame, a row per claim entry
    found = normsim.open("disc.h5")      # file of normsim discover: Discovery (boxes, restrictions, ...)
    att = normsim.open("attr.h5")        # file of normsim attribute: DataFrame of indices

``normsim.read_outcomes``, ``read_claims``, ``read_attribution`` and ``read_discovery`` read one
part of any file;
``normsim.summary`` and ``normsim.tidy`` give per-point statistics and one row per run.

Figures (:mod:`normsim.plots`, imported on first use; matplotlib): ``sweep_lines``,
``sweep_heatmap``, ``fan_chart``, ``outcome_distributions``, ``attribution_bars``,
``verdict_map``, ``discovery`` take those objects or a path and return a
``matplotlib.figure.Figure``.
Reports: :mod:`normsim.report`.

Running (``run``, ``attribute``, ``check``, ``plan``; :mod:`normsim.engine`) needs the compiled module ``normsim._engine``; where
it was not built, calling them raises :class:`EngineMissingError` (an ``ImportError``) saying so,
and ``normsim.engine_available`` is False. Missing data raises :class:`NormsimDataError` (a
``ValueError``) naming the file and the dataset.
"""

from __future__ import annotations

import importlib
import os

from ._errors import EngineMissingError, NormsimDataError, ScenarioError
from ._boundary import read_boundary
from .io import (file_kind, open, read_attribution, read_claims, read_discovery, read_outcomes,
                 summary, tidy)

__version__ = "0.1.0"

__all__ = ["open", "file_kind", "read_outcomes", "read_claims", "read_attribution", "read_discovery",
           "read_boundary", "summary",
           "tidy", "run", "attribute", "check", "plan", "NormsimDataError", "ScenarioError",
           "EngineMissingError", "engine_available", "plots", "report", "io", "__version__"]

_LAZY = ("plots", "report")  # matplotlib and the report are imported when first used


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


def _engine_missing(name: str, reason: str, cause: BaseException | None):
    """A stand-in for ``normsim.<name>`` that raises :class:`EngineMissingError` with ``reason``."""
    here = os.path.dirname(os.path.abspath(__file__))
    message = (f"normsim.{name} needs the compiled module normsim._engine, which {reason} "
               f"(looked in {here}). It is built by CMake with pybind11-dev (scripts/setup "
               "installs it) into build/<preset>/python/normsim/, next to these modules: build "
               "the project, then put build/<preset>/python on PYTHONPATH (or cmake --install). "
               "normsim.open and normsim.plots work without it.")

    def missing(*args, **kwargs):
        raise EngineMissingError(message, name=f"{__name__}._engine") from cause

    missing.__name__ = missing.__qualname__ = name
    missing.__doc__ = f"Unavailable: {message}"
    return missing


try:
    _engine = importlib.import_module(f"{__name__}._engine")
except ModuleNotFoundError as err:
    if err.name != f"{__name__}._engine":  # the engine exists but needs a module that does not
        _engine, _reason, _cause = None, f"failed to load ({err})", err
    else:
        _engine, _reason, _cause = None, "was not built", None
except ImportError as err:  # e.g. built for another Python, or a shared library not found
    _engine, _reason, _cause = None, f"failed to load ({err})", err

#: True when the compiled module normsim._engine was imported (run, attribute, check work).
engine_available = _engine is not None

if _engine is not None:
    from .engine import attribute, check, plan, run, to_toml  # noqa: E402
else:
    run = _engine_missing("run", _reason, _cause)
    attribute = _engine_missing("attribute", _reason, _cause)
    check = _engine_missing("check", _reason, _cause)
    plan = _engine_missing("plan", _reason, _cause)
