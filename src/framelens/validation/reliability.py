"""Inter-coder agreement: Krippendorff's alpha and Cohen's kappa with bootstrap intervals.

Agreement is measured separately for every target (stance) and frame of a gold table (see
:mod:`framelens.datasets.gold`). A *unit* is a sentence (``article_id``, ``sent_id``); only units that
at least two coders labelled carry information about agreement, so intervals resample those.

* **Krippendorff's alpha** (Krippendorff 2004, *Content Analysis*, ch. 11; computed with the
  ``krippendorff`` package) handles any number of coders and missing labels. Stance is reported
  at three levels of measurement: *nominal* (``na`` is a category of its own), *ordinal* and
  *interval* (on -1 < 0 < 1, where ``na`` counts as not coded because it is not on the scale).
  Frames are binary, where all three levels give the same value, so only nominal is reported.
* **Cohen's kappa** (Cohen 1960; :func:`sklearn.metrics.cohen_kappa_score`) compares two
  coders on the units both labelled; with more coders the mean over all pairs is reported
  (Light 1971).
* **Intervals** are percentile bootstrap intervals over units (Efron & Tibshirani 1993):
  each replicate draws the units with replacement and recomputes every coefficient, so alpha
  and kappa in one replicate see the same units. Replicates in which a coefficient is
  undefined (e.g. every drawn unit got the same label) are skipped for that coefficient.
"""

from __future__ import annotations

import itertools
import warnings
import zlib

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from framelens.datasets.gold import LABELS, coders
from framelens.errors import InputError

LEVELS = ("nominal", "ordinal", "interval")
AGREEMENT_COLUMNS = [
    "task",
    "name",
    "metric",
    "value",
    "ci_low",
    "ci_high",
    "n_units",
    "n_coders",
]
#: Numeric scale of the stance codes for ordinal and interval alpha (``na`` is off the scale).
_STANCE_SCALE = {"-1": -1.0, "0": 0.0, "1": 1.0}


def reliability_data(gold: pd.DataFrame, task: str, name: str) -> pd.DataFrame:
    """The coder-by-unit matrix of labels for one target or frame.

    Parameters
    ----------
    gold : DataFrame
        A checked gold table (:func:`framelens.datasets.gold.check_gold`).
    task : {"stance", "frame"}
        Which judgements.
    name : str
        The target or frame.

    Returns
    -------
    DataFrame
        One row per coder, one column per unit (``(article_id, sent_id)``), canonical label
        strings, NaN where a coder did not label the unit.
    """
    rows = gold[(gold["task"] == task) & (gold["name"] == name)]
    return rows.pivot(index="coder", columns=["article_id", "sent_id"], values="label")


def krippendorff_alpha(data, level: str = "nominal", domain=None) -> float:
    """Krippendorff's alpha of a coder-by-unit matrix; NaN where alpha is undefined.

    Parameters
    ----------
    data : DataFrame or array-like
        One row per coder, one column per unit, NaN (or None) for a missing label. Values may
        be numbers or strings (strings only at the nominal level).
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement.
    domain : sequence, optional
        All values the variable can take, ordered for non-nominal levels. Defaults to the
        values present.

    Returns
    -------
    float
        Alpha, or NaN when no unit has two labels or only one value occurs.

    Examples
    --------
    The example of Krippendorff (2011, "Computing Krippendorff's alpha-reliability"): four
    observers, twelve units.

    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(data, "nominal"), 3)
    0.743
    """
    counts, domain = _value_counts(np.asarray(pd.DataFrame(data), dtype=object), domain)
    return _alpha_from_counts(counts, domain, level)


