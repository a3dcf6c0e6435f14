"""Group means with bootstrap intervals: the per-group numbers every comparison starts from.

Every function takes the ``article_scores`` and ``articles`` tables (see
:mod:`framelens.tables`) and returns a new tidy DataFrame. The unit of analysis is the
*article*: intervals resample articles within a group and tests compare article-level values,
because sentences of one article are not independent evidence about an outlet.

An article that never mentions a target has a *missing* stance toward it (not a neutral one):
such articles are left out of that target's mean, and ``n_articles`` counts only the articles
that carry a value. Groups with fewer than ``min_n`` such articles get no interval and no
test; their ``note`` says so and their p-values are NaN, so they can never read as significant.

Randomness (bootstrap, permutations) comes from a :class:`numpy.random.Generator` seeded from
``seed`` *and* the cell's key (scorer, name, group), so a cell's interval does not change when
another outlet is added to the corpus.
"""

from __future__ import annotations

import itertools
import warnings
import zlib

import numpy as np
import pandas as pd
from scipy import stats

from framelens.errors import InputError, InputWarning
from framelens.tables import check_columns

KINDS = ("stance", "frame")
BOOTSTRAP_METHODS = ("percentile", "basic", "bca")

MEANS_COLUMNS = [
    "scorer",
    "kind",
    "name",
    "group",
    "mean",
    "ci_low",
    "ci_high",
    "sd",
    "n_articles",
    "n_group",
    "note",
]


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


def article_groups(articles: pd.DataFrame, group: str = "outlet", *, warn: bool = True):
    """The group and date of every article that has a group.

    Articles whose group is missing or blank cannot be attributed to an outlet (or type), so
    they are left out of comparisons by that column, with an :class:`InputWarning` that
    names them: never silently, and never pooled into a made-up "unknown" outlet.

    Parameters
    ----------
    articles : DataFrame
        The articles table.
    group : str
        Column that defines the groups, e.g. ``"outlet"`` or ``"outlet_type"``.
    warn : bool
        Warn about articles without a group.

    Returns
    -------
    DataFrame
        Columns ``article_id, group`` (str) and ``date``, one row per article with a group.
    """
    check_columns(articles, "articles", source="articles")
    if group not in articles.columns:
        raise InputError(
            f"the articles table has no column {group!r} to group by",
            source="articles",
            hint=f"group by one of its columns, e.g. outlet or outlet_type "
            f"(columns: {', '.join(map(str, articles.columns))})",
        )
    meta = articles[["article_id", group, "date"]].rename(columns={group: "group"})
    if meta["article_id"].duplicated().any():
        dup = meta.loc[meta["article_id"].duplicated(), "article_id"].iloc[0]
        raise InputError("article id appears twice", source="articles", record=dup)
    no_group = meta["group"].isna() | (meta["group"].astype(str).str.strip() == "")
    if no_group.any() and warn:
        ids = meta.loc[no_group, "article_id"].astype(str).tolist()
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        warnings.warn(
            f"{len(ids)} article(s) have no {group} and are left out of the comparison by "
            f"{group} ({shown}); give them one in outlets.csv / metadata.csv",
            InputWarning,
            stacklevel=3,
        )
    meta = meta.loc[~no_group].copy()
    meta["group"] = meta["group"].astype(str).str.strip()
    return meta.reset_index(drop=True)


def check_same_corpus(article_scores: pd.DataFrame, articles: pd.DataFrame) -> None:
    """Refuse scores of an article the articles table lacks (scores of another corpus).

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.

    Raises
    ------
    InputError
        Naming the first unknown article.
    """
    unknown = ~article_scores["article_id"].isin(articles["article_id"])
    if unknown.any():
        raise InputError(
            "article_scores names an article the articles table lacks",
            source="article_scores",
            record=article_scores.loc[unknown, "article_id"].iloc[0],
            hint="score and compare the same corpus",
        )


