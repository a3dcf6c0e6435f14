"""What every figure shares: the paper-style decorator, labels, colours, checks and captions."""

from __future__ import annotations

import functools

import pandas as pd
from matplotlib.figure import Figure

from framelens.errors import InputError
from framelens.plots.style import (
    PALETTE,
    paper_style,
)

HATCH = "////"
CAPTION_SIZE = 7
"""Font size (pt) of captions and in-cell annotations: the smallest text of any figure."""


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _styled(func):
    """Build the figure inside the paper style (sizes are fixed when artists are made)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with paper_style():
            return func(*args, **kwargs)

    return wrapper


def display_label(name, labels: dict | None = None) -> str:
    """Readable label of a target, frame or group name.

    Parameters
    ----------
    name : str
        The name as stored in the tables (e.g. ``"us"``, ``"geo_economic"``).
    labels : dict, optional
        Explicit labels (e.g. ``{t: codebook.target(t).label for t in targets}``), used first.

    Returns
    -------
    str
        ``labels[name]`` if given; otherwise short lower-case names are upper-cased (``"us"``
        -> ``"US"``) and underscores become spaces with a capital first letter
        (``"geo_economic"`` -> ``"Geo economic"``).
    """
    if labels and name in labels:
        return str(labels[name])
    text = str(name)
    if len(text) <= 3 and text.isalpha() and text.islower():
        return text.upper()
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:] if text.islower() else text


def _figure_and_axes(ax, figsize):
    """A new constrained-layout figure with one axes, or ``ax`` and its figure."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _one_scorer(table: pd.DataFrame, scorer, what: str, source: str) -> str:
    """The scorer to plot: ``scorer`` if present, else the only one in ``table``."""
    present = sorted(table["scorer"].dropna().astype(str).unique())
    if not present:
        # A scored corpus can have none: stance rows exist only where a target is mentioned.
        why = "no article mentions a codebook target, or " if what == "stance" else ""
        raise InputError(
            f"no {what} rows to plot",
            source=source,
            hint=f"{why}no {what} scorer ran",
        )
    if scorer is None:
        if len(present) > 1:
            raise InputError(
                f"{source} holds {what} scores from several scorers ({', '.join(present)})",
                source=source,
                hint="pass scorer= to choose one",
            )
        return present[0]
    if scorer not in present:
        raise InputError(
            f"no {what} rows from scorer {scorer!r}",
            source=source,
            hint=f"scorers present: {', '.join(present)}",
        )
    return scorer


def _select(requested, present, what: str, group: str | None = None, source=None):
    """Order of ``present`` (or ``requested``), raising for requested names with no rows."""
    if requested is None:
        return sorted(present)
    requested = [requested] if isinstance(requested, str) else list(requested)
    missing = [r for r in requested if r not in set(present)]
    if missing:
        where = f"{group} " if group else ""
        raise InputError(
            f"no {what} rows for {where}{', '.join(map(str, missing))}",
            source=source,
            hint=f"present: {', '.join(map(str, sorted(present))) or 'none'}",
        )
    return requested


def _require_values(summary: pd.DataFrame, kind: str, names) -> None:
    """Raise when no article has a value for any of ``names`` (nothing to draw)."""
    if summary.empty or (summary["n_articles"] == 0).all():
        what = "mentions" if kind == "stance" else "has a score for"
        raise InputError(
            f"no {kind} values to plot: no article {what} {', '.join(map(str, names))}",
            source="article_scores",
            hint="check the scorer output and the article ids of both tables",
        )


def _group_colours(groups) -> dict:
    return {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}


def _fmt(x: float) -> str:
    # A true minus sign reads better than a hyphen in print.
    return f"{x:+.2f}".replace("-", "\u2212")


# --------------------------------------------------------------------------------------------
# Stance heatmap
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Frame composition
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Stance distribution
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Keyness
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Over time
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Validation figures
# --------------------------------------------------------------------------------------------


"""Columns :func:`reliability_plot` needs: those of :func:`framelens.validation.reliability.agreement`."""


def _caption_below(ax, text: str) -> None:
    """A small caption under the x label, left-aligned with the axes (part of the layout)."""
    ax.set_xlabel(ax.get_xlabel(), loc="left")
    ax.annotate(
        text,
        xy=(0, 0),
        xycoords=ax.xaxis.label,
        xytext=(0, -3),
        textcoords="offset points",
        va="top",
        ha="left",
        fontsize=CAPTION_SIZE,
        color="#444444",
        annotation_clip=False,
    )
