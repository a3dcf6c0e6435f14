"""The keyness figure: the words that set one group's articles apart from the rest."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.errors import InputError
from framelens.plots.common import (
    CAPTION_SIZE,
    _caption_below,
    _select,
    _styled,
)
from framelens.plots.style import (
    PALETTE,
    TWO_COLUMN,
)


@_styled
def keyness_plot(
    keyness_table: pd.DataFrame,
    *,
    top_k: int = 10,
    groups=None,
    against: str | None = None,
    ncols: int | None = None,
    ax=None,
) -> Figure:
    """Top distinctive terms of each group: horizontal bars of keyness z-scores.

    Parameters
    ----------
    keyness_table : DataFrame
        Output of :func:`framelens.analysis.keyness.keyness`.
    top_k : int
        Terms per group (largest z first).
    groups : sequence of str, optional
        Groups (``group_a``) to show, one panel each, in this order.
    against : str, optional
        The ``group_b`` to plot (e.g. ``"rest"``, ``"reference"`` or a group name for a
        pairwise table); required when the table holds several per group.
    ncols : int, optional
        Panels per row (default up to 3).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes; only possible for a single group.

    Returns
    -------
    Figure
        One axes per group; each title gives the group's articles and tokens. The dashed line
        marks z = 1.96.
    """
    needed = ["group_a", "group_b", "term", "z", "n_articles_a", "n_tokens_a"]
    missing = [c for c in needed if c not in keyness_table.columns]
    if missing:
        raise InputError(
            f"the keyness table lacks column(s) {', '.join(missing)}",
            hint="pass the output of framelens.analysis.keyness.keyness",
        )
    if keyness_table.empty:
        raise InputError(
            "the keyness table has no rows to plot", hint="lower min_count or check the texts"
        )
    table = keyness_table.assign(group_a=keyness_table["group_a"].astype(str))
    if against is None:
        opposite = table["group_b"].unique()
        if len(opposite) > 1 and not {"rest"} >= set(opposite):
            if "rest" in set(opposite) or "reference" in set(opposite):
                against = "rest" if "rest" in set(opposite) else "reference"
            else:
                raise InputError(
                    "the keyness table compares each group with several others (pairwise)",
                    hint=f"pass against= one of {', '.join(map(str, sorted(opposite)))}",
                )
    if against is not None:
        if against not in set(table["group_b"]):
            raise InputError(
                f"no keyness rows against {against!r}",
                hint=f"present: {', '.join(map(str, table['group_b'].unique()))}",
            )
        table = table.loc[table["group_b"] == against]
    groups = _select(groups, table["group_a"].unique(), "keyness", "group")
    if ax is not None and len(groups) != 1:
        raise InputError(
            f"keyness_plot draws {len(groups)} panels, one ax was given",
            hint="pass groups=[one group] to draw into an ax",
        )
    ncols = ncols or min(3, len(groups))
    nrows = int(np.ceil(len(groups) / ncols))
    if ax is None:
        fig = Figure(
            figsize=(TWO_COLUMN if ncols > 1 else 3.5, 0.45 + nrows * (0.55 + 0.16 * top_k)),
            layout="constrained",
        )
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    else:
        fig, axes = ax.figure, np.array([ax])
    z_max = max(2.5, float(table["z"].max()) * 1.05)
    for k, (g, axis) in enumerate(zip(groups, axes, strict=False)):
        top = table.loc[table["group_a"] == g].nlargest(top_k, "z").iloc[::-1]
        first = table.loc[table["group_a"] == g].iloc[0]
        axis.barh(range(len(top)), top["z"], color=PALETTE[k % len(PALETTE)], height=0.7)
        axis.set_yticks(range(len(top)), top["term"])
        axis.set_ylim(-0.6, top_k - 0.4)
        axis.axvline(1.96, color="#555555", linestyle="--", linewidth=0.6)
        axis.axvline(0, color="#999999", linewidth=0.6)
        axis.set_xlim(min(0, float(top["z"].min()) * 1.05) if len(top) else 0, z_max)
        axis.tick_params(axis="y", length=0)
        n_a = int(first["n_articles_a"])
        axis.set_title(
            f"{g}\n{n_a} article{'s' if n_a != 1 else ''}, {int(first['n_tokens_a']):,} tokens",
            fontsize=8,
        )
        axis.set_xlabel("keyness z")
    for axis in axes[len(groups) :]:
        axis.set_visible(False)
    against = against or table["group_b"].iloc[0]
    note = (
        f"z of the weighted log-odds ratio (Monroe et al. 2008, informative Dirichlet prior), "
        f"each group vs. {against}; dashed: z = 1.96."
    )
    if len(groups) > 1:
        chars = int(fig.get_figwidth() * 72 / (CAPTION_SIZE * 0.56))
        fig.supxlabel(
            textwrap.fill(note, chars), fontsize=CAPTION_SIZE, color="#444444", x=0.01, ha="left"
        )
    else:
        _caption_below(axes[0], textwrap.fill(note, 60))
    return fig
