"""The Markdown report of one argument (a file of ``normsim check``), and the index of all of them.

  report.py FILE.h5 --scenario PATH --figures DIR -o report.md [--json claims.json]
  report.py --index A1.json A2.json ... -o results/README.md [--total-seconds S]

(analysis/report.py, or ``python3 -m normsim.report``, with the package on PYTHONPATH, e.g.
``PYTHONPATH=build/release/python /usr/bin/python3 analysis/report.py ...``; from Python:
:func:`write_report` and :func:`write_index`.)

The report of one argument holds: the title and the argument's text (the scenario file's header
comment), the verdict table of every claim (estimate, interval and its level, n, runs, guarantee, and why
when
inconclusive; for a claim with one verdict per design point a summary of the map, verdicts per level
of each factor, and a table per point with the design values), the figures of DIR embedded with
links relative to the report, the scenario (path, and the resolved TOML of the file's
``scenario_resolved`` attribute in a collapsible block), the provenance (normsim version, git
commit, command line, host, threads) and the run time. With ``--json`` it also writes the claims'
verdicts in a small JSON file that ``--index`` gathers into the table of every argument.

The claims are read from ``/claims/<id>/{estimate, low, high, verdict, n, n_needed}`` with the
attributes statement, quantity, outcome, compare, value, confidence and scope ("points": one value
per entry of the map, "design": one value). The entries of a map are located by, in this order:
``/claims/<id>/design/<key>`` datasets (the factor values of each entry, categorical ones as level
codes with attribute ``labels``), or, when the claim has one entry per design point, ``/design``.

Strict: a dataset or attribute that is missing gives exit status 2 and a message naming the file
and the dataset. Tables of ``/attribution`` are summarised when present (Shapley tables with the
sums of their first-order, Shapley and total indices).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys


from ._errors import NormsimDataError
from ._h5 import NormsimFile
from ._report_attribution import _open_attribution, attribution_files, attribution_section
from ._report_claims import Claim, claim_specs, map_section, single_rows
from ._report_text import (VERDICT_MARK, ReportError, fmt_count, fmt_num, fmt_seconds, json_num,
                           json_value, read_header, header_markdown, table)

__all__ = ["write_report", "write_index", "main", "ReportError"]


# -- figures -----------------------------------------------------------------------------------
def figures_section(fig_dir: str, report_path: str) -> str:
    if not fig_dir:
        return ""
    if not os.path.isdir(fig_dir):
        raise ReportError(f"{fig_dir}: no such figures directory")
    pngs = sorted(glob.glob(os.path.join(fig_dir, "**", "*.png"), recursive=True))
    if not pngs:
        return "_No figures were made for this argument._"
    base = os.path.dirname(os.path.abspath(report_path))
    out = []
    for p in pngs:
        rel = os.path.relpath(os.path.abspath(p), base).replace(os.sep, "/")
        stem = os.path.splitext(os.path.basename(p))[0]
        svg = os.path.splitext(rel)[0] + ".svg"
        link = f" ([SVG]({svg}))" if os.path.exists(os.path.splitext(p)[0] + ".svg") else ""
        out.append(f"**{stem}**{link}\n\n![{stem}]({rel})\n")
    return "\n".join(out)


# -- the report --------------------------------------------------------------------------------
def write_report(file, scenario, output, figures="", json_path=None) -> dict:
    """Write the Markdown report of the check file ``file`` to ``output``: the argument's text from
    the header comment of ``scenario``, the verdicts, the attribution, the figures (PNG) found
    under ``figures`` and the provenance; with ``json_path``, also the claims' verdicts as JSON
    (for :func:`write_index`). Returns that summary (a dict). Raises :class:`ReportError` or
    :class:`~normsim.NormsimDataError` naming the file and what is missing."""
    file, scenario, output = os.fspath(file), os.fspath(scenario), os.fspath(output)
    title, header = read_header(scenario)
    with NormsimFile(file) as nf:
        for a in ("normsim_version", "git_commit", "scenario_resolved"):
            nf.text_attr("/", a)
        resolved = nf.text_attr("/", "scenario_resolved")
        specs = claim_specs(nf, resolved)
        if not specs:
            raise ReportError(f"{file}: /claims holds no claim")
        claims = [Claim(nf, cid, spec) for cid, spec in specs]
        attrs = {k: nf.attr(k, "") for k in ("normsim_version", "git_commit", "command_line",
                                              "scenario_file", "host", "start_time", "end_time",
                                              "build_type", "compiler")}
        wall_runs = float(nf.h5.attrs["wall_seconds"]) if "wall_seconds" in nf.h5.attrs else float("nan")
        walls = [wall_runs]
        for _, path in attribution_files(file):
            with _open_attribution(path) as af:
                walls.append(float(af.h5.attrs["wall_seconds"]) if "wall_seconds" in af.h5.attrs
                             else float("nan"))
        wall = float(sum(walls))
        # The whole check (its rounds, attribution looks and locate searches too), when the file
        # records it (/claims attribute wall_seconds; files of older versions lack it).
        claims_attrs = nf.h5["claims"].attrs
        check_wall = float(claims_attrs["wall_seconds"]) if "wall_seconds" in claims_attrs else None
        check_runs = int(claims_attrs["runs"]) if "runs" in claims_attrs else None
        threads = nf.h5.attrs.get("threads", "")
        complete = nf.complete
        counts_runs = (f"{nf.shape_of_runs()[0]} design point(s) × {nf.shape_of_runs()[1]} replicates"
                       if "outcomes" in nf.h5 else "")
        attribution = attribution_section(file, nf)

    parts = [f"# {title}", "", header_markdown(header), "", "## Verdicts", ""]
    parts.append(
        "A claim **holds** when its interval lies entirely on the claimed side of the value, "
        "**fails** when it lies entirely on the other side, and is **inconclusive** otherwise "
        "(n_needed: the sample size that would likely decide it; ∞ when the estimate sits on the "
        "value). A claim evaluated at several points (a map) holds overall when it holds at every "
        "point, fails when it fails at one, and is inconclusive otherwise (the rule of normsim "
        "check's exit status). Each claim states its guarantee: the probability that any of its "
        "verdicts is wrong, over its whole map (family-wise) and, in a sequential check, over "
        "every round; and the model runs it cost.")
    parts += ["", table(["id", "statement", "claim", "verdict", "estimate", "interval (level)", "n",
                         "runs", "guarantee"], single_rows(claims)), ""]
    maps = [c for c in claims if c.is_map]
    if maps:
        parts += ["### Claims with one verdict per point", ""]
        for c in maps:
            parts += [map_section(c), ""]
    crossings = boundary_section(file)
    if crossings:
        parts += ["## Where claims reverse (locate)", "", crossings, ""]
    if attribution:
        parts += ["## Attribution", "", attribution, ""]
    figs = figures_section(figures, output)
    if figs:
        parts += ["## Figures", "", figs, ""]
    parts += ["## Scenario and provenance", ""]
    scen_rel = os.path.relpath(os.path.abspath(scenario),
                               os.path.dirname(os.path.abspath(output))).replace(os.sep, "/")
    where = f"{threads} thread(s), host {attrs['host']}"
    attributions = len(walls) - 1
    if check_wall is not None:
        run_time = (f"{fmt_seconds(check_wall)} for the whole check ({check_runs} model runs) on {where}; "
                    f"the scenario's runs {fmt_seconds(walls[0])}")
        if attributions:
            run_time += f", {attributions} attribution(s) {fmt_seconds(sum(walls[1:]))}"
    else:
        run_time = f"{fmt_seconds(wall)} on {where}, for the scenario's runs"
        if attributions:
            run_time += f" ({fmt_seconds(walls[0])}) and {attributions} attribution(s) ({fmt_seconds(sum(walls[1:]))})"
        run_time += (" only (the file comes from a normsim that did not record the whole check's time: "
                     "sequential rounds, later attribution looks and locate searches are not counted)")
    if attrs['start_time']:
        run_time += f"; started {attrs['start_time']}"
    prov = [
        ["scenario file", f"[{scenario}]({scen_rel}) (as recorded: `{attrs['scenario_file']}`)"],
        ["normsim", f"{attrs['normsim_version']} ({attrs['build_type']}, {attrs['compiler']})"],
        ["git commit", f"`{attrs['git_commit']}`"],
        ["command", f"`{attrs['command_line']}`"],
        ["run time", run_time],
    ]
    if counts_runs:
        prov.append(["runs", counts_runs])
    if not complete:
        prov.append(["warning", "**the file is incomplete (root attribute complete = 0)**"])
    parts += [table(["", ""], prov), "",
              "<details><summary>The scenario as run (resolved: defaults and overrides included)"
              "</summary>", "", "```toml", resolved.rstrip(), "```", "", "</details>", ""]
    text = "\n".join(parts)
    d = os.path.dirname(os.path.abspath(output))
    os.makedirs(d, exist_ok=True)
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    summary = {"title": title, "scenario": scenario,
               "scenario_path": os.path.abspath(scenario), "report": os.path.abspath(output),
               "normsim_version": attrs["normsim_version"], "git_commit": attrs["git_commit"],
               "wall_seconds": json_num(check_wall if check_wall is not None else wall), "claims": [c.summary() for c in claims]}
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
    return summary


# -- the index of every argument ---------------------------------------------------------------
def write_index(files, output, total_seconds=None) -> None:
    """Write ``output``, the table of every argument's claims, from the JSON summaries ``files``
    that :func:`write_report` wrote (``json_path``); ``total_seconds``: the pipeline's time."""
    output = os.fspath(output)
    for path in files:
        if not os.path.exists(path):
            raise ReportError(f"{path}: no such file (write it with report.py FILE.h5 ... --json)")
    base = os.path.dirname(os.path.abspath(output))
    rows, sections, total = [], [], 0.0
    commits = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        commits.add((s["normsim_version"], s["git_commit"]))
        rel = os.path.relpath(s["report"], base).replace(os.sep, "/")
        if s.get("wall_seconds") is not None:
            total += s["wall_seconds"]
        name = os.path.splitext(os.path.basename(path))[0]
        if name == "claims":
            name = os.path.basename(os.path.dirname(path))
        for c in s["claims"]:
            if c["map"]:
                k = c["counts"]
                verdict = (f"{VERDICT_MARK[c['overall']]} overall — map of {c['entries']}: "
                           f"{k['holds']} holds, {k['fails']} fails, {k['inconclusive']} inconclusive")
                est = (f"{fmt_num(c['estimate_min'])} … {fmt_num(c['estimate_max'])}"
                       if c.get("estimate_min") is not None else "—")
                interval = ""
            else:
                verdict = VERDICT_MARK[c["verdict"]]
                est = fmt_num(json_value(c["estimate"]))
                interval = f"[{fmt_num(json_value(c['low']))}, {fmt_num(json_value(c['high']))}]"
                if c["verdict"] == "inconclusive":
                    interval += f"; n_needed {fmt_count(json_value(c['n_needed']))}"
            rows.append([f"[{name}]({rel})", f"`{c['id']}`", c["statement"], verdict, est, interval])
        sections.append(f"- [{s['title']}]({rel}) — scenario "
                        f"[`{s['scenario']}`]({os.path.relpath(s['scenario_path'], base)}), "
                        f"run time {fmt_seconds(s['wall_seconds'] if s['wall_seconds'] is not None else float('nan'))}")
    parts = ["# Results: the arguments of docs/arguments.md, checked", "",
             "Generated by `scripts/results` (do not edit by hand): for each argument A1–A6 it runs "
             "`normsim check scenarios/A?_*.toml` into `build/results/A?.h5` (kept out of git), "
             "draws the figures and writes the report `results/A?/report.md`. A claim **holds** when "
             "its interval lies on the claimed side of its value, **fails** when it lies on the "
             "other side, and is **inconclusive** otherwise; a claim evaluated at every point of a "
             "sweep gives a map, summarised by its counts of points (the report has the map and "
             "each claim's guarantee and cost).", "",
             "## Verdicts", "",
             table(["argument", "id", "statement", "verdict", "estimate", "interval"], rows), "",
             "## Reports", "", "\n".join(sections), ""]
    versions = "; ".join(f"normsim {v}, commit `{c}`" for v, c in sorted(commits))
    line = (f"Built with {versions}. Time of the checks (runs and attributions, wall time): "
            f"{fmt_seconds(total)}")
    if total_seconds is not None:
        line += f"; the whole pipeline (runs, figures, reports): {fmt_seconds(total_seconds)}"
    parts += [line + ".", ""]
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))



