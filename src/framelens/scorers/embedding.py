"""Embedding scorers: WordLlama similarity to stance prototypes and to frame descriptions.

Both are unsupervised: they compare a sentence's embedding with vectors built from text the
researcher controls (the codebook's stance templates, frame definitions and exemplars), so a
new target or frame needs no labelled data.

* :class:`EmbeddingStanceScorer` embeds the words *around* the mention (the target's clause,
  words weighted by distance, the mention itself left out, as in
  :mod:`framelens.scorers.context`) and compares that vector with a *favor* and an *against*
  prototype (the mean embeddings of the codebook's favor and against prototype sentences):
  ``score = tanh(k * (cos(v, favor) - cos(v, against)))``. Pooling distance-weighted token
  vectors is the embedding analogue of the lexicon scorer's weighted valences; embedding a
  fixed window of text instead would let every word of the window count the same.
* :class:`EmbeddingFrameScorer` compares each sentence with each frame's prototype (the mean of
  its definition, exemplars and seed terms) and maps the cosine through a logistic whose
  midpoint is set so that a documented share of generic news sentences score below 0.5.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from framelens.codebook import load_codebook
from framelens.errors import InputError
from framelens.models.wordllama import embed_texts, token_vectors
from framelens.scorers.base import StanceScorer, register_scorer
from framelens.scorers.context import target_context
from framelens.scorers.prototypes import (
    PrototypeFrameScorer,
    mean_direction,
    reference_sentences,
)

#: Target-free evaluative sentences: the favor/against prototypes used when neither the
#: ``prototypes`` setting nor the codebook gives any. They describe evaluation in general
#: political language (praise, trust, success, partnership against criticism, blame, failure,
#: threat), not any target.
FAVOR_PROTOTYPES = (
    "praised and supported as a trusted friend and reliable partner",
    "a successful, admirable and widely respected leader",
    "welcomed the positive step and thanked them for their generous help",
    "a strong ally committed to peace, progress and cooperation",
    "won praise for honest, effective and popular leadership",
    "celebrated for a historic achievement that benefits everyone",
)
AGAINST_PROTOTYPES = (
    "criticized and condemned as a hostile threat",
    "accused of corruption, lies and abuse of power",
    "a failed, incompetent and widely distrusted leader",
    "blamed for the crisis, violence and scandal",
    "faces sanctions, protests and investigations over wrongdoing",
    "denounced for a disastrous decision that harms everyone",
)


def _fill_template(template: str) -> str:
    # The target is left out of the prototype, as it is left out of the scored context.
    return " ".join(template.replace("{target}", " ").split())


@register_scorer("stance", "embedding")
class EmbeddingStanceScorer(StanceScorer):
    """Stance as closeness of the mention's context to favor vs against prototypes.

    Parameters
    ----------
    codebook : Codebook, str, Path or None, default None
        Its ``stance_prototypes`` (favor and against sentences with ``{target}``) are the
        prototypes, and its ``stance_templates`` are added to them; ``None`` uses the shipped
        codebook. Without codebook prototypes the built-in ones are used.
    prototypes : dict or None, default None
        ``{"favor": [...], "against": [...]}`` sentences overriding the codebook's (templates
        are still added).
    window : float or None, default 4.0
        Half-life in words of a context word's weight (see :mod:`framelens.scorers.context`).
    split_clauses : bool, default True
        Embed only the clause(s) holding a mention.
    k : float, default 5.0
        Slope of ``score = tanh(k * (sim_favor - sim_against))``; cosine differences are small
        (about +-0.1 to 0.2), so ``k = 5`` spreads them over most of [-1, 1].
    neutral_band : float, default 0.20
        Scores in ``(-neutral_band, neutral_band)`` are neutral; the default maximises macro-F1
        on the NewsMTSC *train* split (``benchmarks/newsmtsc_dev.py``).

    Notes
    -----
    ``confidence`` is the margin of the score from the nearest label boundary, scaled to [0, 1]
    (``(|s| - band) / (1 - band)`` for favor/against, ``(band - |s|) / band`` for neutral); 0
    when no context word is left to embed.
    """

    def __init__(
        self,
        codebook=None,
        prototypes: dict | None = None,
        window: float | None = 4.0,
        split_clauses: bool = True,
        k: float = 5.0,
        neutral_band: float = 0.20,
    ):
        self.codebook = codebook
        self.prototypes = prototypes
        self.window = window
        self.split_clauses = split_clauses
        self.k = k
        self.neutral_band = neutral_band

    def prototype_texts(self) -> dict[str, list[str]]:
        """The favor and against sentences whose mean embeddings are the prototypes.

        The ``prototypes`` setting if given, else the codebook's ``stance_prototypes``, else the
        built-in :data:`FAVOR_PROTOTYPES` / :data:`AGAINST_PROTOTYPES`; the codebook's stance
        templates are added to either side. ``{target}`` is dropped from every sentence, as the
        mention is dropped from the scored context.
        """
        codebook = load_codebook(self.codebook)
        given = (
            self.prototypes
            or dict(codebook.stance_prototypes)
            or {"favor": FAVOR_PROTOTYPES, "against": AGAINST_PROTOTYPES}
        )
        if set(given) != {"favor", "against"} or not all(given.values()):
            raise InputError(
                "stance prototypes must give non-empty 'favor' and 'against' lists of sentences",
                hint='e.g. {"favor": ["praised as a partner"], "against": ["condemned as a threat"]}',
            )
        texts = {
            label: [_fill_template(str(t)) for t in given[label]] for label in ("favor", "against")
        }
        for favor, against in codebook.stance_templates:
            texts["favor"].append(_fill_template(favor))
            texts["against"].append(_fill_template(against))
        return texts

    def score_spans(self, items: pd.DataFrame) -> pd.DataFrame:
        """Score stance toward the marked spans of each item.

        Parameters
        ----------
        items : DataFrame
            Columns ``text`` and ``spans`` (list of ``(start, end)`` offsets into ``text``).

        Returns
        -------
        DataFrame
            Same index as ``items``: ``score`` in [-1, 1], ``label``, ``confidence``.
        """
        texts = self.prototype_texts()
        direction = mean_direction(embed_texts, tuple(texts["favor"])) - mean_direction(
            embed_texts, tuple(texts["against"])
        )
        scores, has_context = [], []
        for text, spans in zip(items["text"], items["spans"], strict=True):
            vector = context_vector(
                text, spans, window=self.window, split_clauses=self.split_clauses
            )
            has_context.append(vector is not None)
            # cos(v, f) - cos(v, a) = v . (f - a) for unit vectors.
            scores.append(0.0 if vector is None else math.tanh(self.k * float(vector @ direction)))
        scores = np.asarray(scores, dtype=float)
        band = self.neutral_band
        margin = np.where(
            np.abs(scores) >= band,
            (np.abs(scores) - band) / max(1.0 - band, 1e-9),
            (band - np.abs(scores)) / max(band, 1e-9),
        )
        confidence = np.where(has_context, np.clip(margin, 0.0, 1.0), 0.0)
        return pd.DataFrame(
            {"score": scores, "label": self._labels(scores), "confidence": confidence},
            index=items.index,
        )


def context_vector(text: str, spans, *, window=4.0, split_clauses=True) -> np.ndarray | None:
    """Unit embedding of the words about the target: distance-weighted mean of token vectors.

    Parameters
    ----------
    text : str
        The sentence.
    spans : sequence of (int, int)
        Character offsets of the target's mentions.
    window, split_clauses
        As in :func:`framelens.scorers.context.target_context`.

    Returns
    -------
    ndarray or None
        The unit-length vector, or ``None`` when no context word has weight.
    """
    context = target_context(text, spans, window=window, split_clauses=split_clauses)
    tokens, weights = context.tokens, context.weights
    offsets, vectors = token_vectors(text)
    if not len(offsets) or not weights.any():
        return None
    # Each WordLlama token takes the weight of the whitespace word its last character is in.
    word_at = np.full(len(text) + 1, -1)
    for i, tok in enumerate(tokens):
        word_at[tok.start : tok.end] = i
    index = word_at[np.clip(offsets[:, 1] - 1, 0, len(text))]
    token_weight = np.where(index >= 0, weights[index], 0.0)
    if token_weight.sum() <= 0:
        return None
    pooled = token_weight @ vectors / token_weight.sum()
    norm = np.linalg.norm(pooled)
    return None if norm == 0 else pooled / norm


@register_scorer("frame", "embedding")
class EmbeddingFrameScorer(PrototypeFrameScorer):
    """Frame score from WordLlama similarity to each frame's definition and exemplars.

    A frame's prototype is the mean unit embedding of its label + definition, each exemplar and
    its seed terms (joined). A sentence's cosine ``c`` to it becomes
    ``1 / (1 + exp(-(c - midpoint) / (temperature * sd)))`` where, unless :meth:`fit` has set
    them, ``midpoint`` is the ``share_below`` quantile and ``sd`` the standard deviation of the
    cosines of generic news sentences (:func:`reference_sentences`). So by construction a share
    ``share_below`` of generic sentences scores below 0.5 for each frame. The method is shared
    with the ``encoder`` frame scorer (:mod:`framelens.scorers.prototypes`).

    Parameters
    ----------
    codebook : Codebook, str, Path or None, default None
        Where the frames come from; ``None`` uses the shipped codebook.
    share_below : float, default 0.9
        Share of generic sentences that must score below 0.5 (sets each frame's midpoint).
    temperature : float, default 1.0
        Width of the logistic in reference standard deviations (smaller = steeper).
    reference : sequence of str or None, default None
        Sentences to calibrate on instead of the shipped reference set.

    Attributes
    ----------
    midpoints_ : ndarray of shape (n_frames,)
        Per-frame cosine that maps to 0.5, set by :meth:`fit` (absent before fitting).
    scales_ : ndarray of shape (n_frames,)
        Per-frame standard deviation of the cosines of the sentences :meth:`fit` saw.

    Notes
    -----
    The calibration is a limitation on specialised text. The reference sentences are generic
    news (NewsMTSC: US political news), so "above 0.5" means "more like the frame
    than 90% of ordinary news", and most sentences of a foreign-policy corpus are. On the seed
    corpus (validation table of the README) this scorer marks 80% of the sentences
    geo-economic and 67% security, where the coders marked 57% and 35% (precision 0.69 and 0.44
    at recall 0.97 and 0.85); article shares are off by 0.21 on average (the dictionary: 0.08),
    though the articles' order holds (Spearman 0.95). Use its scores to rank and compare, not as
    shares of sentences, unless recalibrated (``reference``, ``share_below``) and validated.
    """

    def __init__(
        self, codebook=None, share_below: float = 0.9, temperature: float = 1.0, reference=None
    ):
        self.codebook = codebook
        self.share_below = share_below
        self.temperature = temperature
        self.reference = reference

    def embedder(self):
        """WordLlama's unit sentence embeddings (:func:`framelens.models.wordllama.embed_texts`)."""
        return embed_texts


# reference_sentences is re-exported: it was defined here before the prototype method moved.
__all__ = ["EmbeddingFrameScorer", "EmbeddingStanceScorer", "context_vector", "reference_sentences"]
