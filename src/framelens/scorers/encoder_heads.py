"""Supervised frames on a pretrained encoder: one logistic head per frame on sentence embeddings.

``register_scorer("frame", "encoder-supervised")``. The encoder (all-MiniLM-L6-v2 by default,
:mod:`framelens.models.encoders`) is frozen; what is learned is, per frame, a weight vector and
an intercept over its 384-dimensional unit embeddings (:func:`framelens.scorers.encoder.encode`),
so a trained model is a few kilobytes plus the hash of the encoder it belongs to. Texts longer
than the encoder's window (whole articles) are embedded as the mean of their sentences
(:func:`~framelens.scorers.encoder.encode_documents`).

Training data may come from sources that label different frames (FrAC labels all three default
frames, Narrative Frames only ``geo_economic``, a codebook exemplar only its own frame): a frame
a source does not label is *missing* there (NaN), not negative, and each head learns from the
rows that label its frame.

Weighting: the positives and the negatives of a head always weigh the same in total, so no
source's base rate (how common a frame is in climate news or in the Media Frames Corpus) moves
the decision point: 0.5 is where the evidence for and against a frame is even, so the default
``frame_threshold`` of 0.5 is the head's decision threshold, and no threshold is tuned. Within a
class, ``weighting="class"`` weighs every row the same (scikit-learn's
``class_weight="balanced"``: the biggest source speaks loudest), ``weighting="source"`` weighs
every source the same (seven codebook exemplars then count as much as 523 FrAC sentences), and
``weighting="cv"`` (the default) lets the cross-validation below choose between the two for each
frame, with C.

The regularisation strength ``C`` (and, with ``"cv"``, the weighting) is chosen per frame by
grouped cross-validation (texts of one article never straddle folds): the candidate with the
highest out-of-fold average precision, measured within each source that holds both classes and
averaged over those sources (so the easy, positive-only exemplars do not flatter it, and gold
codings among the sources have their say). Then each head is refitted on all its rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score

from framelens.errors import InputError
from framelens.scorers.base import FrameScorer, register_scorer

#: Accepted values of the ``weighting`` setting.
WEIGHTINGS = ("class", "source", "cv")


@register_scorer("frame", "encoder-supervised")
class EncoderHeadsFrameScorer(FrameScorer):
    """Logistic heads per frame on frozen sentence-encoder embeddings.

    Parameters
    ----------
    encoder : str, default "minilm"
        A registered encoder (:data:`framelens.models.encoders.ENCODERS`) or a model folder.
        A trained model records the encoder's weights hash and refuses any other encoder.
    Cs : tuple of float, default (0.3, 1.0, 3.0, 10.0)
        Inverse regularisation strengths tried, per frame, by grouped cross-validation.
    weighting : {"cv", "class", "source"}, default "cv"
        Classes always balanced; within a class ``"class"`` weighs rows equally, ``"source"``
        sources equally, and ``"cv"`` chooses per frame by cross-validation (module docstring).
    n_splits : int, default 5
        Folds of the grouped cross-validation (at most the number of groups).
    random_state : int, default 0
        Seed of the fold assignment (the fits themselves are deterministic).
    device : str, default "cpu"
        Where the encoder runs.
    batch_size : int, default 32
        Sentences per forward pass of the encoder.
    cache_dir : str or Path, optional
        Score-cache directory for the sentence embeddings.

    Attributes
    ----------
    frames_ : list of str
        The frames learned, the column order of :meth:`score_texts`.
    coef_ : ndarray of shape (n_frames, dim)
        Each head's weights.
    intercept_ : ndarray of shape (n_frames,)
        Each head's intercept.
    best_C_ : dict of str to float
        The C chosen for each frame.
    weighting_ : dict of str to str
        The weighting used for each frame (``"class"`` or ``"source"``).
    cv_results_ : dict
        ``C`` and ``weightings`` (the values tried); ``average_precision`` (per frame, one value
        per candidate ``"<weighting> C=<C>"``: the out-of-fold average precision of each source
        holding both classes, averaged over those sources); at each frame's chosen candidate: ``frame_average_precision``, ``frame_f1`` (at 0.5,
        not tuned, so not optimistic; averaged over sources likewise), ``frame_source_scores``
        (both, per source) and ``frame_n_labelled``.
    n_positive_ : dict of str to int
        Training texts labelled with each frame.
    n_labelled_ : dict of str to int
        Training texts that label each frame (present or absent).
    source_counts_ : dict of str to int
        Training texts per source.
    encoder_name_ : str
        The encoder's registered name (or folder).
    encoder_sha256_ : str
        sha256 of the encoder weights the heads were trained on.
    fold_ids_ : ndarray of int
        The cross-validation fold of every training text.
    n_train_ : int
        Number of training texts.
    """

    def __init__(
        self,
        encoder: str = "minilm",
        Cs: tuple = (0.3, 1.0, 3.0, 10.0),
        weighting: str = "cv",
        n_splits: int = 5,
        random_state: int = 0,
        device: str = "cpu",
        batch_size: int = 32,
        cache_dir=None,
    ):
        self.encoder = encoder
        self.Cs = Cs
        self.weighting = weighting
        self.n_splits = n_splits
        self.random_state = random_state
        self.device = device
        self.batch_size = batch_size
        self.cache_dir = cache_dir

    # ----------------------------------------------------------------------------- embedding

    def embed(self, texts) -> np.ndarray:
        """Unit embeddings of ``texts`` on the encoder (long texts: mean of their sentences)."""
        from framelens.scorers.encoder import encode_documents

        return encode_documents(
            [str(t) for t in texts],
            self.encoder,
            cache_dir=self.cache_dir,
            device=self.device,
            batch_size=self.batch_size,
        )

    # ------------------------------------------------------------------------------- fitting

    def fit(self, texts, Y: pd.DataFrame, groups=None, sources=None) -> EncoderHeadsFrameScorer:
        """Embed ``texts`` and fit one head per frame (see :meth:`fit_embeddings`).

        Parameters
        ----------
        texts : sequence of str
            Sentences or whole articles.
        Y, groups, sources
            As in :meth:`fit_embeddings`.

        Returns
        -------
        EncoderHeadsFrameScorer
            ``self``, fitted.
        """
        from framelens.models.encoders import resolve_encoder

        files = resolve_encoder(self.encoder)
        self.fit_embeddings(self.embed(texts), Y, groups=groups, sources=sources)
        self.encoder_name_ = files.name
        self.encoder_sha256_ = files.weights_sha256
        return self

    def fit_embeddings(self, X, Y: pd.DataFrame, groups=None, sources=None):
        """Fit one head per frame on precomputed embeddings.

        Parameters
        ----------
        X : array-like of shape (n, dim)
            Unit embeddings of the training texts (from :meth:`embed`).
        Y : DataFrame
            One column per frame, one row per text: 1 (present), 0 (absent) or NaN (the text's
            source does not label that frame). The columns become :meth:`frame_names`.
        groups : array-like of shape (n,), optional
            Group of every text (its article); a group never straddles folds. Default: every
            text its own group.
        sources : array-like of shape (n,), optional
            Source of every text (e.g. the data spec): weights and cross-validated scores are
            per source. Default: one source.

        Returns
        -------
        EncoderHeadsFrameScorer
            ``self``, fitted (without the encoder hash: :meth:`fit` records it).
        """
        from framelens.scorers.supervised import grouped_folds

        self._check_settings()
        X = np.asarray(X, dtype=np.float64)
        labels, frames = _check_labels(Y, len(X))
        groups = _as_strings(groups, len(X), "groups", default=np.arange(len(X)))
        sources = _as_strings(sources, len(X), "sources", default=np.zeros(len(X), dtype=int))
        n_groups = len(pd.unique(groups))
        n_splits = min(int(self.n_splits), n_groups)
        if n_splits < 2:
            raise InputError(
                f"{n_groups} group(s) of training texts: cross-validation needs at least two",
                hint="add labelled articles",
            )
        for j, frame in enumerate(frames):
            known = labels[~np.isnan(labels[:, j]), j]
            if len(np.unique(known)) < 2:
                raise InputError(
                    f"frame {frame!r}: the training data hold only "
                    f"{'positives' if known.any() else 'negatives'} for it",
                    hint="a head needs labelled texts with and without the frame",
                )
        strata = ["+".join(_code(v) for v in row) for row in labels]
        folds = grouped_folds(strata, groups, n_splits, self.random_state)
        Cs = [float(C) for C in self.Cs]
        # Candidates in order of preference on a tie: stronger regularisation first, and the
        # weightings in the order of WEIGHTINGS.
        weightings = (
            [w for w in WEIGHTINGS if w != "cv"] if self.weighting == "cv" else [self.weighting]
        )
        candidates = [(w, C) for w in weightings for C in Cs]
        coef, intercept = [], []
        ap_by, chosen, best_ap, best_f1, by_source, n_labelled = {}, {}, {}, {}, {}, {}
        for j, frame in enumerate(frames):
            rows = ~np.isnan(labels[:, j])
            y = labels[rows, j].astype(int)
            weights = {w: _weights(w, sources[rows], y) for w in weightings}
            scores = {
                (w, C): _source_scores(
                    y, self._out_of_fold(X[rows], y, weights[w], folds[rows], C), sources[rows]
                )
                for w, C in candidates
            }
            ap_by[frame] = {
                f"{w} C={C:g}": scores[(w, C)]["average_precision"] for w, C in candidates
            }
            best = max(
                candidates,
                key=lambda k: (
                    np.nan_to_num(scores[k]["average_precision"], nan=-1.0),
                    -k[1],
                    -weightings.index(k[0]),
                ),
            )
            weighting, C = best
            head = _head(C).fit(X[rows], y, sample_weight=weights[weighting])
            coef.append(head.coef_[0])
            intercept.append(float(head.intercept_[0]))
            chosen[frame] = (weighting, C)
            best_ap[frame] = scores[best]["average_precision"]
            best_f1[frame] = scores[best]["f1"]
            by_source[frame] = scores[best]["by_source"]
            n_labelled[frame] = int(rows.sum())
        self.frames_ = frames
        self.coef_ = np.vstack(coef)
        self.intercept_ = np.asarray(intercept)
        self.best_C_ = {f: C for f, (_, C) in chosen.items()}
        self.weighting_ = {f: w for f, (w, _) in chosen.items()}
        self.cv_results_ = {
            "C": Cs,
            "weightings": weightings,
            "average_precision": ap_by,
            "frame_average_precision": best_ap,
            "frame_f1": best_f1,
            "frame_source_scores": by_source,
            "frame_n_labelled": n_labelled,
        }
        self.n_positive_ = {f: int(np.nansum(labels[:, j])) for j, f in enumerate(frames)}
        self.n_labelled_ = n_labelled
        self.source_counts_ = {str(s): int(n) for s, n in pd.Series(sources).value_counts().items()}
        self.fold_ids_ = folds
        self.n_train_ = len(X)
        return self

    def _check_settings(self) -> None:
        if self.weighting not in WEIGHTINGS:
            raise InputError(
                f"unknown weighting {self.weighting!r}", hint=f"use one of {', '.join(WEIGHTINGS)}"
            )
        if len(self.Cs) == 0 or any(float(C) <= 0 for C in self.Cs):
            raise InputError(f"Cs must be positive numbers, not {self.Cs!r}")

    def _out_of_fold(self, X, y, weights, folds, C) -> np.ndarray:
        """Out-of-fold P(frame) of one head; NaN where the training folds held one class only."""
        proba = np.full(len(y), np.nan)
        for k in np.unique(folds):
            train, test = folds != k, folds == k
            if len(np.unique(y[train])) < 2:
                continue
            head = _head(C).fit(X[train], y[train], sample_weight=weights[train])
            proba[test] = head.predict_proba(X[test])[:, 1]
        return proba

    # ------------------------------------------------------------------------------- scoring

    def frame_names(self) -> list[str]:
        """The frames learned in ``fit``, in the column order of :meth:`score_texts`."""
        if not hasattr(self, "frames_"):
            raise _not_fitted()
        return list(self.frames_)

    def score_texts(self, texts) -> np.ndarray:
        """P(frame) of every text, shape (len(texts), n_frames).

        Raises
        ------
        InputError
            If the scorer is not trained, or the encoder found is not the one it was trained on.
        """
        if not hasattr(self, "coef_"):
            raise _not_fitted()
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.frames_)))
        self._check_encoder()
        return self.score_embeddings(self.embed(texts))

    def score_embeddings(self, X) -> np.ndarray:
        """P(frame) from precomputed embeddings, shape (n, n_frames)."""
        if not hasattr(self, "coef_"):
            raise _not_fitted()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.coef_.shape[1]:
            raise InputError(
                f"embeddings of shape {X.shape} do not fit heads of dimension "
                f"{self.coef_.shape[1]}",
                hint="embed with the encoder the heads were trained on",
            )
        return 1.0 / (1.0 + np.exp(-(X @ self.coef_.T + self.intercept_)))

    def model_record(self) -> dict:
        """The encoder and the heads this scorer uses, by content (a run's manifest records it).

        Returns
        -------
        dict
            ``encoder`` (name and weights sha256 the heads were trained on) and, for heads
            loaded from a file (:func:`framelens.scorers.build.build_scorer`), ``model_file`` and
            its verified ``sha256``.
        """
        if not hasattr(self, "coef_"):
            raise _not_fitted()
        record = dict(getattr(self, "_model_file", None) or {})
        record["encoder"] = {
            "name": getattr(self, "encoder_name_", str(self.encoder)),
            "weights_sha256": getattr(self, "encoder_sha256_", None),
        }
        return record

    def _check_encoder(self) -> None:
        from framelens.models.encoders import resolve_encoder

        expected = getattr(self, "encoder_sha256_", None)
        if expected is None:
            return  # fitted on given embeddings (fit_embeddings): nothing recorded to check
        found = resolve_encoder(self.encoder).weights_sha256
        if found != expected:
            raise InputError(
                f"the frame heads were trained on the encoder {self.encoder_name_!r} with weights "
                f"sha256 {expected[:12]}, but {self.encoder!r} has weights {found[:12]}",
                hint="score with the encoder the model was trained on, or retrain the heads",
            )


def _weights(weighting: str, sources: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Sample weights of one head's rows, scaled to sum to the number of rows.

    The two classes always weigh the same in total, so 0.5 is the decision point whatever the
    base rates. ``"class"``: within a class, every row weighs the same (scikit-learn's
    ``class_weight="balanced"``). ``"source"``: within a class, every source holding that class
    weighs the same (a source of positives only, like the exemplars, shares the positives' half
    with the other sources and leaves the negatives' half alone).
    """
    weights = np.zeros(len(y))
    for label in (0, 1):
        members = y == label
        if weighting == "class":
            weights[members] = 0.5 / members.sum()
            continue
        holders = list(pd.unique(sources[members]))
        for source in holders:
            block = members & (sources == source)
            weights[block] = 0.5 / (len(holders) * block.sum())
    return weights * len(y) / weights.sum()


def _head(C: float) -> LogisticRegression:
    # lbfgs on 384 dense features: exact and deterministic (no shuffling).
    return LogisticRegression(C=C, max_iter=5000)


def _source_scores(y: np.ndarray, proba: np.ndarray, sources: np.ndarray) -> dict:
    """Out-of-fold average precision and F1 at 0.5, per source and averaged over sources.

    Only sources holding both classes (among the scored rows) are measured: a source of
    positives only, like the codebook's exemplars, cannot show how well a head ranks. Averaging
    over sources keeps each dataset's voice equal, as the fit's weights do, without letting a
    source's base rate move the number. With no such source the rows are measured pooled.
    """
    scored = ~np.isnan(proba)
    parts = {}
    for source in pd.unique(sources):
        mask = scored & (sources == source)
        if len(np.unique(y[mask])) == 2:
            parts[str(source)] = mask
    if not parts:
        if len(np.unique(y[scored])) < 2:
            return {"average_precision": float("nan"), "f1": float("nan"), "by_source": {}}
        parts = {"all": scored}
    by_source = {
        source: {
            "average_precision": float(average_precision_score(y[mask], proba[mask])),
            "f1": float(f1_score(y[mask], proba[mask] >= 0.5, zero_division=0.0)),
            "n": int(mask.sum()),
        }
        for source, mask in parts.items()
    }
    return {
        "average_precision": float(np.mean([v["average_precision"] for v in by_source.values()])),
        "f1": float(np.mean([v["f1"] for v in by_source.values()])),
        "by_source": by_source,
    }


def _code(value) -> str:
    return "?" if np.isnan(value) else str(int(value))


def _check_labels(Y, n: int) -> tuple[np.ndarray, list[str]]:
    if not isinstance(Y, pd.DataFrame):
        raise InputError("frame labels must be a DataFrame with one 0/1/NaN column per frame")
    if len(Y) != n:
        raise InputError(f"{len(Y)} rows of frame labels for {n} training texts")
    if Y.shape[1] == 0:
        raise InputError("frame labels have no columns", hint="one 0/1 column per frame")
    labels = np.empty(Y.shape, dtype=float)
    for j, column in enumerate(Y.columns):
        for i, value in enumerate(Y[column].tolist()):
            if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                labels[i, j] = np.nan
            elif isinstance(value, bool | int | float | np.bool_ | np.number) and value in (0, 1):
                labels[i, j] = float(value)
            else:
                raise InputError(
                    f"frame label column {column!r} holds {value!r}",
                    record=f"row {Y.index[i]}",
                    hint="frame labels are 0, 1, or missing (NaN) where a source does not "
                    "label the frame",
                )
    return labels, [str(c) for c in Y.columns]


def _as_strings(values, n: int, what: str, *, default) -> np.ndarray:
    values = default if values is None else values
    values = np.asarray(values).astype(str)
    if len(values) != n:
        raise InputError(f"{what} has {len(values)} entries for {n} training texts")
    return values


def _not_fitted() -> InputError:
    return InputError(
        "the encoder-supervised frame scorer has not been trained",
        hint="use the shipped model (framelens score --frame-scorer encoder-supervised) or train "
        "one with `framelens train --scorer encoder-supervised --task frame`",
    )


def shipped_model():
    """Path of the ``encoder-supervised`` model shipped with framelens.

    Heads for the default codebook on minilm, trained on FrAC, Narrative Frames, the codebook's
    exemplars and the seed corpus's gold codings (its card lists each source's file sha256, so
    `framelens validate` knows not to measure it on those codings); rebuilt by
    `make encoder-frame-model`.

    Returns
    -------
    Path
        The ``.skops`` file (its ``.skops.json`` sidecar lies beside it).

    Raises
    ------
    InputError
        If the package lacks it (a source checkout where it was deleted).
    """
    from framelens.models.scorer_files import shipped_scorer_file

    path = shipped_scorer_file(SHIPPED_MODEL)
    if not path.is_file():
        raise InputError(
            "the shipped encoder-supervised frame model is missing",
            source=path,
            hint="rebuild it with `make encoder-frame-model` (needs the public datasets), or "
            "pass a model trained with `framelens train --scorer encoder-supervised`",
        )
    return path


#: The short name of the shipped model (:data:`framelens.models.scorer_files.SHIPPED_SCORER_FILES`).
SHIPPED_MODEL = "encoder-frames"