def boundary_section(file: str) -> str:
    """For every claim with ``locate``: per combination of the other factors, where its quantity
    crosses the value (estimate and interval), or that it does not, with the runs and guarantee."""
    import h5py
    from ._boundary import read_boundary
    from ._report_text import fmt_count, fmt_num, table
    with h5py.File(file, "r") as f:
        if "claims" not in f or not any("boundary" in f["claims"][c] for c in f["claims"]):
            return ""
    b = read_boundary(file)
    lines = []
    status_text = {"crosses_once": "crosses once", "crosses_more_than_once": "crosses more than once",
                   "no_crossing": "no crossing in the range", "undecided": "undecided"}
    crossings = b.attrs["crossings"]
    for claim, rows in b.groupby("claim", sort=False):
        others = [c for c in rows.columns if c not in ("claim", "factor", "combination", "status", "estimate",
                                                       "low", "high", "count", "runs", "alpha", "guarantee")]
        factor = rows["factor"].iloc[0]
        lines += [f"`{claim}` along `{factor}` — {rows['guarantee'].iloc[0]}.", ""]
        body = []
        for _, r in rows.iterrows():
            x = crossings[(crossings["claim"] == claim) & (crossings["combination"] == r["combination"])]
            where = "; ".join(f"{fmt_num(e)} [{fmt_num(lo)}, {fmt_num(hi)}]"
                              for e, lo, hi in zip(x["estimate"], x["low"], x["high"])) or "—"
            body.append([fmt_num(r[c]) if isinstance(r[c], float) else str(r[c]) for c in others]
                        + [status_text.get(str(r["status"]), str(r["status"])), where, fmt_count(r["runs"])])
        lines += [table([f"`{c}`" for c in others] + ["result", f"crossing of `{factor}` [interval]", "runs"],
                        body), ""]
    return "\n".join(lines)


