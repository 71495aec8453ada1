"""What every figure shares: its style, title and footer (provenance), layout and saving, axes of
design factors, legends and interval bars.

Figures are ``matplotlib.figure.Figure`` objects made without pyplot (no global figure list, no
backend switch): a notebook shows the returned figure once (:class:`NormsimFigure` renders itself
as PNG for IPython), and a script saves it. The style (:data:`STYLE`) applies only inside the
plotting functions, never to the caller's matplotlib.
"""

from __future__ import annotations

import functools
import io
import math
import os

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._h5 import Interval
from .._schema import VERDICTS

#: rcParams of every figure: text stays text in SVG files (searchable, editable), light grids.
STYLE = {"svg.fonttype": "none", "figure.dpi": 100, "savefig.dpi": 150, "axes.grid": True,
         "grid.alpha": 0.3}

#: Colour of each verdict: holds green, fails red, inconclusive grey.
VERDICT_COLORS = {"holds": "#2ca02c", "fails": "#d62728", "inconclusive": "#a6a6a6"}


def styled(function):
    """Run a plotting function with :data:`STYLE` in effect (and only there)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)
    return wrapper


class NormsimFigure(Figure):
    """A matplotlib Figure that IPython and Jupyter display as a PNG image, whether or not pyplot
    (and its inline backend) was ever imported."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        with matplotlib.rc_context(STYLE):
            self.savefig(buffer, format="png", dpi=self.dpi)
        return buffer.getvalue()


def new_figure(figsize, nrows: int = 1, ncols: int = 1, **kwargs):
    """(Figure, axes array [nrows, ncols]) without pyplot; ``kwargs`` go to ``Figure.subplots``."""
    fig = NormsimFigure(figsize=figsize)
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes


def colormap(name: str):
    return matplotlib.colormaps[name]


class Provenance:
    """Who made the data of a figure: root attributes of the file (or ``attrs`` of an object) and
    the counts of points and replicates, for titles and footers."""

    def __init__(self, attrs: dict, n_points: int, n_replicates: int):
        self.attrs = dict(attrs or {})
        self.n_points = int(n_points)
        self.n_replicates = int(n_replicates)

    def attr(self, name: str, default: str = "?") -> str:
        value = self.attrs.get(name)
        return default if value is None else str(value)

    @property
    def complete(self) -> bool:
        return bool(self.attrs.get("complete", 1))

    def overrides(self) -> list:
        value = self.attrs.get("cli_overrides", [])
        return [value] if isinstance(value, str) else [str(v) for v in np.atleast_1d(value)]


def figure_labels(fig, prov: Provenance, title: str, caption: str = "",
                  counts: str | None = None) -> None:
    """Title naming the scenario file; footer with the normsim version, commit and caption.

    ``counts``: what the footer says after the commit (default: points x replicates)."""
    # Pinned 0.08 in below the top edge: tight_layout reserves the title's height from the edge.
    fig.suptitle(f"{title}\nscenario: {prov.attr('scenario_file')}", fontsize=12,
                 y=1 - 0.08 / fig.get_size_inches()[1], va="top")
    if counts is None:
        counts = (f"{prov.n_points} point(s) x {prov.n_replicates} replicates"
                  if prov.n_replicates else f"{prov.n_points} point(s)")
    footer = (f"normsim {prov.attr('normsim_version')}, commit {prov.attr('git_commit')[:12]}; "
              f"{counts}")
    if prov.overrides():
        footer += "; --set " + " ".join(prov.overrides())
    if not prov.complete:
        footer += "; INCOMPLETE FILE (complete = 0)"
    text = footer if not caption else caption + "\n" + footer
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7.5, color="0.3", wrap=True)


def finish(fig, bottom_lines: int = 2, right: float = 1.0) -> None:
    """Lay out ``fig`` leaving room for a footer of ``bottom_lines`` lines (and a legend right of
    ``right``, as a fraction of the width)."""
    height_in = fig.get_size_inches()[1]
    bottom = min(0.4, (0.08 + 0.135 * bottom_lines) / height_in)
    fig.tight_layout(rect=(0, bottom, right, 1))


def save(fig, stem) -> list:
    """Write STEM.png and STEM.svg (creating STEM's directory); return their paths."""
    stem = os.fspath(stem)
    d = os.path.dirname(stem)
    if d:
        os.makedirs(d, exist_ok=True)
    paths = [f"{stem}.png", f"{stem}.svg"]
    with matplotlib.rc_context(STYLE):
        for p in paths:
            fig.savefig(p)
    return paths


def done(fig, save_stem, bottom_lines: int = 2, right: float = 1.0):
    """Lay out ``fig``, save it as STEM.png and STEM.svg when ``save_stem`` is given, return it."""
    finish(fig, bottom_lines, right)
    if save_stem:
        save(fig, save_stem)
    return fig


def set_factor_axis(ax, factor, axis: str = "x") -> None:
    """Scale (linear or log) and ticks of a numeric factor's axis: on a log axis, ticks at the
    design levels (up to 8) written plainly, not as powers of ten."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter
    a = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(factor.axis_label())
    if factor.scale != "log":
        return
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    levels = factor.levels
    if len(levels) > 8:
        levels = levels[:: math.ceil(len(levels) / 8)]
    a.set_major_locator(FixedLocator(levels))
    a.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.3g}"))
    a.set_minor_formatter(NullFormatter())


def legend_right(fig, ax, title: str, handles=None, labels=None) -> float:
    """A figure legend right of the panels with ``ax``'s handles (or ``handles`` and ``labels``);
    returns the width share left for the panels (pass it to :func:`done` as ``right``)."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    elif labels is None:
        labels = [h.get_label() for h in handles]
    if not handles:
        return 1.0
    longest = max(len(str(x)) for x in list(labels) + [title])
    width_in = fig.get_size_inches()[0]
    share = min(0.4, (0.5 + 0.075 * longest) / width_in)
    fig.legend(handles, labels, title=title, loc="center left", bbox_to_anchor=(1 - share, 0.55),
               fontsize=9, title_fontsize=9, frameon=False)
    return 1 - share


def interval_errors(iv: Interval) -> np.ndarray:
    """Error-bar lengths [2, n] (below, above) of an interval around its estimate: never negative
    (an end on the wrong side of the estimate, as a percentile bootstrap may give, draws no bar
    on that side), 0 where a value is NaN."""
    with np.errstate(invalid="ignore"):
        below = np.clip(iv.estimate - iv.low, 0, None)
        above = np.clip(iv.high - iv.estimate, 0, None)
    return np.nan_to_num(np.vstack([below, above]), nan=0.0, posinf=0.0)


def verdict_handles(labels=VERDICTS) -> list:
    """Legend handles (coloured squares) for the verdicts ``labels``."""
    from matplotlib.patches import Patch
    return [Patch(facecolor=VERDICT_COLORS.get(v, "white"), edgecolor="0.3", label=v)
            for v in labels]


def text_color_on(rgba) -> str:
    """Black or white, whichever reads better on a fill of colour ``rgba``."""
    r, g, b = matplotlib.colors.to_rgb(rgba)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def names(value) -> list:
    """A list of names from ``a,b,c`` text or a sequence (blanks ignored)."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(t).strip() for t in items if str(t).strip()]


def panel_grid(n: int, max_cols: int = 3) -> tuple:
    cols = min(n, max_cols)
    return math.ceil(n / cols), cols
