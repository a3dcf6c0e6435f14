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

from __future__ import annotations

import importlib

#: name -> the module that defines it, imported on first use (the figure modules load
#: matplotlib; reading :data:`framelens.plots.study.FIGURE_NAMES` should not).
_API = {
    "display_label": "framelens.plots.common",
    "frame_composition": "framelens.plots.frames",
    "keyness_plot": "framelens.plots.keyness",
    "evidence_panel": "framelens.plots.stance",
    "stance_distribution": "framelens.plots.stance",
    "stance_heatmap": "framelens.plots.stance",
    "figure_size": "framelens.plots.style",
    "paper_style": "framelens.plots.style",
    "save_figure": "framelens.plots.style",
    "frames_over_time": "framelens.plots.trends",
    "stance_over_time": "framelens.plots.trends",
    "confusion_matrix_plot": "framelens.plots.validation",
    "reliability_plot": "framelens.plots.validation",
    "study_figures": "framelens.plots.study",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framelens.plots' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
