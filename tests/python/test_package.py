"""The package as a whole: the place of the compiled module normsim._engine (absent, present,
broken), its version against the executable's, pyproject.toml, the staging into the build tree,
the command-line front ends and their import rule (no sys.path tricks)."""

import glob
import os
import shutil
import subprocess
import sys
import tomllib

import pytest

import normsim

PACKAGE_DIR = os.path.dirname(normsim.__file__)


def python(code: str, pythonpath: str, *args) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with only ``pythonpath`` added to the path."""
    env = dict(os.environ, PYTHONPATH=pythonpath, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the pure-Python package (no compiled module) in tmp_path/normsim; returns
    tmp_path, to put on PYTHONPATH."""
    shutil.copytree(PACKAGE_DIR, tmp_path / "normsim",
                    ignore=shutil.ignore_patterns("_engine*", "__pycache__"))
    return str(tmp_path)


def test_without_the_compiled_module_run_attribute_check_say_what_is_missing(package_copy):
    p = python("""
import normsim
assert not normsim.engine_available
for name in ("run", "attribute", "check"):
    try:
        getattr(normsim, name)("scenarios/baseline.toml")
    except ImportError as err:
        assert isinstance(err, normsim.EngineMissingError), type(err)
        assert err.name == "normsim._engine", err.name
        print(err)
    else:
        raise SystemExit(f"normsim.{name} did not raise")
assert issubclass(normsim.ScenarioError, ValueError)
""", package_copy)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 3
    for name, line in zip(("run", "attribute", "check"), lines):
        assert line.startswith(f"normsim.{name} needs the compiled module normsim._engine, "
                               "which was not built")
        assert "pybind11" in line and "PYTHONPATH" in line
        assert "normsim.open and normsim.plots work without it" in line


def test_the_compiled_module_is_used_when_present(package_copy):
    # A stand-in engine that records what the package passes it: scenario, is_path, source,
    # overrides, output path, then the options.
    with open(os.path.join(package_copy, "normsim", "_engine.py"), "w") as f:
        f.write("calls = []\n"
                "def run(*a):\n    calls.append(a)\n    return {'status': 'interrupted'}\n"
                "def attribute(*a):\n    calls.append(a)\n    return {'status': 'failed'}\n"
                "def check(*a):\n    calls.append(a)\n    return {'status': 'failed'}\n")
    p = python("""
import normsim, normsim._engine as e, normsim._errors
assert normsim.engine_available
assert normsim.run is normsim.engine.run
assert normsim.ScenarioError is normsim._errors.ScenarioError
try:
    normsim.run("s.toml", set={"norm.preset": "closed", "labs.sizes": [2, 3]}, replicates=3, quiet=True)
except KeyboardInterrupt as err:
    assert "resume=True" in str(err)
scenario, is_path, source, overrides = e.calls[0][:4]
assert (scenario, is_path, source) == ("s.toml", True, "s.toml")
assert overrides == ["norm.preset=closed", "labs.sizes=[2, 3]", "run.replicates=3"]
for call in (normsim.attribute, normsim.check):
    try:
        call({"labs": {"sizes": [4]}}, quiet=True)
    except RuntimeError as err:
        assert "stopped (failed)" in str(err)
assert e.calls[1][:3] == ("[labs]\\nsizes = [4]\\n", False, "<scenario dict>")
""", package_copy)
    assert p.returncode == 0, p.stderr


def test_a_compiled_module_that_fails_to_load_is_reported_when_used(package_copy):
    with open(os.path.join(package_copy, "normsim", "_engine.py"), "w") as f:
        f.write("raise ImportError('libnormsim_engine.so: cannot open shared object file')\n")
    p = python("""
import normsim
assert not normsim.engine_available
assert isinstance(normsim.open, object)  # reading and plotting still import
try:
    normsim.run("s.toml")
except normsim.EngineMissingError as err:
    assert isinstance(err.__cause__, ImportError)
    print(err)
""", package_copy)
    assert p.returncode == 0, p.stderr
    assert "failed to load (libnormsim_engine.so: cannot open shared object file)" in p.stdout


