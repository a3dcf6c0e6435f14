"""Publication figures: one function per figure, each returning a matplotlib Figure.

Every function takes framelens tables (and an optional matplotlib ``ax`` to draw into) and
returns the :class:`~matplotlib.figure.Figure`. Figures are built with
:class:`matplotlib.figure.Figure` directly, never through ``pyplot``, so they work on any
backend (Agg included), leave no global state behind and need no ``plt.close``. They use the
paper style of :mod:`framelens.style`; save them with :func:`framelens.style.save_figure`.

Every figure shows what a reader needs to judge it: the interval of each estimate, the number
of articles behind it, and where there is no data at all (hatched "no mention" cells rather than
a misleading zero). Asking for a figure of data that is not there raises
:class:`~framelens.errors.InputError` instead of drawing an empty plot.
"""

from __future__ import annotations

import functools
import json
import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from framelens import compare
from framelens.errors import InputError
from framelens.style import (
    MISSING_COLOUR,
    PALETTE,
    SHARE_CMAP,
    STANCE_CMAP,
    TWO_COLUMN,
    paper_style,
)
from framelens.tables import check_columns

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
        raise InputError(
            f"no {what} rows to plot",
            source=source,
            hint="score the corpus first (framelens score)",
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


@_styled
def stance_heatmap(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    group: str = "outlet",
    scorer: str | None = None,
    targets=None,
    groups=None,
    labels: dict | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    min_n: int = 2,
    seed: int = 0,
    vmax: float | None = None,
    ax=None,
) -> Figure:
    """Mean stance of each group toward each target, with interval and n in every cell.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    group : str
        Column of ``articles`` for the rows (``"outlet"`` or ``"outlet_type"``).
    scorer : str, optional
        Scorer to plot (required when the table holds several).
    targets, groups : sequence of str, optional
        Columns and rows to show, in this order (default: all, sorted).
    labels : dict, optional
        Display labels of targets (e.g. from the codebook).
    n_boot, ci, min_n, seed
        Bootstrap settings, as in :func:`framelens.compare.group_means`.
    vmax : float, optional
        Colour scale runs from ``-vmax`` to ``+vmax``; default: the largest absolute mean,
        rounded up to 0.1.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (a colour bar is added beside it).

    Returns
    -------
    Figure
        One text per cell: the mean, ``[low, high]`` interval and ``n`` (articles that mention
        the target); hatched grey cells mark groups that never mention a target.
    """
    check_columns(article_scores, "article_scores", source="article_scores")
    stance = article_scores.loc[article_scores["kind"] == "stance"]
    scorer = _one_scorer(stance, scorer, "stance", "article_scores")
    stance = stance.loc[stance["scorer"] == scorer]
    targets = _select(targets, stance["name"].unique(), "stance", "target", "article_scores")
    summary = compare.group_means(
        article_scores,
        articles,
        kind="stance",
        group=group,
        scorer=scorer,
        names=targets,
        n_boot=n_boot,
        ci=ci,
        min_n=min_n,
        seed=seed,
    )
    _require_values(summary, "stance", targets)
    with_rows = summary.loc[summary["n_articles"] > 0, "group"].unique()
    if groups is not None:
        groups = _select(groups, with_rows, "stance", group, "article_scores")
    else:
        groups = sorted(summary["group"].unique())
    cells = summary.set_index(["group", "name"])
    means = np.array([[cells.loc[(g, t), "mean"] for t in targets] for g in groups], dtype=float)
    if vmax is None:
        finite = np.abs(means[np.isfinite(means)])
        vmax = max(0.1, np.ceil(finite.max() * 10) / 10) if finite.size else 1.0
    n_rows, n_cols = len(groups), len(targets)
    label_width = 0.07 * max(len(f"{g} (n=000)") for g in groups)
    width = min(TWO_COLUMN, label_width + 0.95 * n_cols + 0.9)
    # "[-0.46, -0.22]" needs about 0.85 in at 7 pt: narrower cells put it on two lines.
    compact = (width - label_width - 0.9) / n_cols < 0.85
    row_height = 0.6 if compact else 0.46
    fig, ax = _figure_and_axes(ax, (width, 0.9 + row_height * n_rows))

    image = ax.imshow(
        np.ma.masked_invalid(means),
        cmap=STANCE_CMAP,
        vmin=-vmax,
        vmax=vmax,
        aspect="auto",
        interpolation="nearest",
    )
    for i, g in enumerate(groups):
        for j, t in enumerate(targets):
            cell = cells.loc[(g, t)]
            n = int(cell["n_articles"])
            if n == 0:
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        facecolor=MISSING_COLOUR,
                        hatch=HATCH,
                        hatchcolor="#9A9A9A",
                        linewidth=0,
                    )
                )
                text = "no\nmention" if compact else "no mention"
                colour = "#333333"
            else:
                sep = ",\n" if compact else ", "
                interval = (
                    f"[{_fmt(cell['ci_low'])}{sep}{_fmt(cell['ci_high'])}]"
                    if np.isfinite(cell["ci_low"])
                    else "no CI"
                )
                text = f"{_fmt(cell['mean'])}\n{interval}\nn={n}"
                colour = "white" if abs(cell["mean"]) / vmax > 0.62 else "black"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=CAPTION_SIZE,
                color=colour,
                linespacing=1.15,
            )
    n_group = summary.drop_duplicates("group").set_index("group")["n_group"]
    ax.set_yticks(range(n_rows), [f"{g} (n={int(n_group[g])})" for g in groups])
    ax.set_xticks(range(n_cols), [display_label(t, labels) for t in targets])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    # White gridlines separate cells so neighbouring pale cells do not merge.
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    colorbar = fig.colorbar(image, ax=ax, shrink=min(1.0, 2.2 / (0.46 * n_rows)), pad=0.02)
    colorbar.set_label("mean stance\n(\u2212 against, + favour)", fontsize=CAPTION_SIZE + 0.5)
    colorbar.ax.tick_params(labelsize=CAPTION_SIZE)
    colorbar.outline.set_visible(False)
    ax.set_xlabel(
        f"Cell: mean article stance [{ci:.0%} bootstrap CI], n = articles mentioning the target"
        f"\n(of n per {group.replace('_', ' ')}); hatched: never mentioned. Scorer: {scorer}.",
        fontsize=CAPTION_SIZE,
        color="#444444",
        loc="left",
    )
    return fig


