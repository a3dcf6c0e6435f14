"""Scorers: one interface (``base``), one module per method, and the score cache.

Every scorer answers the same calls (``score_stance`` or ``score_frames``) and registers itself
by name, so a config file can name it. ``build`` builds one by name with its codebook and
model; ``spans`` scores marked spans (NewsMTSC); ``cache`` keeps model outputs by content.

May import the shared leaves, :mod:`framelens.codebook`, :mod:`framelens.text`,
:mod:`framelens.datasets` and :mod:`framelens.models`.
"""

from framelens.scorers.base import (
    FrameScorer,
    StanceScorer,
    available_scorers,
    get_scorer,
    register_scorer,
)
from framelens.scorers.build import build_scorer

__all__ = [
    "FrameScorer",
    "StanceScorer",
    "available_scorers",
    "build_scorer",
    "get_scorer",
    "register_scorer",
]
