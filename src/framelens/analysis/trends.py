"""Trends over time: group means per month, quarter or year, with bootstrap intervals.

Dates are the publisher's calendar dates as the articles table holds them (ISO text, read by
:mod:`framelens.text.dates`); a time zone never moves an article to another period.
"""

from __future__ import annotations

import warnings

import pandas as pd

from framelens.analysis.groups import (
    _check_min_n,
    _empty_note,
    _summarise,
    article_values,
    check_n_boot,
)
from framelens.errors import InputError, InputWarning
from framelens.text.dates import date_texts, read_date_column

FREQUENCIES = {"month": "M", "m": "M", "quarter": "Q", "q": "Q", "year": "Y", "y": "Y"}


TIME_COLUMNS = [
    "scorer",
    "kind",
    "name",
    "group",
    "period",
    "period_label",
    "mean",
    "ci_low",
    "ci_high",
    "n_articles",
    "note",
]


def parse_dates(dates: pd.Series) -> pd.Series:
    """Calendar dates as naive timestamps (midnight); empty or unreadable values become NaT.

    Parameters
    ----------
    dates : Series
        ISO 8601 dates as the articles table holds them (``2021-04-07``, ``2021-04``,
        ``2021``), other date text, or timestamps.

    Returns
    -------
    Series of datetime64
        The calendar date of each value as written: a time-zone offset never moves it (a
        publisher's ``2023-10-01T03:00:00+05:00`` is 1 October, not 30 September in UTC).
        Text is read by the rules of :mod:`framelens.text.dates`, with one day/month order for
        the whole Series (ambiguous values are warned about; values that prove both orders
        raise :class:`InputError`). A partial date (``2021-04``) starts its period.
    """
    if pd.api.types.is_datetime64_any_dtype(dates):
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)  # the wall-clock date, not the UTC one
        return dates.dt.normalize().astype("datetime64[ns]")
    iso, _, notes, _ = read_date_column(date_texts(dates), source="date column")
    for note in notes:
        warnings.warn(note, InputWarning, stacklevel=2)
    parsed = pd.to_datetime(pd.Series(iso, index=dates.index), format="ISO8601", errors="coerce")
    return parsed.astype("datetime64[ns]")


def over_time(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    kind: str = "stance",
    freq: str = "quarter",
    group: str | None = None,
    scorer: str | None = None,
    names=None,
    n_boot: int = 2000,
    ci: float = 0.95,
    method: str = "percentile",
    min_n: int = 2,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean stance or frame share per period (and group), with bootstrap intervals.

    Articles without a usable date are left out with an :class:`InputWarning` that says how
    many; periods with no article are absent (lines are not drawn through them as zeros).

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    kind : {"stance", "frame"}
        Which scores to follow.
    freq : {"month", "quarter", "year"}
        Length of a period (``"M"``, ``"Q"``, ``"Y"`` also accepted).
    group : str, optional
        Column of ``articles`` to split by; ``None`` pools all articles (group ``"all"``).
    scorer : str, optional
        Keep only this scorer.
    names : sequence of str, optional
        Keep only these targets or frames.
    n_boot, ci, method, min_n, seed
        As in :func:`group_means`.

    Returns
    -------
    DataFrame
        One row per (scorer, name, group, period) with at least one article: ``scorer, kind,
        name, group, period`` (start of the period, Timestamp), ``period_label`` (e.g.
        ``"2021Q2"``), ``mean, ci_low, ci_high, n_articles, note``.
    """
    min_n = _check_min_n(min_n)
    n_boot = check_n_boot(n_boot)
    code = FREQUENCIES.get(str(freq).lower())
    if code is None:
        raise InputError(f"unknown period {freq!r}", hint="use month, quarter or year")
    meta = articles
    if group is None:
        meta = articles.assign(_all="all")
        group = "_all"
    values = article_values(
        article_scores, meta, kind=kind, group=group, scorer=scorer, names=names
    )
    if values.empty:
        # Said apart from "no date": here the dates may be fine and the scores absent.
        raise InputError(
            f"no {kind} score to follow over time"
            + (" (no article mentions a target)" if kind == "stance" else ""),
            source="article_scores",
        )
    dates = parse_dates(values["date"])
    if dates.isna().all():
        raise InputError(
            f"no {kind} score belongs to an article with a date",
            source="articles",
            hint="fill the date column (ISO 8601, e.g. 2021-04-07) to plot over time",
        )
    undated = values.loc[dates.isna(), "article_id"].nunique()
    if undated:
        warnings.warn(
            f"{undated} article(s) without a usable date are left out of the time series",
            InputWarning,
            stacklevel=2,
        )
    values = values.assign(period=dates.dt.to_period(code)).dropna(subset=["period"])
    rows = []
    for (sc, name, grp, period), cell in values.groupby(
        ["scorer", "name", "group", "period"], sort=True
    ):
        summary = _summarise(
            cell["value"],
            (sc, kind, name, grp, str(period)),
            n_boot=n_boot,
            ci=ci,
            method=method,
            min_n=min_n,
            seed=seed,
            empty_note=_empty_note(kind),
        )
        rows.append(
            dict(
                scorer=sc,
                kind=kind,
                name=name,
                group=grp,
                period=period.start_time,
                period_label=str(period),
                **summary,
            )
        )
    return pd.DataFrame(rows, columns=TIME_COLUMNS)
