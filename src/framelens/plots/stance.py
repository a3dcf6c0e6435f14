"""Stance figures: the outlet x target heatmap, the distribution of article stance, and the
evidence panel that traces an article's score to its sentences."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from framelens.analysis.groups import article_groups, group_means
from framelens.errors import InputError
from framelens.plots.common import (
    CAPTION_SIZE,
    HATCH,
    _caption_below,
    _figure_and_axes,
    _fmt,
    _one_scorer,
    _require_values,
    _select,
    _styled,
    display_label,
)
from framelens.plots.style import (
    MISSING_COLOUR,
    PALETTE,
    STANCE_CMAP,
    TWO_COLUMN,
)
from framelens.tables import check_columns


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
        Bootstrap settings, as in :func:`framelens.analysis.groups.group_means`.
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
    summary = group_means(
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
    meta = article_groups(articles, group)  # warns about articles without a group
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
