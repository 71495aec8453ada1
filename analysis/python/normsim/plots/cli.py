"""Command-line front ends of the figures: ``python3 -m normsim.plots NAME FILE.h5 [options] -o STEM``,
also run by the scripts analysis/plots/NAME.py. Each writes STEM.png and STEM.svg and prints their
paths; data that lack what the figure needs give exit status 2 and ``NAME.py: error: <file>:
missing dataset /<dataset>`` on stderr (argparse's usage errors also exit with 2)."""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from .._errors import NormsimDataError
from . import _attribution, _boundary, _discovery, _distributions, _sweep, _verdicts
from ._common import save

RUN = "PYTHONPATH=build/release/python /usr/bin/python3 analysis/plots/"

DESCRIPTIONS = {
    "sweep_lines": f"""Sweep lines: outcome means with 95 % confidence bands against a numeric design factor.

One panel per outcome; in each, the mean over replicates at every design point against factor X,
one line per level of factor HUE, with a band of mean +/- 1.96 standard errors. Other factors that
vary must be fixed with --where KEY=VALUE.

Example:
  {RUN}sweep_lines.py sweep.h5 \\
      --x research.spill_probability --hue norm.preset --outcomes xrisk,capability,t_transform \\
      -o results/sweep_lines""",
    "sweep_heatmap": f"""Sweep heatmap: an outcome's mean over a grid of two design factors, with its 95 % CI.

Left panel: the mean over replicates at every (X, Y) cell, written in the cell; right panel: the
half-width of the 95 % confidence interval (1.96 standard errors). Factors may be categorical or
numeric (each level is a row or column). Other factors that vary must be fixed with
--where KEY=VALUE.

Example:
  {RUN}sweep_heatmap.py sweep.h5 --outcome xrisk \\
      --x research.spill_probability --y norm.preset -o results/xrisk_heatmap""",
    "fan_chart": f"""Fan charts over steps: frontier capability, frontier interpretability and hazard.

One row per design point, or per level of a factor with --by (e.g. norm.preset, pooling the runs
of the other factors' points), and one column per series. Each panel shows, step by step, the
median across the group's runs and the bands between their 25-75 % and 5-95 % quantiles.

Runs stop (at t_transform with world.stop_at_transformative, or on catastrophe-free completion
of world.steps); a stopped run's series is NaN afterwards. The quantiles at a step are over the
runs still going, and a group's fan is drawn only while at least half of its runs are still going
(--min-running); the figure's caption says so.

Examples:
  {RUN}fan_chart.py closed.h5 -o results/fan_closed
  {RUN}fan_chart.py sweep.h5 --by norm.preset \\
      --where research.spill_probability=0.1 -o results/fan_norms""",
    "outcome_distributions": f"""Outcome distributions: the spread of outcomes across replicates, per design point.

One panel per outcome. --kind violin (default): one violin per design point (or per level of a
factor with --by, pooling the runs of the other factors' points), with the median (white dot),
the mean (black bar) and the 25-75 % range; --kind hist: overlaid step histograms, one per point
or level (best for a few groups). Runs without a value (t_transform of a run that never reached
C_T) are left out and counted in the panel.

Examples:
  {RUN}outcome_distributions.py closed.h5 -o results/closed_outcomes
  {RUN}outcome_distributions.py sweep.h5 --by norm.preset \\
      --where research.spill_probability=0.1 --outcomes xrisk,t_transform -o results/norms_violins""",
    "attribution_bars": f"""Attribution bars: who explains the variance of each outcome (a file of normsim attribute).

One row of panels per outcome:
  groups        first-order (S) and total (ST) Sobol index of every factor that is not a single
                researcher (all labs, all researchers, each lab's stream and researchers, each lab,
                custom groups, ...), largest total index on top, with their confidence intervals;
  Shapley       (when the file has <outcome>.shapley) S, Shapley effect Sh and ST of its groups;
  top K         the K researchers with the largest total index, S and ST with intervals;
  cumulative    researchers in decreasing order of first-order index: the sum of the first-order
                and of the total indices of the first m researchers against m, with the
                first-order index of the group "all researchers" as a reference line (the gap
                between that group and the sum of its members' first-order indices is the part
                that only shows in interactions).
Knockout tables (<outcome>.knockout: the mean change of the outcome without an entity) are
written in the caption; tables of other kinds are skipped with a note on stderr.

Examples:
  normsim attribute scenarios/attribution_talent_field.toml -o talent_attr.h5
  {RUN}attribution_bars.py talent_attr.h5 -o results/talent_attr
  {RUN}attribution_bars.py attr.h5 --outcomes xrisk --top 10 -o xrisk_attr""",
    "verdict_map": f"""Verdict map: where each claim holds, fails or is inconclusive (a file of normsim check).

One panel per claim (/claims/<id>), titled with its id and statement:
  map     scope "points" over two design factors: a grid of the design points coloured by the
          verdict (holds green, fails red, inconclusive grey), each cell showing the estimate;
  strip   scope "points" over one factor: the estimate with its interval against the factor,
          points coloured by the verdict, the claimed value as a dashed line;
  forest  scope "design", or a single design point: the estimate with its interval, coloured by
          the verdict, against the claimed value.
With three or more factors choose the map's axes with --x and --y and fix the other factors with
--at KEY=VALUE (repeatable; it selects the points where the factor has that value).

Examples:
  {RUN}verdict_map.py check.h5 -o results/verdicts
  {RUN}verdict_map.py check.h5 --claims A3_xrisk --x research.spill_probability \\
      --y norm.preset --at researchers.talent_sigma=1 -o results/A3_map""",
    "boundary": f"""Boundary: where a claim crosses its value along a factor (a claim with locate = "<factor>"
in a file of normsim check): per combination of the other factors, the estimates the search made
against the factor, with their intervals, and each crossing's interval as a band.

Examples:
  {RUN}boundary.py A4.h5 --claim A4-noint-raises-xrisk -o results/A4/boundary""",
}

