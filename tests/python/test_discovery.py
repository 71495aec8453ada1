"""Scenario discovery in Python: read_discovery's tables against h5py's reading of a file of
normsim discover, normsim.open's dispatch, the figure normsim.plots.discovery and its front end,
and the panels plot_tradeoff and plot_box_limits on small arrays."""

import os
import subprocess
import sys

import h5py
import numpy as np
import pytest
from conftest import text
from matplotlib.figure import Figure

import normsim
from normsim import plots

CLAIM = "low-risk"


@pytest.fixture(scope="module")
def discover_file(inputs):
    return os.path.join(inputs, "discover.h5")


def pixels(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def new_axes():
    fig = Figure()
    return fig, fig.subplots()


def test_open_gives_the_discovery(discover_file):
    assert normsim.file_kind(discover_file) == "discovery"
    d = normsim.open(discover_file)
    assert isinstance(d, normsim.io.Discovery)
    assert d.claims() == [CLAIM]
    assert d.attrs["path"] == discover_file
    assert d.attrs["claims"][CLAIM]["quantity"] == "mean"


def test_the_tables_hold_what_the_file_holds(discover_file):
    d = normsim.read_discovery(discover_file)
    with h5py.File(discover_file) as f:
        g = f[f"discovery/{CLAIM}"]
        p = g["points/estimate"].shape[0]
        # Points: the estimate, interest and verdict of every point with its assumptions.
        assert len(d.points) == p
        np.testing.assert_array_equal(d.points["estimate"], g["points/estimate"][:])
        np.testing.assert_array_equal(d.points["interest"], g["points/interest"][:])
        verdicts = [text(x) for x in f["discovery"].attrs["verdict_labels"]]
        assert list(d.points["verdict"]) == [verdicts[v] for v in g["points/verdict"][:]]
        np.testing.assert_array_equal(d.points["hazard.danger_capability"],
                                      g["points/design/hazard.danger_capability"][:])
        basis = [text(x) for x in g["points/design/hazard.basis"].attrs["labels"]]
        assert list(d.points["hazard.basis"]) == [basis[k] for k in g["points/design/hazard.basis"][:]]
        assert d.points["interest"].sum() == pytest.approx(g.attrs["total_interest"])
        # Assumptions.
        names = [text(x) for x in g["dimensions"].attrs["names"]]
        assert list(d.dimensions["name"]) == names
        assert list(d.dimensions["kind"]) == ["numeric", "numeric", "categorical"]
        assert d.dimensions["levels"].iloc[2] == ("progress", "time")
        # Boxes: accepted ones in order, then the rejected one.
        accepted = int(g.attrs["boxes"])
        expected = [f"box_{k + 1}" for k in range(accepted)] + (["rejected"] if "rejected" in g else [])
        assert list(d.boxes["box"]) == expected
        assert list(d.boxes["accepted"]) == [b != "rejected" for b in expected]
        for box in expected:
            b = g[box]
            row = d.boxes[d.boxes["box"] == box].iloc[0]
            assert row["coverage"] == b.attrs["coverage"] and row["n_points"] == b.attrs["n_points"]
            r = d.restrictions[d.restrictions["box"] == box]
            np.testing.assert_array_equal(r["limit"], b["restrictions/limit"][:])
            assert list(r["name"]) == [names[j] for j in b["restrictions/dimension"][:]]
            assert list(r["side"]) == [("low", "high", "levels")[s] for s in b["restrictions/side"][:]]
            assert list(r["text"]) == [text(x) for x in np.atleast_1d(b["restrictions"].attrs["text"])]
            for _, x in r[r["side"] == "levels"].iterrows():  # admitted levels by name, from the mask
                mask = int(b["restrictions/levels"][:][list(r.index).index(x.name)])
                assert x["levels"] == tuple(lv for k, lv in enumerate(basis) if mask >> k & 1)
            t = d.trajectory[d.trajectory["box"] == box]
            np.testing.assert_array_equal(t["density"], b["trajectory/density"][:])
            assert list(t.loc[t["chosen"], "step"]) == [b.attrs["chosen_step"]]
            lim = d.limits[d.limits["box"] == box]
            np.testing.assert_array_equal(lim["low"], b["limits/low"][:])
            assert set(lim.loc[lim["restricted"], "dimension"]) == set(b["restrictions/dimension"][:])
            s = d.stability[d.stability["box"] == box]
            assert len(s) == 2 + 2 + 1  # low and high of two numeric assumptions, levels of one
            frequency = b["stability/frequency"][:]
            for _, x in s.iterrows():
                code = ("low", "high", "levels").index(x["side"])
                assert x["frequency"] == frequency[x["dimension"], code] or \
                    (np.isnan(x["frequency"]) and np.isnan(frequency[x["dimension"], code]))


def test_the_first_box_is_where_the_model_plants_the_failures(discover_file):
    """x-risk falls with C_d: the first box bounds C_d from above."""
    d = normsim.read_discovery(discover_file)
    r = d.restrictions[d.restrictions["box"] == "box_1"]
    danger = r[r["name"] == "hazard.danger_capability"]
    assert list(danger["side"]) == ["high"]
    assert "research.screen_sensitivity" not in set(r["name"])


def test_the_figure_draws_each_box_from_an_object_or_a_path(discover_file, tmp_path):
    d = normsim.open(discover_file)
    stem = str(tmp_path / "fig" / "discovery")
    fig = plots.discovery(d, save=stem)
    assert isinstance(fig, Figure)
    accepted = list(d.boxes.loc[d.boxes["accepted"], "box"])
    trade_offs = [ax for ax in fig.axes if ax.get_title().endswith("trade-off of its peeling")]
    assert len(trade_offs) == len(accepted)
    t = d.trajectory[d.trajectory["box"] == accepted[0]]
    line = trade_offs[0].get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), t["coverage"])
    np.testing.assert_array_equal(line.get_ydata(), t["density"])
    assert np.array_equal(pixels(fig), pixels(plots.discovery(discover_file)))
    for ext in (".png", ".svg"):
        assert os.path.getsize(stem + ext) > 0
    rejected = plots.discovery(discover_file, boxes="rejected")
    assert [ax.get_title() for ax in rejected.axes if "trade-off" in ax.get_title()] == \
        ["rejected box: trade-off of its peeling"]


