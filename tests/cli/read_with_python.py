"""Opens a normsim file the way users do (h5py, pandas, xarray) and checks what they see.

Usage: /usr/bin/python3 read_with_python.py FILE REPLICATES STEPS
"""
import sys

import h5py
import numpy as np
import pandas as pd
import xarray as xr

path, replicates, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with h5py.File(path, "r") as f:
    assert f.attrs["format"] in ("normsim-runs", b"normsim-runs"), f.attrs["format"]
    assert int(f.attrs["complete"]) == 1
    outcomes = pd.DataFrame({name: f["outcomes"][name][:] for name in f["outcomes"]})
    assert outcomes.shape[0] == replicates, outcomes.shape
    assert outcomes["xrisk"].between(0, 1).all()
    series = f["series/frontier_capability"][:]
    assert series.shape == (replicates, steps), series.shape
    assert np.isfinite(series[:, 0]).all()
ds = xr.open_dataset(path, group="outcomes")
assert ds["xrisk"].dims == ("replicate",), ds["xrisk"].dims
assert ds.sizes["replicate"] == replicates
series = xr.open_dataset(path, group="series")
assert series["hazard"].dims == ("replicate", "step"), series["hazard"].dims
print("python readers ok:", outcomes.shape, series["hazard"].shape)