def _value_counts(matrix: np.ndarray, domain) -> tuple[np.ndarray, np.ndarray]:
    """Units-by-values count matrix (the form ``krippendorff.alpha`` takes as value_counts)."""
    present = pd.isna(matrix)
    if domain is None:
        observed = matrix[~present]
        try:
            domain = np.array(sorted(set(observed.tolist())))
        except TypeError:  # mixed numbers and strings: no natural order, fine for nominal
            domain = np.array(sorted({str(v) for v in observed.tolist()}))
            matrix = np.where(present, None, matrix.astype(str))
    domain = np.asarray(domain)
    lookup = {v: i for i, v in enumerate(domain.tolist())}
    counts = np.zeros((matrix.shape[1], len(domain)), dtype=float)
    for (coder, unit), value in np.ndenumerate(matrix):
        if not present[coder, unit]:
            if value not in lookup:
                raise InputError(f"value {value!r} is outside the domain {domain.tolist()}")
            counts[unit, lookup[value]] += 1
    return counts, domain


def _alpha_from_counts(counts: np.ndarray, domain: np.ndarray, level: str) -> float:
    if len(domain) < 2 or counts.shape[0] == 0 or (counts.sum(axis=1) < 2).all():
        return float("nan")
    numeric = domain if level == "nominal" else domain.astype(float)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return float(
                krippendorff.alpha(
                    value_counts=counts, value_domain=numeric, level_of_measurement=level
                )
            )
        except (ValueError, ZeroDivisionError):
            return float("nan")


def pairwise_kappa(data: pd.DataFrame, labels=None) -> float:
    """Cohen's kappa, averaged over coder pairs (Light's kappa for more than two coders).

    Parameters
    ----------
    data : DataFrame
        Coder-by-unit label matrix (NaN where a coder did not label a unit).
    labels : sequence, optional
        The label set, passed to :func:`sklearn.metrics.cohen_kappa_score`.

    Returns
    -------
    float
        Mean kappa over the pairs of coders that share at least two units (pairs whose kappa
        is undefined are skipped); NaN when no pair qualifies.
    """
    values = []
    matrix = pd.DataFrame(data)
    for a, b in itertools.combinations(range(matrix.shape[0]), 2):
        both = matrix.iloc[a].notna() & matrix.iloc[b].notna()
        if both.sum() < 2:
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            kappa = cohen_kappa_score(
                matrix.iloc[a][both].astype(str),
                matrix.iloc[b][both].astype(str),
                labels=None if labels is None else list(labels),
            )
        if np.isfinite(kappa):
            values.append(kappa)
    return float(np.mean(values)) if values else float("nan")


def _kappa_from_tables(tables: np.ndarray) -> np.ndarray:
    """Kappa of (..., K, K) contingency tables (rows coder A, columns coder B); NaN if undefined."""
    total = tables.sum(axis=(-2, -1))
    with np.errstate(all="ignore"):
        observed = np.trace(tables, axis1=-2, axis2=-1) / total
        expected = (tables.sum(axis=-1) * tables.sum(axis=-2)).sum(axis=-1) / total**2
        kappa = (observed - expected) / (1.0 - expected)
    return np.where(np.isfinite(kappa), kappa, np.nan)