# --------------------------------------------------------------------------------------------
# Frame composition
# --------------------------------------------------------------------------------------------


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
        Bootstrap settings, as in :func:`framelens.compare.group_means`.
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
    summary = compare.group_means(
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


# --------------------------------------------------------------------------------------------
# Stance distribution
# --------------------------------------------------------------------------------------------


@_styled
def stance_distribution(
    scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    level: str = "article",
    group: str = "outlet",
    scorer: str | None = None,
    targets=None,
    groups=None,
    labels: dict | None = None,
    seed: int = 0,
    ax=None,
) -> Figure:
    """Spread of stance per group, one panel per target: points with a box where n >= 5.

    Parameters
    ----------
    scores : DataFrame
        The article_scores table (``level="article"``) or the sentence stance table
        (``level="sentence"``).
    articles : DataFrame
        The articles table (gives each article's group).
    level : {"article", "sentence"}
        Plot one point per article (its mean stance) or one per scored sentence.
    group : str
        Column of ``articles`` that defines the groups (rows).
    scorer : str, optional
        Scorer to plot (required when the table holds several).
    targets, groups : sequence of str, optional
        Panels and rows to show, in this order (default: all, sorted).
    labels : dict, optional
        Display labels of targets.
    seed : int
        Seed of the vertical jitter of the points.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes; only possible for a single target.

    Returns
    -------
    Figure
        One axes per target; each row is a group, with its n (articles or sentences) at the
        right; "no mention" where a group has no stance toward the target.
    """
    if level not in ("article", "sentence"):
        raise InputError(f"unknown level {level!r}", hint='use "article" or "sentence"')
    check_columns(articles, "articles", source="articles")
    if level == "article":
        check_columns(scores, "article_scores", source="article_scores")
        source = "article_scores"
        rows = scores.loc[scores["kind"] == "stance"].rename(columns={"name": "target"})
        rows = rows.assign(score=pd.to_numeric(rows["value"], errors="coerce"))
    else:
        check_columns(scores, "stance", source="stance")
        source = "stance"
        rows = scores.assign(score=pd.to_numeric(scores["score"], errors="coerce"))
    scorer = _one_scorer(rows, scorer, "stance", source)
    rows = rows.loc[(rows["scorer"] == scorer) & rows["score"].notna()]
    meta = compare.article_groups(articles, group)  # warns about articles without a group
    unknown = ~rows["article_id"].isin(articles["article_id"])
    if unknown.any():
        raise InputError(
            f"{source} names an article the articles table lacks",
            source=source,
            record=rows.loc[unknown, "article_id"].iloc[0],
            hint="plot the same corpus that was scored",
        )
    rows = rows.merge(meta[["article_id", "group"]], on="article_id")
    if rows.empty:
        raise InputError(f"no stance values to plot in {source}", source=source)
    targets = _select(targets, rows["target"].unique(), "stance", "target", source)
    if groups is None:
        # Every group of the corpus, so one that never mentions a target shows as such.
        groups = sorted(meta["group"].unique())
    else:
        groups = _select(groups, rows["group"].unique(), "stance", group, source)
    if ax is not None and len(targets) != 1:
        raise InputError(
            f"stance_distribution draws {len(targets)} panels, one ax was given",
            hint="pass targets=[one target] to draw into an ax, or leave ax=None",
        )
    label_width = 0.065 * max(len(str(g)) for g in groups)
    panel = 1.55 if len(targets) > 1 else 2.6
    ncols = min(4, len(targets))  # more targets wrap to further rows of panels
    nrows = int(np.ceil(len(targets) / ncols))
    figsize = (
        min(TWO_COLUMN, label_width + panel * ncols + 0.3),
        nrows * (0.55 + 0.3 * len(groups)) + 0.2,
    )
    if ax is None:
        fig = Figure(figsize=figsize, layout="constrained")
        axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
        for axis in axes[len(targets) :]:
            axis.set_visible(False)
        axes = axes[: len(targets)]
    else:
        fig, axes = ax.figure, [ax]
    rng = np.random.default_rng(seed)
    unit = "articles" if level == "article" else "sentences"
    for target, axis in zip(targets, axes, strict=True):
        sub = rows.loc[rows["target"] == target]
        for i, g in enumerate(groups):
            x = sub.loc[sub["group"] == g, "score"].to_numpy(float)
            if x.size == 0:
                axis.text(
                    0,
                    i,
                    "no mention",
                    ha="center",
                    va="center",
                    fontsize=CAPTION_SIZE,
                    color="#666666",
                    style="italic",
                )
            else:
                if x.size >= 5:
                    axis.boxplot(
                        x,
                        positions=[i],
                        orientation="horizontal",
                        widths=0.6,
                        showfliers=False,
                        patch_artist=True,
                        manage_ticks=False,
                        boxprops=dict(facecolor="#EDEDED", edgecolor="#555555", linewidth=0.6),
                        medianprops=dict(color="black", linewidth=1.0),
                        whiskerprops=dict(color="#555555", linewidth=0.6),
                        capprops=dict(color="#555555", linewidth=0.6),
                    )
                jitter = rng.uniform(-0.18, 0.18, x.size)
                axis.scatter(
                    x, i + jitter, s=7, color=PALETTE[0], alpha=0.75, linewidths=0, zorder=3
                )
            axis.annotate(
                f"n={x.size}",
                xy=(1, i),
                xycoords=("axes fraction", "data"),
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=CAPTION_SIZE,
                color="#444444",
                annotation_clip=False,
            )
        axis.axvline(0, color="#999999", linewidth=0.6, zorder=1)
        axis.set_xlim(-1.05, 1.05)
        axis.set_xticks([-1, 0, 1], ["\u22121", "0", "+1"])
        axis.set_title(display_label(target, labels))
        axis.set_ylim(len(groups) - 0.5, -0.5)
        axis.set_yticks(range(len(groups)), groups)
        axis.tick_params(axis="y", length=0)
        axis.grid(axis="x", color="#EEEEEE", linewidth=0.5)
        axis.set_axisbelow(True)
    # The x label goes under the first panel of the bottom row.
    axes[(len(axes) - 1) // ncols * ncols if ax is None else 0].set_xlabel(
        f"{level} stance (\u22121 against, +1 favour)", loc="left"
    )
    note = f"Dots: {unit}; boxes (n \u2265 5): median and quartiles. Scorer: {scorer}."
    if len(axes) > 1:
        fig.supxlabel(note, fontsize=CAPTION_SIZE, color="#444444", x=0.01, ha="left")
    else:
        _caption_below(axes[0], note)
    return fig


# --------------------------------------------------------------------------------------------
# Keyness
# --------------------------------------------------------------------------------------------


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
        Output of :func:`framelens.keyness.keyness`.
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
            hint="pass the output of framelens.keyness.keyness",
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


# --------------------------------------------------------------------------------------------
# Over time
# --------------------------------------------------------------------------------------------


def _over_time_figure(
    kind,
    article_scores,
    articles,
    *,
    freq,
    group,
    scorer,
    names,
    groups,
    labels,
    n_boot,
    ci,
    min_n,
    seed,
    ax,
) -> Figure:
    check_columns(article_scores, "article_scores", source="article_scores")
    scored = article_scores.loc[article_scores["kind"] == kind]
    scorer = _one_scorer(scored, scorer, kind, "article_scores")
    scored = scored.loc[scored["scorer"] == scorer]
    what = "target" if kind == "stance" else "frame"
    names = _select(names, scored["name"].unique(), kind, what, "article_scores")
    series = compare.over_time(
        article_scores,
        articles,
        kind=kind,
        freq=freq,
        group=group,
        scorer=scorer,
        names=names,
        n_boot=n_boot,
        ci=ci,
        min_n=min_n,
        seed=seed,
    )
    present = series["group"].unique()
    groups = _select(groups, present, f"dated {kind}", group or "group", "article_scores")
    if ax is not None and len(names) != 1:
        raise InputError(
            f"this figure draws {len(names)} panels, one ax was given",
            hint=f"pass {what}s=[one {what}] to draw into an ax",
        )
    scale = 1.0 if kind == "stance" else 100.0
    ncols = min(2, len(names))
    nrows = int(np.ceil(len(names) / ncols))
    if ax is None:
        fig = Figure(
            figsize=(TWO_COLUMN if ncols > 1 else 3.5, 0.8 + 1.55 * nrows), layout="constrained"
        )
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True).ravel()
    else:
        fig, axes = ax.figure, np.array([ax])
    colours = _group_colours(sorted(present))
    code = compare.FREQUENCIES[str(freq).lower()]
    span = pd.period_range(series["period"].min(), series["period"].max(), freq=code)
    meta = (
        articles.assign(group="all")[["article_id", "group", "date"]]
        if group is None
        else compare.article_groups(articles, group, warn=False)
    )
    has_date = compare.parse_dates(meta["date"]).notna()
    n_dated = meta.loc[has_date, "group"].value_counts()
    n_undated = int((~has_date).sum())
    any_hollow = False
    for name, axis in zip(names, axes, strict=False):
        for g in groups:
            part = series.loc[(series["name"] == name) & (series["group"] == g)]
            # Reindex on every period so a period without articles breaks the line.
            part = part.set_index(part["period"].dt.to_period(code)).reindex(span)
            x = span.to_timestamp()
            colour = colours[g]
            mean, low, high = (
                scale * part[c].to_numpy(float) for c in ("mean", "ci_low", "ci_high")
            )
            axis.plot(x, mean, color=colour, linewidth=1.0, zorder=3)
            axis.fill_between(x, low, high, color=colour, alpha=0.18, linewidth=0, zorder=2)
            # A band needs two neighbouring intervals: an isolated one gets an error bar.
            has_ci = np.isfinite(low)
            prev_ci = np.r_[False, has_ci[:-1]]
            next_ci = np.r_[has_ci[1:], False]
            lone = has_ci & ~prev_ci & ~next_ci
            if lone.any():
                axis.errorbar(
                    x[lone],
                    mean[lone],
                    yerr=[mean[lone] - low[lone], high[lone] - mean[lone]],
                    fmt="none",
                    ecolor=colour,
                    elinewidth=0.8,
                    capsize=1.5,
                    zorder=3,
                )
            hollow = np.isfinite(mean) & ~has_ci
            any_hollow |= bool(hollow.any())
            axis.scatter(x[has_ci], mean[has_ci], s=10, color=colour, zorder=4, linewidths=0)
            axis.scatter(
                x[hollow],
                mean[hollow],
                s=10,
                facecolors="white",
                edgecolors=colour,
                linewidths=0.8,
                zorder=4,
            )
        if kind == "stance":
            axis.axhline(0, color="#999999", linewidth=0.6, zorder=1)
        axis.set_title(display_label(name, labels))
        axis.grid(axis="y", color="#EEEEEE", linewidth=0.5)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
        axis.xaxis.set_major_locator(locator)
        axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if kind == "frame":  # after all panels are drawn: the y axis is shared
        for axis in axes[: len(names)]:
            axis.set_ylim(bottom=0, top=max(axis.get_ylim()[1], 1.0))
    for k, axis in enumerate(axes):
        if k >= len(names):
            axis.set_visible(False)
            # The panel above an empty slot is the bottom of its column: it needs the dates.
            if k - ncols >= 0:
                axes[k - ncols].xaxis.set_tick_params(labelbottom=True)
    ylabel = "mean stance (\u22121 to +1)" if kind == "stance" else "sentences with frame (%)"
    for k, axis in enumerate(axes[: len(names)]):
        if k % ncols == 0:
            axis.set_ylabel(ylabel)
    handles = [
        Line2D(
            [],
            [],
            color=colours[g],
            marker="o",
            markersize=3,
            label=f"{g} (n={int(n_dated.get(g, 0))})",
        )
        for g in groups
    ]
    if any_hollow:
        handles.append(
            Line2D(
                [],
                [],
                color="#777777",
                marker="o",
                markerfacecolor="white",
                linestyle="none",
                markersize=3,
                label=f"n < {min_n}: no interval",
            )
        )
    if ax is None:
        fig.legend(
            handles=handles,
            loc="outside upper center",
            ncols=min(len(handles), 3),
            frameon=False,
            handlelength=1.5,
        )
    else:
        ax.legend(handles=handles, loc="best", frameon=False, handlelength=1.5)
    per = {"M": "month", "Q": "quarter", "Y": "year"}[code]
    note = (
        f"Mean per {per} over articles, band: {ci:.0%} bootstrap CI; "
        f"n = dated articles. Scorer: {scorer}."
    )
    if n_undated:
        note += f" {n_undated} undated article(s) left out."
    if len(names) > 1:
        fig.supxlabel(note, fontsize=CAPTION_SIZE, color="#444444", x=0.01, ha="left")
    else:
        axes[0].set_xlabel(note, fontsize=CAPTION_SIZE, color="#444444", loc="left")
    return fig


