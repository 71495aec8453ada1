"""Scenario discovery: the boxes of assumptions where a claim fails (a file of normsim discover)."""

from __future__ import annotations

import os

import numpy as np

from .. import io
from .._discovery import Discovery
from .._errors import NormsimDataError
from ._common import Provenance, done, figure_labels, new_figure, styled
from ._prim import plot_box_limits, plot_tradeoff


def _discovery_of(data) -> Discovery:
    if isinstance(data, (str, bytes, os.PathLike)):
        return io.read_discovery(data)
    if isinstance(data, Discovery):
        return data
    raise NormsimDataError(f"discovery needs a file of normsim discover or normsim.read_discovery's "
                           f"Discovery, not {type(data).__name__}")


def _select(d: Discovery, claim):
    claims = d.claims()
    path = d.attrs.get("path", "<discovery>")
    if claim is None:
        if len(claims) > 1:
            raise NormsimDataError(f"{path}: /discovery holds {len(claims)} claims ({', '.join(claims)}); "
                                   "choose one with claim=", path, "/discovery")
        claim = claims[0]
    if claim not in claims:
        raise NormsimDataError(f"{path}: missing dataset /discovery/{claim} (claims: {', '.join(claims)})",
                               path, f"/discovery/{claim}")
    return claim


def _limits_panel(ax, d: Discovery, claim: str, box: str) -> None:
    lim = d.limits[(d.limits["claim"] == claim) & (d.limits["box"] == box)]
    res = d.restrictions[(d.restrictions["claim"] == claim) & (d.restrictions["box"] == box)]
    numeric = lim[lim["kind"] == "numeric"]
    # The frequency of a row: its restricted side's (the more frequent one when both are).
    freq = [res.loc[res["dimension"] == j, "frequency"].max() if (res["dimension"] == j).any() else np.nan
            for j in numeric["dimension"]]
    categorical = []
    for _, row in lim[(lim["kind"] == "categorical") & lim["restricted"]].iterrows():
        levels = d.dimensions[(d.dimensions["claim"] == claim) &
                              (d.dimensions["dimension"] == row["dimension"])]["levels"].iloc[0]
        f = res.loc[res["dimension"] == row["dimension"], "frequency"]
        categorical.append((row["name"], list(levels), [lv in row["levels"] for lv in levels],
                            None if f.empty or np.isnan(f.iloc[0]) else float(f.iloc[0])))
    has_freq = not all(np.isnan(freq)) if freq else False
    plot_box_limits(ax, list(numeric["name"]), numeric["range_low"], numeric["range_high"], numeric["low"],
                    numeric["high"], frequency=np.nan_to_num(freq, nan=0.0) if has_freq else None,
                    categorical=categorical, scales=list(numeric["scale"]))
    if not len(res):
        ax.text(0.5, 0.5, "no restriction", ha="center", va="center", transform=ax.transAxes)


@styled
def discovery(data, claim: str | None = None, boxes=None, save=None):
    """The boxes ``normsim discover`` found for one claim: a row of two panels per box.

    Left, the coverage-density trade-off of the box's peeling trajectory (colour: restricted
    assumptions; ringed: the step the rule chose, before pasting and resolution; dashed: the base
    rate of the points the box was peeled from). Right, the box's limits over the assumptions'
    ranges (log-scale assumptions on ln x, as PRIM searched them), each row labelled with how often
    bootstrap resamples restrict it. Without an accepted box, the rejected one is shown.

    ``data``: a path or a :class:`~normsim._discovery.Discovery` (``normsim.open``);
    ``claim``: which claim (needed when the file holds several); ``boxes``: box names to draw
    (default: the accepted boxes, else the rejected one). Returns a Figure; ``save="dir/stem"`` also
    writes stem.png and stem.svg. Raises NormsimDataError naming the file and the missing dataset.
    """
    d = _discovery_of(data)
    claim = _select(d, claim)
    path = d.attrs.get("path", "<discovery>")
    mine = d.boxes[d.boxes["claim"] == claim]
    if boxes is None:
        chosen = list(mine.loc[mine["accepted"], "box"]) or list(mine["box"])
    else:
        chosen = [boxes] if isinstance(boxes, str) else list(boxes)
        for b in chosen:
            if b not in set(mine["box"]):
                raise NormsimDataError(f"{path}: missing dataset /discovery/{claim}/{b} (boxes: "
                                       f"{', '.join(mine['box'])})", path, f"/discovery/{claim}/{b}")
    if not chosen:
        raise NormsimDataError(f"{path}: /discovery/{claim} holds no box (no point of interest)", path,
                               f"/discovery/{claim}")
    info = d.attrs["claims"][claim]
    rows = len(chosen)
    fig, axes = new_figure((12, 3.6 * rows + 1.6), rows, 2, gridspec_kw={"width_ratios": [1, 1.25]})
    for i, box in enumerate(chosen):
        b = mine[mine["box"] == box].iloc[0]
        t = d.trajectory[(d.trajectory["claim"] == claim) & (d.trajectory["box"] == box)]
        chosen_step = int(b["chosen_step"]) if 0 <= int(b["chosen_step"]) < len(t) else None
        plot_tradeoff(axes[i, 0], t["coverage"].to_numpy(), t["density"].to_numpy(),
                      n_restricted=t["n_restricted"].to_numpy(), chosen=chosen_step,
                      base_rate=float(b["stage_base_rate"]))
        name = box.replace("_", " ") if b["accepted"] else "rejected box"
        axes[i, 0].set_title(f"{name}: trade-off of its peeling")
        axes[i, 0].legend(loc="lower left", fontsize=8)
        _limits_panel(axes[i, 1], d, claim, box)
        p = b["p_value"]
        axes[i, 1].set_title(f"{name}: coverage {b['coverage']:.2f}, density {b['density']:.2f}, "
                             f"{int(b['n_points'])} points, p {'n/a' if np.isnan(p) else f'{p:.2g}'}",
                             fontsize=10)
    points = d.points[d.points["claim"] == claim]
    prov = Provenance(d.attrs, len(points), int(points["n"].iloc[0]) if len(points) else 0)
    caption = (f"{info.get('statement', claim)}: of interest where the claim fails at its estimate, "
               f"at {int(round(float(info.get('total_interest', 0))))} of {len(points)} points (base rate "
               f"{float(info.get('base_rate', np.nan)):.3f}). Boxes by PRIM (choice {info.get('choice', '?')}, "
               f"{int(info.get('permutations', 0))} permutations, {int(info.get('resamples', 0))} bootstrap "
               f"resamples); covering stopped: {info.get('stop_reason', '?')}")
    figure_labels(fig, prov, f"Where the claim {claim} fails", caption,
                  counts=f"{len(points)} points x {prov.n_replicates} replicates")
    return done(fig, save, bottom_lines=4)
