"""Every comparison of a study in one call; a part the data cannot support is skipped, noted.

A study of one outlet over time has a single group: keyness against the other groups and tests
between groups cannot run, yet the group means and the trends over time can. A corpus without
dates has no trends, yet everything else runs. :func:`compare_groups` therefore runs each part
(group means, omnibus tests, pairwise tests and keyness for every comparison column, trends over
time for every scorer) on its own: a part that raises :class:`~framelens.errors.InputError`
(the data cannot support it: one group, no dates, no words...) is skipped and the reason goes
into the returned notes, which the command line prints and writes beside the tables. Only an
``InputError`` is caught: any other exception is a bug and must not pass as a note.

``framelens compare`` and ``framelens run`` both call this function, so the two give the same
tables for the same options.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import pandas as pd

from framelens.analysis.groups import (
    KINDS,
    MEANS_COLUMNS,
    _check_min_n,
    article_groups,
    check_n_boot,
    check_same_corpus,
    group_means,
)
from framelens.analysis.keyness import KEYNESS_COLUMNS, keyness
from framelens.analysis.significance import (
    OMNIBUS_COLUMNS,
    PAIRWISE_COLUMNS,
    omnibus_tests,
    pairwise_tests,
)
from framelens.analysis.trends import TIME_COLUMNS, over_time
from framelens.errors import InputError
from framelens.tables import check_columns

T = TypeVar("T")

_PART_NAMES = {
    "group_means": "group means",
    "omnibus": "omnibus tests",
    "pairwise": "pairwise tests",
}

#: The tables :func:`compare_groups` returns, in the order they are computed.
COMPARISON_TABLES = ("group_means", "omnibus", "pairwise", "keyness", "over_time")

#: Columns of each table when nothing could be computed (an empty table keeps its contract).
_COLUMNS = {
    "group_means": [*MEANS_COLUMNS, "group_by"],
    "omnibus": [*OMNIBUS_COLUMNS, "group_by"],
    "pairwise": [*PAIRWISE_COLUMNS, "group_by"],
    "keyness": [*KEYNESS_COLUMNS, "group_by"],
    "over_time": TIME_COLUMNS,
}


def attempt(part: str, compute: Callable[[], T], notes: list[str]) -> T | None:
    """Run one part of an analysis; when the data cannot support it, note why and go on.

    Parameters
    ----------
    part : str
        What the part is, as the note names it (e.g. ``"keyness by outlet_type"``).
    compute : callable
        Computes the part; raises :class:`~framelens.errors.InputError` when it cannot run
        on the data given.
    notes : list of str
        Receives ``"<part> skipped: <reason>"`` when the part is skipped.

    Returns
    -------
    object or None
        What ``compute`` returned, or ``None`` when it was skipped.
    """
    try:
        return compute()
    except InputError as err:
        notes.append(f"{part} skipped: {err}")
        return None


def compare_groups(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    group_by: Sequence[str] = ("outlet_type",),
    n_boot: int = 2000,
    min_n: int = 2,
    seed: int = 0,
    keyness_terms: bool = True,
    keyness_top: int | None = None,
    over_time: str | None = "year",
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Group means, omnibus and pairwise tests, keyness and trends, each skipped if it must be.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    group_by : sequence of str
        Columns of ``articles`` to compare by (each gives its own rows, named in ``group_by``).
    n_boot : int
        Bootstrap resamples of the intervals.
    min_n : int
        Smallest group given an interval or a test (smaller groups are named in the notes).
    seed : int
        Seed of the bootstrap and the permutations.
    keyness_terms : bool
        Compute keyness (each group against the rest).
    keyness_top : int, optional
        Terms kept per group (``None``: all).
    over_time : {"month", "quarter", "year"} or None
        Period of the trends over time (pooled over groups); ``None`` skips them.

    Returns
    -------
    tables : dict of str to DataFrame
        ``group_means``, ``omnibus``, ``pairwise``, ``keyness`` (each with a ``group_by``
        column) and ``over_time``. A skipped part leaves its table empty, with its columns.
    notes : list of str
        What to read beside the results: groups too small for an interval or a test, tests
        that no group pair could support, and each part skipped with its reason.
    """
    _check_tables(article_scores, articles, group_by)
    # A bad number stops the comparison here, once, rather than skipping every part.
    check_n_boot(n_boot)
    _check_min_n(min_n)
    notes: list[str] = []
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in COMPARISON_TABLES}
    scorers = {
        kind: sorted(article_scores.loc[article_scores["kind"] == kind, "scorer"].unique())
        for kind in KINDS
    }
    if article_scores.empty:
        notes.append(
            "group means, tests and trends skipped: the article_scores table has no rows "
            "(no article mentions a codebook target, and no frame scorer ran)"
        )
    for column in group_by:
        grouped = _with_group(articles, column, notes)
        if grouped is None:
            continue
        # Their scores too: the parts check that every scored article is in the articles.
        scored = article_scores[article_scores["article_id"].isin(grouped["article_id"])]
        sizes = grouped[column].astype(str).str.strip().value_counts()
        for group, n in sizes.items():
            if n < min_n:
                notes.append(
                    f"{column}={group}: n={n} article(s), reported without interval "
                    f"or test (needs {min_n})"
                )
        tested: dict[str, list[pd.DataFrame]] = {"omnibus": [], "pairwise": []}
        for kind, names in scorers.items():
            for scorer in names:
                options = dict(kind=kind, group=column, scorer=scorer, min_n=min_n, seed=seed)
                computations = {
                    "group_means": lambda o=options, g=grouped, s=scored: group_means(
                        s, g, n_boot=n_boot, **o
                    ),
                    "omnibus": lambda o=options, g=grouped, s=scored: omnibus_tests(s, g, **o),
                    "pairwise": lambda o=options, g=grouped, s=scored: pairwise_tests(s, g, **o),
                }
                for name, compute in computations.items():
                    part = f"{_PART_NAMES[name]} of the {kind} scores of {scorer} by {column}"
                    table = attempt(part, compute, notes)
                    if table is not None:
                        parts[name].append(table.assign(group_by=column))
                        tested.get(name, []).append(table)
        notes += _untested(tested, column, min_n)
        if keyness_terms:
            table = attempt(
                f"keyness by {column}",
                lambda c=column, g=grouped: keyness(g, group=c, min_n=min_n, top_k=keyness_top),
                notes,
            )
            if table is not None:
                parts["keyness"].append(table.assign(group_by=column))
    if over_time:
        parts["over_time"] = _trends(
            article_scores, articles, scorers, over_time, n_boot, min_n, seed, notes
        )
    return {name: _concat(tables, name) for name, tables in parts.items()}, notes


