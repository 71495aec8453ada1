"""Checks that files written by Hdf5Sink open in h5py, pandas and xarray, and give a tidy table.

Usage: check_readers.py <output_write_example> <file.h5>. Runs the writer (3 points × 4 replicates
× 5 steps, factors "research.spill_probability" (numeric) and "norms.regime" (categorical), run 0
never written, runs r % 3 == 2 stop early) and checks shapes, fill values, dimension scales, that
xarray names the dimensions (point, replicate, step) from the HDF5 dimension scales, and that the
snippet of schema_markdown() builds a tidy DataFrame (point, replicate, factors..., outcomes).
"""
import importlib.util
import math
import subprocess
import sys

import h5py
import numpy as np
import pandas as pd
import xarray as xr

writer, path = sys.argv[1], sys.argv[2]
subprocess.run([writer, path], check=True)
P, R, T = 3, 4, 5

with h5py.File(path, "r") as f:
    assert f.attrs["format"] == "normsim-runs", f.attrs["format"]
    assert int(f.attrs["format_version"]) == 2
    assert int(f.attrs["complete"]) == 0
    assert int(f.attrs["master_seed"]) == 0xFFFFFFFFFFFFFFF1
    assert list(f.attrs["cli_overrides"]) == ["run.replicates=4", "model.labs=3"], f.attrs["cli_overrides"]
    assert f["outcomes/xrisk"].shape == (P, R)
    assert f["series/hazard"].shape == (P, R, T)
    assert math.isnan(f["outcomes/xrisk"][0, 0])             # never written
    assert f["outcomes/xrisk"][0, 1] == 100.0 + 2 + 0.25      # run 1
    assert f["outcomes/xrisk"][2, 3] == 1100.0 + 2 + 0.25     # run 11
    assert f["runs/completed"][:].ravel().tolist() == [0] + [1] * (P * R - 1)
    assert np.isnan(f["series/hazard"][0, 2, 2:]).all()       # run 2 stopped after 2 steps
    assert f["outcomes/xrisk"].dims[0][0].name == "/point"
    assert f["outcomes/xrisk"].dims[1][0].name == "/replicate"
    assert f["series/hazard"].dims[2][0].name == "/step"
    assert f["series/hazard"].compression == "gzip" and f["series/hazard"].shuffle
    assert f["design/norms.regime"][:].tolist() == [0, 1, 0]
    assert list(f["design/norms.regime"].attrs["labels"]) == ["open", "closed loop"]
    assert f["design/research.spill_probability"].attrs["key"] == "research.spill_probability"
    xrisk = f["outcomes/xrisk"][:]
    assert np.allclose(f["summary/xrisk/mean"][:], np.nanmean(np.where(f["runs/completed"][:] == 1, xrisk, np.nan), axis=1))
    assert f["summary/xrisk/n"][:].tolist() == [R - 1, R, R]

engines = ["netcdf4"] + (["h5netcdf"] if importlib.util.find_spec("h5netcdf") else [])
for engine in engines:
    # The snippet of schema_markdown(), verbatim apart from the engine.
    outcomes = xr.open_dataset(path, group="outcomes", engine=engine)                 # dims (point, replicate)
    design = xr.open_dataset(path, group="design", engine=engine)                     # dim point
    for k, v in design.data_vars.items():                              # categorical codes → labels
        if "labels" in v.attrs:
            design[k] = ("point", np.asarray(v.attrs["labels"], dtype=object)[v.values])
    tidy = outcomes.assign_coords({k: design[k] for k in design.data_vars}).to_dataframe().reset_index()
    summary = xr.open_dataset(path, group="summary/xrisk", engine=engine).to_dataframe()
    series = xr.open_dataset(path, group="series", engine=engine)

    assert outcomes["xrisk"].dims == ("point", "replicate"), (engine, outcomes["xrisk"].dims)
    assert design["research.spill_probability"].dims == ("point",), engine
    assert series["hazard"].dims == ("point", "replicate", "step"), (engine, series["hazard"].dims)
    assert tidy.shape == (P * R, 2 + 2 + 11), (engine, tidy.shape, list(tidy.columns))
    assert list(tidy.columns[:2]) == ["point", "replicate"], list(tidy.columns)
    assert {"research.spill_probability", "norms.regime", "xrisk"} <= set(tidy.columns), list(tidy.columns)
    row = tidy[(tidy.point == 2) & (tidy.replicate == 3)].iloc[0]
    assert row["xrisk"] == 1102.25 and row["norms.regime"] == "open", (engine, row)
    assert math.isclose(row["research.spill_probability"], 0.3)
    assert tidy[tidy.point == 1]["norms.regime"].unique().tolist() == ["closed loop"]
    assert math.isnan(tidy.xrisk.iloc[0])
    assert summary.shape == (P, 7) and summary.index.name == "point", (engine, summary.shape, summary.index.name)
    for ds in (outcomes, design, series):
        ds.close()
print("h5py, pandas and xarray (" + ", ".join(engines) + ") read", path)
