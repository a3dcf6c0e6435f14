"""Column contracts of the tables that flow through framelens.

Each table is a plain :class:`pandas.DataFrame`. Functions may add columns but never rename
these; :func:`check_columns` is called at the edges (readers, scorers) so a missing column is
reported by name instead of surfacing as a ``KeyError`` deep inside.
"""

from __future__ import annotations

import pandas as pd

from framelens.errors import InputError

ARTICLES = ["article_id", "outlet", "outlet_type", "date", "title", "url", "text"]
REMOVED = ["article_id", "start", "end", "reason", "text"]
COMMENTS = ["article_id", "comment_id", "text"]
SENTENCES = ["article_id", "sent_id", "para_id", "start", "end", "text"]
MENTIONS = ["article_id", "sent_id", "target", "alias", "start", "end"]
STANCE = ["article_id", "sent_id", "target", "scorer", "score", "label", "confidence"]
FRAMES = ["article_id", "sent_id", "frame", "scorer", "score"]
ARTICLE_SCORES = ["article_id", "kind", "name", "scorer", "value", "n_evidence", "evidence"]

STANCE_LABELS = ("against", "neutral", "favor")

TABLES = {
    "articles": ARTICLES,
    "removed": REMOVED,
    "comments": COMMENTS,
    "sentences": SENTENCES,
    "mentions": MENTIONS,
    "stance": STANCE,
    "frames": FRAMES,
    "article_scores": ARTICLE_SCORES,
}


def check_columns(frame: pd.DataFrame, table: str, *, source=None) -> pd.DataFrame:
    """Raise :class:`InputError` if ``frame`` lacks a column of the ``table`` contract.

    Parameters
    ----------
    frame : DataFrame
        The table to check.
    table : str
        A key of :data:`TABLES`, e.g. ``"sentences"``.
    source : str, optional
        Where the frame came from, for the error message.

    Returns
    -------
    DataFrame
        ``frame`` itself, so the call can be chained.
    """
    missing = [c for c in TABLES[table] if c not in frame.columns]
    if missing:
        raise InputError(
            f"the {table} table lacks column(s) {', '.join(missing)}",
            source=source,
            hint=f"a {table} table needs: {', '.join(TABLES[table])}",
        )
    return frame


def empty(table: str, **extra_dtypes) -> pd.DataFrame:
    """An empty table with the contract's columns (plus ``extra_dtypes`` columns)."""
    columns = list(TABLES[table]) + [c for c in extra_dtypes if c not in TABLES[table]]
    return pd.DataFrame({c: pd.Series(dtype=extra_dtypes.get(c, "object")) for c in columns})


def stance_label(score: float, threshold: float = 0.05) -> str:
    """Map a stance score in [-1, 1] to ``against``/``neutral``/``favor``.

    ``threshold`` is the half-width of the neutral band (VADER's own convention is 0.05).
    """
    if score >= threshold:
        return "favor"
    if score <= -threshold:
        return "against"
    return "neutral"