DESCRIPTIONS["discovery"] = f"""Scenario discovery: the boxes of assumptions where a claim fails (a file of normsim discover).

One row of two panels per box PRIM accepted (or the rejected box when none was):
  trade-off   density against coverage along the box's peeling trajectory, coloured by the number
              of restricted assumptions; the step the rule chose ringed; the base rate dashed;
  limits      the box over each restricted assumption's range (log-scale assumptions on ln x),
              with the share of bootstrap resamples that restrict it; categorical assumptions as
              cells, admitted levels in colour.
The title gives each box's coverage, density, points and permutation p-value.

Examples:
  normsim discover scenarios/A3_discovery.toml -o A3_discovery.h5
  {RUN}discovery.py A3_discovery.h5 -o results/A3/discovery
  {RUN}discovery.py d.h5 --claim low-risk --boxes box_1,rejected -o d_boxes"""

FILE_HELP = {
    "attribution_bars": "file written by normsim attribute (normsim attribute ... -o FILE.h5)",
    "verdict_map": "file written by normsim check (normsim check ... -o FILE.h5)",
    "discovery": "file written by normsim discover (normsim discover ... -o FILE.h5)",
    "boundary": "file written by normsim check with a claim that has locate",
}


def _where(p, help_text="keep only points with this factor level (repeatable)"):
    p.add_argument("--where", metavar="KEY=VALUE", action="append", default=[], help=help_text)


