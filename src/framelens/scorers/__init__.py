"""Scorers: one interface (``base``), one module per method."""

from framelens.scorers.base import (
    FrameScorer,
    StanceScorer,
    available_scorers,
    get_scorer,
    register_scorer,
)

__all__ = ["FrameScorer", "StanceScorer", "available_scorers", "get_scorer", "register_scorer"]
