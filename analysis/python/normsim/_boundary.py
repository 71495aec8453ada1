"""Reading where claims cross their value along a factor (``locate`` in a claim; ``normsim check``
writes /claims/<id>/boundary)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._errors import NormsimDataError
from ._h5 import NormsimFile, text

STATUSES = ("crosses_once", "crosses_more_than_once", "no_crossing", "undecided")


def read_boundary(path, claim: str | None = None) -> pd.DataFrame:
    """Per claim with ``locate`` and combination of the other factors: ``claim``, ``factor`` (the
    located key), ``combination``, the other factors' values, ``status`` (categorical:
    crosses_once, crosses_more_than_once, no_crossing, undecided), ``estimate``, ``low``, ``high``
    (the first crossing; NaN when none), ``count`` (crossings found), ``runs``, ``alpha``,
    ``guarantee``. ``attrs["crossings"]``: every crossing (DataFrame); ``attrs["points"]``: every
    point the searches evaluated. Raises NormsimDataError when no claim (or not `claim`) has one."""
    from ._tables import _provenance
    frames, crossings, points, values = [], [], [], {}
    with NormsimFile(path, formats=None) as nf:
        provenance = _provenance(nf)
        nf.require("claims", "not a file written by normsim check: it has no claims")
        ids = [c for c in nf.h5["claims"] if "boundary" in nf.h5["claims"][c]]
        if claim is not None:
            if claim not in ids:
                raise NormsimDataError(f"{nf.path}: claim {claim!r} has no /claims/{claim}/boundary (no locate); "
                                       f"claims with one: {', '.join(ids) or 'none'}", nf.path,
                                       f"/claims/{claim}/boundary")
            ids = [claim]
        if not ids:
            raise NormsimDataError(f"{nf.path}: no claim has a boundary (add locate = \"<factor>\" to a claim)",
                                   nf.path, "/claims/<id>/boundary")
        for cid in ids:
            g = nf.h5[f"claims/{cid}/boundary"]
            values[cid] = float(nf.h5[f"claims/{cid}"].attrs["value"])
            status = g["status"][:].astype(int)
            n = len(status)
            columns = {"claim": [cid] * n, "factor": [text(g.attrs["factor"])] * n, "combination": np.arange(n)}
            if "design" in g:
                design = nf.design(f"claims/{cid}/boundary/design", n)
                for key, f in design.factors().items():
                    columns[key] = f.values
            columns.update(status=pd.Categorical.from_codes(status, categories=list(STATUSES)),
                           estimate=g["estimate"][:], low=g["low"][:], high=g["high"][:],
                           count=g["count"][:].astype(int), runs=g["runs"][:].astype(int),
                           alpha=float(g.attrs["alpha"]), guarantee=text(g.attrs["guarantee"]))
            frames.append(pd.DataFrame(columns))
            x = {k: g["crossings"][k][:] for k in g["crossings"]}
            crossings.append(pd.DataFrame({"claim": cid, **x}))
            q = {k: g["points"][k][:] for k in g["points"]}
            points.append(pd.DataFrame({"claim": cid, **q}))
    df = pd.concat(frames, ignore_index=True)
    df.attrs.update(provenance)
    df.attrs["values"] = values
    df.attrs["crossings"] = pd.concat(crossings, ignore_index=True)
    df.attrs["points"] = pd.concat(points, ignore_index=True)
    return df
