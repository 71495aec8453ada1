"""Running normsim in-process: ``run``, ``attribute``, ``check`` and ``plan`` on the compiled engine.

Each function takes a scenario as a file path, TOML text or a dict, ``set=`` overrides with the
keys and values of ``normsim run --set`` (a dict, or a list of ``"key=value"`` strings), and runs
the same engine as the command line: the same file, bit for bit (``normsim.run(path,
replicates=R, seed=S)`` gives the outcomes of ``normsim run path --replicates R --seed S``).

The results are read back from the HDF5 file the engine writes: ``output=`` keeps it (and its
journal, so that ``resume=True`` continues an interrupted run); without it the file goes to a
temporary directory and is removed once read. The engine runs with the GIL released, on all
cores unless ``threads=`` says otherwise. Ctrl-C stops it as it stops the CLI: runs in flight
finish, the runs done stay in the journal (when ``output=`` was given), and KeyboardInterrupt is
raised. Progress: a tqdm bar where tqdm is installed, else the CLI's progress line on stderr;
``quiet=True`` shows neither, or pass ``progress=callable(done, total)``.

Bad input raises :class:`normsim.ScenarioError` (a ``ValueError``) naming the file or string, the
line, the key and the allowed values; nothing is written then. An existing output raises
``FileExistsError`` unless ``overwrite=True``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile

from . import _engine
from .io import read_attribution, read_claims, read_outcomes

__all__ = ["run", "attribute", "check", "plan", "to_toml"]


# -- scenario and overrides -----------------------------------------------------------------------

def _toml_value(value) -> str:
    """A Python value as a TOML value (inline tables for dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if hasattr(value, "item"):  # numpy scalars
        return _toml_value(value.item())
    raise TypeError(f"cannot write {type(value).__name__} {value!r} as a TOML value")


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)


def to_toml(scenario: dict) -> str:
    """A scenario given as a dict (as tomllib reads a scenario file) as TOML text: nested dicts
    become tables, lists of dicts arrays of tables (``claims``, ``individuals``)."""
    lines: list[str] = []

    def table(prefix: str, d: dict) -> None:
        scalars = [(k, v) for k, v in d.items() if not _is_table(v) and not _is_table_array(v)]
        if prefix and (scalars or not d):
            lines.append(f"[{prefix}]")
        for k, v in scalars:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
        for k, v in d.items():
            name = f"{prefix}.{_toml_key(k)}" if prefix else _toml_key(k)
            if _is_table(v):
                table(name, v)
            elif _is_table_array(v):
                for item in v:
                    lines.append(f"[[{name}]]")
                    for ik, iv in item.items():
                        lines.append(f"{_toml_key(ik)} = {_toml_value(iv)}")

    if not isinstance(scenario, dict):
        raise TypeError("a scenario dict must be a dict")
    table("", scenario)
    return "\n".join(lines) + "\n"


def _is_table(v) -> bool:
    return isinstance(v, dict)


def _is_table_array(v) -> bool:
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, dict) for x in v)


def _scenario(scenario):
    """(scenario, is_path, source) for the engine: a path, or TOML text with a name for messages."""
    if isinstance(scenario, dict):
        return to_toml(scenario), False, "<scenario dict>"
    if isinstance(scenario, os.PathLike):
        return os.fspath(scenario), True, os.fspath(scenario)
    if not isinstance(scenario, str):
        raise TypeError(f"scenario must be a path, TOML text or a dict, not {type(scenario).__name__}")
    if "\n" not in scenario and (os.path.exists(scenario) or scenario.endswith(".toml")):
        return scenario, True, scenario  # a path (a missing one is reported by the engine)
    return scenario, False, "<scenario text>"


def _overrides(set_, extra: dict) -> list[str]:
    """``set=`` as "key=value" strings in order, then the keyword overrides (replicates, seed)."""
    out: list[str] = []
    if set_ is None:
        pass
    elif isinstance(set_, dict):
        for key, value in set_.items():
            # A string is passed as the CLI takes it (TOML syntax, bare words as strings).
            out.append(f"{key}={value if isinstance(value, str) else _toml_value(value)}")
    else:
        for item in set_:
            if not isinstance(item, str) or "=" not in item:
                raise TypeError(f"set= takes a dict or 'key=value' strings, got {item!r}")
            out.append(item)
    for key, value in extra.items():
        if value is not None:
            out.append(f"{key}={_toml_value(value)}")
    return out


# -- running --------------------------------------------------------------------------------------

def _progress(progress, quiet: bool):
    """The progress callable for the engine, and a closer; None: the engine's own stderr line."""
    if quiet or progress is not None:
        return (None if quiet else progress), (lambda: None)
    try:
        from tqdm.auto import tqdm  # optional
    except ImportError:
        return None, (lambda: None)
    bar = {"bar": None}

    def update(done: int, total: int) -> None:
        if bar["bar"] is None:
            bar["bar"] = tqdm(total=total, unit="run", desc="normsim")
        bar["bar"].n = done
        bar["bar"].refresh()

    def close() -> None:
        if bar["bar"] is not None:
            bar["bar"].close()

    return update, close


