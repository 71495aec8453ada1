"""normsim.open and the readers of normsim.io on every kind of file normsim writes: the objects'
types and layout, their values against h5py's reading of the same datasets, and the errors."""

import os

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import assert_same, labels_of, text

import normsim
from normsim.io import make_dataset


def path(inputs, name):
    return os.path.join(inputs, name)


# -- what open gives for each kind of file ------------------------------------------------------
@pytest.mark.parametrize("name, kind, cls", [
    ("run.h5", "runs", xr.Dataset), ("noseries.h5", "runs", xr.Dataset),
    ("sweep.h5", "runs", xr.Dataset), ("attribution.h5", "attribution", pd.DataFrame),
    ("check.h5", "claims", pd.DataFrame), ("check_design.h5", "claims", pd.DataFrame),
    ("check_design.attribution.h5", "attribution", pd.DataFrame)])
def test_open_gives_the_object_of_the_command_that_wrote_the_file(inputs, name, kind, cls):
    assert normsim.file_kind(path(inputs, name)) == kind
    obj = normsim.open(path(inputs, name))
    assert isinstance(obj, cls)
    assert obj.attrs["path"] == path(inputs, name)
    with h5py.File(path(inputs, name)) as f:
        assert obj.attrs["git_commit"] == text(f.attrs["git_commit"])
        assert obj.attrs["scenario_file"] == text(f.attrs["scenario_file"])


def test_a_run_with_series(inputs):
    ds = normsim.open(path(inputs, "run.h5"))
    with h5py.File(path(inputs, "run.h5")) as f:
        p, r = f["outcomes/xrisk"].shape
        t = f["step"].shape[0]
        assert dict(ds.sizes) == {"point": p, "replicate": r, "step": t}
        assert sorted(k for k in ds.data_vars if not k.startswith("series.")) == sorted(f["outcomes"])
        assert sorted(k[7:] for k in ds.data_vars if k.startswith("series.")) == sorted(f["series"])
        for name, d in f["outcomes"].items():
            assert ds[name].dims == ("point", "replicate")
            assert_same(ds[name].values, d[:])
            assert ds[name].attrs["units"] == text(d.attrs["units"])
        for name, d in f["series"].items():
            assert ds[f"series.{name}"].dims == ("point", "replicate", "step")
            assert_same(ds[f"series.{name}"].values, d[:])
        assert_same(ds["step"].values, f["step"][:])
        assert_same(ds["completed"].values, f["runs/completed"][:].astype(bool))
        assert ds.attrs["cli_overrides"] == [text(x) for x in f.attrs["cli_overrides"]]
        assert ds.attrs["master_seed"] == int(f.attrs["master_seed"])
    # No design factor for a single scenario: the coordinates are the dimensions and completed.
    assert set(ds.coords) == {"point", "replicate", "step", "completed"}


def test_a_run_without_series(inputs):
    ds = normsim.open(path(inputs, "noseries.h5"))
    assert "step" not in ds.dims
    assert not [k for k in ds.data_vars if k.startswith("series.")]
    with pytest.raises(normsim.NormsimDataError) as err:
        normsim.read_outcomes(path(inputs, "noseries.h5"), series=True)
    assert "noseries.h5: missing dataset /series" in str(err.value)
    assert err.value.dataset == "/series"


def test_series_chosen_by_name(inputs):
    ds = normsim.read_outcomes(path(inputs, "run.h5"), series=["hazard"])
    assert [k for k in ds.data_vars if k.startswith("series.")] == ["series.hazard"]
    assert not [k for k in normsim.read_outcomes(path(inputs, "run.h5"), series=False).data_vars
                if k.startswith("series.")]
    with pytest.raises(normsim.NormsimDataError, match="missing dataset /series/nope"):
        normsim.read_outcomes(path(inputs, "run.h5"), series=["nope"])


def test_a_sweep_with_categorical_and_numeric_factors(inputs):
    ds = normsim.open(path(inputs, "sweep.h5"))
    with h5py.File(path(inputs, "sweep.h5")) as f:
        norm, spill = f["design/norm.preset"], f["design/research.spill_probability"]
        labels = labels_of(norm)
        assert ds["norm.preset"].dims == ("point",)
        assert list(ds["norm.preset"].values) == [labels[c] for c in norm[:]]
        assert ds["norm.preset"].attrs["labels"] == labels
        assert ds["norm.preset"].attrs["kind"] == "categorical"
        assert_same(ds["research.spill_probability"].values, spill[:])
        assert ds["research.spill_probability"].attrs["kind"] == "numeric"
        assert ds["research.spill_probability"].attrs["scale"] == text(spill.attrs["scale"])
        xrisk = f["outcomes/xrisk"][:]
    # The example: the mean over replicates, per point, selectable by label.
    mean = ds.xrisk.mean("replicate")
    np.testing.assert_allclose(mean.values, np.nanmean(xrisk, axis=1), rtol=1e-15)
    closed = ds.sel(point=ds["norm.preset"] == "closed")
    assert closed.sizes["point"] == int(np.sum(np.asarray(ds["norm.preset"]) == "closed")) > 0


