"""The exceptions of the normsim package.

- :class:`NormsimDataError` (a ``ValueError``): a file or an object lacks what was asked of it (a
  missing file, dataset, attribute, design factor or level). Its message names the file and the
  dataset (``sweep.h5: missing dataset /series/hazard``); the attributes ``path`` and ``dataset``
  hold them for programs ("" when not known).
- :class:`ScenarioError` (a ``ValueError``): a bad scenario given to ``normsim.run``,
  ``attribute`` or ``check``. Defined here, in pure Python, so that the compiled module ``normsim._engine`` can raise
  this very class (import it with pybind11 and translate its C++ exception into it) and so that
  ``except normsim.ScenarioError`` is valid code even where the compiled module was not built.
- :class:`EngineMissingError` (an ``ImportError``): ``normsim.run``, ``attribute`` or ``check`` was
  called but the compiled module ``normsim._engine`` was not built or failed to load.
"""

from __future__ import annotations


class NormsimDataError(ValueError):
    """A normsim file or object lacks what was asked (file, dataset, attribute, factor, level).

    ``path``: the file (or ``<dataset>`` for an object not read from a file); ``dataset``: the
    HDF5 path of the missing or bad dataset, "" when the error is not about one."""

    def __init__(self, message: str, path: str = "", dataset: str = ""):
        super().__init__(message)
        self.path = path
        self.dataset = dataset


class ScenarioError(ValueError):
    """A scenario (file, TOML text or dict) or an override that normsim refuses; the message names
    the file or string, the line, the key and the allowed values."""


class EngineMissingError(ImportError):
    """The compiled part of the package (``normsim._engine``) is not available."""
