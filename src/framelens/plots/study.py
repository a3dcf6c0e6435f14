"""The figures of a study by name: the one list ``framelens run`` and ``framelens figures`` share.

:func:`study_figures` turns a study's tables into ``(file stem, draw)`` pairs, one per figure
to draw. Calling ``draw()`` returns the Figure, or raises :class:`~framelens.errors.InputError`
when the data cannot support it (one group for keyness, no dates for a trend), which the caller
turns into a note. A new figure for studies is a function in its family module plus one entry
in :data:`FIGURE_NAMES` and one branch in :func:`study_figures`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from framelens.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Every figure a study can draw, in the order they are drawn.
FIGURE_NAMES = (
    "stance_heatmap",
    "frame_composition",
    "stance_distribution",
    "keyness",
    "stance_over_time",
    "frames_over_time",
    "evidence_panel",
)
#: Figures drawn once per comparison column (file stem ``<name>_<column>``).
PER_GROUP = ("stance_heatmap", "frame_composition", "stance_distribution", "keyness")


def study_figures(
    tables: Mapping[str, pd.DataFrame],
    *,
    names: Sequence[str] = FIGURE_NAMES,
    group_by: Sequence[str] = ("outlet_type",),
    stance_scorer: str | None = None,
    frame_scorer: str | None = None,
    labels: Mapping[str, str] | None = None,
    n_boot: int = 2000,
    min_n: int = 2,
    seed: int = 0,
    over_time: str | None = "year",
    top_k: int = 10,
) -> list[tuple[str, Callable[[], Figure]]]:
    """The figures of a study, each as a file stem and a function that draws it.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        ``article_scores`` and ``articles``; ``stance`` for the stance distribution,
        ``stance`` and ``sentences`` for evidence panels; ``keyness`` (with a ``group_by``
        column, as :func:`framelens.analysis.compare.compare_groups` returns it) if already
        computed, else keyness is computed from ``articles``.
    names : sequence of str, default all of :data:`FIGURE_NAMES`
        Which figures to draw; an unknown name raises :class:`InputError`.
    group_by : sequence of str
        Columns of ``articles`` to compare; the figures of :data:`PER_GROUP` are drawn for each.
    stance_scorer, frame_scorer : str, optional
        Which scorer's scores to show (needed when the tables hold several).
    labels : mapping of str to str, optional
        Display labels of targets and frames (e.g. from the codebook).
    n_boot, min_n, seed : int
        Bootstrap resamples, the smallest group given an interval, and the seed.
    over_time : {"month", "quarter", "year"} or None
        Period of the trend figures; None draws no trends.
    top_k : int, default 10
        Words per group in the keyness figure.

    Returns
    -------
    list of (str, callable)
        The file stem of each figure (``stance_heatmap_outlet_type``, ``stance_over_time``,
        ``evidence_<article>_<target>``...) and a function without arguments that draws it.
    """
    # The figure modules load matplotlib: imported here, so that reading FIGURE_NAMES (to check
    # an experiment config) costs nothing.
    from framelens.analysis.compare import dated_articles
    from framelens.plots.frames import frame_composition
    from framelens.plots.keyness import keyness_plot
    from framelens.plots.stance import stance_distribution, stance_heatmap
    from framelens.plots.trends import frames_over_time, stance_over_time

    unknown = sorted(set(names) - set(FIGURE_NAMES))
    if unknown:
        raise InputError(
            f"unknown figure(s) {', '.join(unknown)}", hint=f"known: {', '.join(FIGURE_NAMES)}"
        )
    scores, articles = tables["article_scores"], tables["articles"]
    common = dict(n_boot=n_boot, min_n=min_n, seed=seed, labels=labels)
    drawings: dict[str, Callable[[str], Figure]] = {
        "stance_heatmap": lambda column: stance_heatmap(
            scores, articles, group=column, scorer=stance_scorer, **common
        ),
        "frame_composition": lambda column: frame_composition(
            scores, articles, group=column, scorer=frame_scorer, **common
        ),
        "stance_distribution": lambda column: stance_distribution(
            _table(tables, "stance"),
            articles,
            level="sentence",
            group=column,
            scorer=stance_scorer,
            seed=seed,
            labels=labels,
        ),
        "keyness": lambda column: keyness_plot(_keyness(tables, column), top_k=top_k),
    }
    jobs = [
        (f"{name}_{column}", lambda d=drawings[name], c=column: d(_has_groups(articles, c)))
        for column in group_by
        for name in PER_GROUP
        if name in names
    ]
    if over_time is not None:
        trends = {
            "stance_over_time": (stance_over_time, stance_scorer),
            "frames_over_time": (frames_over_time, frame_scorer),
        }
        jobs += [
            (
                name,
                lambda draw=draw, scorer=scorer: draw(
                    *dated_articles(scores, articles),
                    freq=over_time,
                    group=None,
                    scorer=scorer,
                    **common,
                ),
            )
            for name, (draw, scorer) in trends.items()
            if name in names
        ]
    if "evidence_panel" in names:
        jobs += _evidence_panels(tables, stance_scorer, labels)
    return jobs


def _has_groups(articles: pd.DataFrame, column: str) -> str:
    """``column``, if some article has a value in it: else the figures by it have nothing to
    group, and that (not the empty plot it would lead to) is the reason noted."""
    if (
        column in articles.columns
        and not (articles[column].fillna("").astype(str).str.strip() != "").any()
    ):
        raise InputError(
            f"the {column} column is empty for every article, so there is no group to show",
            hint=f"fill {column} in the input, or group by another column",
        )
    return column


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    if tables.get(name) is None:
        raise InputError(f"no {name} table to draw from")
    return tables[name]


def _keyness(tables: Mapping[str, pd.DataFrame], column: str) -> pd.DataFrame:
    """The keyness rows of ``column``: from a computed keyness table, or computed here."""
    from framelens.analysis.keyness import keyness

    table = tables.get("keyness")
    if table is None:
        return keyness(tables["articles"], group=column)
    if table.empty or not (table["group_by"] == column).any():
        raise InputError(f"no keyness by {column} was computed (the notes above say why)")
    return table[table["group_by"] == column]


def _evidence_panels(tables, scorer: str | None, labels) -> list[tuple[str, Callable]]:
    """One panel per article: its best-evidenced target under the stance scorer.

    Without ``scorer``, the tables' only stance scorer, as in the other figures; when they
    hold several, or none, a single ``evidence_panel`` job raises the reason, so that figures
    that draw nothing are noted, never silently left out.
    """
    from framelens.plots.common import _one_scorer
    from framelens.plots.stance import evidence_panel

    scores = tables["article_scores"]
    missing = [name for name in ("stance", "sentences") if tables.get(name) is None]
    if missing:
        return [("evidence_panel", lambda: _table(tables, missing[0]))]
    stance_scores = scores[scores["kind"] == "stance"]
    try:
        scorer = _one_scorer(stance_scores, scorer, "stance", "article_scores")
    except InputError as err:
        return [("evidence_panel", lambda err=err: _raise(err))]
    rows = stance_scores[stance_scores["scorer"] == scorer]
    jobs = []
    for article_id, article_rows in rows.groupby("article_id"):
        ranked = article_rows.sort_values(["n_evidence", "name"], ascending=[False, True])
        target = ranked["name"].iloc[0]
        jobs.append(
            (
                f"evidence_{article_id}_{target}",
                lambda a=article_id, t=target: evidence_panel(
                    tables["stance"],
                    tables["sentences"],
                    article_id=a,
                    target=t,
                    scorer=scorer,
                    article_scores=scores,
                    labels=labels,
                ),
            )
        )
    return jobs


def _raise(err: Exception):
    raise err
