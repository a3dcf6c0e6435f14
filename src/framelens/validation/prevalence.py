"""Error-corrected prevalence: outlet shares of frames and stances, adjusted for scorer errors.

Counting a scorer's labels per outlet ("classify and count") is biased whenever the scorer
errs: a scorer that labels 10% of neutral sentences as *against* inflates every outlet's share
of *against* toward 10%, and shrinks real differences between outlets. If the scorer's error
rates are known from a validation set, the bias can be undone.

Let ``M[i, j] = P(predicted j | true i)`` be the scorer's misclassification matrix, estimated on
hand-coded units, ``p`` a group's true label distribution and ``q`` the distribution of its
predicted labels. Then ``q = M.T @ p`` (assuming the error rates in the group are those of the
validation set: same scorer, same kind of text), and ``p`` is recovered by solving it:

* **Binary** (a frame present or not): adjusted classify and count,
  ``p = (q - fpr) / (tpr - fpr)`` clipped to [0, 1] (Forman 2008, "Quantifying counts and costs
  via classification", *Data Mining and Knowledge Discovery* 17(2)).
* **Several classes** (against/neutral/favor): the matrix-inversion estimator of
  misclassified categorical data (Buonaccorsi 2010, *Measurement Error: Models, Methods and
  Applications*), solved as least squares constrained to the probability simplex
  (non-negative, summing to one) so that noisy rates cannot give negative shares; for two
  classes it equals the clipped binary formula.

Intervals come from a bootstrap that carries both sources of uncertainty: in every replicate
the validation set is resampled within each true class (re-estimating ``M``) and the group's
units are resampled (re-estimating ``q``); the percentile interval of the corrected estimates
is reported. Resampling individual labels with replacement is done by drawing their counts
from a multinomial, which is the same distribution and much faster. When units are clustered
(sentences in articles), pass ``cluster`` so that whole clusters are resampled.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import nnls

from framelens.errors import InputError

PREVALENCE_COLUMNS = ["label", "naive", "corrected", "ci_low", "ci_high", "n"]
#: Weight of the sum-to-one row in the constrained least squares (large: nearly exact).
_SIMPLEX_WEIGHT = 1e3


def misclassification_matrix(
    true: Sequence, pred: Sequence, labels: Sequence, *, source=None
) -> np.ndarray:
    """Estimate ``M[i, j] = P(predicted labels[j] | true labels[i])`` from a validation set.

    Parameters
    ----------
    true, pred : sequence
        True (hand-coded) and predicted labels of the same units.
    labels : sequence
        All labels, in the order of the rows and columns.
    source : str, optional
        Named in errors.

    Returns
    -------
    ndarray of shape (n_labels, n_labels)
        Row-stochastic matrix.

    Raises
    ------
    InputError
        If a label is outside ``labels`` or some true label never occurs (its error rates
        cannot be estimated).
    """
    counts = _validation_counts(true, pred, list(labels), source)
    return counts / counts.sum(axis=1, keepdims=True)


def _validation_counts(true, pred, labels, source) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    true, pred = list(true), list(pred)
    if len(true) != len(pred):
        raise InputError("true and predicted labels differ in length", source=source)
    counts = np.zeros((len(labels), len(labels)))
    for row, (t, p) in enumerate(zip(true, pred, strict=True)):
        for value in (t, p):
            if value not in index:
                raise InputError(
                    f"label {value!r} is not one of {', '.join(map(str, labels))}",
                    source=source,
                    record=f"validation row {row}",
                )
        counts[index[t], index[p]] += 1
    absent = [labels[i] for i in np.flatnonzero(counts.sum(axis=1) == 0)]
    if absent:
        raise InputError(
            f"no validation unit has the true label {absent[0]!r}, so the scorer's errors on "
            "it cannot be estimated",
            source=source,
            hint="code more units (stratify the validation sample by predicted label)",
        )
    return counts


def adjusted_count(observed: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Correct observed label shares for misclassification.

    Parameters
    ----------
    observed : ndarray of shape (n_labels,)
        Shares of the predicted labels in a group (``q``).
    rates : ndarray of shape (n_labels, n_labels)
        Misclassification matrix ``M`` (rows: true label, columns: predicted).

    Returns
    -------
    ndarray of shape (n_labels,)
        Estimated true shares: non-negative, summing to one. With two labels, Forman's
        adjusted count (NaN if the scorer is no better than chance, ``tpr == fpr``);
        otherwise least squares of ``M.T @ p = q`` on the simplex.
    """
    observed = np.asarray(observed, dtype=float)
    rates = np.asarray(rates, dtype=float)
    if len(observed) == 2:
        tpr, fpr = rates[1, 1], rates[0, 1]
        if np.isclose(tpr, fpr):
            return np.full(2, np.nan)
        positive = float(np.clip((observed[1] - fpr) / (tpr - fpr), 0.0, 1.0))
        return np.array([1.0 - positive, positive])
    system = np.vstack([rates.T, np.full(len(observed), _SIMPLEX_WEIGHT)])
    target = np.append(observed, _SIMPLEX_WEIGHT)
    solution, _ = nnls(system, target)
    total = solution.sum()
    return solution / total if total > 0 else np.full(len(observed), np.nan)


