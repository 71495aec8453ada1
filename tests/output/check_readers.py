"""Checks that files written by Hdf5Sink open in h5py, pandas and xarray.

Usage: check_readers.py <output_write_example> <file.h5>. Runs the writer (6 replicates, 5 steps,
row 0 never written, rows 2 and 5 stop early) and checks shapes, fill values, dimension scales and
that xarray names the dimensions from the HDF5 dimension scales.
"""
import math
import subprocess
import sys

import h5py
import numpy as np
import pandas as pd
import xarray as xr

writer, path = sys.argv[1], sys.argv[2]
subprocess.run([writer, path], check=True)

with h5py.File(path, "r") as f:
    assert f.attrs["format"] == "normsim-runs", f.attrs["format"]
    assert int(f.attrs["format_version"]) == 1
    assert int(f.attrs["complete"]) == 0
    assert int(f.attrs["master_seed"]) == 0xFFFFFFFFFFFFFFF1
    assert list(f.attrs["cli_overrides"]) == ["run.replicates=4", "model.labs=3"], f.attrs["cli_overrides"]
    assert f["outcomes/xrisk"].shape == (6,)
    assert f["series/hazard"].shape == (6, 5)
    assert math.isnan(f["outcomes/xrisk"][0])            # never written
    assert f["outcomes/xrisk"][1] == 100.0 + 2 + 0.25
    assert list(f["runs/completed"][:]) == [0, 1, 1, 1, 1, 1]
    assert np.isnan(f["series/hazard"][2, 2:]).all()     # run 2 stopped after 2 steps
    assert f["outcomes/xrisk"].dims[0][0].name == "/replicate"
    assert f["series/hazard"].dims[1][0].name == "/step"
    assert f["series/hazard"].compression == "gzip" and f["series/hazard"].shuffle
    frame = pd.DataFrame({k: v[:] for k, v in f["outcomes"].items()})
    assert frame.shape == (6, 11), frame.shape

for engine in ("h5netcdf", "netcdf4"):
    with xr.open_dataset(path, group="outcomes", engine=engine) as ds:
        assert ds["xrisk"].dims == ("replicate",), (engine, ds["xrisk"].dims)
        df = ds.to_dataframe()
        assert df.shape == (6, 11), (engine, df.shape)
        assert math.isnan(df["xrisk"].iloc[0]) and df["xrisk"].iloc[1] == 102.25
    with xr.open_dataset(path, group="series", engine=engine) as ds:
        assert ds["hazard"].dims == ("replicate", "step"), (engine, ds["hazard"].dims)
        assert ds["hazard"].shape == (6, 5)
print("h5py, pandas and xarray (h5netcdf, netcdf4) read", path)
