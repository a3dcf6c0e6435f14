"""Figures over time: stance and frame shares per period, with intervals and article counts."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from framelens.analysis.groups import article_groups
from framelens.analysis.trends import FREQUENCIES, over_time, parse_dates
from framelens.errors import InputError
from framelens.plots.common import (
    CAPTION_SIZE,
    _group_colours,
    _one_scorer,
    _select,
    _styled,
    display_label,
)
from framelens.plots.style import (
    TWO_COLUMN,
)
from framelens.tables import check_columns


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
    series = over_time(
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
    code = FREQUENCIES[str(freq).lower()]
    span = pd.period_range(series["period"].min(), series["period"].max(), freq=code)
    meta = (
        articles.assign(group="all")[["article_id", "group", "date"]]
        if group is None
        else article_groups(articles, group, warn=False)
    )
    has_date = parse_dates(meta["date"]).notna()
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
        Bootstrap settings, as in :func:`framelens.analysis.trends.over_time`.
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
        Bootstrap settings, as in :func:`framelens.analysis.trends.over_time`.
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
