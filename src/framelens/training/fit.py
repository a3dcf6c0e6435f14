"""Train the supervised scorers on the labelled data of :mod:`framelens.training.sources`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from framelens.errors import InputError
from framelens.training.sources import (
    FRAME_ID_COLUMNS,
    _as_list,
    frame_training_table,
    stance_training_table,
)


@dataclass
class TrainResult:
    """What :func:`train_scorer` returns.

    Attributes
    ----------
    scorer : SupervisedStanceScorer or SupervisedFrameScorer
        The fitted scorer.
    table : DataFrame
        The training table it was fitted on.
    training_hash : str
        :func:`framelens.models.scorer_files.training_data_hash` of ``table``.
    sources : list of str
        The data specs, as given.
    """

    scorer: object
    table: pd.DataFrame
    training_hash: str
    sources: list[str] = field(default_factory=list)


def train_scorer(
    task: str,
    data,
    *,
    corpus=None,
    codebook=None,
    features: str = "tfidf",
    classifier: str = "logreg",
    n_splits: int = 5,
    random_state: int = 0,
) -> TrainResult:
    """Read the training data, fit the supervised scorer of ``task`` and hash what it saw.

    Parameters
    ----------
    task : {"stance", "frame"}
    data : str or list of str
        Data specs (see the module docstring).
    corpus : str or Path, optional
        The corpus of ``gold:`` codings.
    codebook : Codebook, str, Path or None
        The codebook; None is the shipped default.
    features : {"tfidf", "tfidf+embedding"}
    classifier : {"logreg", "svm"}
    n_splits : int, default 5
        Folds of the grouped cross-validation.
    random_state : int, default 0

    Returns
    -------
    TrainResult
    """
    from framelens.models.scorer_files import training_data_hash
    from framelens.scorers.supervised import SupervisedFrameScorer, SupervisedStanceScorer

    specs = _as_list(data)
    settings = dict(
        features=features, classifier=classifier, n_splits=n_splits, random_state=random_state
    )
    if task == "stance":
        table = stance_training_table(specs, corpus=corpus, codebook=codebook)
        scorer = SupervisedStanceScorer(**settings).fit(
            table[["text", "spans", "target"]], table["label"], groups=table["group"]
        )
    elif task == "frame":
        table = frame_training_table(specs, corpus=corpus, codebook=codebook)
        frames = [c for c in table.columns if c not in FRAME_ID_COLUMNS]
        scorer = SupervisedFrameScorer(**settings).fit(
            table["text"], table[frames], groups=table["group"]
        )
    else:
        raise InputError(f"unknown task {task!r}", hint="use stance or frame")
    return TrainResult(scorer, table, training_data_hash(table), specs)


def cv_table(scorer) -> pd.DataFrame:
    """The fitted scorer's cross-validated scores as a table, for printing.

    Parameters
    ----------
    scorer : SupervisedStanceScorer or SupervisedFrameScorer
        A fitted scorer.

    Returns
    -------
    DataFrame
        Stance: one row per C with ``f1_macro`` and ``f1_macro_std`` and ``chosen``. Frames:
        one row per frame with ``n_positive``, ``average_precision``, ``f1`` (at the threshold
        tuned on the same folds, so optimistic) and ``threshold``.
    """
    results = scorer.cv_results_
    if scorer.kind == "stance":
        table = pd.DataFrame({k: results[k] for k in ("C", "f1_macro", "f1_macro_std")})
        table["chosen"] = table["C"] == scorer.best_C_
        return table
    return pd.DataFrame(
        {
            "frame": scorer.frames_,
            "n_positive": [int(scorer.n_positive_[f]) for f in scorer.frames_],
            "average_precision": [results["frame_average_precision"][f] for f in scorer.frames_],
            "f1": [results["frame_f1"][f] for f in scorer.frames_],
            "threshold": [scorer.thresholds_[f] for f in scorer.frames_],
        }
    )