def _percentile(draws: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1.0 - ci) / 2.0 * 100.0
    with np.errstate(all="ignore"):
        valid = ~np.isnan(draws).any(axis=1)
        if not valid.any():
            nan = np.full(draws.shape[1], np.nan)
            return nan, nan
        low, high = np.percentile(draws[valid], [tail, 100.0 - tail], axis=0)
    return low, high


def corrected_prevalence(
    predicted_labels: pd.DataFrame,
    validation: pd.DataFrame,
    labels: Sequence,
    *,
    by: str = "group",
    label_col: str = "label",
    cluster: str | None = None,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Label shares per group, naive and corrected for the scorer's measured errors.

    Parameters
    ----------
    predicted_labels : DataFrame
        One row per scored unit, with the group column ``by`` (e.g. outlet) and the predicted
        label column ``label_col``.
    validation : DataFrame
        Hand-coded units scored by the same scorer: columns ``true`` and ``pred``.
    labels : sequence
        All labels (e.g. ``["against", "neutral", "favor"]`` or ``[0, 1]``). With two labels
        the second is the "positive" one of Forman's formula.
    by : str, default "group"
        Grouping column; also the name of the group column of the result.
    label_col : str, default "label"
        Column of ``predicted_labels`` holding the predicted label.
    cluster : str, optional
        Column identifying clusters of units (e.g. ``article_id`` for sentences); the
        bootstrap then resamples whole clusters within each group.
    n_boot : int, default 1000
        Bootstrap replicates (0: no intervals).
    ci : float, default 0.95
        Coverage of the percentile intervals.
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per (group, label): ``by``, ``label``, ``naive`` (share of predicted labels),
        ``corrected``, ``ci_low``, ``ci_high`` (of the corrected share) and ``n`` (units in the
        group).

    Raises
    ------
    InputError
        On missing columns, labels outside ``labels``, or a label absent from the validation
        set's true labels.
    """
    labels = list(labels)
    if len(labels) < 2:
        raise InputError("corrected prevalence needs at least two labels")
    needed = [by, label_col] + ([cluster] if cluster else [])
    missing = [c for c in needed if c not in predicted_labels.columns]
    if missing:
        raise InputError(f"the predicted labels lack column(s) {', '.join(missing)}")
    missing = [c for c in ("true", "pred") if c not in validation.columns]
    if missing:
        raise InputError(
            f"the validation table lacks column(s) {', '.join(missing)}",
            hint="give one row per hand-coded unit with columns true and pred",
        )
    index = {label: i for i, label in enumerate(labels)}
    codes = predicted_labels[label_col].map(index)
    if codes.isna().any():
        row = int(np.flatnonzero(codes.isna().to_numpy())[0])
        raise InputError(
            f"predicted label {predicted_labels[label_col].iloc[row]!r} is not one of "
            f"{', '.join(map(str, labels))}",
            record=f"row {row}",
        )
    counts = _validation_counts(validation["true"], validation["pred"], labels, "validation")
    rates = counts / counts.sum(axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    boot_rates = _resample_rates(counts, n_boot, rng)
    k = len(labels)
    rows = []
    frame = predicted_labels.assign(_code=codes.astype(int))
    for group, part in frame.groupby(by, sort=True):
        group_counts = np.bincount(part["_code"], minlength=k).astype(float)
        naive = group_counts / group_counts.sum()
        corrected = adjusted_count(naive, rates)
        if n_boot > 0:
            shares = _resample_shares(part, cluster, k, naive, n_boot, rng)
            draws = np.array(
                [adjusted_count(q, m) for q, m in zip(shares, boot_rates, strict=True)]
            )
            low, high = _percentile(draws, ci)
        else:
            low = high = np.full(k, np.nan)
        for i, label in enumerate(labels):
            rows.append((group, label, naive[i], corrected[i], low[i], high[i], len(part)))
    return pd.DataFrame(rows, columns=[by] + PREVALENCE_COLUMNS)


def _resample_rates(counts: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap misclassification matrices: rows resampled within each true class."""
    totals = counts.sum(axis=1)
    rates = counts / totals[:, None]
    draws = np.stack(
        [rng.multinomial(int(n), p, size=n_boot) for n, p in zip(totals, rates, strict=True)],
        axis=1,
    )
    return draws / totals[None, :, None]


def _resample_shares(part, cluster, k, naive, n_boot, rng) -> np.ndarray:
    """Bootstrap predicted-label shares of one group: units, or whole clusters, resampled."""
    if cluster is None:
        return rng.multinomial(len(part), naive, size=n_boot) / len(part)
    per_cluster = (
        pd.crosstab(part[cluster], part["_code"]).reindex(columns=range(k), fill_value=0)
    ).to_numpy(dtype=float)
    n_clusters = per_cluster.shape[0]
    weights = rng.multinomial(n_clusters, np.full(n_clusters, 1.0 / n_clusters), size=n_boot)
    totals = weights @ per_cluster
    return totals / totals.sum(axis=1, keepdims=True)
