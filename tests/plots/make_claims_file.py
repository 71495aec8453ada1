#!/usr/bin/python3
"""Test input for verdict_map.py: a claims file in the layout `normsim check` writes.

  make_claims_file.py RUNS.h5 OUT.h5

Copies RUNS.h5 (a file of `normsim run`, a sweep or a single scenario: /design, /summary and the
provenance stay real) to OUT.h5 and adds /claims with two claims computed from its outcomes:

  xrisk_low        scope "points": mean xrisk < v at every design point, v chosen among the
                   quantiles of the point means so that the verdicts mix holds, fails and
                   inconclusive (when the data allow it)
  published_share  scope "design": mean published_fraction > 0.5 over every run of the file

Layout (REFERENCE.md will describe it once `normsim check` writes it):
  /claims                 attribute verdict_labels = ["holds", "fails", "inconclusive"]
  /claims/<id>            attributes statement, quantity, outcome, compare ("<" or ">"), value,
                          confidence, scope ("points" or "design")
  /claims/<id>/{estimate, low, high}  float64 [P] (scope "design": [1])
  /claims/<id>/verdict    int8 [P]    0 holds, 1 fails, 2 inconclusive
  /claims/<id>/n          uint64 [P]  sample size used
  /claims/<id>/n_needed   float64 [P] sample size likely to decide (0 when decided, inf when not
                                      decidable)
Verdicts here: a normal-approximation interval (mean -/+ z SE) entirely on the claimed side holds,
entirely on the other side fails, else inconclusive.
"""

import os
import shutil
import statistics
import sys

import h5py
import numpy as np

VERDICTS = ("holds", "fails", "inconclusive")


def verdicts(estimate, low, high, compare, value):
    """0 holds, 1 fails, 2 inconclusive, per element."""
    below, above = high < value, low > value
    holds = below if compare == "<" else above
    fails = above if compare == "<" else below
    return np.where(holds, 0, np.where(fails, 1, 2)).astype(np.int8)


def n_needed(estimate, sd, n, verdict, value, z):
    """Sample size at which the interval would likely clear the claimed value."""
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.ceil((z * sd / np.abs(estimate - value)) ** 2)
    need = np.where(np.isfinite(need) & (need > 0), np.maximum(need, n + 1), np.inf)
    return np.where(verdict == 2, need, 0.0)


def write_claim(group, cid, attrs, estimate, low, high, verdict, n, need):
    g = group.create_group(cid)
    for k, v in attrs.items():
        g.attrs[k] = v
    g.create_dataset("estimate", data=np.asarray(estimate, dtype=np.float64))
    g.create_dataset("low", data=np.asarray(low, dtype=np.float64))
    g.create_dataset("high", data=np.asarray(high, dtype=np.float64))
    g.create_dataset("verdict", data=np.asarray(verdict, dtype=np.int8))
    g.create_dataset("n", data=np.asarray(n, dtype=np.uint64))
    g.create_dataset("n_needed", data=np.asarray(need, dtype=np.float64))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_claims_file.py RUNS.h5 OUT.h5")
    src, out = sys.argv[1:]
    tmp = f"{out}.tmp-{os.getpid()}"
    shutil.copyfile(src, tmp)
    confidence = 0.95
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    with h5py.File(tmp, "r+") as f:
        claims = f.create_group("claims")
        claims.attrs.create("verdict_labels", list(VERDICTS), dtype=h5py.string_dtype())

        # Claim 1, one verdict per point: mean xrisk below a value.
        mean = f["summary/xrisk/mean"][:]
        sd = f["summary/xrisk/sd"][:]
        n = f["summary/xrisk/n"][:].astype(np.uint64)
        se = sd / np.sqrt(np.maximum(n, 1))
        low, high = mean - z * se, mean + z * se
        candidates = [float(np.nanquantile(mean, q)) for q in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)]
        value = candidates[0]
        for c in candidates:
            if len(set(verdicts(mean, low, high, "<", c).tolist())) == 3:
                value = c
                break
        value = float(f"{value:.3g}")
        v = verdicts(mean, low, high, "<", value)
        write_claim(claims, "xrisk_low", {
            "statement": f"The probability of catastrophe stays below {value:g}: the norms "
                         "keep x-risk low wherever the design goes.",
            "quantity": "mean xrisk", "outcome": "xrisk", "compare": "<", "value": value,
            "confidence": confidence, "scope": "points"},
            mean, low, high, v, n, n_needed(mean, sd, n, v, value, z))

        # Claim 2, one verdict for the whole design: mean published fraction above one half.
        x = f["outcomes/published_fraction"][:].ravel()
        if "runs/completed" in f:
            x = x[f["runs/completed"][:].ravel().astype(bool)]
        x = x[np.isfinite(x)]
        m, s = float(np.mean(x)), float(np.std(x, ddof=1))
        half = z * s / np.sqrt(len(x))
        v2 = verdicts(np.array([m]), np.array([m - half]), np.array([m + half]), ">", 0.5)
        write_claim(claims, "published_share", {
            "statement": "Under these norms labs still publish most of their results (more than "
                         "half of all results are published).",
            "quantity": "mean published_fraction", "outcome": "published_fraction",
            "compare": ">", "value": 0.5, "confidence": confidence, "scope": "design"},
            [m], [m - half], [m + half], v2, [len(x)],
            n_needed(np.array([m]), np.array([s]), len(x), v2, 0.5, z))
    os.replace(tmp, out)
    counts = {VERDICTS[k]: int(c) for k, c in zip(*np.unique(v, return_counts=True))}
    print(f"wrote {out}: claim xrisk_low (value {value:g}, verdicts {counts}), "
          f"claim published_share ({VERDICTS[int(v2[0])]})")


if __name__ == "__main__":
    main()
