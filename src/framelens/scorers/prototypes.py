"""Frames as prototypes in a sentence-embedding space, calibrated on generic news sentences.

The zero-shot frame scorers built on an embedding model share one method and differ only in
the function that turns text into unit vectors:

* ``embedding`` (:class:`framelens.scorers.embedding.EmbeddingFrameScorer`): WordLlama;
* ``encoder`` (:class:`framelens.scorers.encoder.EncoderFrameScorer`): a pretrained sentence
  encoder of :mod:`framelens.models.encoders` (all-MiniLM-L6-v2 by default).

The method (:class:`PrototypeFrameScorer`): a frame's prototype is the normalised mean of the
unit embeddings of its label + definition, each exemplar and its seed terms (joined). A
sentence's cosine ``c`` to that prototype becomes the score
``1 / (1 + exp(-(c - midpoint) / (temperature * sd)))``, where ``midpoint`` is the
``share_below`` quantile and ``sd`` the standard deviation of the cosines of generic news
sentences (:func:`reference_sentences`): by construction a share ``share_below`` of generic
sentences scores below 0.5 for each frame, so 0.5 (the default ``frame_threshold``) means "more
like this frame than all but ``1 - share_below`` of ordinary news sentences". On a corpus from
one specialised domain (foreign policy) most sentences pass that bar, so the scores rank well
but overstate shares of sentences: the scorers' Notes give the seed corpus's numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from importlib import resources

import numpy as np

from framelens.codebook import load_codebook
from framelens.errors import InputError
from framelens.scorers.base import FrameScorer

#: A hashable callable: list of str -> (n, dim) array of unit rows. Hashable (a module-level
#: function, or a frozen dataclass whose fields name the model), so embeddings of the fixed
#: prototype and reference texts are computed once per process and model.
Embedder = Callable[[list[str]], np.ndarray]


@lru_cache(maxsize=16)
def embedded_texts(embedder: Hashable, texts: tuple[str, ...]) -> np.ndarray:
    """Embeddings of fixed texts (references, prototypes), computed once per process and model.

    Parameters
    ----------
    embedder : Embedder
        The embedding function (hashable; it is part of the memo key).
    texts : tuple of str

    Returns
    -------
    ndarray of shape (len(texts), dim)
    """
    return np.asarray(embedder(list(texts)))


@lru_cache(maxsize=64)
def mean_direction(embedder: Hashable, texts: tuple[str, ...]) -> np.ndarray:
    """Unit vector of the mean embedding of ``texts`` (a prototype), memoised per process."""
    vector = np.asarray(embedder(list(texts))).mean(axis=0)
    return vector / np.linalg.norm(vector)


@lru_cache(maxsize=1)
def reference_sentences() -> tuple[str, ...]:
    """Generic news sentences shipped with framelens, used to calibrate frame thresholds.

    Returns
    -------
    tuple of str
        The sentences of ``framelens/data/reference_sentences.txt`` (see its header for their
        source and sampling).
    """
    text = resources.files("framelens").joinpath("data/reference_sentences.txt").read_text("utf-8")
    return tuple(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def frame_prototype_texts(frame) -> list[str]:
    """The texts whose mean embedding is a frame's prototype.

    Parameters
    ----------
    frame : Frame
        A codebook frame.

    Returns
    -------
    list of str
        ``"<label>. <definition>"``, each exemplar, and the seed terms joined by commas (each
        only when the codebook gives it).
    """
    texts = [f"{frame.label}. {frame.definition}".strip(" .")]
    texts += [str(e) for e in frame.exemplars]
    if frame.seed_terms:
        texts.append(", ".join(frame.seed_terms))
    return [t for t in texts if t.strip()]


class PrototypeFrameScorer(FrameScorer):
    """Frame score from similarity to each frame's prototype, calibrated on reference sentences.

    Subclasses set the settings ``codebook``, ``share_below``, ``temperature`` and ``reference``
    (documented on them) and implement :meth:`embedder`.

    Attributes
    ----------
    midpoints_ : ndarray of shape (n_frames,)
        Per-frame cosine that maps to 0.5, set by :meth:`fit` (absent before fitting).
    scales_ : ndarray of shape (n_frames,)
        Per-frame standard deviation of the cosines of the sentences :meth:`fit` saw.
    """

    def embedder(self) -> Embedder:
        """The hashable function that embeds texts as unit rows."""
        raise NotImplementedError

    def frame_names(self) -> list[str]:
        """The codebook's frame names, in the column order of :meth:`score_texts`."""
        return list(load_codebook(self.codebook).frames)

    def prototypes(self) -> np.ndarray:
        """Unit prototype vector of each frame, shape (n_frames, dim)."""
        embedder = self.embedder()
        frames = load_codebook(self.codebook).frames.values()
        return np.vstack(
            [mean_direction(embedder, tuple(frame_prototype_texts(f))) for f in frames]
        )

    def similarities(self, texts) -> np.ndarray:
        """Cosine similarity of each text to each frame prototype, shape (n, n_frames)."""
        return np.asarray(self.embedder()(list(texts))) @ self.prototypes().T

    def fit(self, X, y=None):
        """Calibrate each frame's midpoint on ``X``.

        Parameters
        ----------
        X : sequence of str
            Sentences.
        y : array-like of shape (n, n_frames), optional
            0/1 frame labels in :meth:`frame_names` order. With ``y`` each midpoint is the
            cosine that maximises that frame's F1 on ``X``; without it, ``X`` replaces the
            reference set (its ``share_below`` quantile becomes the midpoint).

        Returns
        -------
        self
        """
        sims = self.similarities(X)
        if y is None:
            self.midpoints_ = np.quantile(sims, self.share_below, axis=0)
            self.scales_ = sims.std(axis=0)
            return self
        y = np.asarray(y, dtype=bool)
        if y.shape != sims.shape:
            raise InputError(
                f"y has shape {y.shape}, expected {sims.shape} (sentences x frames)",
                hint=f"columns in this order: {', '.join(self.frame_names())}",
            )
        self.midpoints_ = np.array([best_threshold(sims[:, j], y[:, j]) for j in range(y.shape[1])])
        self.scales_ = sims.std(axis=0)
        return self

    def calibration(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-frame ``(midpoints, scales)``: from :meth:`fit`, else from the reference set."""
        if hasattr(self, "midpoints_"):
            return self.midpoints_, self.scales_
        reference = tuple(self.reference) if self.reference is not None else reference_sentences()
        sims = embedded_texts(self.embedder(), reference) @ self.prototypes().T
        return np.quantile(sims, self.share_below, axis=0), sims.std(axis=0)

    def score_texts(self, texts) -> np.ndarray:
        """Frame scores in [0, 1], shape (len(texts), n_frames)."""
        texts = list(texts)
        midpoints, scales = self.calibration()
        if not texts:
            return np.zeros((0, len(midpoints)))
        z = (self.similarities(texts) - midpoints) / (self.temperature * np.maximum(scales, 1e-6))
        return 1.0 / (1.0 + np.exp(-z))


def best_threshold(similarity: np.ndarray, positive: np.ndarray) -> float:
    """The cut maximising F1 of ``similarity >= cut`` (the 0.99 quantile if no positives)."""
    if not positive.any():
        return float(np.quantile(similarity, 0.99))
    order = np.argsort(-similarity, kind="stable")
    true_positives = np.cumsum(positive[order])
    flagged = np.arange(1, len(order) + 1)
    f1 = 2 * true_positives / (flagged + positive.sum())
    # Cut at a value, not between ties: keep the last position of each run of equal values.
    last_of_run = np.append(np.diff(similarity[order]) != 0, True)
    best = np.argmax(np.where(last_of_run, f1, -1.0))
    return float(similarity[order][best])
