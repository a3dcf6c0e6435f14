"""Score a segmented corpus in memory: mentions, sentence stance and frames, article scores.

:func:`score_corpus` is the composition behind ``framelens score``:
sentences -> mentions (codebook) -> stance and frame scorers -> :func:`article_scores`.
:mod:`framelens.runs.process` runs the same flow on partitions of a large input.
"""

from __future__ import annotations

import pandas as pd

from framelens.analysis.aggregate import article_scores
from framelens.codebook import load_codebook
from framelens.tables import FRAMES


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
        The sentences table (from :func:`framelens.text.ingest.ingest`).
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
        Passed to :func:`framelens.analysis.aggregate.article_scores`.

    Returns
    -------
    dict of str to DataFrame
        ``mentions``, ``stance``, ``frames`` and ``article_scores`` tables.
    """
    from framelens.text.mentions import find_mentions

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
