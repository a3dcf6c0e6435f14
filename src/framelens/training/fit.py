"""Train the supervised scorers on the labelled data of :mod:`framelens.training.sources`.

* :func:`train_scorer`: the scikit-learn stance and frame scorers (``supervised``);
* :func:`train_encoder_frames`: the logistic frame heads on a pretrained encoder
  (``encoder-supervised``), from sources that may label different frames, plus the codebook's
  exemplars.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framelens.errors import InputError
from framelens.training.sources import (
    EXEMPLAR_SOURCE,
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
    details : dict
        More to record with the model (``train_encoder_frames``: the hash of each source's
        rows, the encoder, and the seconds spent embedding and fitting).
    """

    scorer: object
    table: pd.DataFrame
    training_hash: str
    sources: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)


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


def train_encoder_frames(
    data=(),
    *,
    corpus=None,
    codebook=None,
    exemplars: bool = True,
    encoder: str = "minilm",
    weighting: str = "cv",
    n_splits: int = 5,
    random_state: int = 0,
    device: str = "cpu",
    batch_size: int = 32,
    cache_dir=None,
    progress: Callable[[str], None] | None = None,
) -> TrainResult:
    """Fit the ``encoder-supervised`` frame heads on labelled texts and the codebook's exemplars.

    Parameters
    ----------
    data : str or list of str
        ``frac:PATH``, ``narrative:PATH`` and/or ``gold:PATH`` specs; they may label different
        frames (a frame a source does not label is missing there, not negative).
    corpus : str or Path, optional
        The corpus of ``gold:`` codings.
    codebook : Codebook, str, Path or None
        The codebook (its frames and exemplars); None is the shipped default.
    exemplars : bool, default True
        Add the codebook's exemplar sentences as positives of their frames.
    encoder : str, default "minilm"
        The pretrained encoder (:mod:`framelens.models.encoders`).
    weighting : {"cv", "class", "source"}, default "cv"
        See :class:`~framelens.scorers.encoder_heads.EncoderHeadsFrameScorer`.
    n_splits : int, default 5
        Folds of the grouped cross-validation that chooses each head's C.
    random_state : int, default 0
        Seed of the fold assignment.
    device, batch_size, cache_dir
        Where the encoder runs, sentences per pass, and the embedding cache directory.
    progress : callable, optional
        Called with one line of text as each step starts: the texts of each source, then
        embedding (minutes on a CPU for a few thousand articles), then fitting; the command
        line prints them so that a long embedding is not taken for a hang.

    Returns
    -------
    TrainResult
        The scorer's ``device`` and ``cache_dir`` are reset to their defaults (they belong to
        this machine, not to the model). ``details`` holds ``source_hashes`` (the training-data
        hash of each source's rows), ``source_files`` (the sha256 of each source's file, so a
        validation can tell whether the model saw the gold file it is measured on), ``encoder``
        (name and weights sha256), ``embed_seconds`` and ``fit_seconds``.
    """
    from framelens.models.encoders import resolve_encoder
    from framelens.models.scorer_files import training_data_hash
    from framelens.scorers.encoder_heads import EncoderHeadsFrameScorer

    specs = [str(s) for s in ([data] if isinstance(data, str) else list(data or []))]
    if not specs and not exemplars:
        raise InputError("no training data given", hint="pass --data KIND:PATH")
    table = frame_training_table(
        specs, corpus=corpus, codebook=codebook, partial=True, exemplars=exemplars
    )
    table["group"] = source_groups(table)
    frames = [c for c in table.columns if c not in FRAME_ID_COLUMNS]
    files = resolve_encoder(encoder)
    scorer = EncoderHeadsFrameScorer(
        encoder=encoder,
        weighting=weighting,
        n_splits=n_splits,
        random_state=random_state,
        device=device,
        batch_size=batch_size,
        cache_dir=cache_dir,
    )
    report = progress or (lambda message: None)
    counts = table["source"].value_counts(sort=False)
    report(
        f"training texts: {len(table):,} ("
        + ", ".join(f"{_source_name(source)} {n:,}" for source, n in counts.items())
        + ")"
    )
    report(
        f"embedding {len(table):,} texts with {files.name} on {device} "
        "(minutes on a CPU for a few thousand articles; cached for the next run with --cache-dir)"
    )
    started = time.perf_counter()
    X = scorer.embed(table["text"])
    embedded = time.perf_counter()
    report(
        f"embedded in {embedded - started:.0f} s; fitting {len(frames)} frame heads "
        f"({n_splits}-fold grouped cross-validation)"
    )
    scorer.fit_embeddings(X, table[frames], groups=table["group"], sources=table["source"])
    scorer.encoder_name_ = files.name
    scorer.encoder_sha256_ = files.weights_sha256
    # Where it ran and cached are settings of this machine, not of the model: not saved with it.
    scorer.set_params(device="cpu", cache_dir=None)
    finished = time.perf_counter()
    details = {
        "source_hashes": {
            str(source): training_data_hash(rows.reset_index(drop=True))
            for source, rows in table.groupby("source", sort=True)
        },
        "source_files": source_file_hashes(specs, "frame"),
        "encoder": {"name": files.name, "weights_sha256": files.weights_sha256},
        "embed_seconds": round(embedded - started, 1),
        "fit_seconds": round(finished - embedded, 1),
    }
    sources = specs + ([EXEMPLAR_SOURCE] if exemplars else [])
    return TrainResult(scorer, table, training_data_hash(table), sources, details)