def test_summary_of_the_file_equals_the_summary_computed_from_the_dataset(inputs):
    """normsim's /summary (C++) and normsim.summary of the Dataset (numpy: sample sd, type 7
    quantiles, NaN excluded) agree: the same definitions, to rounding."""
    ds = normsim.open(path(inputs, "sweep.h5"))
    with h5py.File(path(inputs, "sweep.h5")) as f:
        for outcome in ("xrisk", "capability", "t_transform", "published_fraction"):
            from_file = normsim.summary(path(inputs, "sweep.h5"), outcome)
            computed = normsim.summary(ds, outcome)
            for stat in ("mean", "sd", "se", "q05", "q50", "q95"):
                assert_same(from_file[stat].to_numpy(), f[f"summary/{outcome}/{stat}"][:])
                np.testing.assert_allclose(computed[stat], from_file[stat], rtol=1e-12, atol=0)
            assert_same(computed["n"].to_numpy(), f[f"summary/{outcome}/n"][:].astype(np.int64))
            assert list(computed["norm.preset"].astype(str)) == list(ds["norm.preset"].values)


def test_tidy_has_one_row_per_run_written(inputs):
    t = normsim.tidy(path(inputs, "sweep.h5"))
    with h5py.File(path(inputs, "sweep.h5")) as f:
        completed = f["runs/completed"][:].astype(bool)
        assert len(t) == int(completed.sum())
        assert_same(t["xrisk"].to_numpy(), f["outcomes/xrisk"][:][completed])
        labels = labels_of(f["design/norm.preset"])
        assert list(t["norm.preset"].cat.categories) == labels
        codes = f["design/norm.preset"][:]
        assert list(t["norm.preset"].astype(str)) == [labels[codes[p]] for p in t["point"]]


# -- claims ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["check.h5", "check_design.h5"])
def test_claims_equal_the_datasets_of_the_file(inputs, name):
    df = normsim.read_claims(path(inputs, name))
    assert list(df.columns[:2]) == ["claim", "entry"]
    assert df.attrs["verdict_labels"] == ["holds", "fails", "inconclusive"]
    with h5py.File(path(inputs, name)) as f:
        assert list(dict.fromkeys(df["claim"])) == list(f["claims"])
        for cid, g in f["claims"].items():
            rows = df[df["claim"] == cid]
            assert list(rows["entry"]) == list(range(g["estimate"].shape[0]))
            for col in ("estimate", "low", "high", "n", "n_needed"):
                assert_same(rows[col].to_numpy(), g[col][:].astype(rows[col].dtype))
            assert list(rows["verdict"].astype(str)) == \
                [df.attrs["verdict_labels"][v] for v in g["verdict"][:]]
            for a in ("statement", "quantity", "outcome", "compare", "scope"):
                assert set(rows[a]) == {text(g.attrs[a])}
            assert set(rows["value"]) == {float(g.attrs["value"])}
            # Where each entry is: the claim's own design table, else /design, else nowhere.
            design = g["design"] if "design" in g else \
                f["design"] if text(g.attrs["scope"]) == "points" else {}
            for key in df.attrs["factors"]:
                if key not in design:
                    assert rows[key].isna().all()
                elif "labels" in design[key].attrs:
                    labels = labels_of(design[key])
                    assert list(rows[key].astype(str)) == [labels[c] for c in design[key][:]]
                else:
                    assert_same(rows[key].to_numpy(float), design[key][:])


def test_a_claim_per_cell_has_its_own_coordinates(inputs):
    df = normsim.read_claims(path(inputs, "check.h5"))
    diff = df[df["claim"] == "withholding-raises-risk"]
    assert diff["norm.preset"].isna().all()  # a difference between norms: not located by a norm
    assert sorted(diff["research.spill_probability"]) == [0.0, 0.3]
    per_point = df[df["claim"] == "risk-below-third"]
    assert len(per_point) == 6 and per_point["norm.preset"].notna().all()
    assert isinstance(df["norm.preset"].dtype, pd.CategoricalDtype)
    assert df.attrs["factors"]["research.spill_probability"]["units"] == "probability"


