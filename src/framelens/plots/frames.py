"""Frame figures: how much of each group's text carries each frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.analysis.groups import group_means
from framelens.plots.common import (
    CAPTION_SIZE,
    HATCH,
    _caption_below,
    _figure_and_axes,
    _group_colours,
    _one_scorer,
    _require_values,
    _select,
    _styled,
    display_label,
)
from framelens.plots.style import (
    TWO_COLUMN,
)
from framelens.tables import check_columns


@_styled
def frame_composition(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    group: str = "outlet",
    scorer: str | None = None,
    frames=None,
    groups=None,
    labels: dict | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    min_n: int = 2,
    seed: int = 0,
    ax=None,
) -> Figure:
    """Share of sentences carrying each frame, by group: grouped bars with intervals.

    Bars are grouped, not stacked: a sentence can carry several frames or none, so the shares
    need not add up to 100% and a stacked bar would suggest a composition that is not there.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    group : str
        Column of ``articles`` that defines the groups.
    scorer : str, optional
        Scorer to plot (required when the table holds several).
    frames, groups : sequence of str, optional
        Frames and groups to show, in this order (default: all, sorted).
    labels : dict, optional
        Display labels of frames.
    n_boot, ci, min_n, seed
        Bootstrap settings, as in :func:`framelens.analysis.groups.group_means`.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes.

    Returns
    -------
    Figure
        Horizontal bars (one per group and frame) of the mean article share in percent, with
        bootstrap error bars; groups with too few articles for an interval are hatched.
    """
    check_columns(article_scores, "article_scores", source="article_scores")
    scored = article_scores.loc[article_scores["kind"] == "frame"]
    scorer = _one_scorer(scored, scorer, "frame", "article_scores")
    scored = scored.loc[scored["scorer"] == scorer]
    frames = _select(frames, scored["name"].unique(), "frame", "frame", "article_scores")
    summary = group_means(
        article_scores,
        articles,
        kind="frame",
        group=group,
        scorer=scorer,
        names=frames,
        n_boot=n_boot,
        ci=ci,
        min_n=min_n,
        seed=seed,
    )
    _require_values(summary, "frame", frames)
    with_rows = summary.loc[summary["n_articles"] > 0, "group"].unique()
    if groups is not None:
        groups = _select(groups, with_rows, "frame", group, "article_scores")
    else:
        groups = sorted(summary["group"].unique())
    cells = summary.set_index(["group", "name"])
    n_frames = len(frames)
    height = 0.75 / n_frames
    label_width = 0.065 * max(len(f"{g} (n=000)") for g in groups)
    fig, ax = _figure_and_axes(
        ax,
        (
            min(TWO_COLUMN, max(3.5, label_width + 3.2)),
            0.9 + len(groups) * (0.11 * n_frames + 0.12),
        ),
    )
    colours = _group_colours(frames)
    any_small = False
    for k, frame in enumerate(frames):
        for i, g in enumerate(groups):
            cell = cells.loc[(g, frame)]
            y = i + (k - (n_frames - 1) / 2) * height
            if cell["n_articles"] == 0:
                if k == 0:  # one note per group, where its bars would be
                    ax.text(
                        0,
                        i,
                        " no frame scores",
                        va="center",
                        ha="left",
                        fontsize=CAPTION_SIZE,
                        color="#666666",
                        style="italic",
                    )
                continue
            small = not np.isfinite(cell["ci_low"])
            any_small |= small
            ax.barh(
                y,
                100 * cell["mean"],
                height=height * 0.92,
                color=colours[frame],
                hatch=HATCH if small else None,
                edgecolor="white" if small else "none",
                linewidth=0,
                label=display_label(frame, labels) if i == 0 else None,
            )
            if cell["mean"] == 0:  # a zero-length bar is invisible: say it is zero
                ax.text(0, y, " 0", va="center", ha="left", fontsize=CAPTION_SIZE)
            if not small:
                ax.errorbar(
                    100 * cell["mean"],
                    y,
                    xerr=[
                        [100 * (cell["mean"] - cell["ci_low"])],
                        [100 * (cell["ci_high"] - cell["mean"])],
                    ],
                    fmt="none",
                    ecolor="black",
                    elinewidth=0.7,
                    capsize=1.5,
                )
    n_group = summary.drop_duplicates("group").set_index("group")["n_group"]
    ax.set_yticks(range(len(groups)), [f"{g} (n={int(n_group[g])})" for g in groups])
    ax.set_ylim(len(groups) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, None)
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.set_xlabel("sentences carrying the frame (%, mean over articles)")
    ax.legend(
        title="frame",
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncols=min(n_frames, 4),
        handlelength=1.2,
        columnspacing=1.0,
        borderaxespad=0.2,
    )
    note = (
        f"Error bars: {ci:.0%} bootstrap CI over articles; "
        f"n = articles per {group.replace('_', ' ')}."
    )
    if any_small:
        note += f"\nHatched: fewer than {min_n} articles, no interval."
    _caption_below(ax, note)
    return fig
