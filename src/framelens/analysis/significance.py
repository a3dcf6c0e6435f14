"""Tests between groups: omnibus and pairwise, with effect sizes and multiple-test corrections.

The unit is the article (see :mod:`framelens.analysis.groups`): a test compares the article
values of two or more groups, by permutation or a classical test, and reports Hedges' g and
Cliff's delta beside the p-value. p-values are corrected within each family of tests (Holm by
default, or Benjamini-Hochberg); a group below ``min_n`` articles is never tested.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from framelens.analysis.groups import (
    _check_min_n,
    _key_rng,
    _scorer_names,
    article_groups,
    article_values,
)
from framelens.errors import InputError

CORRECTIONS = ("holm", "bh", "none")


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