def article_values(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    kind: str = "stance",
    group: str = "outlet",
    scorer: str | None = None,
    names=None,
) -> pd.DataFrame:
    """Article-level values of one kind, joined to the article's group and date.

    Parameters
    ----------
    article_scores : DataFrame
        The article_scores table.
    articles : DataFrame
        The articles table (gives the group column and the date).
    kind : {"stance", "frame"}
        Which scores to take.
    group : str
        Column of ``articles`` that defines the groups, e.g. ``"outlet"`` or ``"outlet_type"``.
    scorer : str, optional
        Keep only this scorer (default: all scorers, kept apart by the ``scorer`` column).
    names : sequence of str, optional
        Keep only these targets (stance) or frames.

    Returns
    -------
    DataFrame
        Columns ``scorer, kind, name, article_id, group, date, value``; one row per article and
        name with a non-missing value.
    """
    check_columns(article_scores, "article_scores", source="article_scores")
    if kind not in KINDS:
        raise InputError(f"unknown score kind {kind!r}", hint=f"use one of {', '.join(KINDS)}")
    meta = article_groups(articles, group)

    scores = article_scores.loc[article_scores["kind"] == kind]
    if scorer is not None:
        known = sorted(article_scores["scorer"].dropna().unique())
        if scorer not in known:
            raise InputError(
                f"no {kind} scores from scorer {scorer!r}",
                source="article_scores",
                hint=f"scorers present: {', '.join(map(str, known)) or 'none'}",
            )
        scores = scores.loc[scores["scorer"] == scorer]
    if names is not None:
        names = [names] if isinstance(names, str) else list(names)
        missing = sorted(set(names) - set(scores["name"]))
        if missing:
            raise InputError(
                f"no {kind} scores for {', '.join(missing)}",
                source="article_scores",
                hint=f"names present: {', '.join(sorted(map(str, scores['name'].unique())))}",
            )
        scores = scores.loc[scores["name"].isin(names)]
    keys = ["scorer", "name", "article_id"]
    if scores.duplicated(keys).any():
        row = scores.loc[scores.duplicated(keys)].iloc[0]
        raise InputError(
            f"two {kind} scores for {row['name']!r} from scorer {row['scorer']!r}",
            source="article_scores",
            record=row["article_id"],
            hint="keep one row per (article_id, kind, name, scorer)",
        )
    check_same_corpus(scores, articles)
    out = scores[["scorer", "kind", "name", "article_id", "value"]].copy()
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    # Inner join: articles without a group were reported by article_groups.
    out = out.merge(meta, on="article_id", how="inner")
    # Missing means "no evidence" (e.g. the target is never mentioned): never a zero.
    out = out.dropna(subset=["value"])
    return out[["scorer", "kind", "name", "article_id", "group", "date", "value"]].reset_index(
        drop=True
    )


def _key_rng(seed: int, *key) -> np.random.Generator:
    """A Generator seeded by ``seed`` and a stable hash of ``key`` (independent per cell)."""
    digest = zlib.crc32("\x1f".join(map(str, key)).encode("utf-8"))
    return np.random.default_rng([int(seed), digest])


def _check_min_n(min_n: int) -> int:
    if int(min_n) < 2:
        raise InputError(f"min_n={min_n} is too small", hint="min_n must be at least 2")
    return int(min_n)


def check_n_boot(n_boot: int) -> int:
    """``n_boot`` as an int, if it is a usable number of bootstrap resamples (at least 1).

    Checked before any work, so that ``--n-boot 0`` is one clear error, not scipy's
    ``ValueError`` from inside the first interval.

    Raises
    ------
    InputError
        For fewer than one resample.
    """
    if int(n_boot) < 1:
        raise InputError(
            f"n_boot={n_boot}: the intervals need at least one bootstrap resample",
            hint="e.g. 2000 (the default); 200 for a quick look",
        )
    return int(n_boot)


# --------------------------------------------------------------------------------------------
# Bootstrap intervals and group means
# --------------------------------------------------------------------------------------------