# -- attribution ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["attribution.h5", "check_design.attribution.h5"])
def test_attribution_equals_the_datasets_of_the_file(inputs, name):
    df = normsim.read_attribution(path(inputs, name))
    with h5py.File(path(inputs, name)) as f:
        assert df.attrs["tables"] == list(f["attribution"])
        for table, g in f["attribution"].items():
            labels = [text(x) for x in g["factor"].attrs["labels"]]
            kinds = [text(x) for x in g["factor"].attrs["kinds"]]
            measures = [k for k in g if k != "factor"]
            rows = df[df["table"] == table]
            assert set(rows["measure"]) == set(measures)
            assert set(rows["outcome"]) == {table.partition(".")[0]}
            for m in measures:
                r = rows[rows["measure"] == m].sort_values("position")
                assert list(r["factor"]) == labels and list(r["kind"]) == kinds
                for col in ("estimate", "low", "high"):
                    assert_same(r[col].to_numpy(), g[f"{m}/{col}"][:])
                for a in ("rows", "runs", "variance", "confidence"):
                    assert set(r[a]) == {float(g.attrs[a])}


def test_attribution_analyses(inputs):
    df = normsim.open(path(inputs, "attribution.h5"))
    assert set(df["analysis"]) == {"main", "shapley", "knockout"}
    assert set(df.loc[df["analysis"] == "shapley", "measure"]) == {"first_order", "shapley", "total"}
    assert set(df.loc[df["analysis"] == "knockout", "measure"]) == {"knockout"}


# -- the Dataset builder (for results computed in memory) ------------------------------------
def test_make_dataset_from_codes_and_labels_reads_like_a_file(inputs):
    ds = normsim.open(path(inputs, "sweep.h5"))
    with h5py.File(path(inputs, "sweep.h5")) as f:
        norm = f["design/norm.preset"]
        built = make_dataset(
            {"xrisk": f["outcomes/xrisk"][:]},
            factors={"norm.preset": {"values": norm[:], "labels": labels_of(norm)},
                     "research.spill_probability": {
                         "values": f["design/research.spill_probability"][:], "scale": "linear"}},
            completed=f["runs/completed"][:], attrs={"path": "memory"})
    for key in ("norm.preset", "research.spill_probability"):
        assert list(built[key].values) == list(ds[key].values)
        assert built[key].attrs == ds[key].attrs
    pd.testing.assert_frame_equal(normsim.summary(built, "xrisk"), normsim.summary(ds, "xrisk"))


# -- errors: a NormsimDataError (a ValueError) naming the file and the dataset ----------------
def test_missing_file_and_not_hdf5(tmp_path):
    with pytest.raises(normsim.NormsimDataError, match="nope.h5: no such file"):
        normsim.open(str(tmp_path / "nope.h5"))
    bad = tmp_path / "bad.h5"
    bad.write_text("not an HDF5 file")
    with pytest.raises(ValueError, match="bad.h5: not an HDF5 file"):
        normsim.open(str(bad))


@pytest.mark.parametrize("reader, name, dataset", [
    (normsim.read_claims, "sweep.h5", "/claims"),
    (normsim.read_attribution, "run.h5", "/attribution"),
    (normsim.read_outcomes, "check_design.attribution.h5", "/outcomes"),
])
def test_a_reader_on_a_file_without_its_group(inputs, reader, name, dataset, copy_of):
    file = path(inputs, name)
    if reader is normsim.read_outcomes:
        file = copy_of(name, lambda f: f.__delitem__("outcomes"))
    with pytest.raises(normsim.NormsimDataError) as err:
        reader(file)
    assert f"{os.path.basename(file)}: missing dataset {dataset}" in str(err.value)
    assert err.value.path == file and err.value.dataset == dataset


def test_a_claim_without_a_dataset_or_attribute(copy_of):
    broken = copy_of("check.h5", lambda f: f.__delitem__("claims/risk-below-third/verdict"))
    with pytest.raises(normsim.NormsimDataError) as err:
        normsim.open(broken)
    assert "missing dataset /claims/risk-below-third/verdict" in str(err.value)
    assert err.value.dataset == "/claims/risk-below-third/verdict"
    no_scope = copy_of("check.h5", lambda f: f["claims/risk-below-third"].attrs.__delitem__("scope"))
    with pytest.raises(normsim.NormsimDataError,
                       match="missing attribute 'scope' of /claims/risk-below-third"):
        normsim.read_claims(no_scope)


def test_an_attribution_index_without_its_interval(copy_of):
    broken = copy_of("attribution.h5", lambda f: f.__delitem__("attribution/xrisk/total/low"))
    with pytest.raises(normsim.NormsimDataError, match="missing dataset /attribution/xrisk/total/low"):
        normsim.read_attribution(broken)


def test_an_outcome_missing_from_a_dataset(inputs):
    ds = normsim.open(path(inputs, "sweep.h5"))
    with pytest.raises(normsim.NormsimDataError) as err:
        normsim.summary(ds, "nope")
    assert "sweep.h5: missing dataset /outcomes/nope" in str(err.value)
    assert err.value.dataset == "/outcomes/nope"