@contextlib.contextmanager
def _output(output, stem: str):
    """The output path: the caller's, or a file in a temporary directory removed afterwards."""
    if output is not None:
        yield os.fspath(output)
        return
    with tempfile.TemporaryDirectory(prefix="normsim-") as directory:
        yield os.path.join(directory, stem + ".h5")


def _command_line(name: str, scenario_arg, kwargs: dict) -> str:
    shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items() if v not in (None, False, 0, ""))
    return f"python: normsim.{name}({scenario_arg!r}{', ' if shown else ''}{shown})"


def _finish(status: dict, output, resume_hint: str) -> None:
    if status["status"] == "interrupted":
        where = (f"the runs done are kept in {output}.journal; call again with resume=True to continue"
                 if output is not None else "pass output= to keep the runs done and resume=True to continue")
        raise KeyboardInterrupt(f"normsim.{resume_hint} interrupted: {where}")
    if status["status"] != "written":
        raise RuntimeError(f"normsim.{resume_hint}: the engine stopped ({status['status']})")


def run(scenario, *, set=None, replicates=None, seed=None, output=None, series=False, threads=0,
        quiet=False, overwrite=False, resume=False, force=False, progress=None):
    """Runs every design point × replicates of `scenario` and returns the outcomes as an
    ``xarray.Dataset`` (dims point, replicate; design factors as coordinates; provenance in
    attrs; with ``series=True`` also the per-step series, dims point, replicate, step)."""
    text, is_path, source = _scenario(scenario)
    overrides = _overrides(set, {"run.replicates": replicates, "run.seed": seed})
    callback, close = _progress(progress, quiet)
    line = _command_line("run", scenario if not isinstance(scenario, dict) else "<dict>",
                         {"set": set, "replicates": replicates, "seed": seed, "output": output})
    with _output(output, "run") as path:
        try:
            status = _engine.run(text, is_path, source, overrides, path, bool(series), int(threads),
                                 bool(quiet), bool(overwrite), bool(resume), bool(force), callback, line)
        finally:
            close()
        _finish(status, output, "run")
        ds = read_outcomes(path, series=bool(series))
        if output is None:
            ds = ds.load()  # the temporary file goes away
    return ds


def attribute(scenario, *, set=None, outcomes=None, rows=None, bootstrap=None, researchers=True,
              radial=False, shapley=False, janon=0, output=None, threads=0, quiet=False,
              overwrite=False, resume=False, progress=None):
    """Variance attribution of `scenario` (its [attribution] section, with these options on top):
    a ``pandas.DataFrame`` of every index with its interval (one row per table, factor and index;
    columns outcome, table, factor, kind, measure, estimate, low, high, confidence, …)."""
    text, is_path, source = _scenario(scenario)
    overrides = _overrides(set, {})
    callback, close = _progress(progress, quiet)
    line = _command_line("attribute", scenario if not isinstance(scenario, dict) else "<dict>",
                         {"set": set, "rows": rows, "output": output})
    with _output(output, "attribution") as path:
        try:
            status = _engine.attribute(text, is_path, source, overrides, path, list(outcomes or []), rows,
                                       bootstrap, not researchers, bool(radial), bool(shapley), int(janon),
                                       int(threads), bool(quiet), bool(overwrite), bool(resume), callback, line)
        finally:
            close()
        _finish(status, output, "attribute")
        return read_attribution(path)


def check(scenario, *, set=None, output=None, until_decided=False, max_runs=None, max_time=None, threads=0,
          quiet=True, overwrite=False, resume=False, force=False, progress=None):
    """Checks the claims of `scenario`: a ``pandas.DataFrame`` with one row per claim and entry
    (claim, the entry's design coordinates, verdict, estimate, low, high, n, n_needed, prospect,
    runs, and the claim's statement, quantity, confidence, guarantee, …). The attributions the
    claims need are made too. ``until_decided=True`` is ``normsim check --until-decided``: rounds
    of more runs for the undecided entries, at most ``max_runs`` runs in all and no new round
    after ``max_time`` seconds."""
    text, is_path, source = _scenario(scenario)
    overrides = _overrides(set, {})
    callback, close = _progress(progress, quiet)
    line = _command_line("check", scenario if not isinstance(scenario, dict) else "<dict>",
                         {"set": set, "output": output})
    with _output(output, "check") as path:
        try:
            status = _engine.check(text, is_path, source, overrides, path, bool(until_decided),
                                   int(max_runs or 0), float(max_time or 0), int(threads), bool(quiet),
                                   bool(overwrite), bool(resume), bool(force), callback, line)
        finally:
            close()
        _finish(status, output, "check")
        return read_claims(path)


def plan(scenario, *, set=None, threads=0, series=True) -> str:
    """The design and what running it will cost (as ``normsim plan`` prints it)."""
    text, is_path, source = _scenario(scenario)
    return _engine.plan(text, is_path, source, _overrides(set, {}), int(threads), bool(series))
