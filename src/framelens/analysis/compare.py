"""Compare outlets: group means with bootstrap intervals, tests, effect sizes, trends.

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

from framelens.analysis.keyness import keyness
from framelens.errors import InputError, InputWarning
from framelens.tables import check_columns
from framelens.text.dates import date_texts, read_date_column

KINDS = ("stance", "frame")
BOOTSTRAP_METHODS = ("percentile", "basic", "bca")
CORRECTIONS = ("holm", "bh", "none")
FREQUENCIES = {"month": "M", "m": "M", "quarter": "Q", "q": "Q", "year": "Y", "y": "Y"}

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
OMNIBUS_COLUMNS = [
    "scorer",
    "kind",
    "name",
    "test",
    "statistic",
    "p_value",
    "p_adjusted",
    "effect_size",
    "effect_measure",
    "n_groups",
    "n_articles",
    "groups",
    "note",
]
PAIRWISE_COLUMNS = [
    "scorer",
    "kind",
    "name",
    "test",
    "group_a",
    "group_b",
    "mean_a",
    "mean_b",
    "statistic",
    "p_value",
    "p_adjusted",
    "effect_size",
    "effect_measure",
    "n_a",
    "n_b",
    "note",
]
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
    unknown = ~scores["article_id"].isin(articles["article_id"])
    if unknown.any():
        raise InputError(
            "article_scores names an article the articles table lacks",
            source="article_scores",
            record=scores.loc[unknown, "article_id"].iloc[0],
            hint="score and compare the same corpus",
        )
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


def adjust_pvalues(p_values, method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons (NaNs are kept and not counted).

    Parameters
    ----------
    p_values : array-like of float
        Raw p-values; NaN marks a test that was not run.
    method : {"holm", "bh", "none"}
        Holm's step-down family-wise error control, Benjamini-Hochberg false discovery rate
        control (via :func:`scipy.stats.false_discovery_control`), or no adjustment.

    Returns
    -------
    ndarray
        Adjusted p-values, in the input order, capped at 1.
    """
    p = np.asarray(p_values, dtype=float)
    if method not in CORRECTIONS:
        raise InputError(f"unknown correction {method!r}", hint=f"use {', '.join(CORRECTIONS)}")
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    if ((p[ok] < 0) | (p[ok] > 1)).any():
        raise InputError("p-values must lie in [0, 1]")
    if method == "none":
        out[ok] = p[ok]
    elif method == "bh":
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    else:
        q = p[ok]
        m = q.size
        order = np.argsort(q, kind="stable")
        # Holm: p_(i) * (m - i + 1), made monotone by a running maximum.
        stepped = np.maximum.accumulate(q[order] * (m - np.arange(m)))
        adjusted = np.empty(m)
        adjusted[order] = np.minimum(stepped, 1.0)
        out[ok] = adjusted
    return out


def hedges_g(a, b) -> float:
    """Hedges' g: standardised mean difference ``a - b`` with small-sample correction.

    Parameters
    ----------
    a, b : array-like of float
        The two samples (at least two values each).

    Returns
    -------
    float
        Cohen's d with pooled SD, times ``1 - 3 / (4 (n_a + n_b) - 9)``; NaN when the pooled
        SD is zero or a sample is too small.
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    na, nb = a.size, b.size
    if na < 2 or nb < 2:
        return np.nan
    pooled = np.sqrt(((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2))
    if pooled == 0:
        return np.nan
    return float((a.mean() - b.mean()) / pooled * (1 - 3 / (4 * (na + nb) - 9)))


def cliffs_delta(a, b) -> float:
    """Cliff's delta: P(a > b) - P(a < b) over all pairs, in [-1, 1].

    Parameters
    ----------
    a, b : array-like of float
        The two samples.

    Returns
    -------
    float
        The dominance statistic (0 = no tendency for either sample to be larger).
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size == 0 or b.size == 0:
        return np.nan
    diff = np.sign(a[:, None] - b[None, :])
    return float(diff.mean())


