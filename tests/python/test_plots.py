"""The figures of normsim.plots as functions: on the objects of normsim.open and on paths (the same
figure either way), what they draw against h5py's reading of the file, saving, errors, and that
they leave the caller's matplotlib alone."""

import os

import h5py
import matplotlib
import numpy as np
import pytest
from conftest import labels_of, text
from matplotlib.figure import Figure

import normsim
from normsim import plots


def path(inputs, name):
    return os.path.join(inputs, name)


def pixels(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def titles(fig) -> list:
    return [ax.get_title() or ax.get_title(loc="left") for ax in fig.axes]


# (function, file, keyword arguments): every figure on the kind of file it draws.
CASES = [
    (plots.sweep_lines, "sweep.h5", dict(x="research.spill_probability", hue="norm.preset",
                                         outcomes="xrisk,t_transform")),
    (plots.sweep_heatmap, "sweep.h5", dict(outcome="xrisk", x="research.spill_probability",
                                           y="norm.preset")),
    (plots.fan_chart, "sweep.h5", dict(by="norm.preset", series="hazard",
                                       where={"research.spill_probability": 0.1})),
    (plots.fan_chart, "run.h5", dict()),
    (plots.outcome_distributions, "sweep.h5", dict(by="norm.preset",
                                                   where=["research.spill_probability=0.2"])),
    (plots.outcome_distributions, "run.h5", dict(kind="hist", outcomes=["capability", "xrisk"])),
    (plots.attribution_bars, "attribution.h5", dict(top=5, outcomes="xrisk")),
    (plots.verdict_map, "check.h5", dict()),
    (plots.verdict_map, "check_design.h5", dict()),
]


@pytest.mark.parametrize("function, name, kwargs", CASES,
                         ids=[f"{c[0].__name__}-{c[1]}" for c in CASES])
def test_a_figure_of_an_object_equals_the_figure_of_its_file(inputs, tmp_path, function, name,
                                                              kwargs):
    obj = normsim.open(path(inputs, name))
    stem = str(tmp_path / "out" / "figure")
    fig = function(obj, save=stem, **kwargs)
    assert isinstance(fig, Figure)
    same = function(path(inputs, name), **kwargs)
    assert np.array_equal(pixels(fig), pixels(same))
    with open(stem + ".png", "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    with open(stem + ".svg", encoding="utf-8") as f:
        svg = f.read()
    assert "<svg" in svg
    with h5py.File(path(inputs, name)) as f:  # the footer names the build, the title the scenario
        assert text(f.attrs["git_commit"])[:12] in svg
        assert os.path.basename(text(f.attrs["scenario_file"])) in svg


def test_figures_leave_the_callers_matplotlib_alone(inputs):
    import matplotlib.pyplot as plt
    before = dict(matplotlib.rcParams)
    fig = plots.sweep_lines(path(inputs, "sweep.h5"), outcomes="xrisk")
    assert plt.get_fignums() == []  # no pyplot figure to show twice or leak
    assert {k: v for k, v in matplotlib.rcParams.items() if before[k] != v} == {}
    # What a notebook shows: the figure as a PNG of its size, without pyplot's inline backend.
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == tuple(round(x * fig.dpi) for x in fig.get_size_inches())


def test_sweep_lines_draw_the_means_of_the_summary(inputs):
    fig = plots.sweep_lines(path(inputs, "sweep.h5"), outcomes="xrisk",
                            x="research.spill_probability", hue="norm.preset")
    ax = fig.axes[0]
    assert ax.get_title() == "xrisk"
    assert ax.get_xlabel() == "research.spill_probability (probability)"
    assert ax.get_ylabel() == "mean xrisk (probability)"
    with h5py.File(path(inputs, "sweep.h5")) as f:
        labels = labels_of(f["design/norm.preset"])
        codes = f["design/norm.preset"][:]
        spill = f["design/research.spill_probability"][:]
        mean = f["summary/xrisk/mean"][:]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == set(labels)
    for code, label in enumerate(labels):
        points = np.flatnonzero(codes == code)
        order = np.argsort(spill[points], kind="stable")
        np.testing.assert_allclose(lines[label].get_xdata(), spill[points][order])
        np.testing.assert_allclose(lines[label].get_ydata(), mean[points][order], rtol=1e-12)


def test_sweep_heatmap_draws_the_mean_of_every_cell(inputs):
    fig = plots.sweep_heatmap(path(inputs, "sweep.h5"), outcome="capability",
                              x="research.spill_probability", y="norm.preset")
    grid = fig.axes[0].images[0].get_array()
    with h5py.File(path(inputs, "sweep.h5")) as f:
        codes = f["design/norm.preset"][:]
        spill = f["design/research.spill_probability"][:]
        mean = f["summary/capability/mean"][:]
        se = f["summary/capability/se"][:]
    levels = sorted(set(spill))
    assert len(set(codes)) > 1 and len(levels) > 1
    assert grid.shape == (len(set(codes)), len(levels))
    half = [ax for ax in fig.axes if ax.images][1].images[0].get_array()  # the right panel
    for p in range(len(codes)):
        ix = levels.index(spill[p])
        assert grid[codes[p], ix] == pytest.approx(mean[p], rel=1e-12)
        assert half[codes[p], ix] == pytest.approx(1.959963984540054 * se[p], rel=1e-12)


def test_fan_chart_draws_the_median_of_the_runs_going(inputs):
    fig = plots.fan_chart(path(inputs, "run.h5"), series="hazard", min_running=0.5)
    median = next(line for line in fig.axes[0].get_lines() if line.get_label() == "median")
    with h5py.File(path(inputs, "run.h5")) as f:
        runs = f["series/hazard"][0]
    going = np.sum(~np.isnan(runs), axis=0)
    shown = going >= 0.5 * runs.shape[0]
    expected = np.where(shown, np.nanmedian(np.where(shown, runs, 0), axis=0), np.nan)
    np.testing.assert_allclose(median.get_ydata(), expected, rtol=1e-12)
    assert fig.axes[0].get_ylabel() == "probability per step"


def test_outcome_histograms_count_every_run_with_a_value(inputs):
    fig = plots.outcome_distributions(path(inputs, "run.h5"), outcomes="capability", kind="hist")
    with h5py.File(path(inputs, "run.h5")) as f:
        values = f["outcomes/capability"][:].ravel()
    patch = fig.axes[0].patches[0]  # a step histogram is one polygon: its heights are the counts
    heights = patch.get_xy()[1:-1:2, 1]
    assert heights.sum() == np.sum(~np.isnan(values))


def test_attribution_bars_draw_the_indices_of_the_groups(inputs):
    fig = plots.attribution_bars(path(inputs, "attribution.h5"), outcomes="xrisk", top=5)
    ax = fig.axes[0]
    assert ax.get_title().startswith("xrisk: groups")
    with h5py.File(path(inputs, "attribution.h5")) as f:
        g = f["attribution/xrisk"]
        labels = [text(x) for x in g["factor"].attrs["labels"]]
        kinds = [text(x) for x in g["factor"].attrs["kinds"]]
        first, total = g["first_order/estimate"][:], g["total/estimate"][:]
    groups = [i for i, k in enumerate(kinds) if k != "researcher"]
    drawn = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(drawn) == sorted(labels[i] for i in groups)
    # Bars: first-order then total, top to bottom by decreasing total index.
    widths = [b.get_width() for b in ax.patches]
    by_label = {labels[i]: i for i in groups}
    order = [by_label[name] for name in drawn]
    np.testing.assert_allclose(widths[:len(groups)], first[order], rtol=1e-12)
    np.testing.assert_allclose(widths[len(groups):2 * len(groups)], total[order], rtol=1e-12)
    assert list(total[order]) == sorted(total[order], reverse=True)


def test_verdict_map_colours_the_verdict_of_every_point(inputs):
    fig = plots.verdict_map(path(inputs, "check.h5"), claims="risk-below-third")
    grid = fig.axes[0].images[0].get_array()
    with h5py.File(path(inputs, "check.h5")) as f:
        g = f["claims/risk-below-third"]
        verdict = g["verdict"][:]
        codes = g["design/norm.preset"][:]
        spill = g["design/research.spill_probability"][:]
    levels = sorted(set(spill))
    for e in range(len(verdict)):
        assert grid[codes[e], levels.index(spill[e])] == verdict[e]
    assert fig.axes[0].get_xlabel() == "research.spill_probability (probability)"


def test_verdict_map_of_a_filtered_table(inputs):
    df = normsim.open(path(inputs, "check.h5"))
    fig = plots.verdict_map(df[df["claim"] == "withholding-raises-risk"])
    assert len([t for t in titles(fig) if t]) == 1
    assert titles(fig)[0].startswith("withholding-raises-risk: ")
    ax = fig.axes[0]  # a strip over the spill probability: no norm axis for a difference of norms
    assert ax.get_xlabel() == "research.spill_probability (probability)"


def test_verdict_map_of_a_claim_about_the_whole_design(inputs):
    fig = plots.verdict_map(path(inputs, "check_design.h5"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["whole design"]
    with h5py.File(path(inputs, "check_design.h5")) as f:
        estimate = f["claims/labs-matter/estimate"][0]
    points = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert points[0].get_xdata()[0] == pytest.approx(estimate, rel=1e-12)


# -- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("function, name, kwargs, dataset", [
    (plots.fan_chart, "noseries.h5", {}, "/series/frontier_capability"),
    (plots.sweep_lines, "run.h5", {}, "/design"),
    (plots.sweep_heatmap, "sweep.h5", {"outcome": "nope"}, "/outcomes/nope"),
    (plots.attribution_bars, "run.h5", {}, "/attribution"),
    (plots.attribution_bars, "attribution.h5", {"outcomes": "interpretability"},
     "/attribution/interpretability/factor"),
    (plots.verdict_map, "sweep.h5", {}, "/claims"),
    (plots.verdict_map, "check.h5", {"claims": "nope"}, "/claims/nope"),
    (plots.sweep_lines, "sweep.h5", {"x": "nope.key"}, "/design/nope.key"),
])
def test_data_without_what_a_figure_needs(inputs, function, name, kwargs, dataset):
    with pytest.raises(normsim.NormsimDataError) as err:
        function(path(inputs, name), **kwargs)
    assert f"{name}: missing dataset {dataset}" in str(err.value)
    assert err.value.path == path(inputs, name) and err.value.dataset == dataset


def test_an_object_of_another_kind_is_a_type_error(inputs):
    with pytest.raises(TypeError, match="verdicts table"):
        plots.verdict_map(normsim.open(path(inputs, "sweep.h5")))
    with pytest.raises(TypeError, match="outcomes Dataset"):
        plots.sweep_lines(normsim.open(path(inputs, "check.h5")))


def test_an_unknown_level(inputs):
    with pytest.raises(normsim.NormsimDataError, match="factor norm.preset has no level 'nope'"):
        plots.fan_chart(normsim.open(path(inputs, "sweep.h5")), where={"norm.preset": "nope"})
