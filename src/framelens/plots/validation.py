"""Validation figures: a scorer's confusion matrix against gold, and inter-coder reliability."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from framelens.errors import InputError
from framelens.plots.common import (
    CAPTION_SIZE,
    _figure_and_axes,
    _select,
    _styled,
)
from framelens.plots.style import (
    PALETTE,
    SHARE_CMAP,
    TWO_COLUMN,
)


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
        :func:`framelens.validation.metrics.validation_pairs` (columns ``true`` and ``pred``).
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
        The output of :func:`framelens.validation.reliability.agreement`: columns ``name`` (target or
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
            hint="pass the output of framelens.validation.reliability.agreement",
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
