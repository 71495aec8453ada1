#!/usr/bin/python3
"""Test of analysis/report.py on the output of normsim check (ctest "results: ...").

  check_report.py NORMSIM SCENARIO WORKDIR [--set KEY=VALUE]...

Runs `NORMSIM check SCENARIO -o WORKDIR/check.h5 --set ...` (exit 0, 1 or 3: verdicts, not
errors), draws one verdict map into WORKDIR/figures, writes WORKDIR/report.md with report.py and
checks that the report holds: the title and text of the scenario's header, the verdict table with a
row per claim of the file, the provenance (normsim version and git commit as `NORMSIM --version`
prints them, the command line), the run time, the resolved scenario in a <details> block and the
figure's relative link. Then checks that report.py fails clearly (exit 2, a message naming the file
and the dataset, no traceback) on a file without /claims and on a file whose claim lacks a dataset.
"""

import os
import re
import shutil
import subprocess
import sys

import h5py

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PY = sys.executable  # the interpreter ctest runs this with (NORMSIM_PYTHON); PYTHONPATH: the package
REPORT = os.path.join(ROOT, "analysis", "report.py")
VERDICT_MAP = os.path.join(ROOT, "analysis", "plots", "verdict_map.py")


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def run(cmd, ok=(0,)):
    print("$", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    sys.stdout.write(p.stdout[-3000:])
    sys.stderr.write(p.stderr[-3000:])
    if p.returncode not in ok:
        fail(f"exit status {p.returncode} (expected {ok}): {' '.join(cmd)}")
    return p


def expect_error(cmd, texts):
    p = run(cmd, ok=(2,))
    for t in texts:
        if t not in p.stderr:
            fail(f"stderr of {' '.join(cmd)} lacks {t!r}")
    if "Traceback" in p.stderr:
        fail("report.py printed a traceback instead of an error message")


def main():
    normsim, scenario, work = sys.argv[1:4]
    sets = sys.argv[4:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "figures"))
    h5 = os.path.join(work, "check.h5")
    run([normsim, "check", scenario, "-o", h5, "-q", "--overwrite", *sets], ok=(0, 1, 3))

    with h5py.File(h5, "r") as f:
        ids = list(f["claims"].keys())
        version = f.attrs["normsim_version"]
        commit = f.attrs["git_commit"]
    version = version.decode() if isinstance(version, bytes) else str(version)
    commit = commit.decode() if isinstance(commit, bytes) else str(commit)
    if not ids:
        fail(f"{h5}: no claims")
    v = run([normsim, "--version"]).stdout
    if version not in v or commit not in v:
        fail(f"root attributes normsim_version {version!r} / git_commit {commit!r} are not what "
             f"normsim --version prints: {v!r}")

    fig = os.path.join(work, "figures", "verdicts")
    run([PY, VERDICT_MAP, h5, "--claims", ids[0], "-o", fig] + (sys_at(h5)))
    report = os.path.join(work, "report.md")
    js = os.path.join(work, "claims.json")
    run([PY, REPORT, h5, "--scenario", scenario, "--figures", os.path.join(work, "figures"),
         "-o", report, "--json", js])
    text = open(report, encoding="utf-8").read()
    header = open(scenario, encoding="utf-8").read().splitlines()
    title_words = header[0].lstrip("# ").split()[:4]
    checks = {
        "title from the header": "# " + " ".join(title_words),
        "verdict section": "## Verdicts",
        "verdict table header": "| id | statement | claim | verdict | estimate | interval (level) | n | runs | guarantee |",
        "a guarantee": ") ≤ 0.05",
        "normsim version": version,
        "git commit": commit,
        "command line": "check",
        "run time": "run time",
        "resolved scenario": "<details><summary>The scenario as run",
        "resolved TOML": "[[claims]]",
        "figure link": "](figures/verdicts.png)",
    }
    for what, t in checks.items():
        if t not in text:
            fail(f"report lacks the {what} ({t!r})")
    for cid in ids:
        if not re.search(rf"^\| `{re.escape(cid)}` \|", text, re.M):
            fail(f"report lacks the verdict row of claim {cid}")
    # Each claim's verdict in its row is the file's (a single verdict, or the overall one of a map).
    words = {0: "holds", 1: "fails", 2: "inconclusive"}
    with h5py.File(h5, "r") as f:
        for cid in ids:
            v = f[f"claims/{cid}/verdict"][:]
            overall = 1 if (v == 1).any() else 2 if (v == 2).any() else 0
            row = re.search(rf"^\| `{re.escape(cid)}` \|.*$", text, re.M).group(0)
            if words[overall] not in row:
                fail(f"the row of claim {cid} does not say {words[overall]!r}: {row}")
            if len(v) > 1 and f"map of {len(v)}" not in row:
                fail(f"the row of claim {cid} does not summarise its map of {len(v)} points: {row}")
    # What the whole check cost: /claims records its wall time (at least the scenario's runs') and
    # its model runs (at least the scenario's), and the report's run time is the whole check's.
    with h5py.File(h5, "r") as f:
        check_wall = float(f["claims"].attrs["wall_seconds"])
        check_runs = int(f["claims"].attrs["runs"])
        runs_wall = float(f.attrs["wall_seconds"])
        scenario_runs = int(f["outcomes/xrisk"].size)
    if not check_wall >= runs_wall:
        fail(f"/claims wall_seconds {check_wall} < the scenario's runs' {runs_wall}")
    if check_runs < scenario_runs:
        fail(f"/claims runs {check_runs} < the scenario's {scenario_runs} runs")
    if f"for the whole check ({check_runs} model runs)" not in text:
        fail("the report's run time is not the whole check's")
    # An attribution with Shapley effects: the report tabulates them with their sums.
    stem = os.path.splitext(h5)[0]
    if os.path.exists(stem + ".attribution.h5"):
        with h5py.File(stem + ".attribution.h5", "r") as f:
            shapley = any(t.endswith(".shapley") for t in f["attribution"])
        for t in ["## Attribution"] + (["Shapley Sh", "| **sum** |"] if shapley else []):
            if t not in text:
                fail(f"report lacks {t!r} (the file has an attribution)")

    index = os.path.join(work, "README.md")
    run([PY, REPORT, "--index", js, "-o", index])
    itext = open(index, encoding="utf-8").read()
    for cid in ids:
        if f"`{cid}`" not in itext:
            fail(f"index lacks claim {cid}")

    # Strict: a file without /claims, and a claim without its verdict dataset.
    noclaims = os.path.join(work, "noclaims.h5")
    shutil.copyfile(h5, noclaims)
    with h5py.File(noclaims, "r+") as f:
        del f["claims"]
    expect_error([PY, REPORT, noclaims, "--scenario", scenario, "-o", os.path.join(work, "x.md")],
                 [noclaims, "missing dataset /claims"])
    broken = os.path.join(work, "broken.h5")
    shutil.copyfile(h5, broken)
    with h5py.File(broken, "r+") as f:
        del f[f"claims/{ids[0]}/verdict"]
    expect_error([PY, REPORT, broken, "--scenario", scenario, "-o", os.path.join(work, "y.md")],
                 [broken, f"missing dataset /claims/{ids[0]}/verdict"])
    print(f"ok: report of {len(ids)} claims")


def sys_at(h5):
    """--at options fixing every design factor but two (verdict_map.py needs a 2-D map)."""
    with h5py.File(h5, "r") as f:
        if "design" not in f:
            return []
        keys = list(f["design"].keys())
        out = []
        for k in keys[:-2]:
            ds = f["design"][k]
            if "labels" in ds.attrs:
                lab = ds.attrs["labels"][int(ds[0])]
                out += ["--at", f"{k}={lab.decode() if isinstance(lab, bytes) else lab}"]
            else:
                out += ["--at", f"{k}={float(ds[0]):g}"]
        return out


if __name__ == "__main__":
    main()