def _bootstrap_kappa(matrix: np.ndarray, domain: list[str], weights: np.ndarray) -> np.ndarray:
    """Pairwise-mean kappa for each bootstrap replicate, from resampling weights.

    The contingency table of a pair in a replicate is ``weights @ one_hot(pair cells)``, so all
    replicates are computed in one matrix product instead of one sklearn call each.
    """
    k = len(domain)
    lookup = {v: i for i, v in enumerate(domain)}
    per_pair = []
    for a, b in itertools.combinations(range(matrix.shape[0]), 2):
        cells = np.zeros((matrix.shape[1], k * k))
        for unit in range(matrix.shape[1]):
            x, y = matrix[a, unit], matrix[b, unit]
            if not (pd.isna(x) or pd.isna(y)):
                cells[unit, lookup[x] * k + lookup[y]] = 1.0
        if cells.sum() < 2:
            continue
        tables = (weights @ cells).reshape(-1, k, k)
        per_pair.append(_kappa_from_tables(tables))
    if not per_pair:
        return np.full(weights.shape[0], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all pairs undefined in a replicate
        return np.nanmean(np.vstack(per_pair), axis=0)


def _interval(values: np.ndarray, ci: float) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return float("nan"), float("nan")
    tail = (1.0 - ci) / 2.0 * 100.0
    low, high = np.percentile(finite, [tail, 100.0 - tail])
    return float(low), float(high)


def _scales(task: str, levels) -> list[tuple[str, str, list, dict | None]]:
    """(metric, level, domain, mapping) for each alpha reported for ``task``."""
    labels = list(LABELS[task])
    if task == "frame":
        return [("alpha_nominal", "nominal", labels, None)]
    scales = []
    for level in levels:
        if level == "nominal":
            scales.append(("alpha_nominal", "nominal", labels, None))
        else:
            scales.append((f"alpha_{level}", level, [-1.0, 0.0, 1.0], _STANCE_SCALE))
    return scales


def agreement(
    gold: pd.DataFrame,
    *,
    levels=LEVELS,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
    source=None,
) -> pd.DataFrame:
    """Agreement between coders for every target and frame, with bootstrap intervals.

    Parameters
    ----------
    gold : DataFrame
        A checked gold table with at least two coders.
    levels : sequence of {"nominal", "ordinal", "interval"}
        Levels of measurement of alpha for stance (frames are binary: nominal only).
    n_boot : int, default 1000
        Bootstrap replicates; 0 gives no intervals.
    ci : float, default 0.95
        Coverage of the percentile intervals.
    seed : int, default 0
        Seed of the resampling. Each (task, name) draws from its own stream derived from
        ``seed`` and the name, so adding a target does not change the others' intervals.
    source : str, optional
        File(s) the gold table came from, named in errors.

    Returns
    -------
    DataFrame
        One row per (task, name, metric) with columns ``task``, ``name``, ``metric``
        (``alpha_nominal``, ``alpha_ordinal``, ``alpha_interval``, ``kappa``), ``value``,
        ``ci_low``, ``ci_high``, ``n_units`` (units labelled by two or more coders) and
        ``n_coders``.

    Raises
    ------
    InputError
        If the table has fewer than two coders, or an unknown level is asked for.
    """
    found = coders(gold)
    if len(found) < 2:
        raise InputError(
            "agreement needs labels from at least two coders, found "
            + (f"only {found[0]!r}" if found else "none"),
            source=source,
            hint="give the coded sheets (or gold files) of two or more coders",
        )
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise InputError(
            f"unknown level of measurement {unknown[0]!r}", hint=f"use {', '.join(LEVELS)}"
        )
    rows = []
    for (task, name), _ in gold.groupby(["task", "name"], sort=True):
        data = reliability_data(gold, task, name)
        n_coders = int(data.notna().any(axis=1).sum())
        pairable = data.loc[:, data.notna().sum(axis=0) >= 2]
        matrix = pairable.to_numpy(dtype=object)
        n_units = matrix.shape[1]
        rng = np.random.default_rng([seed, zlib.crc32(f"{task}:{name}".encode())])
        weights = None
        if n_boot > 0 and n_units > 0:
            weights = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot)
        for metric, level, domain, mapping in _scales(task, levels):
            scaled = matrix if mapping is None else _map(matrix, mapping)
            counts, dom = _value_counts(scaled, domain)
            value = _alpha_from_counts(counts, dom, level)
            draws = (
                np.array([])
                if weights is None
                else np.array(
                    [_alpha_from_counts(np.repeat(counts, w, axis=0), dom, level) for w in weights]
                )
            )
            rows.append((task, name, metric, value, *_interval(draws, ci), n_units, n_coders))
        value = pairwise_kappa(pairable, labels=LABELS[task])
        draws = (
            np.array([])
            if weights is None
            else _bootstrap_kappa(matrix, list(LABELS[task]), weights.astype(float))
        )
        rows.append((task, name, "kappa", value, *_interval(draws, ci), n_units, n_coders))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _map(matrix: np.ndarray, mapping: dict) -> np.ndarray:
    """Recode labels through ``mapping``; labels it lacks (``na``) become missing."""
    out = np.full(matrix.shape, np.nan, dtype=object)
    for index, value in np.ndenumerate(matrix):
        if not pd.isna(value) and value in mapping:
            out[index] = mapping[value]
    return out