def _with_group(articles: pd.DataFrame, column: str, notes: list[str]) -> pd.DataFrame | None:
    """The articles that have a value in ``column``; those without are noted once, here.

    Every part by ``column`` leaves them out; noting it once for the comparison (rather than
    warning in each part, once per scorer) says it once, and a column no article fills skips
    the whole comparison by it with that as the reason, not the symptoms its parts would
    report (no pair to test, no words to count).
    """
    has_group = articles[column].fillna("").astype(str).str.strip() != ""
    missing = articles.loc[~has_group, "article_id"].astype(str).tolist()
    a = "an" if column[:1].lower() in "aeiou" else "a"
    fill = f"give them {a} {column} in metadata.csv or {a} {column} field of the records"
    if column == "outlet_type":
        fill += " (an outlets.csv beside the input fills it from each article's outlet)"
    if not has_group.any():
        notes.append(
            f"group means, tests and keyness by {column} skipped: none of the {len(missing)} "
            f"article(s) has {a} {column}: {fill}; or compare by another column"
        )
        return None
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        notes.append(
            f"{len(missing)} article(s) have no {column} and are left out of the comparison "
            f"by {column} ({shown}): {fill}"
        )
    return articles.loc[has_group]


def computed(tables: dict[str, pd.DataFrame]) -> bool:
    """Whether :func:`compare_groups` computed anything: a group mean, a test's p-value, a
    keyness term or a mean over time (rows that only carry a note do not count).

    Parameters
    ----------
    tables : dict of str to DataFrame
        The tables :func:`compare_groups` returned.

    Returns
    -------
    bool
    """
    values = {
        "group_means": "mean",
        "omnibus": "p_value",
        "pairwise": "p_value",
        "keyness": "term",
        "over_time": "mean",
    }
    return any(
        column in tables[name] and tables[name][column].notna().any()
        for name, column in values.items()
        if name in tables
    )


