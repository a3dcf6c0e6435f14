"""Publication figures: one function per figure, each returning a matplotlib Figure.

Every function takes framelens tables (and an optional matplotlib ``ax`` to draw into) and
returns the :class:`~matplotlib.figure.Figure`. Figures are built with
:class:`matplotlib.figure.Figure` directly, never through ``pyplot``, so they work on any
backend (Agg included), leave no global state behind and need no ``plt.close``. They use the
paper style of :mod:`framelens.plots.style`; save them with :func:`framelens.plots.style.save_figure`.

Every figure shows what a reader needs to judge it: the interval of each estimate, the number
of articles behind it, and where there is no data at all (hatched "no mention" cells rather than
a misleading zero). Asking for a figure of data that is not there raises
:class:`~framelens.errors.InputError` instead of drawing an empty plot.

Families: :mod:`~framelens.plots.stance`, :mod:`~framelens.plots.frames`,
:mod:`~framelens.plots.trends` (over time), :mod:`~framelens.plots.keyness`,
:mod:`~framelens.plots.validation`; :mod:`~framelens.plots.style` is the paper style and
:mod:`~framelens.plots.common` what the families share. Imports the analysis layer (and the
layers below it) only; the experiment runner and the command line call these functions.
"""

from framelens.plots.common import display_label
from framelens.plots.frames import frame_composition
from framelens.plots.keyness import keyness_plot
from framelens.plots.stance import evidence_panel, stance_distribution, stance_heatmap
from framelens.plots.style import figure_size, paper_style, save_figure
from framelens.plots.trends import frames_over_time, stance_over_time
from framelens.plots.validation import confusion_matrix_plot, reliability_plot

__all__ = [
    "confusion_matrix_plot",
    "display_label",
    "evidence_panel",
    "figure_size",
    "frame_composition",
    "frames_over_time",
    "keyness_plot",
    "paper_style",
    "reliability_plot",
    "save_figure",
    "stance_distribution",
    "stance_heatmap",
    "stance_over_time",
]
