"""The figures of normsim as functions (matplotlib).

Each function takes the object that :func:`normsim.open` (or ``normsim.run``, ``attribute``,
``check``) returns, or the path of a file, draws one figure and returns it as a
``matplotlib.figure.Figure`` (made without pyplot: a notebook shows it once, nothing global is
changed); ``save="dir/stem"`` also writes ``dir/stem.png`` and ``dir/stem.svg``. Data that lack
what a figure needs raise :class:`normsim.NormsimDataError` naming the file and the dataset.

==========================  ====================================  =============================
function                    draws                                 data
==========================  ====================================  =============================
:func:`sweep_lines`         outcome means ± 95 % CI against a     outcomes Dataset (a sweep)
                            numeric factor, a line per level
:func:`sweep_heatmap`       an outcome's mean over two factors    outcomes Dataset (a sweep)
                            and the half-width of its 95 % CI
:func:`fan_chart`           median and quantile bands of series   outcomes Dataset with series
                            over steps, per point or level
:func:`outcome_distributions`  violins or histograms of outcomes  outcomes Dataset
                            across replicates
:func:`attribution_bars`    first-order, total and Shapley        attribution table
                            indices; top researchers; cumulative
:func:`verdict_map`         each claim's verdict over the design  verdicts table
:func:`boundary`            where a claim crosses its value along  boundary table or check file
                            a factor (``locate``), with intervals
:func:`discovery`           boxes where a claim fails: trade-off  Discovery (normsim discover)
                            curve and limits over the ranges
==========================  ====================================  =============================

The panels of :func:`discovery` are also functions on numpy arrays: :func:`plot_tradeoff` and
:func:`plot_box_limits` draw on a matplotlib Axes.

``where``/``at`` fix factors ({key: value} or ["KEY=VALUE", ...]); ``by`` pools the points of each
level of a factor. The same figures from a shell: ``python3 -m normsim.plots NAME --help`` (or the
scripts in analysis/plots/).
"""

from ._attribution import AttributionNote, attribution_bars
from ._boundary import boundary
from ._common import STYLE, save
from ._discovery import discovery
from ._distributions import fan_chart, outcome_distributions
from ._prim import plot_box_limits, plot_tradeoff
from ._sweep import sweep_heatmap, sweep_lines
from ._verdicts import verdict_map

__all__ = ["sweep_lines", "sweep_heatmap", "fan_chart", "outcome_distributions",
           "attribution_bars", "verdict_map", "boundary", "discovery", "plot_tradeoff", "plot_box_limits",
           "save", "STYLE", "AttributionNote"]