def _check_tables(article_scores, articles, group_by) -> None:
    """Tables that do not fit together are bad input, which stops the command; not a note.

    Only what the data cannot support is skipped part by part: a missing column, a duplicate
    article or scores of another corpus would make every part wrong, not just one.
    """
    check_columns(article_scores, "article_scores", source="article_scores")
    for column in group_by:
        article_groups(articles, column, warn=False)  # its columns, ids and the column
    check_same_corpus(article_scores, articles)


def dated_articles(
    article_scores: pd.DataFrame, articles: pd.DataFrame, *, needed: int = 2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles that have a date, and their scores: what a trend over time is drawn from.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    needed : int, default 2
        Fewest dated articles a trend needs (one article is a point, not a trend).

    Returns
    -------
    (article_scores, articles) : tuple of DataFrame
        The rows of the dated articles.

    Raises
    ------
    InputError
        When fewer than ``needed`` articles have a date.
    """
    dated = articles["date"].fillna("").astype(str).str.strip() != ""
    if dated.sum() < needed:
        have = "no article has" if dated.sum() == 0 else f"only {int(dated.sum())} article(s) have"
        raise InputError(
            f"{have} a date; a trend over time needs {needed} dated articles",
            hint="fill the date column with ISO 8601 dates, e.g. 2021-04-07",
        )
    ids = articles.loc[dated, "article_id"]
    return article_scores[article_scores["article_id"].isin(ids)], articles[dated]


def _trends(article_scores, articles, scorers, freq, n_boot, min_n, seed, notes) -> list:
    """Trends over time of every scorer, pooled over groups, from the dated articles only."""
    dated = attempt("trends over time", lambda: dated_articles(article_scores, articles), notes)
    if dated is None:
        return []
    tables = []
    for kind, names in scorers.items():
        for scorer in names:
            table = attempt(
                f"trends over time of the {kind} scores of {scorer}",
                lambda k=kind, s=scorer: over_time(
                    *dated,
                    kind=k,
                    freq=freq,
                    group=None,
                    scorer=s,
                    n_boot=n_boot,
                    min_n=min_n,
                    seed=seed,
                ),
                notes,
            )
            if table is not None:
                tables.append(table)
    return tables


def _untested(tested: dict[str, list[pd.DataFrame]], column: str, min_n: int) -> list[str]:
    """One note per kind of test of which no row got a p-value, with the reasons the rows give."""
    notes = []
    for kind, label in (("omnibus", "omnibus tests"), ("pairwise", "pairwise tests")):
        tables = tested[kind]
        if not tables or any(t["p_value"].notna().any() for t in tables):
            continue
        rows = pd.concat(tables, ignore_index=True)
        if rows.empty:
            notes.append(f"{label} by {column}: none could run (one {column} group: no pair)")
            continue
        reasons = []
        if rows["note"].str.contains("all values equal").any():
            reasons.append("all values equal")
        if (~rows["note"].str.contains("all values equal")).any():
            reasons.append(
                f"fewer than 2 {column} groups with n>={min_n} articles with a value"
                if kind == "omnibus"
                else f"every pair has a group of {column} with n<{min_n} articles with a value"
            )
        notes.append(
            f"{label} by {column}: none could run ({'; '.join(reasons)}; see the note column)"
        )
    return notes


def _concat(tables: list[pd.DataFrame], name: str) -> pd.DataFrame:
    tables = [t for t in tables if t is not None and len(t.columns)]
    if not tables:
        return pd.DataFrame(columns=_COLUMNS[name])
    return pd.concat(tables, ignore_index=True)


__all__ = ["COMPARISON_TABLES", "attempt", "compare_groups", "computed", "dated_articles"]
