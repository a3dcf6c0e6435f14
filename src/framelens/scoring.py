"""Score a segmented corpus: mentions, sentence stance and frames, and article scores.

:func:`score_corpus` is the composition behind ``framelens score`` (and the experiment runner):
sentences -> mentions (codebook) -> stance and frame scorers -> :func:`article_scores`.
"""

from __future__ import annotations

import pandas as pd

from framelens.aggregate import article_scores
from framelens.codebook import load_codebook
from framelens.errors import InputError
from framelens.scorers.base import get_scorer
from framelens.tables import FRAMES


def build_scorer(kind: str, name: str, codebook=None, *, model=None, **params):
    """Build a registered scorer, handing it the codebook if it takes one.

    Parameters
    ----------
    kind : {"stance", "frame"}
    name : str
        Registered scorer name; an unknown name raises :class:`InputError` listing the known ones.
    codebook : Codebook, optional
        Passed as the scorer's ``codebook`` setting when it has one.
    model : str or Path, optional
        A trained model: required by ``supervised`` (a ``.skops`` file from
        ``framelens train``, checked against the codebook), and the NLI or fine-tuned model of
        ``transformer`` (a folder or hub id).
    **params
        Other settings.

    Returns
    -------
    StanceScorer or FrameScorer
    """
    if name == "supervised":
        if model is None:
            raise InputError(
                "the supervised scorer needs a trained model",
                hint="train one with `framelens train` and pass --model MODEL.skops",
            )
        from framelens.modelio import load_scorer

        return load_scorer(model, codebook, kind=kind)
    scorer = get_scorer(kind, name, **params)
    settings = scorer.get_params(deep=False)
    if model is not None:
        if "model" not in settings:
            raise InputError(
                f"the {name} scorer takes no model",
                hint="--model applies to the transformer and supervised scorers",
            )
        scorer.set_params(model=model)
    if codebook is not None and "codebook" in settings:
        scorer.set_params(codebook=codebook)
    return scorer


def score_corpus(
    sentences: pd.DataFrame,
    codebook=None,
    *,
    stance_scorer,
    frame_scorer=None,
    targets=None,
    frame_threshold: float = 0.5,
    top_k: int = 3,
) -> dict[str, pd.DataFrame]:
    """Find mentions and score stance and frames for every sentence, then aggregate.

    Parameters
    ----------
    sentences : DataFrame
        The sentences table (from :func:`framelens.ingest.ingest`).
    codebook : Codebook, str, Path or None, default None
        Targets and frames; ``None`` uses the shipped codebook.
    stance_scorer : StanceScorer
        Scores stance toward each mentioned target.
    frame_scorer : FrameScorer, optional
        Scores frames; ``None`` leaves the frames table empty.
    targets : sequence of str, optional
        Restrict stance to these codebook targets; an unknown name raises
        :class:`~framelens.errors.InputError` listing the known ones.
    frame_threshold, top_k
        Passed to :func:`framelens.aggregate.article_scores`.

    Returns
    -------
    dict of str to DataFrame
        ``mentions``, ``stance``, ``frames`` and ``article_scores`` tables.
    """
    from framelens.mentions import find_mentions

    codebook = load_codebook(codebook)
    if targets:
        names = [codebook.target(name).name for name in targets]
    mentions = find_mentions(sentences, codebook)
    scored_mentions = mentions[mentions["target"].isin(names)] if targets else mentions
    stance = stance_scorer.score_stance(sentences, scored_mentions)
    frames = frame_scorer.score_frames(sentences) if frame_scorer is not None else None
    scores = article_scores(
        stance, frames, sentences, scored_mentions, frame_threshold=frame_threshold, top_k=top_k
    )
    if frames is None:
        frames = pd.DataFrame(columns=FRAMES)
    return {"mentions": mentions, "stance": stance, "frames": frames, "article_scores": scores}
