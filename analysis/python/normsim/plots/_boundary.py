"""The figure of a located crossing (``locate`` in a claim): per combination of the other
factors, the quantity's estimates along the located factor with their intervals, and the crossing
with its interval as a band."""

from __future__ import annotations

import numpy as np

from .._boundary import read_boundary
from .._errors import NormsimDataError
from ._common import Provenance, done, figure_labels, new_figure, styled


@styled
def boundary(data, claim: str | None = None, save=None):
    """Per combination of the other factors (one panel each, up to 12): the points the search
    evaluated (estimate and interval of the claim's quantity against the located factor; grid
    points filled, bisection probes open), the claim's value, and each crossing as a band
    [low, high] with its estimate. `data`: a path or ``normsim.read_boundary``'s DataFrame."""
    path = None
    if not hasattr(data, "attrs") or "points" not in getattr(data, "attrs", {}):
        path = data
        data = read_boundary(path, claim)
    if claim is None:
        claim = data["claim"].iloc[0]
    rows = data[data["claim"] == claim]
    if rows.empty:
        raise NormsimDataError(f"no boundary of claim {claim!r}", str(path or "<data>"), f"/claims/{claim}/boundary")
    points = data.attrs["points"]
    points = points[points["claim"] == claim]
    crossings = data.attrs["crossings"]
    crossings = crossings[crossings["claim"] == claim]
    others = [c for c in rows.columns if c not in ("claim", "factor", "combination", "status", "estimate", "low",
                                                     "high", "count", "runs", "alpha", "guarantee")]
    n = min(len(rows), 12)
    cols = min(n, 3)
    nrows = (n + cols - 1) // cols
    fig, axes = new_figure((4.6 * cols, 3.4 * nrows + 0.8), nrows, cols)
    factor = rows["factor"].iloc[0]
    value = data.attrs.get("values", {}).get(claim)
    for k, (_, row) in enumerate(rows.head(n).iterrows()):
        ax = axes.flat[k]
        q = points[points["combination"] == row["combination"]].sort_values("x")
        for role, marker in ((0, "o"), (1, "s")):
            sel = q[q["role"] == role]
            err = np.vstack([sel["estimate"] - sel["low"], sel["high"] - sel["estimate"]])
            ax.errorbar(sel["x"], sel["estimate"], yerr=np.clip(err, 0, None), fmt=marker, ms=4,
                        mfc="C0" if role == 0 else "white", color="C0", lw=1,
                        label="grid point" if role == 0 else "bisection probe")
        for _, x in crossings[crossings["combination"] == row["combination"]].iterrows():
            ax.axvspan(x["low"], x["high"], color="C3", alpha=0.2, lw=0)
            ax.axvline(x["estimate"], color="C3", lw=1.2)
        where = ", ".join(f"{c} = {row[c]:.4g}" if isinstance(row[c], float) else f"{c} = {row[c]}" for c in others)
        ax.set_title(f"{where or 'the scenario'}: {str(row['status']).replace('_', ' ')}", fontsize=9)
        ax.set_xlabel(factor)
        ax.set_ylabel(claim)
        if value is not None:
            ax.axhline(value, color="0.3", lw=0.8, ls="--")
    for k in range(n, axes.size):
        axes.flat[k].set_visible(False)
    axes.flat[0].legend(fontsize=8, loc="best")
    figure_labels(fig, Provenance(data.attrs, len(rows), 0), f"Where {claim} crosses its value along {factor}",
                  caption=f"bands: crossing intervals; {rows['guarantee'].iloc[0]}",
                  counts=f"{int(rows['runs'].sum())} runs in the searches")
    return done(fig, save, bottom_lines=6)