def test_the_figure_names_what_is_missing(inputs, discover_file):
    with pytest.raises(normsim.NormsimDataError, match="missing dataset /discovery"):
        plots.discovery(os.path.join(inputs, "sweep.h5"))
    with pytest.raises(normsim.NormsimDataError, match=f"/discovery/{CLAIM}/box_9"):
        plots.discovery(discover_file, boxes=["box_9"])
    with pytest.raises(normsim.NormsimDataError, match="/discovery/nope"):
        plots.discovery(discover_file, claim="nope")


def test_the_front_end_writes_the_figure(source_dir, staged_dir, discover_file, tmp_path):
    env = dict(os.environ, PYTHONPATH=staged_dir, PYTHONDONTWRITEBYTECODE="1")
    script = os.path.join(source_dir, "analysis", "plots", "discovery.py")
    stem = str(tmp_path / "d")
    p = subprocess.run([sys.executable, script, discover_file, "--boxes", "box_1,rejected", "-o", stem],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [stem + ".png", stem + ".svg"]
    with open(stem + ".svg", encoding="utf-8") as f:
        svg = f.read()
    assert "hazard.danger_capability" in svg and "rejected box" in svg
    p = subprocess.run([sys.executable, script, discover_file, "--claim", "nope", "-o", stem],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "/discovery/nope" in p.stderr


# -- the panels on arrays ----------------------------------------------------------------------
def test_plot_tradeoff_carries_the_trajectory_and_rings_the_chosen_step():
    coverage = np.array([1.0, 0.95, 0.9, 0.8, 0.7, 0.5])
    density = np.array([0.15, 0.2, 0.3, 0.6, 0.9, 0.92])
    fig, ax = new_axes()
    plots.plot_tradeoff(ax, coverage, density, n_restricted=[0, 1, 1, 2, 2, 3], chosen=4, base_rate=0.15)
    line = ax.get_lines()[0]
    assert np.array_equal(line.get_xdata(), coverage) and np.array_equal(line.get_ydata(), density)
    ringed = [c for c in ax.collections if c.get_label() == "chosen step 4"]
    assert len(ringed) == 1 and np.allclose(ringed[0].get_offsets(), [[0.7, 0.9]])
    assert any(np.allclose(x.get_ydata(), 0.15) for x in ax.get_lines()[1:])
    for bad in (dict(density=density[:-1]), dict(chosen=6)):
        args = dict(coverage=coverage, density=density) | bad
        with pytest.raises(ValueError):
            plots.plot_tradeoff(new_axes()[1], **args)


def _box_bars(ax):
    """Widths of the coloured (box) bars, ignoring the grey range bars."""
    return sorted(round(p.get_width(), 6) for p in ax.patches if p.get_facecolor()[:3] != (0.85, 0.85, 0.85))


def test_plot_box_limits_draws_restricted_assumptions_at_their_normalised_limits():
    names = ["spill", "size", "phi"]
    fig, ax = new_axes()
    plots.plot_box_limits(ax, names, [0.0, 0.0, 1.0], [1.0, 40.0, 3.0], [0.0, 10.0, 1.0], [0.3, 40.0, 3.0],
                          frequency=[0.97, 0.9, 0.1],
                          categorical=[("norm", ["open", "closed", "secret"], [False, True, True], 0.95)])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["spill (97%)", "size (90%)", "norm (95%)"]
    # spill: [0, 0.3] of [0, 1] → 0.3; size: [10, 40] of [0, 40] → 0.75; two admitted levels of 3.
    assert _box_bars(ax) == sorted([0.3, 0.75, round(1 / 3, 6), round(1 / 3, 6)])
    # On a log scale the bar is where PRIM searched: ln x. [1, 10] of [0.1, 100] → 1/3 of the width.
    fig, ax = new_axes()
    plots.plot_box_limits(ax, ["size"], [0.1], [100.0], [1.0], [10.0], scales=["log"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["size (log)"]
    assert _box_bars(ax) == [round(1 / 3, 6)]
    with pytest.raises(ValueError):
        plots.plot_box_limits(new_axes()[1], names, [0.0, 0.0], [1.0, 1.0], [0.0, 0.0], [1.0, 1.0])
    with pytest.raises(ValueError):
        plots.plot_box_limits(new_axes()[1], ["x"], [0.0], [1.0], [0.5], [1.0], scales=["log"])