def test_import_normsim_does_not_import_matplotlib(staged_dir):
    p = python("import sys, normsim; print('matplotlib' in sys.modules); normsim.plots; "
               "print('matplotlib' in sys.modules)", staged_dir)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["False", "True"]


def test_version_is_the_executables(normsim_executable):
    out = subprocess.run([normsim_executable, "--version"], capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[0] == f"normsim {normsim.__version__}"


def test_pyproject_describes_the_package(source_dir):
    with open(os.path.join(source_dir, "analysis", "python", "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)
    assert project["project"]["name"] == "normsim"
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "normsim.__version__"}
    root = os.path.join(source_dir, "analysis", "python")
    packages = sorted(os.path.relpath(os.path.dirname(p), root).replace(os.sep, ".")
                      for p in glob.glob(os.path.join(root, "normsim", "**", "__init__.py"),
                                         recursive=True))
    assert sorted(project["tool"]["setuptools"]["packages"]) == packages
    for dep in ("numpy", "h5py", "pandas", "xarray", "matplotlib"):
        assert dep in project["project"]["dependencies"]


def test_the_staged_package_is_the_source(source_dir, staged_dir):
    """build/<preset>/python/normsim holds a copy of every .py file of the source, and no other
    (the target normsim_python is up to date)."""
    src = os.path.join(source_dir, "analysis", "python")
    mine = {os.path.relpath(p, src) for p in glob.glob(os.path.join(src, "normsim", "**", "*.py"),
                                                       recursive=True)}
    staged = {os.path.relpath(p, staged_dir)
              for p in glob.glob(os.path.join(staged_dir, "normsim", "**", "*.py"), recursive=True)}
    assert staged == mine
    for rel in mine:
        with open(os.path.join(src, rel), "rb") as a, open(os.path.join(staged_dir, rel), "rb") as b:
            assert a.read() == b.read(), f"{rel} differs from its staged copy: rebuild normsim_python"
    assert os.path.dirname(os.path.abspath(normsim.__file__)) == \
        os.path.join(os.path.abspath(staged_dir), "normsim")


FRONT_ENDS = ["plots/sweep_lines.py", "plots/sweep_heatmap.py", "plots/fan_chart.py",
              "plots/outcome_distributions.py", "plots/attribution_bars.py",
              "plots/verdict_map.py", "plots/discovery.py", "report.py"]


def test_front_ends_find_the_package_on_pythonpath_only(source_dir, staged_dir, tmp_path):
    scripts = [os.path.join(source_dir, "analysis", s) for s in FRONT_ENDS]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    for path in scripts:
        with open(path, encoding="utf-8") as f:
            assert "sys.path" not in f.read(), path
        # Without the package: a message saying how to get it, no traceback.
        p = subprocess.run([sys.executable, path, "--help"], capture_output=True, text=True,
                           env=env, cwd=tmp_path, timeout=120)
        assert p.returncode == 1 and "Traceback" not in p.stderr, path
        assert "cannot import the normsim package" in p.stderr, path
        assert "PYTHONPATH=build/" in p.stderr, path
    # With it: each one's --help (in one interpreter: importing the package takes a while).
    p = python("""
import runpy, sys
for path in sys.argv[1:]:
    sys.argv = [path, "--help"]
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as end:
        assert end.code in (0, None), (path, end.code)
    else:
        raise AssertionError(f"{path} --help did not exit")
""", staged_dir, *scripts)
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("usage: ") == len(scripts)


def test_python_m_normsim_plots(staged_dir, inputs, tmp_path):
    env = dict(os.environ, PYTHONPATH=staged_dir, PYTHONDONTWRITEBYTECODE="1")
    run = [sys.executable, "-m", "normsim.plots"]
    p = subprocess.run(run, capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 2 and "verdict_map" in p.stderr
    stem = str(tmp_path / "verdicts")
    p = subprocess.run(run + ["verdict_map", os.path.join(inputs, "check.h5"), "-o", stem],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [stem + ".png", stem + ".svg"]
    p = subprocess.run(run + ["fan_chart", os.path.join(inputs, "noseries.h5"), "-o", stem],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "noseries.h5: missing dataset /series/frontier_capability" in p.stderr
