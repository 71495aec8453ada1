"""Opens normsim files the way users do (h5py, pandas, xarray) and checks what they see.

Usage: /usr/bin/python3 read_with_python.py SINGLE.h5 SUMMARY.txt REPLICATES STEPS SWEEP.h5

SINGLE.h5 is one scenario (one point) whose printed summary is SUMMARY.txt; SWEEP.h5 is a sweep.
"""
import sys

import h5py
import numpy as np
import pandas as pd
import xarray as xr

single, summary_text, replicates, steps, sweep = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

# One scenario: shapes, values, and the summary the run printed.
with h5py.File(single, "r") as f:
    assert f.attrs["format"] in ("normsim-runs", b"normsim-runs"), f.attrs["format"]
    assert int(f.attrs["complete"]) == 1
    outcomes = pd.DataFrame({name: f["outcomes"][name][0, :] for name in f["outcomes"]})
    assert outcomes.shape[0] == replicates, outcomes.shape
    assert outcomes["xrisk"].between(0, 1).all()
    series = f["series/frontier_capability"][:]
    assert series.shape == (1, replicates, steps), series.shape
    assert np.isfinite(series[0, :, 0]).all()
    # The last series value of each run is its capability outcome.
    last = [series[0, r, int(s) - 1] for r, s in enumerate(f["outcomes/steps_run"][0, :])]
    assert np.array_equal(last, f["outcomes/capability"][0, :])
printed = {}
for line in open(summary_text):
    parts = line.split()
    if len(parts) == 4 and parts[0] in outcomes.columns:
        printed[parts[0]] = (float(parts[1]), float(parts[2]), int(parts[3]))
for name in ("xrisk", "capability", "results"):
    mean, se, n = printed[name]
    values = outcomes[name].dropna()
    assert n == len(values), (name, n, len(values))
    # The summary prints 5 significant digits of the mean and 3 of the standard error.
    assert abs(values.mean() - mean) <= 5e-5 * abs(mean) + 1e-12, (name, values.mean(), mean)
    assert abs(values.std(ddof=1) / np.sqrt(n) - se) <= 5e-3 * se + 1e-12, (name, se)
ds = xr.open_dataset(single, group="outcomes")
assert ds["xrisk"].dims == ("point", "replicate"), ds["xrisk"].dims

# A sweep: a tidy table, one row per run, with the design's factors as columns.
outcomes = xr.open_dataset(sweep, group="outcomes")
design = xr.open_dataset(sweep, group="design")
for k, v in design.data_vars.items():
    if "labels" in v.attrs:
        design[k] = ("point", np.asarray(v.attrs["labels"], dtype=object)[v.values])
tidy = outcomes.assign_coords({k: design[k] for k in design.data_vars}).to_dataframe().reset_index()
points, reps = outcomes.sizes["point"], outcomes.sizes["replicate"]
assert len(tidy) == points * reps, (len(tidy), points, reps)
assert {"norm.preset", "research.spill_probability", "xrisk", "point", "replicate"} <= set(tidy.columns), tidy.columns
assert set(tidy["norm.preset"]) == {"open", "closed", "hazard_specific"}, set(tidy["norm.preset"])
by_norm = tidy.groupby("norm.preset")["xrisk"].mean()
summary = xr.open_dataset(sweep, group="summary/xrisk").to_dataframe()
assert np.allclose(summary["mean"].values, outcomes["xrisk"].mean("replicate").values, rtol=1e-12)
series = xr.open_dataset(sweep, group="series")
assert series["hazard"].dims == ("point", "replicate", "step"), series["hazard"].dims
print("python readers ok:", tidy.shape, dict(by_norm.round(4)))
