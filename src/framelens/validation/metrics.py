"""Validate any scorer against human coding: metrics, agreement and one table across scorers.

Gold labels are in the format of :mod:`framelens.datasets.gold`. When several coders labelled a unit,
their majority label is the gold label (:func:`framelens.datasets.gold.consensus`; ties are left out),
unless one ``coder`` is named.

What is compared
----------------
* **Sentence stance.** Gold rows (task ``stance``) join the stance table on
  (article_id, sent_id, target = name). Gold ``na`` rows ("not about the target") are left
  out: a scorer cannot be right or wrong about a mention that is not one. A gold unit the
  scorer did not score (it found no mention there, or the mention was inside a name) counts
  as a *neutral* prediction with score 0, since an unscored sentence contributes nothing to
  the article's stance; ``coverage`` reports the share of gold units the scorer did score.
  Labels are against/neutral/favor (gold -1/0/1).
* **Sentence frames.** Gold rows (task ``frame``) join the frames table on
  (article_id, sent_id, frame = name); a score >= ``threshold`` predicts the frame. Unscored
  units count as score 0 (frame absent), again with ``coverage``.
* **Article level.** The gold value of an (article, target) is the mean of its sentences'
  gold stance codes (-1/0/1, ``na`` left out); of an (article, frame) the share of its coded
  sentences with the frame. It is compared with ``value`` in the article_scores table; an
  article without a score counts as 0.

Metrics: accuracy, macro-F1 and per-class precision and recall (scikit-learn), the confusion
matrix, the mean absolute error and Spearman's rho between scores and gold codes (SciPy), and
Krippendorff's alpha between the scorer and the coders, the scorer counted as one more coder
(nominal on labels at sentence level, ``na`` as not coded; interval on values at article
level). Alpha answers "would the scorer pass as one more coder?" (Krippendorff 2004, *Content
Analysis*, 2nd ed.).

Only coded sentences enter an article's gold value, so with a sample of sentences per
article the article-level comparison is itself an estimate. :func:`validation_pairs` gives
the (true, predicted) pairs that :func:`framelens.validation.prevalence.corrected_prevalence` needs.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from framelens.datasets.gold import (
    STANCE_CODE_TO_LABEL,
    check_gold,
    consensus,
    normalise_keys,
    stance_code_values,
)
from framelens.errors import InputError
from framelens.tables import STANCE_LABELS, check_columns, stance_label
from framelens.validation.reliability import krippendorff_alpha

#: Columns of :func:`validation_table`.
VALIDATION_COLUMNS = [
    "scorer",
    "level",
    "task",
    "n",
    "coverage",
    "accuracy",
    "macro_f1",
    "mae",
    "spearman",
    "alpha",
]
_UNIT = ["article_id", "sent_id", "name"]


def classification_report_frame(y_true, y_pred, labels) -> pd.DataFrame:
    """Per-class precision, recall, F1 and support, with macro and weighted averages.

    Parameters
    ----------
    y_true, y_pred : array-like
        True and predicted labels.
    labels : sequence
        The classes, in the order of the rows.

    Returns
    -------
    DataFrame
        Index: the labels, then ``macro avg`` and ``weighted avg``; columns ``precision``,
        ``recall``, ``f1`` and ``support`` (number of true instances). A class never predicted
        has precision 0 (scikit-learn's ``zero_division=0``).
    """
    labels = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    report = pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support},
        index=pd.Index(labels, name="label"),
    )
    total = support.sum()
    weights = support / total if total else np.zeros_like(precision)
    averages = pd.DataFrame(
        {
            "precision": [precision.mean(), (precision * weights).sum()],
            "recall": [recall.mean(), (recall * weights).sum()],
            "f1": [f1.mean(), (f1 * weights).sum()],
            "support": [total, total],
        },
        index=["macro avg", "weighted avg"],
    )
    return pd.concat([report, averages])


def _spearman(x, y) -> float:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(spearmanr(x, y).statistic)


def _one_scorer(pred: pd.DataFrame, what: str) -> pd.DataFrame:
    names = pred["scorer"].dropna().unique()
    if len(names) > 1:
        raise InputError(
            f"the {what} table holds several scorers ({', '.join(map(str, names))})",
            hint="validate one scorer at a time, or pass them all to validation_table",
        )
    return pred


def _no_duplicates(pred: pd.DataFrame, key: list[str], what: str) -> None:
    duplicated = pred.duplicated(key, keep=False)
    if duplicated.any():
        first = pred[duplicated].iloc[0]
        raise InputError(
            f"the {what} table has several rows for one unit",
            record=", ".join(f"{k} {first[k]!r}" for k in key),
            hint="a scorer gives one row per unit",
        )


def _gold_units(gold: pd.DataFrame, task: str, coder: str | None) -> tuple[pd.DataFrame, int]:
    """Consensus gold units of ``task`` and the number of units left out for a tie."""
    rows = gold[gold["task"] == task]
    if coder is not None:
        rows = rows[rows["coder"] == coder]
    units = consensus(gold, task, coder=coder)
    n_ties = rows.drop_duplicates(_UNIT).shape[0] - units.shape[0]
    return units, n_ties


def _scorer_alpha(gold, task, scored, coder) -> float:
    """Nominal alpha of the coders plus the scorer (``scored``: one label per gold unit).

    Gold ``na`` labels count as not coded: the scorer has no such label to agree with.
    """
    rows = gold[(gold["task"] == task) & (gold["label"] != "na")]
    if coder is not None:
        rows = rows[rows["coder"] == coder]
    wide = rows.pivot(index="coder", columns=_UNIT, values="label")
    machine = scored.set_index(_UNIT)["label"].reindex(wide.columns)
    wide.loc["\x00scorer"] = machine.to_numpy()  # a name no coder can have
    return krippendorff_alpha(wide, "nominal")


def _join_stance(pred, gold, coder) -> tuple[pd.DataFrame, int, int]:
    """Gold stance units (``na`` and ties left out) with the scorer's label and score.

    Returns the joined table (gold ``label`` code, ``true`` and ``pred`` labels, ``score``,
    ``covered``), the number of ``na`` units and the number of ties.
    """
    check_columns(pred, "stance")
    pred = normalise_keys(_one_scorer(pred, "stance"))
    _no_duplicates(pred, ["article_id", "sent_id", "target"], "stance")
    units, n_ties = _gold_units(gold, "stance", coder)
    n_na = int((units["label"] == "na").sum())
    units = units[units["label"] != "na"]
    scored = pred[["article_id", "sent_id", "target", "score", "label"]].rename(
        columns={"target": "name", "label": "pred"}
    )
    joined = units.merge(scored, on=_UNIT, how="left")
    joined["covered"] = joined["pred"].notna()
    # Unscored: the scorer saw no stance evidence there, which the article sum counts as 0.
    joined["pred"] = joined["pred"].where(joined["covered"], "neutral")
    joined["score"] = joined["score"].astype(float).where(joined["covered"], 0.0)
    joined["true"] = joined["label"].map(STANCE_CODE_TO_LABEL)
    unknown = sorted(set(joined["pred"]) - set(STANCE_LABELS))
    if unknown:
        raise InputError(
            f"stance label {unknown[0]!r} is not one of {', '.join(STANCE_LABELS)}",
            hint="the stance table's label column holds against/neutral/favor",
        )
    return joined, n_na, n_ties


def _join_frames(pred, gold, coder, threshold) -> tuple[pd.DataFrame, int]:
    """Gold frame units with the scorer's score (0 if unscored) and 0/1 prediction."""
    check_columns(pred, "frames")
    pred = normalise_keys(_one_scorer(pred, "frames"))
    _no_duplicates(pred, ["article_id", "sent_id", "frame"], "frames")
    units, n_ties = _gold_units(gold, "frame", coder)
    scored = pred[["article_id", "sent_id", "frame", "score"]].rename(columns={"frame": "name"})
    joined = units.merge(scored, on=_UNIT, how="left")
    joined["covered"] = joined["score"].notna()
    joined["score"] = joined["score"].astype(float).where(joined["covered"], 0.0)
    joined["true"] = joined["label"].astype(int)
    joined["pred"] = (joined["score"] >= threshold).astype(int)
    return joined, n_ties


def validation_pairs(
    pred: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    threshold: float = 0.5,
    coder: str | None = None,
    scored_only: bool = True,
) -> pd.DataFrame:
    """True and predicted labels of the gold units: the input of error-corrected prevalence.

    Parameters
    ----------
    pred : DataFrame
        A stance table or a frames table of one scorer.
    gold : DataFrame
        A gold table.
    threshold : float, default 0.5
        Frame score threshold.
    coder : str, optional
        Use this coder's labels instead of the coders' majority.
    scored_only : bool, default True
        Keep only units the scorer scored. Prevalence is estimated from scored units, so
        their error rates are the ones to correct for.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``sent_id``, ``name``, ``true``, ``pred``: stance labels
        (against/neutral/favor) or frame labels (0/1). Pass it as ``validation`` to
        :func:`framelens.validation.prevalence.corrected_prevalence` (one frame at a time).
    """
    gold = check_gold(gold)
    kind = _kind_of(pred)
    if kind == "article_scores":
        raise InputError(
            "validation pairs are built from sentence tables", hint="give a stance or frames table"
        )
    if kind == "stance":
        joined = _join_stance(pred, gold, coder)[0]
    else:
        joined = _join_frames(pred, gold, coder, threshold)[0]
    if scored_only:
        joined = joined[joined["covered"]]
    return joined[_UNIT + ["true", "pred"]].reset_index(drop=True)


def stance_metrics(pred: pd.DataFrame, gold: pd.DataFrame, *, coder: str | None = None) -> dict:
    """Compare one scorer's sentence stance with the gold stance.

    Parameters
    ----------
    pred : DataFrame
        The stance table of one scorer (article_id, sent_id, target, scorer, score, label,
        confidence).
    gold : DataFrame
        A gold table (see :mod:`framelens.datasets.gold`).
    coder : str, optional
        Use this coder's labels instead of the coders' majority.

    Returns
    -------
    dict
        ``n`` (gold units compared), ``n_na`` (gold ``na`` units left out), ``n_ties`` (units
        without a majority, left out), ``coverage``, ``accuracy``, ``macro_f1``,
        ``precision_<label>``/``recall_<label>``/``f1_<label>`` for against, neutral, favor,
        ``mae`` and ``spearman`` (score vs gold code), ``alpha`` (scorer as one more coder),
        ``confusion`` (DataFrame: rows true, columns predicted) and ``report``
        (:func:`classification_report_frame`).
    """
    gold = check_gold(gold)
    joined, n_na, n_ties = _join_stance(pred, gold, coder)
    covered = joined["covered"]
    y_true = joined["true"]
    y_pred = joined["pred"]
    to_code = {label: code for code, label in STANCE_CODE_TO_LABEL.items()}
    machine = joined.assign(label=joined["pred"].map(to_code))
    result = _label_metrics(y_true, y_pred, list(STANCE_LABELS))
    result.update(
        n=len(joined),
        n_na=n_na,
        n_ties=n_ties,
        coverage=float(covered.mean()) if len(joined) else float("nan"),
        mae=float(np.abs(joined["score"] - stance_code_values(joined["label"])).mean())
        if len(joined)
        else float("nan"),
        spearman=_spearman(joined["score"], stance_code_values(joined["label"])),
        alpha=_scorer_alpha(gold, "stance", machine, coder) if len(joined) else float("nan"),
    )
    return result


def span_metrics(scored: pd.DataFrame) -> dict:
    """Accuracy and macro-F1 of scored spans against the gold labels their file carries.

    Parameters
    ----------
    scored : DataFrame
        :func:`framelens.scorers.spans.score_span_records` output: ``label`` (predicted) and
        ``gold`` (the file's label, None where it has none).

    Returns
    -------
    dict
        ``n`` (spans with a gold label), ``accuracy``, ``macro_f1`` (NaN without gold labels)
        and ``macro_labels``, the labels it averages: those of against, neutral and favor that
        occur among the gold or the predicted labels (a label that occurs in neither has no F1:
        counting it as 0 would understate a perfect result on a small file). Plus the
        per-label precision, recall and F1 and the ``confusion`` matrix of
        :func:`stance_metrics`.
    """
    known = scored[scored["gold"].notna()] if "gold" in scored else scored.iloc[:0]
    y_true = known["gold"].astype(str).tolist()
    y_pred = known["label"].astype(str).tolist()
    result = _label_metrics(y_true, y_pred, list(STANCE_LABELS))
    occurring = [label for label in STANCE_LABELS if label in set(y_true) | set(y_pred)]
    if occurring:
        result["macro_f1"] = float(
            f1_score(y_true, y_pred, labels=occurring, average="macro", zero_division=0)
        )
    return {"n": len(known), **result, "macro_labels": occurring}


def _label_metrics(y_true, y_pred, labels: list) -> dict:
    if len(y_true) == 0:
        return {"accuracy": float("nan"), "macro_f1": float("nan")}
    report = classification_report_frame(y_true, y_pred, labels)
    result = {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(
            f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
        ),
    }
    for label in labels:
        result[f"precision_{label}"] = float(report.loc[label, "precision"])
        result[f"recall_{label}"] = float(report.loc[label, "recall"])
        result[f"f1_{label}"] = float(report.loc[label, "f1"])
    result["confusion"] = pd.DataFrame(
        confusion_matrix(y_true, y_pred, labels=labels),
        index=pd.Index(labels, name="true"),
        columns=pd.Index(labels, name="predicted"),
    )
    result["report"] = report
    return result


def frame_metrics(
    pred: pd.DataFrame, gold: pd.DataFrame, threshold: float = 0.5, *, coder: str | None = None
) -> dict:
    """Compare one scorer's sentence frames with the gold frames.

    Parameters
    ----------
    pred : DataFrame
        The frames table of one scorer (article_id, sent_id, frame, scorer, score).
    gold : DataFrame
        A gold table.
    threshold : float, default 0.5
        A score at or above it predicts the frame.
    coder : str, optional
        Use this coder's labels instead of the coders' majority.

    Returns
    -------
    dict
        ``n`` ((sentence, frame) units compared), ``n_ties``, ``coverage``, ``accuracy`` (over
        all units), ``macro_f1`` (mean over frames of the F1 of "frame present"),
        ``precision_<frame>``/``recall_<frame>``/``f1_<frame>``, ``mae`` and ``spearman``
        (score vs 0/1 gold), ``alpha`` (scorer as one more coder), ``confusion`` (DataFrame:
        one row per frame with tn, fp, fn, tp) and ``report``
        (:func:`classification_report_frame` per frame, on present = 1).
    """
    gold = check_gold(gold)
    joined, n_ties = _join_frames(pred, gold, coder, threshold)
    covered = joined["covered"]
    truth = joined["true"]
    rows, confusion = {}, []
    for name, part in joined.groupby("name", sort=True):
        p, r, f, s = precision_recall_fscore_support(
            part["label"].astype(int), part["pred"], labels=[1], zero_division=0
        )
        rows[name] = {"precision": p[0], "recall": r[0], "f1": f[0], "support": s[0]}
        tn, fp, fn, tp = confusion_matrix(
            part["label"].astype(int), part["pred"], labels=[0, 1]
        ).ravel()
        confusion.append({"frame": name, "tn": tn, "fp": fp, "fn": fn, "tp": tp})
    report = pd.DataFrame.from_dict(rows, orient="index")
    result = {
        "n": len(joined),
        "n_ties": n_ties,
        "coverage": float(covered.mean()) if len(joined) else float("nan"),
        "accuracy": float((truth == joined["pred"]).mean()) if len(joined) else float("nan"),
        "macro_f1": float(report["f1"].mean()) if len(report) else float("nan"),
        "mae": float(np.abs(joined["score"] - truth).mean()) if len(joined) else float("nan"),
        "spearman": _spearman(joined["score"], truth),
    }
    for name, row in rows.items():
        result[f"precision_{name}"] = float(row["precision"])
        result[f"recall_{name}"] = float(row["recall"])
        result[f"f1_{name}"] = float(row["f1"])
    machine = joined.assign(label=joined["pred"].astype(str))
    result["alpha"] = _scorer_alpha(gold, "frame", machine, coder) if len(joined) else float("nan")
    result["confusion"] = pd.DataFrame(confusion, columns=["frame", "tn", "fp", "fn", "tp"])
    result["report"] = report
    return result


def gold_article_values(gold: pd.DataFrame, kind: str = "stance", *, coder=None) -> pd.DataFrame:
    """Gold article values: mean sentence stance code, or share of sentences with a frame.

    Parameters
    ----------
    gold : DataFrame
        A gold table.
    kind : {"stance", "frame"}
        Which gold labels to average.
    coder : str, optional
        Use this coder's labels; by default the sentence consensus.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``name``, ``gold`` (float), ``n_sentences``.
    """
    units = consensus(check_gold(gold), kind, coder=coder)
    if kind == "stance":
        units = units[units["label"] != "na"]
    units = units.assign(value=units["label"].astype(float))
    return (
        units.groupby(["article_id", "name"], sort=True)["value"]
        .agg(gold="mean", n_sentences="size")
        .reset_index()
    )


def article_metrics(
    article_scores: pd.DataFrame,
    gold: pd.DataFrame,
    kind: str = "stance",
    *,
    coder: str | None = None,
    neutral_band: float = 0.05,
) -> dict:
    """Compare one scorer's article values with gold article values.

    Parameters
    ----------
    article_scores : DataFrame
        The article_scores table of one scorer.
    gold : DataFrame
        A gold table; see :func:`gold_article_values`.
    kind : {"stance", "frame"}
        Which rows of ``article_scores`` (its ``kind`` column) and of the gold to compare.
    coder : str, optional
        Use this coder's labels instead of the coders' majority.
    neutral_band : float, default 0.05
        Half-width of the neutral band used to label article stance values (both gold and
        predicted) as against/neutral/favor, as :func:`framelens.tables.stance_label` does.

    Returns
    -------
    dict
        ``n`` (articles x names compared), ``coverage``, ``mae``, ``spearman``, ``alpha``
        (interval alpha of the per-coder article values plus the scorer's), and for stance
        ``accuracy``, ``macro_f1`` and ``confusion`` of the banded labels.
    """
    check_columns(article_scores, "article_scores")
    scores = normalise_keys(_one_scorer(article_scores, "article_scores"))
    scores = scores[scores["kind"] == kind]
    _no_duplicates(scores, ["article_id", "name"], "article_scores")
    gold = check_gold(gold)
    truth = gold_article_values(gold, kind, coder=coder)
    joined = truth.merge(
        scores[["article_id", "name", "value"]], on=["article_id", "name"], how="left"
    )
    covered = joined["value"].notna()
    joined["value"] = joined["value"].astype(float).where(covered, 0.0)
    result = {
        "n": len(joined),
        "coverage": float(covered.mean()) if len(joined) else float("nan"),
        "mae": float(np.abs(joined["value"] - joined["gold"]).mean())
        if len(joined)
        else float("nan"),
        "spearman": _spearman(joined["value"], joined["gold"]),
    }
    if kind == "stance" and len(joined):
        labels = list(STANCE_LABELS)
        y_true = [stance_label(v, neutral_band) for v in joined["gold"]]
        y_pred = [stance_label(v, neutral_band) for v in joined["value"]]
        metrics = _label_metrics(y_true, y_pred, labels)
        result.update({k: metrics[k] for k in ("accuracy", "macro_f1", "confusion")})
    else:
        result.update(accuracy=float("nan"), macro_f1=float("nan"))
    result["alpha"] = _article_alpha(gold, kind, joined, coder)
    return result


def _article_alpha(gold, kind, joined, coder) -> float:
    if joined.empty:
        return float("nan")
    names = [coder] if coder is not None else sorted(gold["coder"].unique())
    wide = {}
    for name in names:
        values = gold_article_values(gold, kind, coder=name)
        wide[name] = values.set_index(["article_id", "name"])["gold"]
    table = pd.DataFrame(wide).T.reindex(
        columns=pd.MultiIndex.from_frame(joined[["article_id", "name"]])
    )
    table.loc["\x00scorer"] = joined["value"].to_numpy()
    return krippendorff_alpha(table.astype(float), "interval")


def _kind_of(table: pd.DataFrame, source=None) -> str:
    """``"stance"``, ``"frames"`` or ``"article_scores"``, by the columns of ``table``
    (``source``: the file it was read from, named in the error)."""
    if {"kind", "value"} <= set(table.columns):
        return "article_scores"
    if "frame" in table.columns:
        return "frames"
    if "target" in table.columns:
        return "stance"
    columns = ", ".join(map(str, table.columns)) or "none"
    raise InputError(
        f"cannot tell which table this is (no target, frame or kind column; columns: {columns})",
        source=source,
        hint="give a stance, frames or article_scores table (from framelens score); the gold "
        "codings go to --gold",
    )


def validation_table(
    results, gold: pd.DataFrame, *, threshold: float = 0.5, coder: str | None = None
) -> pd.DataFrame:
    """One table of metrics across scorers, levels and tasks.

    Parameters
    ----------
    results : mapping of str to DataFrame (or list of DataFrames), DataFrame, or list
        Scorer name -> its stance, frames and/or article_scores tables (the kind of each
        table is read from its columns). A DataFrame, or each DataFrame of a list, is split by
        its ``scorer`` column instead.
    gold : DataFrame
        A gold table.
    threshold : float, default 0.5
        Frame score threshold (see :func:`frame_metrics`).
    coder : str, optional
        Use this coder's labels instead of the coders' majority.

    Returns
    -------
    DataFrame
        One row per (scorer, level, task) with the :data:`VALIDATION_COLUMNS`; ``level`` is
        ``sentence`` or ``article``. Metrics that do not apply are NaN.
    """
    if isinstance(results, pd.DataFrame):
        results = [results]
    if not isinstance(results, Mapping):
        by_scorer: dict[str, list[pd.DataFrame]] = {}
        for table in results:
            if "scorer" not in table.columns:
                raise InputError("a result table lacks the scorer column")
            for name, part in table.groupby("scorer", sort=True):
                by_scorer.setdefault(str(name), []).append(part)
        results = by_scorer
    gold = check_gold(gold)
    rows = []
    for scorer, tables in results.items():
        tables = [tables] if isinstance(tables, pd.DataFrame) else list(tables)
        for table in tables:
            kind = _kind_of(table)
            if kind == "stance":
                found = [("sentence", "stance", stance_metrics(table, gold, coder=coder))]
            elif kind == "frames":
                found = [("sentence", "frame", frame_metrics(table, gold, threshold, coder=coder))]
            else:
                found = [
                    ("article", k, article_metrics(table, gold, k, coder=coder))
                    for k in ("stance", "frame")
                    if (table["kind"] == k).any() and (gold["task"] == k).any()
                ]
            for level, task, metrics in found:
                rows.append(
                    {
                        "scorer": scorer,
                        "level": level,
                        "task": task,
                        **{c: metrics.get(c, np.nan) for c in VALIDATION_COLUMNS[3:]},
                    }
                )
    table = pd.DataFrame(rows, columns=VALIDATION_COLUMNS)
    order = table["level"].map({"sentence": 0, "article": 1})
    return (
        table.assign(_order=order)
        .sort_values(["task", "_order", "scorer"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _cell(value, floatfmt: str) -> str:
    if value is pd.NA:  # a blank integer cell (e.g. n of a note row)
        return ""
    if isinstance(value, (float, np.floating)):
        return "" if np.isnan(value) else format(value, floatfmt)
    return str(value).replace("|", "\\|")  # a bare pipe would end the cell


def to_markdown(table: pd.DataFrame, floatfmt: str = ".3f") -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned, missing values blank).

    Parameters
    ----------
    table : DataFrame
        Any table, e.g. from :func:`validation_table`; the index is not written.
    floatfmt : str, default ".3f"
        Format of float cells.

    Returns
    -------
    str
        The table, one line per row, ending with a newline.
    """
    header = [str(c) for c in table.columns]
    body = [[_cell(v, floatfmt) for v in row] for row in table.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    widths = [max([len(h)] + [len(r[i]) for r in body] + [3]) for i, h in enumerate(header)]

    def line(cells):
        padded = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(cells, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w - 1) + ":" if num else "-" * w for w, num in zip(widths, numeric, strict=True)]
    lines = [line(header), "| " + " | ".join(rule) + " |"] + [line(r) for r in body]
    return "\n".join(lines) + "\n"


def to_latex(table: pd.DataFrame, precision: int = 3, caption: str | None = None) -> str:
    """A booktabs LaTeX tabular of ``table`` (via :meth:`pandas.io.formats.style.Styler.to_latex`).

    Parameters
    ----------
    table : DataFrame
        Any table; the index is not written. Text is escaped for LaTeX.
    precision : int, default 3
        Decimals of float cells; missing values are written as ``--``.
    caption : str, optional
        Wraps the tabular in a ``table`` environment with this caption.

    Returns
    -------
    str
    """
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    style = (
        table.style.format(precision=precision, na_rep="--", escape="latex")
        .format_index(escape="latex", axis=1)
        .hide(axis="index")
    )
    return style.to_latex(
        hrules=True,
        column_format="".join("r" if num else "l" for num in numeric),
        caption=caption,
        position_float="centering" if caption else None,
    )


def read_scores(path) -> pd.DataFrame:
    """Read a scorer's output table (CSV or Parquet) written by ``framelens score``.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` or ``.parquet`` file.

    Returns
    -------
    DataFrame
        The table, with ``article_id`` read as text.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("score table not found", source=path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            table = pd.read_parquet(path)
        elif suffix == ".csv":
            table = pd.read_csv(path, dtype={"article_id": str})
        else:
            raise InputError(
                f"unsupported table format {suffix or '(none)'}",
                source=path,
                hint="give a .csv or .parquet file",
            )
    except (OSError, ValueError, pd.errors.ParserError) as err:
        if isinstance(err, InputError):
            raise
        raise InputError(f"cannot read the table: {err}", source=path) from err
    _kind_of(table, source=path)
    return table