def _mean_difference(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _f_statistic(*samples, axis=-1):
    """One-way ANOVA F of ``samples`` along ``axis`` (vectorised for permutation_test)."""
    sizes = np.array([s.shape[axis] for s in samples])
    means = [np.mean(s, axis=axis) for s in samples]
    total_n = sizes.sum()
    grand = sum(m * n for m, n in zip(means, sizes, strict=True)) / total_n
    between = sum(n * (m - grand) ** 2 for m, n in zip(means, sizes, strict=True))
    within = sum(
        np.sum((s - np.expand_dims(m, axis)) ** 2, axis=axis)
        for s, m in zip(samples, means, strict=True)
    )
    k = len(samples)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (between / (k - 1)) / (within / (total_n - k))


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def _adjust_column(frame: pd.DataFrame, correction: str, family: str) -> pd.Series:
    if family not in ("all", "name"):
        raise InputError(f"unknown family {family!r}", hint='use "all" or "name"')
    keys = ["scorer", "test"] + (["name"] if family == "name" else [])
    adjusted = pd.Series(np.nan, index=frame.index)
    for _, part in frame.groupby(keys, sort=False):
        adjusted.loc[part.index] = adjust_pvalues(part["p_value"].to_numpy(), correction)
    return adjusted


def omnibus_tests(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    kind: str = "stance",
    group: str = "outlet",
    scorer: str | None = None,
    names=None,
    n_perm: int = 2000,
    min_n: int = 2,
    correction: str = "holm",
    family: str = "all",
    seed: int = 0,
) -> pd.DataFrame:
    """Do the groups differ at all? Kruskal-Wallis and a permutation F test per name.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    kind : {"stance", "frame"}
        Which scores to test.
    group : str
        Column of ``articles`` that defines the groups.
    scorer : str, optional
        Keep only this scorer.
    names : sequence of str, optional
        Keep only these targets or frames.
    n_perm : int
        Permutations of the group labels for the F test (exact when fewer are possible).
    min_n : int
        Groups with fewer articles with a value are left out of the test (and named in
        ``note``); with fewer than two groups left no test is run.
    correction : {"holm", "bh", "none"}
        Multiple-comparison adjustment written to ``p_adjusted``.
    family : {"all", "name"}
        The family adjusted together: every name of a scorer and test (``"all"``, the
        conservative default) or each name on its own.
    seed : int
        Seed of the permutations.

    Returns
    -------
    DataFrame
        Two rows per (scorer, name): ``test="kruskal"`` (H statistic, effect size epsilon
        squared = H / (n - 1)) and ``test="permutation_f"`` (one-way ANOVA F, p from label
        permutations, effect size eta squared). Columns: ``scorer, kind, name, test,
        statistic, p_value, p_adjusted, effect_size, effect_measure, n_groups, n_articles,
        groups, note``.
    """
    min_n = _check_min_n(min_n)
    values = article_values(
        article_scores, articles, kind=kind, group=group, scorer=scorer, names=names
    )
    rows = []
    for sc, name in _scorer_names(article_scores, kind, scorer, names):
        cell = values.loc[(values["scorer"] == sc) & (values["name"] == name)]
        samples = {g: v["value"].to_numpy(float) for g, v in cell.groupby("group")}
        small = sorted(g for g, x in samples.items() if x.size < min_n)
        used = {g: x for g, x in samples.items() if x.size >= min_n}
        notes = [f"left out (n<{min_n}): {', '.join(small)}"] if small else []
        base = dict(
            scorer=sc,
            kind=kind,
            name=name,
            n_groups=len(used),
            n_articles=int(sum(x.size for x in used.values())),
            groups=", ".join(sorted(used)),
        )
        pooled = np.concatenate(list(used.values())) if used else np.array([])
        skip = None
        if len(used) < 2:
            skip = f"fewer than 2 groups with n>={min_n}: no test"
        elif np.all(pooled == pooled[0]):
            skip = "all values equal: no test"
        for test, measure in (("kruskal", "epsilon_squared"), ("permutation_f", "eta_squared")):
            row = dict(
                base,
                test=test,
                effect_measure=measure,
                statistic=np.nan,
                p_value=np.nan,
                effect_size=np.nan,
            )
            if skip is None:
                stat, p, eff = _omnibus(
                    test, list(used.values()), n_perm, _key_rng(seed, sc, kind, name, test)
                )
                row.update(statistic=stat, p_value=p, effect_size=eff)
            row["note"] = "; ".join(notes + ([skip] if skip else []))
            rows.append(row)
    out = pd.DataFrame(rows, columns=OMNIBUS_COLUMNS)
    out["p_adjusted"] = _adjust_column(out, correction, family)
    return out


def _omnibus(test: str, samples: list[np.ndarray], n_perm: int, rng) -> tuple[float, float, float]:
    n = sum(x.size for x in samples)
    if test == "kruskal":
        h, p = stats.kruskal(*samples)
        return float(h), float(p), float(h / (n - 1))
    res = stats.permutation_test(
        samples,
        _f_statistic,
        permutation_type="independent",
        vectorized=True,
        n_resamples=int(n_perm),
        alternative="greater",
        rng=rng,
    )
    pooled = np.concatenate(samples)
    ss_total = np.sum((pooled - pooled.mean()) ** 2)
    ss_between = sum(x.size * (x.mean() - pooled.mean()) ** 2 for x in samples)
    return float(res.statistic), float(res.pvalue), float(ss_between / ss_total)


def pairwise_tests(
    article_scores: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    kind: str = "stance",
    group: str = "outlet",
    scorer: str | None = None,
    names=None,
    test: str = "permutation",
    effect: str | None = None,
    n_perm: int = 2000,
    min_n: int = 2,
    correction: str = "holm",
    family: str = "all",
    seed: int = 0,
) -> pd.DataFrame:
    """Compare every pair of groups, per target or frame.

    Parameters
    ----------
    article_scores, articles : DataFrame
        The article_scores and articles tables.
    kind : {"stance", "frame"}
        Which scores to test.
    group : str
        Column of ``articles`` that defines the groups.
    scorer : str, optional
        Keep only this scorer.
    names : sequence of str, optional
        Keep only these targets or frames.
    test : {"permutation", "mannwhitney"}
        Two-sided permutation test of the difference in means (``statistic`` = mean_a -
        mean_b), or the Mann-Whitney U test (``statistic`` = U of group a).
    effect : {"hedges_g", "cliffs_delta"}, optional
        Effect size; default Hedges' g for the permutation test and Cliff's delta for
        Mann-Whitney (each matches what its test compares: means or ranks).
    n_perm : int
        Permutations for the permutation test (exact when fewer are possible).
    min_n : int
        A pair with a group of fewer articles gets no test: NaN p-values and a ``note``.
    correction : {"holm", "bh", "none"}
        Multiple-comparison adjustment written to ``p_adjusted``.
    family : {"all", "name"}
        The family adjusted together: every pair and name of a scorer (``"all"``, the
        conservative default) or the pairs of each name on their own.
    seed : int
        Seed of the permutations.

    Returns
    -------
    DataFrame
        One row per (scorer, name, group_a, group_b) with ``group_a < group_b``; columns
        ``scorer, kind, name, test, group_a, group_b, mean_a, mean_b, statistic, p_value,
        p_adjusted, effect_size, effect_measure, n_a, n_b, note``. Pairs where a group has no
        article with a value are listed with n = 0.
    """
    min_n = _check_min_n(min_n)
    if test not in ("permutation", "mannwhitney"):
        raise InputError(
            f"unknown pairwise test {test!r}", hint='use "permutation" or "mannwhitney"'
        )
    effect = effect or ("hedges_g" if test == "permutation" else "cliffs_delta")
    effects = {"hedges_g": hedges_g, "cliffs_delta": cliffs_delta}
    if effect not in effects:
        raise InputError(f"unknown effect size {effect!r}", hint="use hedges_g or cliffs_delta")
    values = article_values(
        article_scores, articles, kind=kind, group=group, scorer=scorer, names=names
    )
    groups = sorted(article_groups(articles, group, warn=False)["group"].unique())
    rows = []
    for sc, name in _scorer_names(article_scores, kind, scorer, names):
        cell = values.loc[(values["scorer"] == sc) & (values["name"] == name)]
        samples = {g: v["value"].to_numpy(float) for g, v in cell.groupby("group")}
        for ga, gb in itertools.combinations(groups, 2):
            a, b = samples.get(ga, np.array([])), samples.get(gb, np.array([]))
            row = dict(
                scorer=sc,
                kind=kind,
                name=name,
                test=test,
                group_a=ga,
                group_b=gb,
                mean_a=a.mean() if a.size else np.nan,
                mean_b=b.mean() if b.size else np.nan,
                statistic=np.nan,
                p_value=np.nan,
                effect_size=np.nan,
                effect_measure=effect,
                n_a=a.size,
                n_b=b.size,
            )
            small = [f"{g} n={x.size}" for g, x in ((ga, a), (gb, b)) if x.size < min_n]
            if small:
                row["note"] = f"{', '.join(small)}: no test"
            elif np.all(np.concatenate([a, b]) == a[0]):
                row["note"] = "all values equal: no test"
            else:
                rng = _key_rng(seed, sc, kind, name, ga, gb, test)
                row["statistic"], row["p_value"] = _pairwise(test, a, b, n_perm, rng)
                row["effect_size"] = effects[effect](a, b)
                row["note"] = ""
            rows.append(row)
    out = pd.DataFrame(rows, columns=PAIRWISE_COLUMNS)
    out["p_adjusted"] = _adjust_column(out, correction, family)
    return out


def _pairwise(test, a, b, n_perm, rng) -> tuple[float, float]:
    if test == "mannwhitney":
        res = stats.mannwhitneyu(a, b, alternative="two-sided")
        return float(res.statistic), float(res.pvalue)
    res = stats.permutation_test(
        (a, b),
        _mean_difference,
        permutation_type="independent",
        vectorized=True,
        n_resamples=int(n_perm),
        alternative="two-sided",
        rng=rng,
    )
    return float(res.statistic), float(res.pvalue)


# --------------------------------------------------------------------------------------------
# Over time
# --------------------------------------------------------------------------------------------


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


__all__ = [
    "adjust_pvalues",
    "article_groups",
    "article_values",
    "bootstrap_ci",
    "cliffs_delta",
    "group_means",
    "hedges_g",
    "keyness",
    "omnibus_tests",
    "over_time",
    "pairwise_tests",
    "parse_dates",
]
