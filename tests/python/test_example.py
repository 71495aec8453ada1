"""The example analysis/examples/norms_sweep.py runs (on a small sweep) and its table of means is
the file's: each cell's mean and count equal normsim's /summary/xrisk of that design point."""

import os
import subprocess
import sys

import h5py
import numpy as np
import pandas as pd
import pytest
from conftest import labels_of


def test_norms_sweep_example(source_dir, staged_dir, tmp_path):
    out = str(tmp_path / "example")
    p = subprocess.run(
        [sys.executable, os.path.join(source_dir, "analysis", "examples", "norms_sweep.py"),
         "--replicates", "3", "--steps", "30", "-o", out],
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PYTHONPATH=staged_dir, PYTHONDONTWRITEBYTECODE="1"))
    assert p.returncode == 0, p.stderr
    for name in ("tradeoff.png", "sweep_lines.png", "sweep_lines.svg"):
        assert os.path.getsize(os.path.join(out, name)) > 0
        assert os.path.join(out, name) in p.stdout
    cells = pd.read_csv(os.path.join(out, "xrisk_by_norm.csv"))
    with h5py.File(os.path.join(out, "sweep.h5")) as f:
        labels = labels_of(f["design/norm.preset"])
        norm = [labels[c] for c in f["design/norm.preset"][:]]
        spill = f["design/research.spill_probability"][:]
        mean, n = f["summary/xrisk/mean"][:], f["summary/xrisk/n"][:]
    assert len(cells) == len(norm) == 30
    for point in range(len(norm)):
        row = cells[(cells["norm.preset"] == norm[point])
                    & np.isclose(cells["research.spill_probability"], spill[point])]
        assert len(row) == 1
        assert row["mean"].iloc[0] == pytest.approx(mean[point], rel=1e-12)
        assert row["count"].iloc[0] == n[point]