def bootstrap_ci(
    values,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    method: str = "percentile",
    rng: np.random.Generator | int | None = 0,
) -> tuple[float, float]:
    """Bootstrap confidence interval of the mean of ``values``.

    Parameters
    ----------
    values : array-like of float
        One value per resampling unit (article). NaNs are dropped.
    n_boot : int
        Number of bootstrap resamples.
    ci : float
        Confidence level in (0, 1).
    method : {"percentile", "basic", "bca"}
        Interval method of :func:`scipy.stats.bootstrap`. BCa corrects for bias and skew
        but is unstable for very small samples; percentile is the robust default.
    rng : numpy.random.Generator or int, optional
        Source of randomness (an int is used as a seed).

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(nan, nan)`` for fewer than two values, and ``(v, v)`` when all
        values equal ``v`` (resampling cannot vary them).
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if method.lower() not in BOOTSTRAP_METHODS:
        raise InputError(
            f"unknown bootstrap method {method!r}",
            hint=f"use one of {', '.join(BOOTSTRAP_METHODS)}",
        )
    if not 0 < ci < 1:
        raise InputError(f"confidence level {ci} is not in (0, 1)", hint="e.g. ci=0.95")
    n_boot = check_n_boot(n_boot)
    if x.size < 2:
        return np.nan, np.nan
    if np.all(x == x[0]):
        return float(x[0]), float(x[0])
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    with warnings.catch_warnings():
        # BCa warns on near-degenerate samples; the NaN it then returns is handled below.
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.filterwarnings("ignore", category=stats.DegenerateDataWarning)
        res = stats.bootstrap(
            (x,),
            np.mean,
            n_resamples=int(n_boot),
            confidence_level=ci,
            method=method.lower() if method.lower() != "bca" else "BCa",
            vectorized=True,
            rng=rng,
        )
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if np.isnan(low) or np.isnan(high):  # BCa can fail on tiny samples: fall back
        q = (1 - ci) / 2
        low, high = np.quantile(res.bootstrap_distribution, [q, 1 - q])
    return float(low), float(high)


def _summarise(values: pd.Series, key, *, n_boot, ci, method, min_n, seed, empty_note):
    """Mean, interval, sd, n and note of one cell."""
    x = values.to_numpy(dtype=float)
    n = x.size
    if n == 0:
        return dict(
            mean=np.nan, ci_low=np.nan, ci_high=np.nan, sd=np.nan, n_articles=0, note=empty_note
        )
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else np.nan
    if n < min_n:
        return dict(
            mean=mean,
            ci_low=np.nan,
            ci_high=np.nan,
            sd=sd,
            n_articles=n,
            note=f"n={n}: no interval or test",
        )
    low, high = bootstrap_ci(x, n_boot=n_boot, ci=ci, method=method, rng=_key_rng(seed, *key))
    return dict(mean=mean, ci_low=low, ci_high=high, sd=sd, n_articles=n, note="")


def _empty_note(kind: str) -> str:
    return "n=0: no mention" if kind == "stance" else "n=0: no value"


def group_means(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    kind: str = "stance",
    group: str = "outlet",
    scorer: str | None = None,
    names=None,
    n_boot: int = 2000,
    ci: float = 0.95,
    method: str = "percentile",
    min_n: int = 2,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean article score per group and name, with a bootstrap interval over articles.

    For ``kind="stance"`` this is the mean stance of a group's articles toward each target
    (articles that never mention the target are left out); for ``kind="frame"`` it is the mean
    share of an article's sentences that carry each frame.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    kind : {"stance", "frame"}
        Which scores to summarise.
    group : str
        Column of ``articles`` to group by (``"outlet"``, ``"outlet_type"``, ...).
    scorer : str, optional
        Keep only this scorer (default: each scorer summarised separately).
    names : sequence of str, optional
        Keep only these targets or frames.
    n_boot : int
        Bootstrap resamples of the articles within each group.
    ci : float
        Confidence level of the interval.
    method : {"percentile", "basic", "bca"}
        Bootstrap interval method (see :func:`bootstrap_ci`).
    min_n : int
        Fewest articles with a value for which an interval is given.
    seed : int
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per (scorer, name, group), including groups where no article has a value:
        ``scorer, kind, name, group, mean, ci_low, ci_high, sd, n_articles`` (articles with a
        value), ``n_group`` (articles in the group) and ``note`` (why an interval is missing:
        ``"n=1: no interval or test"``, or ``"n=0: no mention"``). An article with no
        stance row for a target counts as not mentioning it (:mod:`framelens.analysis.aggregate`
        writes no row then), so score the whole corpus before comparing.
    """
    min_n = _check_min_n(min_n)
    n_boot = check_n_boot(n_boot)
    values = article_values(
        article_scores, articles, kind=kind, group=group, scorer=scorer, names=names
    )
    n_group = article_groups(articles, group, warn=False)["group"].value_counts()
    scorer_names = _scorer_names(article_scores, kind, scorer, names)
    by_cell = {k: v for k, v in values.groupby(["scorer", "name", "group"])["value"]}
    rows = []
    for (sc, name), grp in itertools.product(scorer_names, sorted(n_group.index)):
        cell = by_cell.get((sc, name, grp), pd.Series(dtype=float))
        summary = _summarise(
            cell,
            (sc, kind, name, grp),
            n_boot=n_boot,
            ci=ci,
            method=method,
            min_n=min_n,
            seed=seed,
            empty_note=_empty_note(kind),
        )
        rows.append(
            dict(scorer=sc, kind=kind, name=name, group=grp, n_group=int(n_group[grp]), **summary)
        )
    return pd.DataFrame(rows, columns=MEANS_COLUMNS)


def _scorer_names(article_scores, kind, scorer, names) -> list[tuple[str, str]]:
    """(scorer, name) pairs present in ``article_scores`` (values may all be missing)."""
    scores = article_scores.loc[article_scores["kind"] == kind]
    if scorer is not None:
        scores = scores.loc[scores["scorer"] == scorer]
    if names is not None:
        names = [names] if isinstance(names, str) else list(names)
        scores = scores.loc[scores["name"].isin(names)]
    pairs = scores[["scorer", "name"]].drop_duplicates()
    return sorted(map(tuple, pairs.astype(str).to_numpy()))


# --------------------------------------------------------------------------------------------
# Multiple comparisons and effect sizes
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Over time


__all__ = ["article_groups", "article_values", "bootstrap_ci", "group_means"]
