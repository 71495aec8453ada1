"""normsim.run, attribute, check and plan in-process (the compiled engine): the issue's examples,
identity with the command line, overrides, scenarios as text and dicts, errors, progress and
Ctrl-C."""

import os
import signal
import subprocess
import sys
import textwrap

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

import normsim

pytestmark = pytest.mark.skipif(not normsim.engine_available, reason="normsim._engine was not built")

SMALL = {"world.steps": 40}


def scenario(source_dir, name):
    return os.path.join(source_dir, "scenarios", name)


def cli(executable, *args, cwd):
    subprocess.run([executable, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def outcomes_of(path):
    with h5py.File(path) as f:
        return {k: f["outcomes"][k][()] for k in f["outcomes"]}


def test_run_returns_a_dataset_identical_to_the_cli(source_dir, normsim_executable, tmp_path):
    base = scenario(source_dir, "baseline.toml")
    ds = normsim.run(base, set={"norm.preset": "closed", **SMALL}, replicates=30, seed=3, quiet=True)
    assert isinstance(ds, xr.Dataset)
    assert dict(ds.sizes) == {"point": 1, "replicate": 30}
    cli(normsim_executable, "run", base, "-q", "--no-series", "-r", "30", "-s", "3", "--set", "norm.preset=closed",
        "--set", "world.steps=40", "-o", "cli.h5", cwd=tmp_path)
    expected = outcomes_of(tmp_path / "cli.h5")
    for name, values in expected.items():
        assert np.array_equal(ds[name].values.reshape(-1), values.reshape(-1), equal_nan=True), name
    assert "scenario_resolved" in ds.attrs
    # The closed norm took effect: its file gives the same runs.
    closed = normsim.run(scenario(source_dir, "norm_closed.toml"), set=SMALL, replicates=30, seed=3, quiet=True)
    assert np.array_equal(closed.xrisk.values, ds.xrisk.values)
    opened = normsim.run(base, set=SMALL, replicates=30, seed=3, quiet=True)
    assert not np.array_equal(opened.xrisk.values, ds.xrisk.values)


def test_run_a_sweep_with_series_and_output(source_dir, tmp_path):
    out = tmp_path / "sweep.h5"
    ds = normsim.run(scenario(source_dir, "sweep_norms_spill.toml"), set={"run.replicates": 2, **SMALL},
                     output=out, series=True, quiet=True)
    assert out.exists() and not (tmp_path / "sweep.h5.journal").exists()
    assert ds.sizes["point"] == 30 and ds.sizes["replicate"] == 2
    assert "series.frontier_capability" in ds and ds["series.frontier_capability"].dims == ("point", "replicate", "step")
    assert "norm.preset" in ds.coords
    with pytest.raises(FileExistsError):
        normsim.run(scenario(source_dir, "sweep_norms_spill.toml"), set={"run.replicates": 2}, output=out, quiet=True)
    normsim.run(scenario(source_dir, "sweep_norms_spill.toml"), set={"run.replicates": 2, **SMALL}, output=out,
                overwrite=True, quiet=True)


def test_scenario_as_text_and_as_dict_are_the_same_scenario():
    as_dict = {"labs": {"sizes": [5, 4]}, "world": {"steps": 30}, "run": {"replicates": 10, "seed": 2}}
    text = "[labs]\nsizes = [5, 4]\n[world]\nsteps = 30\n[run]\nreplicates = 10\nseed = 2\n"
    a = normsim.run(as_dict, quiet=True)
    b = normsim.run(text, quiet=True)
    assert np.array_equal(a.capability.values, b.capability.values)
    assert normsim.to_toml(as_dict) == text


def test_bad_input_raises_scenario_error_and_writes_nothing(source_dir, tmp_path):
    out = tmp_path / "never.h5"
    with pytest.raises(normsim.ScenarioError) as err:
        normsim.run(scenario(source_dir, "baseline.toml"), set={"norm.preset": "opne"}, output=out, quiet=True)
    assert isinstance(err.value, ValueError)
    assert "norm.preset" in str(err.value) and "allowed: open, closed" in str(err.value)
    assert err.value.key == "norm.preset"
    with pytest.raises(normsim.ScenarioError) as err:
        normsim.run("[labs]\nsizes = [3, -1]\n", output=out, quiet=True)
    assert err.value.line == 2 and "<scenario text>:2" in str(err.value)
    with pytest.raises(normsim.ScenarioError, match="cannot read scenario file"):
        normsim.run(str(tmp_path / "missing.toml"), quiet=True)
    assert list(tmp_path.iterdir()) == []


def test_progress_callback_sees_every_run(source_dir):
    seen = []
    normsim.run(scenario(source_dir, "baseline.toml"), set=SMALL, replicates=25,
                progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (25, 25)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_attribute_returns_the_indices_with_their_level(source_dir):
    att = normsim.attribute(scenario(source_dir, "baseline.toml"),
                            set={"attribution.confidence": 0.8, "labs.sizes": [6, 4], **SMALL},
                            rows=16, bootstrap=50, researchers=False, outcomes=["capability"], quiet=True)
    assert isinstance(att, pd.DataFrame)
    assert set(att["measure"]) == {"first_order", "total"}
    assert (att["confidence"] == 0.8).all()
    assert (att["low"] <= att["high"]).all()
    assert "all labs" in set(att["factor"])


def test_check_returns_verdicts_that_plot(source_dir):
    claims = textwrap.dedent("""
        [labs]
        sizes = [6, 4]
        [world]
        steps = 40
        [run]
        replicates = 20
        [sweep]
        design = "grid"
        [[sweep.factor]]
        key = "research.spill_probability"
        values = [0.0, 0.5]
        [[sweep.factor]]
        key = "research.spill_size"
        values = [0.5, 5.0]
        [[claims]]
        id = "bounded"
        statement = "x-risk is a probability"
        quantity = "mean"
        outcome = "xrisk"
        compare = "<"
        value = 1.0
        """)
    verdicts = normsim.check(claims)
    assert list(verdicts.columns[:2]) == ["claim", "entry"]
    for column in ("estimate", "low", "high", "verdict", "n", "n_needed", "research.spill_probability"):
        assert column in verdicts.columns
    assert len(verdicts) == 4 and (verdicts["verdict"] == "holds").all()
    figure = normsim.plots.verdict_map(verdicts, x="research.spill_probability", y="research.spill_size")
    assert figure.axes


def test_plan_describes_the_design(source_dir):
    text = normsim.plan(scenario(source_dir, "sweep_norms_spill.toml"))
    assert "design: grid" in text and "estimated time" in text


TINY = "[labs]\nsizes = [5, 4]\n[world]\nsteps = 30\n[run]\nreplicates = 50000\nseed = 5\n"


def test_ctrl_c_keeps_the_runs_done_and_resume_completes(tmp_path):
    """A child Python runs a long scenario into a file; SIGINT once runs are flowing: it raises
    KeyboardInterrupt with the journal kept; resume=True then gives the file of an uninterrupted run."""
    out = tmp_path / "long.h5"
    code = textwrap.dedent(f"""
        import sys, normsim
        def progress(done, total):
            if done == 200:
                print("started", flush=True)
        try:
            normsim.run({TINY!r}, output={str(out)!r}, threads=1, progress=progress)
        except KeyboardInterrupt as e:
            print("interrupted:", e, flush=True)
            sys.exit(7)
        print("finished before the signal", flush=True)
        """)
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    child.send_signal(signal.SIGINT)
    rest = child.stdout.read()
    assert child.wait(timeout=120) == 7, rest
    assert "resume=True" in rest
    journal = tmp_path / "long.h5.journal"
    assert journal.exists() and not out.exists()
    resumed = normsim.run(TINY, output=out, resume=True, quiet=True)
    assert not journal.exists()
    whole = normsim.run(TINY, quiet=True)
    for name in whole.data_vars:
        assert np.array_equal(resumed[name].values, whole[name].values, equal_nan=True), name


def test_locate_boundary_reads_and_plots(tmp_path):
    scenario_text = textwrap.dedent("""
        [labs]
        sizes = [5, 4, 3]
        [world]
        steps = 60
        [adaptation]
        enabled = false
        [hazard]
        danger_capability = 10.0
        transformative_capability = 100.0
        [run]
        replicates = 60
        [sweep]
        design = "grid"
        common_keys = true
        [[sweep.factor]]
        key = "hazard.max"
        values = [0.02, 0.2, 0.4]
        [[claims]]
        id = "risk"
        statement = "x-risk below 0.3"
        quantity = "mean"
        outcome = "xrisk"
        compare = "<"
        value = 0.3
        locate = "hazard.max"
        """)
    out = tmp_path / "locate.h5"
    verdicts = normsim.check(scenario_text, output=out)
    assert set(verdicts["claim"]) == {"risk"}
    b = normsim.read_boundary(out)
    assert list(b["claim"]) == ["risk"] and b["factor"].iloc[0] == "hazard.max"
    with h5py.File(out) as f:
        g = f["claims/risk/boundary"]
        assert b["status"].cat.codes.iloc[0] == g["status"][0]
        assert np.array_equal(b["runs"].to_numpy(), g["runs"][:])
        assert len(b.attrs["points"]) == len(g["points/x"])
        if np.isfinite(g["estimate"][0]):
            assert g["low"][0] <= g["estimate"][0] <= g["high"][0]
    fig = normsim.plots.boundary(b, save=tmp_path / "boundary")
    assert fig.axes and (tmp_path / "boundary.png").exists()
    with pytest.raises(normsim.NormsimDataError, match="no locate"):
        normsim.read_boundary(out, claim="other")
