"""The report of a file of ``normsim discover``: the argument's text, each claim's base rate and
boxes (restricted assumptions with their limits, quasi-p-values and bootstrap frequencies;
coverage, density, points, permutation p-value, stability), the figures and the provenance."""

from __future__ import annotations

import os

from ._report_text import fmt_count, fmt_num, header_markdown, read_header, table
from .io import read_discovery


def write_discovery_report(file, scenario, output, figures="") -> None:
    from .report import figures_section
    file, scenario, output = os.fspath(file), os.fspath(scenario), os.fspath(output)
    title, header = read_header(scenario)
    d = read_discovery(file)
    attrs = d.attrs
    parts = [f"# {title}", "", header_markdown(header), "", "## Boxes where the claim fails", ""]
    for claim, meta in attrs["claims"].items():
        boxes = d.boxes[(d.boxes["claim"] == claim)]
        pts = d.points[d.points["claim"] == claim]
        verdicts = pts["verdict"].value_counts()
        parts += [f"### `{claim}`: {meta.get('statement', '')}", "",
                  f"The claim fails at its estimate at {int(pts['interest'].sum())} of {len(pts)} design points "
                  f"(base rate {fmt_num(float(meta.get('base_rate', float('nan'))))}); per-point verdicts "
                  f"({meta.get('guarantee', '')}): {int(verdicts.get('holds', 0))} hold, "
                  f"{int(verdicts.get('fails', 0))} fail, {int(verdicts.get('inconclusive', 0))} inconclusive. "
                  f"PRIM stopped because: {meta.get('stop_reason', '')}.", ""]
        for _, b in boxes.iterrows():
            name = b["box"] if b["accepted"] else "The box that stopped the covering (rejected)"
            parts += [f"**{name}**: coverage {fmt_num(b['coverage'])}, density {fmt_num(b['density'])}, "
                      f"{fmt_count(b['n_points'])} points, permutation p = {fmt_num(b['p_value'])}, bootstrap "
                      f"similarity {fmt_num(b['similarity'])}. {b['description']}.", ""]
            r = d.restrictions[(d.restrictions["claim"] == claim) & (d.restrictions["box"] == b["box"])]
            if len(r):
                parts += [table(["assumption", "restriction", "quasi-p", "in bootstrap resamples"],
                                [[f"`{x['name']}`", x["text"], fmt_num(x["quasi_p"]),
                                  f"{100 * x['frequency']:.0f} %" if x["frequency"] == x["frequency"] else "—"]
                                 for _, x in r.iterrows()]), ""]
    figs = figures_section(figures, output)
    if figs:
        parts += ["## Figures", "", figs, ""]
    parts += ["## Provenance", "",
              f"normsim {attrs.get('normsim_version', '?')}, commit `{str(attrs.get('git_commit', '?'))}`; "
              f"command: `{attrs.get('command_line', '')}`; run time {fmt_num(float(attrs.get('wall_seconds', float('nan'))))} s.",
              ""]
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))