@_styled
def stance_over_time(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    freq: str = "quarter",
    group: str | None = "outlet_type",
    scorer: str | None = None,
    targets=None,
    groups=None,
    labels: dict | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    min_n: int = 2,
    seed: int = 0,
    ax=None,
) -> Figure:
    """Mean stance per period, one line per group and one panel per target, with CI bands.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables (articles need dates).
    freq : {"month", "quarter", "year"}
        Period length.
    group : str or None
        Column of ``articles`` for the lines; ``None`` pools all articles.
    scorer : str, optional
        Scorer to plot (required when the table holds several).
    targets, groups : sequence of str, optional
        Panels and lines to show.
    labels : dict, optional
        Display labels of targets.
    n_boot, ci, min_n, seed
        Bootstrap settings, as in :func:`framelens.compare.over_time`.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes; only possible for a single target.

    Returns
    -------
    Figure
        Lines break where a period has no article; hollow markers are periods with too few
        articles for an interval; the legend gives n per group.
    """
    return _over_time_figure(
        "stance",
        article_scores,
        articles,
        freq=freq,
        group=group,
        scorer=scorer,
        names=targets,
        groups=groups,
        labels=labels,
        n_boot=n_boot,
        ci=ci,
        min_n=min_n,
        seed=seed,
        ax=ax,
    )