def main(argv=None, prog=None) -> int:
    """The command line of analysis/report.py (``python3 -m normsim.report``); returns the exit
    status: 0, or 2 when an input lacks what the report needs (a message names the file and the
    dataset)."""
    p = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("file", nargs="?", metavar="FILE.h5", help="output of normsim check")
    p.add_argument("--scenario", help="the scenario file (its header comment is the argument)")
    p.add_argument("--figures", default="", help="directory of the figures (PNG, with SVG beside)")
    p.add_argument("-o", "--output", required=True, help="the Markdown file to write")
    p.add_argument("--json", help="also write the claims' verdicts as JSON (for --index)")
    p.add_argument("--index", metavar="FILE.json", nargs="+",
                   help="write the table of every argument from these --json files")
    p.add_argument("--total-seconds", type=float, help="with --index: the pipeline's total time")
    p.add_argument("--discovery", action="store_true",
                   help="FILE.h5 is a file of normsim discover: write its boxes' report")
    args = p.parse_args(argv)
    prog = prog or os.path.basename(sys.argv[0])
    try:
        if args.index:
            write_index(args.index, args.output, args.total_seconds)
        else:
            if not args.file or not args.scenario:
                p.error("FILE.h5 and --scenario are required (or --index)")
            if args.discovery:
                from ._report_discovery import write_discovery_report
                write_discovery_report(args.file, args.scenario, args.output, args.figures)
            else:
                write_report(args.file, args.scenario, args.output, args.figures, args.json)
    except (ReportError, NormsimDataError) as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 2
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())