def _source_name(source: str) -> str:
    """How a source is named in progress lines: its kind and file name (``frac:...csv``)."""
    kind, _, path = str(source).partition(":")
    return f"{kind}:{Path(path).name}" if path else kind


def source_file_hashes(specs, task: str) -> dict[str, str]:
    """The sha256 of the file behind each ``KIND:PATH`` data spec, by spec.

    The training-data hash of a source's rows changes with the codebook and the corpus; the
    file's own hash identifies the file, so a model card that records it says exactly which
    labelled file the model saw (:mod:`framelens.validation.report` leaves a shipped model's
    rows out when it is measured on a file it was trained on).

    Parameters
    ----------
    specs : list of str
        Data specs as given to training.
    task : {"stance", "frame"}

    Returns
    -------
    dict of str to str
        Spec -> sha256 (hex) of its file.
    """
    from framelens.hashing import sha256_file
    from framelens.training.sources import parse_data_spec

    return {spec: sha256_file(parse_data_spec(spec, task)[1]) for spec in _as_list(specs)}


def source_groups(table: pd.DataFrame) -> pd.Series:
    """Cross-validation groups that never join two sources: ``"<kind>|<group>"``.

    The prefix is the data kind (``frac``, ``narrative``, ``gold``, ``codebook``), not the whole
    spec, so the folds (and the model) do not depend on how the data's path was spelled.
    """
    kind = table["source"].astype(str).str.split(":", n=1).str[0]
    return kind + "|" + table["group"].astype(str)


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
        tuned on the same folds, so optimistic) and ``threshold``. Encoder heads: one row per
        frame with ``n_labelled``, ``n_positive``, the chosen ``weighting`` and ``C``,
        ``average_precision`` and
        ``f1`` (at 0.5, not tuned).
    """
    results = scorer.cv_results_
    if hasattr(scorer, "best_C_") and isinstance(scorer.best_C_, dict):  # encoder heads
        return pd.DataFrame(
            {
                "frame": scorer.frames_,
                "n_labelled": [scorer.n_labelled_[f] for f in scorer.frames_],
                "n_positive": [scorer.n_positive_[f] for f in scorer.frames_],
                "weighting": [scorer.weighting_[f] for f in scorer.frames_],
                "C": [scorer.best_C_[f] for f in scorer.frames_],
                "average_precision": [
                    results["frame_average_precision"][f] for f in scorer.frames_
                ],
                "f1": [results["frame_f1"][f] for f in scorer.frames_],
            }
        )
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