def _arguments(name: str, p: argparse.ArgumentParser) -> None:
    """The options of figure ``name`` (as the scripts of analysis/plots have always taken)."""
    if name == "sweep_lines":
        p.add_argument("--outcomes", default="xrisk,capability,t_transform",
                       help="comma-separated outcomes, one panel each (default: %(default)s)")
        p.add_argument("--x", metavar="FACTOR", help="numeric design factor on the x axis "
                                                     "(default: the first numeric factor)")
        p.add_argument("--hue", metavar="FACTOR", help="factor with one line per level "
                                                       "(default: the other varying factor, if any)")
        _where(p)
        p.add_argument("--logy", action="store_true", help="logarithmic y axes")
    elif name == "sweep_heatmap":
        p.add_argument("--outcome", default="xrisk", help="outcome to show (default: %(default)s)")
        p.add_argument("--x", metavar="FACTOR",
                       help="factor along the columns (default: the last factor)")
        p.add_argument("--y", metavar="FACTOR",
                       help="factor along the rows (default: the first factor)")
        _where(p)
        p.add_argument("--cmap", default="viridis", help="matplotlib colour map of the means")
    elif name == "fan_chart":
        p.add_argument("--series", default=_distributions.DEFAULT_SERIES,
                       help="comma-separated series, one column each (default: %(default)s)")
        p.add_argument("--by", metavar="FACTOR", help="one row per level of this design factor "
                                                      "(default: one row per point)")
        _where(p)
        p.add_argument("--min-running", type=float, default=0.5, metavar="SHARE",
                       help="draw a step only while at least this share of runs is going "
                            "(default 0.5)")
        p.add_argument("--max-rows", type=int, default=12,
                       help="refuse more rows than this (use --by or --where; default %(default)s)")
        p.add_argument("--linear", action="store_true",
                       help="linear y axes (default: log for capability and interpretability)")
    elif name == "outcome_distributions":
        p.add_argument("--outcomes", default="xrisk,capability,interpretability,t_transform",
                       help="comma-separated outcomes, one panel each (default: %(default)s)")
        p.add_argument("--kind", choices=("violin", "hist"), default="violin")
        p.add_argument("--by", metavar="FACTOR", help="one violin per level of this design "
                                                      "factor (default: one per point)")
        _where(p)
        p.add_argument("--bins", type=int, default=30, help="histogram bins (--kind hist)")
        p.add_argument("--max-groups", type=int, default=40, help="refuse more groups than this "
                                                                  "(use --by or --where; default %(default)s)")
    elif name == "attribution_bars":
        p.add_argument("--outcomes", help="comma-separated outcomes, one row of panels each "
                                          "(default: every outcome with an attribution table)")
        p.add_argument("--top", type=int, default=20, metavar="K", help="researchers shown in "
                                                                        "the 'top K researchers' panel (default: %(default)s)")
    elif name == "boundary":
        p.add_argument("--claim", help="the claim's id (default: the first claim with locate)")
    elif name == "verdict_map":
        p.add_argument("--claims", help="comma-separated claim ids, one panel each (default: all)")
        p.add_argument("--x", metavar="KEY", help="design factor along the map's columns, or the "
                                                  "strip's x axis (default: the second factor)")
        p.add_argument("--y", metavar="KEY", help="design factor along the map's rows "
                                                  "(default: the first factor)")
        p.add_argument("--at", metavar="KEY=VALUE", action="append", default=[],
                       help="keep only the design points where factor KEY equals VALUE (repeatable)")
    elif name == "discovery":
        p.add_argument("--claim", metavar="ID", help="the claim (needed when the file holds several)")
        p.add_argument("--boxes", metavar="LIST", help="comma-separated boxes, e.g. box_1,rejected "
                                                       "(default: the accepted boxes)")


def _draw(name: str, a: argparse.Namespace):
    """The figure of ``name`` for the parsed options ``a`` (not saved)."""
    if name == "sweep_lines":
        return _sweep.sweep_lines(a.file, a.outcomes, a.x, a.hue, a.where, a.logy)
    if name == "sweep_heatmap":
        return _sweep.sweep_heatmap(a.file, a.outcome, a.x, a.y, a.where, a.cmap)
    if name == "fan_chart":
        return _distributions.fan_chart(a.file, a.series, a.by, a.where, a.min_running,
                                        a.max_rows, a.linear)
    if name == "outcome_distributions":
        return _distributions.outcome_distributions(a.file, a.outcomes, a.kind, a.by, a.where,
                                                    a.bins, a.max_groups)
    if name == "attribution_bars":
        return _attribution.attribution_bars(a.file, a.outcomes, a.top)
    if name == "discovery":
        boxes = [b for b in a.boxes.split(",") if b] if a.boxes else None
        return _discovery.discovery(a.file, a.claim, boxes)
    if name == "boundary":
        return _boundary.boundary(a.file, a.claim)
    return _verdicts.verdict_map(a.file, a.claims, a.x, a.y, a.at)


def parser(name: str, prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of figure ``name``: FILE.h5, -o OUTPUT_STEM and the figure's options."""
    if name not in DESCRIPTIONS:
        raise ValueError(f"unknown figure {name!r} (figures: {', '.join(DESCRIPTIONS)})")
    p = argparse.ArgumentParser(prog=prog, description=DESCRIPTIONS[name],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE.h5",
                   help=FILE_HELP.get(name, "normsim output file (normsim run ... -o FILE.h5)"))
    p.add_argument("-o", "--output", metavar="OUTPUT_STEM", required=True,
                   help="write OUTPUT_STEM.png and OUTPUT_STEM.svg")
    _arguments(name, p)
    return p


def main(name: str, argv=None, prog: str | None = None) -> int:
    """Run figure ``name`` on the command line ``argv``; returns the exit status (0, or 2 when the
    data lack what the figure needs)."""
    prog = prog or os.path.basename(sys.argv[0])
    p = parser(name, prog)
    a = p.parse_args(argv)
    if name == "attribution_bars" and a.top < 1:
        p.error("--top must be at least 1")
    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always", _attribution.AttributionNote)
        try:
            fig = _draw(name, a)
        except NormsimDataError as err:
            print(f"{prog}: error: {err}", file=sys.stderr)
            return 2
        finally:
            for w in notes:
                print(f"{prog}: note: {w.message}", file=sys.stderr)
    for path in save(fig, a.output):
        print(path)
    return 0
