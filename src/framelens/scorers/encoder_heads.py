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

Weighting (``weighting="source"``, the default): within every source the two classes of a head
weigh the same, and every source weighs the same in total, so that 523 FrAC sentences do not
drown 150 sentences of the researcher's own gold codings, and a source's base rate (how common
a frame is in climate news or in the Media Frames Corpus) does not move the decision point.
With this prior-free weighting 0.5 is the point where the evidence for and against a frame is
even, so the default ``frame_threshold`` of 0.5 is the head's decision threshold; no threshold
is tuned. ``weighting="class"`` balances the classes over all rows instead
(``class_weight="balanced"``).

The regularisation strength ``C`` is chosen per frame by grouped cross-validation (texts of one
article never straddle folds): the C with the highest out-of-fold average precision, computed
with the same weights as the fit. Then each head is refitted on all its rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score

from framelens.errors import InputError
from framelens.scorers.base import FrameScorer, register_scorer

#: Accepted values of the ``weighting`` setting.
WEIGHTINGS = ("source", "class")


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
    weighting : {"source", "class"}, default "source"
        ``"source"``: classes balanced within each source and sources equal in total;
        ``"class"``: classes balanced over all rows (see the module docstring).
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
    cv_results_ : dict
        ``C`` (the values tried); ``average_precision`` (per frame, one value per C,
        out-of-fold, weighted as the fit); at each frame's chosen C: ``frame_average_precision``
        and ``frame_f1`` (at 0.5, weighted; not tuned, so not optimistic), and
        ``frame_n_labelled``.
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
        weighting: str = "source",
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
            Source of every text (e.g. the data spec), for ``weighting="source"``. Default: one
            source.

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
        coef, intercept = [], []
        ap_by_C, best_C, best_ap, best_f1, n_labelled = {}, {}, {}, {}, {}
        for j, frame in enumerate(frames):
            rows = ~np.isnan(labels[:, j])
            y = labels[rows, j].astype(int)
            weights = self._weights(sources[rows], y)
            oof = {C: self._out_of_fold(X[rows], y, weights, folds[rows], C) for C in Cs}
            ap_by_C[frame] = [_weighted_ap(y, oof[C], weights) for C in Cs]
            C = max(Cs, key=lambda c: (ap_by_C[frame][Cs.index(c)], -c))
            head = _head(C).fit(X[rows], y, sample_weight=weights)
            coef.append(head.coef_[0])
            intercept.append(float(head.intercept_[0]))
            best_C[frame] = C
            best_ap[frame] = ap_by_C[frame][Cs.index(C)]
            scored = ~np.isnan(oof[C])
            best_f1[frame] = float(
                f1_score(y[scored], oof[C][scored] >= 0.5, sample_weight=weights[scored])
            )
            n_labelled[frame] = int(rows.sum())
        self.frames_ = frames
        self.coef_ = np.vstack(coef)
        self.intercept_ = np.asarray(intercept)
        self.best_C_ = best_C
        self.cv_results_ = {
            "C": Cs,
            "average_precision": ap_by_C,
            "frame_average_precision": best_ap,
            "frame_f1": best_f1,
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

    def _weights(self, sources: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Sample weights of one head's rows, scaled to sum to the number of rows."""
        if self.weighting == "class":
            blocks = [np.ones(len(y), dtype=bool)]
        else:
            blocks = [sources == s for s in pd.unique(sources)]
        weights = np.zeros(len(y))
        for block in blocks:
            present = [members for c in (0, 1) if (members := block & (y == c)).any()]
            for members in present:
                # Each block (source) weighs 1 in total, split evenly over the classes it holds
                # (a source of positives only, like the codebook's exemplars, gives them all).
                weights[members] = 1.0 / (len(present) * members.sum())
        return weights * len(y) / weights.sum()

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


def _head(C: float) -> LogisticRegression:
    # lbfgs on 384 dense features: exact and deterministic (no shuffling).
    return LogisticRegression(C=C, max_iter=5000)


def _weighted_ap(y, proba, weights) -> float:
    scored = ~np.isnan(proba)
    if not y[scored].any():
        return float("nan")
    return float(average_precision_score(y[scored], proba[scored], sample_weight=weights[scored]))


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


#: The model shipped with framelens, relative to the package: heads for the default codebook on
#: minilm, trained on FrAC, Narrative Frames and the codebook's exemplars (never on the seed
#: corpus's gold codings, so `framelens validate` measures it on text it has not seen).
#: Rebuilt by `make encoder-frame-model`.
SHIPPED_MODEL = "data/models/encoder_frames/encoder_frames.skops"


def shipped_model():
    """Path of the ``encoder-supervised`` model shipped with framelens.

    Returns
    -------
    Path
        The ``.skops`` file (its ``.skops.json`` sidecar lies beside it).

    Raises
    ------
    InputError
        If the package lacks it (a source checkout where it was deleted).
    """
    from importlib import resources
    from pathlib import Path

    path = Path(str(resources.files("framelens").joinpath(SHIPPED_MODEL)))
    if not path.is_file():
        raise InputError(
            "the shipped encoder-supervised frame model is missing",
            source=path,
            hint="rebuild it with `make encoder-frame-model` (needs the public datasets), or "
            "pass a model trained with `framelens train --scorer encoder-supervised`",
        )
    return path