@_styled
def frames_over_time(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    freq: str = "quarter",
    group: str | None = "outlet_type",
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
    """Mean frame share per period, one line per group and one panel per frame, with CI bands.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables (articles need dates).
    freq : {"month", "quarter", "year"}
        Period length.
    group : str or None
        Column of ``articles`` for the lines; ``None`` pools all articles.
    scorer : str, optional
        Scorer to plot (required when the table holds several).
    frames, groups : sequence of str, optional
        Panels and lines to show.
    labels : dict, optional
        Display labels of frames.
    n_boot, ci, min_n, seed
        Bootstrap settings, as in :func:`framelens.compare.over_time`.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes; only possible for a single frame.

    Returns
    -------
    Figure
        As :func:`stance_over_time`, with shares in percent.
    """
    return _over_time_figure(
        "frame",
        article_scores,
        articles,
        freq=freq,
        group=group,
        scorer=scorer,
        names=frames,
        groups=groups,
        labels=labels,
        n_boot=n_boot,
        ci=ci,
        min_n=min_n,
        seed=seed,
        ax=ax,
    )


# --------------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------------


def _evidence_ids(evidence) -> list | None:
    """The sent_ids (or sentence texts) listed in an article_scores ``evidence`` cell."""
    if evidence is None or (isinstance(evidence, float) and np.isnan(evidence)):
        return None
    if isinstance(evidence, str):
        try:
            evidence = json.loads(evidence)
        except json.JSONDecodeError as err:
            raise InputError(
                "evidence is not a JSON list",
                source="article_scores",
                hint='write evidence as e.g. "[3, 7]"',
            ) from err
    return list(evidence)


@_styled
def evidence_panel(
    stance: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    article_id,
    target: str,
    scorer: str | None = None,
    article_scores: pd.DataFrame | None = None,
    evidence_only: bool = False,
    labels: dict | None = None,
    max_sentences: int = 12,
    width: float = TWO_COLUMN,
    ax=None,
) -> Figure:
    """The sentences behind an article's stance toward a target, each with its score badge.

    Parameters
    ----------
    stance : DataFrame
        The sentence stance table.
    sentences : DataFrame
        The sentences table (gives the text).
    article_id : str
        The article to show.
    target : str
        The target whose stance is shown.
    scorer : str, optional
        Scorer to show (required when the table holds several for this article).
    article_scores : DataFrame, optional
        If given, the header gives the article score as aggregated (mention-weighted);
        otherwise it gives the plain mean of the sentence scores.
    evidence_only : bool
        Show only the sentences listed in the article score's ``evidence`` (needs
        ``article_scores``); by default every scored sentence is shown.
    labels : dict, optional
        Display labels of targets.
    max_sentences : int
        Show at most this many sentences (those with the largest absolute score), in
        reading order.
    width : float
        Figure width in inches (ignored when ``ax`` is given).
    ax : matplotlib.axes.Axes, optional
        Draw into this axes.

    Returns
    -------
    Figure
        A text figure: a header with the article score and n, then one block per sentence
        (badge with score and label, sentence id, wrapped text).
    """
    check_columns(stance, "stance", source="stance")
    check_columns(sentences, "sentences", source="sentences")
    rows = stance.loc[(stance["article_id"] == article_id) & (stance["target"] == target)]
    if rows.empty:
        known = sorted(stance.loc[stance["article_id"] == article_id, "target"].unique())
        raise InputError(
            f"no stance rows for article {article_id} and target {target!r}",
            source="stance",
            hint=(
                f"targets with stance in this article: {', '.join(known)}"
                if known
                else "this article has no stance rows at all"
            ),
        )
    scorer = _one_scorer(rows, scorer, "stance", "stance")
    rows = rows.loc[rows["scorer"] == scorer]
    text = sentences.loc[sentences["article_id"] == article_id, ["sent_id", "text"]]
    rows = rows.merge(text, on="sent_id", how="left")
    if rows["text"].isna().any():
        raise InputError(
            "stance row points at a sentence the sentences table lacks",
            source="stance",
            record=f"{article_id}/{rows.loc[rows['text'].isna(), 'sent_id'].iloc[0]}",
            hint="pass the sentences table the stance was scored on",
        )
    header_value, header_kind = rows["score"].mean(), "mean sentence stance"
    if evidence_only and article_scores is None:
        raise InputError("evidence_only=True needs article_scores (its evidence column)")
    if article_scores is not None:
        score = article_scores.loc[
            (article_scores["article_id"] == article_id)
            & (article_scores["kind"] == "stance")
            & (article_scores["name"] == target)
            & (article_scores["scorer"] == scorer)
        ]
        if score.empty:
            raise InputError(
                f"no article score for article {article_id}, target {target!r}",
                source="article_scores",
            )
        header_value, header_kind = float(score["value"].iloc[0]), "stance"
        ids = _evidence_ids(score["evidence"].iloc[0])
        if evidence_only and ids is not None:
            keep = rows["sent_id"].isin(ids) | rows["text"].isin([str(i) for i in ids])
            rows = rows.loc[keep]
    n_all = len(rows)
    rows = rows.assign(_abs=rows["score"].abs()).nlargest(max_sentences, "_abs", keep="first")
    rows = rows.sort_values("sent_id", kind="stable")

    # Layout in inches: badge column, then text wrapped to the remaining width.
    fontsize, line = 7.5, 7.5 * 1.32 / 72
    text_width = width - 1.15
    chars = max(30, int(text_width * 72 / (fontsize * 0.56)))
    blocks = [textwrap.wrap(str(t), chars) or [""] for t in rows["text"]]
    heights = [max(2, len(b)) * line + 0.08 for b in blocks]
    header = 0.42
    total = header + sum(heights) + 0.05
    fig, ax = _figure_and_axes(ax, (width, total))
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine("none")
        ax.set_position([0.01, 0.0, 0.98, 1.0])
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(total, 0)
    shown = f"{len(rows)} of {n_all}" if n_all > len(rows) else f"{n_all}"
    ax.text(
        0,
        0.05,
        f"Article {article_id}: {header_kind} toward {display_label(target, labels)} "
        f"{_fmt(header_value)}",
        fontsize=9,
        fontweight="bold",
        va="top",
    )
    ax.text(
        0,
        0.24,
        f"{shown} scored sentence(s){' (strongest)' if n_all > len(rows) else ''}, "
        f"in reading order; badge: sentence stance "
        f"(\u22121 against, +1 favour). Scorer: {scorer}.",
        fontsize=CAPTION_SIZE,
        color="#444444",
        va="top",
    )
    y = header
    for (_, row), block, h in zip(rows.iterrows(), blocks, heights, strict=True):
        value = float(row["score"])
        colour = STANCE_CMAP((value + 1) / 2)
        ax.add_patch(
            FancyBboxPatch(
                (0.02, y + 0.02),
                0.62,
                2 * line - 0.02,
                boxstyle="round,pad=0,rounding_size=0.04",
                facecolor=colour,
                edgecolor="#777777",
                linewidth=0.4,
            )
        )
        ink = "white" if abs(value) > 0.6 else "black"
        ax.text(
            0.33,
            y + 0.02 + line * 0.5,
            _fmt(value),
            ha="center",
            va="center",
            fontsize=fontsize,
            fontweight="bold",
            color=ink,
        )
        ax.text(
            0.33,
            y + 0.02 + line * 1.45,
            str(row["label"]),
            ha="center",
            va="center",
            fontsize=CAPTION_SIZE,
            color=ink,
        )
        ax.text(
            0.72, y + 0.02, f"s{row['sent_id']}", fontsize=CAPTION_SIZE, color="#777777", va="top"
        )
        ax.text(1.05, y + 0.02, "\n".join(block), fontsize=fontsize, va="top", linespacing=1.2)
        y += h
    return fig


# --------------------------------------------------------------------------------------------
# Validation figures
# --------------------------------------------------------------------------------------------


@_styled
def confusion_matrix_plot(
    table: pd.DataFrame,
    *,
    gold: str = "true",
    pred: str = "pred",
    labels=None,
    title: str | None = None,
    ax=None,
) -> Figure:
    """Confusion matrix of predicted against gold labels: counts and row percentages.

    Parameters
    ----------
    table : DataFrame
        One row per item with the gold and the predicted label, e.g. the output of
        :func:`framelens.validate.validation_pairs` (columns ``true`` and ``pred``).
    gold, pred : str
        Column names of the gold and the predicted label.
    labels : sequence of str, optional
        Label order (default: sorted union of both columns, e.g. against, favor, neutral).
    title : str, optional
        Title; by default accuracy, macro-F1 and n.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes.

    Returns
    -------
    Figure
        Cell colour = share of the gold row; cell text = count and row percentage; row labels
        carry n per gold label.
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    missing = [c for c in (gold, pred) if c not in table.columns]
    if missing:
        raise InputError(
            f"the validation table lacks column(s) {', '.join(missing)}",
            hint="pass gold= and pred= naming the label columns",
        )
    pairs = table[[gold, pred]].dropna().astype(str)
    if pairs.empty:
        raise InputError("no rows with both a gold and a predicted label to plot")
    if labels is None:
        labels = sorted(set(pairs[gold]) | set(pairs[pred]))
    matrix = confusion_matrix(pairs[gold], pairs[pred], labels=list(labels))
    row_n = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = matrix / row_n[:, None]
    k = len(labels)
    fig, ax = _figure_and_axes(ax, (max(3.5, 1.6 + 0.75 * k), 1.2 + 0.5 * k))
    image = ax.imshow(np.nan_to_num(share), cmap=SHARE_CMAP, vmin=0, vmax=1, aspect="auto")
    for i in range(k):
        for j in range(k):
            pct = "\u2013" if row_n[i] == 0 else f"{share[i, j]:.0%}"
            ax.text(
                j,
                i,
                f"{matrix[i, j]}\n{pct}",
                ha="center",
                va="center",
                fontsize=CAPTION_SIZE + 0.5,
                color="white" if np.nan_to_num(share[i, j]) > 0.6 else "black",
            )
    ax.set_xticks(range(k), list(labels))
    ax.set_yticks(range(k), [f"{lab} (n={n})" for lab, n in zip(labels, row_n, strict=True)])
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    colorbar = fig.colorbar(image, ax=ax, pad=0.02)
    colorbar.set_label("share of gold row", fontsize=CAPTION_SIZE + 0.5)
    colorbar.ax.tick_params(labelsize=CAPTION_SIZE)
    colorbar.outline.set_visible(False)
    if title is None:
        acc = accuracy_score(pairs[gold], pairs[pred])
        f1 = f1_score(
            pairs[gold], pairs[pred], labels=list(labels), average="macro", zero_division=0
        )
        title = f"accuracy {acc:.2f}, macro-F1 {f1:.2f}, n={len(pairs)}"
    ax.set_title(title, fontsize=8)
    return fig


RELIABILITY_COLUMNS = ["name", "metric", "value", "ci_low", "ci_high"]
"""Columns :func:`reliability_plot` needs: those of :func:`framelens.reliability.agreement`."""

METRIC_LABELS = {
    "alpha_nominal": "Krippendorff's \u03b1 (nominal)",
    "alpha_ordinal": "Krippendorff's \u03b1 (ordinal)",
    "alpha_interval": "Krippendorff's \u03b1 (interval)",
    "kappa": "Cohen's \u03ba (mean over coder pairs)",
}


@_styled
def reliability_plot(
    table: pd.DataFrame,
    *,
    metrics=None,
    thresholds: tuple[float, ...] = (0.667, 0.8),
    ax=None,
) -> Figure:
    """Inter-coder agreement (alpha, kappa) per target or frame, with bootstrap intervals.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`framelens.reliability.agreement`: columns ``name`` (target or
        frame), ``metric`` (``alpha_nominal``, ``kappa``, ...), ``value``, ``ci_low``,
        ``ci_high``, and optionally ``task`` (prefixed to the label when there are several)
        and ``n_units`` (shown as n).
    metrics : sequence of str, optional
        Metrics to draw, in this order (default: all in the table).
    thresholds : tuple of float
        Reference lines; Krippendorff's 0.667 (tentative) and 0.8 (reliable) by default.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes.

    Returns
    -------
    Figure
        One row per target or frame; each metric a marker with its interval; a NaN value is
        written as "not computable" rather than dropped.
    """
    missing = [c for c in RELIABILITY_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(
            f"the reliability table lacks column(s) {', '.join(missing)}",
            hint="pass the output of framelens.reliability.agreement",
        )
    if table.empty:
        raise InputError("the reliability table has no rows to plot")
    label = table["name"].astype(str)
    if "task" in table.columns and table["task"].nunique() > 1:
        label = table["task"].astype(str) + ": " + label
    table = table.assign(label=label, metric=table["metric"].astype(str))
    if metrics is None:
        measures = list(dict.fromkeys(table["metric"]))
    else:
        measures = _select(metrics, table["metric"].unique(), "agreement", "metric")
    table = table.loc[table["metric"].isin(measures)]
    label_order = list(dict.fromkeys(table["label"]))
    label_width = 0.065 * max(len(f"{lab} (n=000)") for lab in label_order)
    fig, ax = _figure_and_axes(
        ax,
        (
            min(TWO_COLUMN, max(3.5, label_width + 2.6)),
            1.0 + 0.32 * len(label_order) * max(1, len(measures) * 0.6),
        ),
    )
    step = 0.5 / max(1, len(measures))
    markers = ["o", "s", "D", "^", "v"]
    low = 0.0
    for m, measure in enumerate(measures):
        part = table.loc[table["metric"] == measure].set_index("label")
        for i, lab in enumerate(label_order):
            if lab not in part.index:
                continue
            row = part.loc[lab]
            y = i + (m - (len(measures) - 1) / 2) * step
            if not np.isfinite(row["value"]):
                ax.text(
                    0.5,
                    y,
                    "not computable",
                    fontsize=CAPTION_SIZE,
                    va="center",
                    ha="center",
                    color="#777777",
                    style="italic",
                )
                continue
            low = min(low, float(np.nanmin([row["value"], row["ci_low"]])))
            if np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"]):
                ax.plot([row["ci_low"], row["ci_high"]], [y, y], color=PALETTE[m], linewidth=1.2)
            ax.plot(
                row["value"],
                y,
                marker=markers[m % len(markers)],
                color=PALETTE[m],
                markersize=4,
                linestyle="none",
            )
    for t in thresholds:
        ax.axvline(t, color="#888888", linestyle="--", linewidth=0.6)
        ax.annotate(
            f"{t:g}",
            xy=(t, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 1),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=CAPTION_SIZE,
            color="#555555",
        )
    ax.axvline(0, color="#BBBBBB", linewidth=0.6)
    if "n_units" in table.columns:
        n_by_label = table.groupby("label")["n_units"].max()
        ticks = [
            f"{lab} (n={int(n_by_label[lab])})" if pd.notna(n_by_label.get(lab)) else lab
            for lab in label_order
        ]
    else:
        ticks = label_order
    ax.set_yticks(range(len(label_order)), ticks)
    ax.set_ylim(len(label_order) - 0.5, -0.5)
    ax.set_xlim(min(-0.05, np.floor(low * 10) / 10), 1.02)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.5)
    ax.set_xlabel("agreement (point estimate and bootstrap CI)")
    handles = [
        Line2D(
            [],
            [],
            color=PALETTE[m],
            marker=markers[m % len(markers)],
            markersize=4,
            label=METRIC_LABELS.get(measure, measure.replace("_", " ")),
        )
        for m, measure in enumerate(measures)
    ]
    legend = dict(handles=handles, handlelength=1.5, frameon=False)
    if fig.get_layout_engine() is not None and len(fig.axes) == 1:
        # Above the plot as part of the layout, so a wide legend never squeezes the axes.
        fig.legend(loc="outside upper left", ncols=min(2, len(handles)), **legend)
    else:
        ax.legend(loc="lower left", **legend)
    return fig


__all__ = [
    "confusion_matrix_plot",
    "display_label",
    "evidence_panel",
    "frame_composition",
    "frames_over_time",
    "keyness_plot",
    "reliability_plot",
    "stance_distribution",
    "stance_heatmap",
    "stance_over_time",
]
