#!/usr/bin/python3
"""normsim against a vectorised numpy implementation of the same model, on the same work.

    /usr/bin/python3 sim/bench/compare_numpy.py build/release/sim/cli/normsim \
        [--scenario scenarios/baseline.toml] [--runs 300]

What a user would write instead of normsim: the model of docs/model.md in numpy, vectorised over the
researchers and results of each step (Poisson result counts per researcher and step, the quality,
spill, flag and publication coins of every result as arrays, the per-lab sums with bincount), with a
Python loop over steps and runs. Its random numbers come from numpy's default generator, not from
normsim's keyed Philox streams, so single runs differ; the outcome means printed side by side show
that both compute the same model.

Both are timed as whole processes (interpreter start and numpy import included for numpy; process
start, scenario parsing and the HDF5 file included for normsim), on one thread, on the same scenario
and run count, each the best of --repeats. The machine may be shared: best-of is the least disturbed
figure. Reads the scenario with tomllib; supports the keys the six norm scenarios and the baseline
use (no [[individuals]], knockouts or sweeps).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib

import numpy as np

# The model's defaults (scenarios/baseline.toml); a scenario overrides any of them.
DEFAULTS = {
    "labs": {"sizes": [120, 80, 60, 40, 30, 20, 15, 10], "interp_fraction": 0.15, "compute_sigma": 0.5,
             "compute_elasticity": 0.5, "leak_rate": 0.0, "noncompliant": [],
             "propensity_capabilities": 0.6, "propensity_interpretability": 0.9},
    "researchers": {"talent_sigma": 1.0, "result_rate": 0.25},
    "research": {"phi_capabilities": 0.25, "phi_interpretability": 0.25, "spill_probability": 0.1,
                 "spill_size": 0.5, "screen_sensitivity": 0.7, "screen_false_positive": 0.1},
    "world": {"steps": 200, "stop_at_transformative": True},
    "hazard": {"width": 0.5, "danger_capability": 3000.0, "understanding_cover": 5.0, "max": 0.2,
               "transformative_capability": 30000.0, "scope": "frontier", "basis": "progress"},
    "adaptation": {"enabled": True, "every": 4, "weight_lead": 1.0, "weight_prestige": 0.5, "strength": 5.0,
                   "mutation": 0.02},
}
# The norm presets (allow capabilities, interpretability, flagged; embargo of each, in steps).
PRESETS = {
    "open": ([1, 1, 1], [0, 0, 0]),
    "closed": ([0, 0, 0], [0, 0, 0]),
    "no_capabilities": ([0, 1, 1], [0, 0, 0]),
    "no_interpretability": ([1, 0, 0], [0, 0, 0]),
    "hazard_specific": ([1, 1, 0], [0, 0, 0]),
    "embargo_capabilities": ([1, 1, 1], [8, 0, 0]),
}
MUTATION_SD = 0.1


def load(path):
    """Model parameters of a scenario file: the model's defaults with the file's values on top."""
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    p = {section: dict(values) for section, values in DEFAULTS.items()}
    for section in p:
        p[section].update(doc.get(section, {}))
    norm = doc.get("norm", {})
    allow, embargo = PRESETS[norm.get("preset", "open")]
    allow, embargo = list(map(float, allow)), list(embargo)
    for k, name in enumerate(["capabilities", "interpretability", "flagged"]):
        allow[k] = float(norm.get("allow", {}).get(name, allow[k]))
        embargo[k] = int(norm.get(f"embargo_{name}", embargo[k]))
    p["norm"] = {"allow": np.array(allow), "embargo": np.array(embargo), "compliance": norm.get("compliance", 0.9)}
    p["seed"] = doc.get("run", {}).get("seed", 1)
    return p


def run(p, rng):
    """One run; returns (capability, interpretability, xrisk, t_transform, results, published_fraction)."""
    labs, res, rs, world, hz, ad, norm = (p["labs"], p["research"], p["researchers"], p["world"], p["hazard"],
                                          p["adaptation"], p["norm"])
    sizes = np.array(labs["sizes"])
    L, T = len(sizes), world["steps"]
    share = np.broadcast_to(np.asarray(labs["interp_fraction"], dtype=float), (L,))
    lab_of = np.repeat(np.arange(L), sizes)
    interp_count = np.floor(share * sizes + 0.5 + 1e-9).astype(int)
    position = np.arange(len(lab_of)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    interp = position < interp_count[lab_of]

    sigma_k, sigma_t = labs["compute_sigma"], rs["talent_sigma"]
    compute = rng.lognormal(-sigma_k ** 2 / 2, sigma_k, L)
    talent = rng.lognormal(-sigma_t ** 2 / 2, sigma_t, len(lab_of))
    rate = rs["result_rate"] * talent * compute[lab_of] ** labs["compute_elasticity"]
    prop = np.tile([labs["propensity_capabilities"], labs["propensity_interpretability"]], (L, 1))
    compliance = np.full(L, float(norm["compliance"]))
    compliance[list(labs["noncompliant"])] = 0.0
    Q = int(min(norm["embargo"].max(), T)) + 1
    unpublished = np.zeros((L, 2))  # capability, interpretability
    queue = np.zeros((L, Q, 2))
    public = np.zeros(2)
    published_since_review = np.zeros(L)
    survival, t_transform, total_results, total_published = 1.0, np.nan, 0, 0
    log_previous = np.zeros(L) if hz["scope"] == "every_lab" else 0.0
    frontier = np.zeros(2)

    for t in range(1, T + 1):
        access = unpublished + queue.sum(axis=1) + public
        multiplier = (1.0 + access) ** np.array([res["phi_capabilities"], res["phi_interpretability"]])
        counts = rng.poisson(rate)
        who = np.repeat(np.arange(len(rate)), counts)
        n = len(who)
        lab, is_interp = lab_of[who], interp[who]
        quality = rng.exponential(size=n)
        u = rng.random((5, n))
        spills = is_interp & (u[0] < res["spill_probability"])
        flagged = u[1] < np.where(spills, res["screen_sensitivity"], res["screen_false_positive"])
        category = np.where(is_interp, np.where(flagged, 2, 1), 0)
        d_cap = np.where(is_interp, np.where(spills, res["spill_size"], 0.0), 1.0) * quality * multiplier[lab, 0]
        d_int = np.where(is_interp, quality * multiplier[lab, 1], 0.0)
        desire = u[2] < prop[lab, np.minimum(category, 1)]
        permitted = u[3] < norm["allow"][category]
        complies = rng.random(n) < compliance[lab]
        published = desire & (permitted | ~complies)
        embargo = norm["embargo"][category]
        # Destination: 0 private, 1 released now, 2 + e queued for e steps.
        destination = np.where(~published | (t + embargo > T), 0, np.where(embargo == 0, 1, 2 + embargo))
        cell = lab * (Q + 2) + destination
        add_cap = np.bincount(cell, d_cap, L * (Q + 2)).reshape(L, Q + 2)
        add_int = np.bincount(cell, d_int, L * (Q + 2)).reshape(L, Q + 2)
        unpublished += np.stack([add_cap[:, 0], add_int[:, 0]], axis=1)
        public += [add_cap[:, 1].sum(), add_int[:, 1].sum()]
        for e in range(1, Q):
            queue[:, (t + e) % Q] += np.stack([add_cap[:, 2 + e], add_int[:, 2 + e]], axis=1)
        published_count = np.bincount(lab, published, L)
        published_since_review += published_count
        total_results += n
        total_published += int(published_count.sum())
        due = t % Q
        public += queue[:, due].sum(axis=0)
        queue[:, due] = 0.0
        if labs["leak_rate"] > 0:
            leak = labs["leak_rate"]
            public += leak * (unpublished.sum(axis=0) + queue.sum(axis=(0, 1)))
            unpublished *= 1 - leak
            queue *= 1 - leak

        access = unpublished + queue.sum(axis=1) + public
        front = int(np.argmax(access[:, 0]))
        frontier = access[front]

        def lab_hazard(c, i):
            log_c = np.log1p(c)
            danger = 1 / (1 + np.exp(-(log_c - np.log1p(hz["danger_capability"])) / hz["width"]))
            gap = 1 / (1 + np.exp(-(log_c - np.log1p(hz["understanding_cover"] * i)) / hz["width"]))
            return hz["max"] * danger * gap, log_c

        if hz["scope"] == "frontier":
            h, log_c = lab_hazard(frontier[0], frontier[1])
            delta = max(0.0, log_c - log_previous) if hz["basis"] == "progress" else 1.0
            survival *= 1 - min(1.0, h * delta)
        else:
            h, log_c = lab_hazard(access[:, 0], access[:, 1])
            delta = np.maximum(0.0, log_c - log_previous) if hz["basis"] == "progress" else 1.0
            survival *= np.prod(1 - np.minimum(1.0, h * delta))
        log_previous = log_c

        finished = t >= T
        if np.isnan(t_transform) and frontier[0] >= hz["transformative_capability"]:
            t_transform = t
            finished = finished or world["stop_at_transformative"]
        if ad["enabled"] and t % ad["every"] == 0:
            lead = access[:, 0] / access[:, 0].max() if access[:, 0].max() > 0 else np.zeros(L)
            payoff = ad["weight_lead"] * lead + ad["weight_prestige"] * published_since_review / max(
                1.0, published_since_review.max())
            other = (np.arange(L) + 1 + rng.integers(0, L - 1, L)) % L
            copy = rng.random(L) < 1 / (1 + np.exp(-ad["strength"] * (payoff[other] - payoff)))
            new = np.where(copy[:, None], prop[other], prop)
            mutate = rng.random((L, 2)) < ad["mutation"]
            new = np.where(mutate, np.clip(new + MUTATION_SD * rng.standard_normal((L, 2)), 0, 1), new)
            prop = new
            published_since_review[:] = 0
        if finished:
            break
    return (frontier[0], frontier[1], 1 - survival, t_transform, total_results,
            total_published / total_results if total_results else np.nan)


NAMES = ["capability", "interpretability", "xrisk", "t_transform", "results", "published_fraction"]


def numpy_main(scenario, runs):
    """The numpy side as its own process: prints the outcome means."""
    p = load(scenario)
    rng = np.random.default_rng(p["seed"])
    out = np.array([run(p, rng) for _ in range(runs)])
    print(" ".join(f"{np.nanmean(out[:, i]):.6g}" for i in range(len(NAMES))))


def timed(command):
    """Wall seconds and output of one whole process."""
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True,
                          env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    return time.perf_counter() - start, done.stdout


def normsim_means(path):
    import h5py
    with h5py.File(path, "r") as f:
        return [float(np.nanmean(f["outcomes"][name][()])) for name in NAMES]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("normsim", help="path of the normsim executable (a release build)")
    parser.add_argument("--scenario", default=os.path.join(os.path.dirname(__file__), "..", "..", "scenarios",
                                                           "baseline.toml"))
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--numpy-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.numpy_only:
        numpy_main(args.scenario, args.runs)
        return

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "normsim.h5")
        normsim_cmd = [args.normsim, "run", args.scenario, "-r", str(args.runs), "--threads", "1", "--no-series",
                       "-q", "-o", out, "--overwrite"]
        numpy_cmd = [sys.executable, __file__, args.normsim, "--scenario", args.scenario, "--runs", str(args.runs),
                     "--numpy-only"]
        normsim_seconds = min(timed(normsim_cmd)[0] for _ in range(args.repeats))
        ours = normsim_means(out)
        numpy_runs = [timed(numpy_cmd) for _ in range(args.repeats)]
        numpy_seconds = min(s for s, _ in numpy_runs)
        theirs = [float(x) for x in numpy_runs[0][1].split()]

    print(f"compare_numpy: {os.path.basename(args.scenario)}, {args.runs} runs, 1 thread, whole processes, "
          f"best of {args.repeats}")
    print(f"  normsim : {normsim_seconds:8.3f} s  ({1e3 * normsim_seconds / args.runs:.3f} ms per run)")
    print(f"  numpy   : {numpy_seconds:8.3f} s  ({1e3 * numpy_seconds / args.runs:.3f} ms per run)")
    print(f"  normsim is {numpy_seconds / normsim_seconds:.1f}x faster per core")
    print("  outcome means (normsim | numpy; different random numbers, same model):")
    for name, a, b in zip(NAMES, ours, theirs):
        print(f"    {name:<20} {a:12.5g} | {b:12.5g}")
    print(f"  load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
