"""The part of a sentence that is about a target: clauses, and word weights by distance.

Stance toward a target is carried by the words near its mention, in the same clause. The
functions here turn a sentence and the character spans of a target's mentions into one weight per
word, shared by the lexicon and embedding stance scorers so that both read the same context:

1. **Words** are whitespace tokens (VADER's own tokenisation, so lexicon valences line up).
2. **Clauses** (:func:`clause_bounds`): the sentence is cut before a contrast marker (*but*,
   *while*, *whereas*, *although*, *though*, *however*) and at semicolons. Contrast joins two
   evaluations that need not share a target ("X is praised, but Y is condemned"), so only the
   clause(s) holding a mention are read. A clause opened by a subordinating marker
   (*while*, *whereas*, *although*, *though*) ends at its first comma ("Although X ..., Y
   ..."), and a main clause it interrupts resumes after it ("The US, while ..., praised Y").
   Uses that do not contrast are not cut: *but also* (not only ... but also),
   *all/nothing/anything but*, and a parenthetical *, however,* (an adverb inside its clause).
   Without a parser this is an approximation: a comma inside the subordinate clause (a list,
   a relative clause) ends it early.
3. **Distance** (:func:`target_context`): a word ``d`` words away from the nearest mention
   (inside the same clause) gets weight ``0.5 ** ((d - 1) / window)``: the adjacent word counts
   fully and weight halves every ``window`` words. Words of the mention itself get weight 0, so
   a target's own name ("Liberty University") never counts as an evaluation of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: Words that open a contrasting or concessive clause.
CONTRAST_MARKERS = ("but", "while", "whereas", "although", "though", "however")
#: Markers that subordinate: a clause they open ends at its first comma.
SUBORDINATORS = ("while", "whereas", "although", "though")

_WORD = re.compile(r"\S+")
_MARKER = re.compile(r"\b(" + "|".join(CONTRAST_MARKERS) + r")\b", re.IGNORECASE)
# "but" that does not contrast: "not only ... but also", "all but", "nothing but", "anything but".
_NON_CONTRAST_BUT_BEFORE = re.compile(r"\b(all|nothing|anything|everything)\s*$", re.IGNORECASE)
_NON_CONTRAST_BUT_AFTER = re.compile(r"^\s*also\b", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    """A whitespace token with its character offsets in the sentence."""

    start: int
    end: int
    text: str


def words(text: str) -> list[Word]:
    """Split ``text`` into whitespace tokens with their character offsets.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    list of Word
        One entry per whitespace-separated token, in order (the tokens VADER scores).
    """
    return [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def clause_bounds(text: str) -> list[tuple[int, int, int]]:
    """Cut a sentence into clauses at contrast markers and semicolons.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    list of (int, int, int)
        ``(start, end, clause)`` character intervals covering every word of ``text`` in order
        (stretches of bare punctuation between cuts are left out). A marker belongs
        to the clause it opens. A subordinate clause ends at its first comma, and the main
        clause it interrupts resumes after it under the same ``clause`` number ("The US, while
        criticising India, praised Pakistan": *The US* and *praised Pakistan* share a clause).
    """
    cuts = {0, len(text)}
    cuts.update(m.end() for m in re.finditer(";", text))
    subordinate_starts = set()
    for match in _MARKER.finditer(text):
        word = match.group(1).lower()
        before, after = text[: match.start()], text[match.end() :]
        if word == "but" and (
            _NON_CONTRAST_BUT_BEFORE.search(before) or _NON_CONTRAST_BUT_AFTER.match(after)
        ):
            continue
        if word == "however" and before.rstrip().endswith(",") and after.startswith(","):
            continue  # ", however," is a parenthetical adverb inside its clause
        cuts.add(match.start())
        if word in SUBORDINATORS:
            subordinate_starts.add(match.start())
    for start in subordinate_starts:
        following = [c for c in cuts if c > start]
        comma = text.find(",", start, min(following))
        if comma != -1:
            cuts.add(comma + 1)
    bounds = sorted(cuts)
    intervals = [
        (a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if text[a:b].strip(" ,")
    ]
    out, clause, resume = [], -1, None
    for a, b in intervals:
        if a in subordinate_starts:
            # Remember the interrupted main clause, unless the subordinate clause opens it.
            main_open = out and not text[out[-1][0] : out[-1][1]].rstrip().endswith((";", "."))
            resume = (
                out[-1][2] if main_open and text[out[-1][0] : a].rstrip().endswith(",") else None
            )
            clause += 1
            out.append((a, b, clause))
        elif resume is not None and out and out[-1][0] in subordinate_starts:
            out.append((a, b, resume))
            resume = None
        else:
            clause += 1
            out.append((a, b, clause))
    return out


# A sentence is scored once per target it mentions, one target after the other: cut it into
# clauses once. (Only the last sentence is kept, so repeated text elsewhere gains nothing.)
_bounds = lru_cache(maxsize=1)(clause_bounds)


def mention_words(tokens: list[Word], spans) -> np.ndarray:
    """Boolean mask of the tokens that overlap any mention span."""
    if not tokens:
        return np.zeros(0, dtype=bool)
    starts = np.array([t.start for t in tokens])
    ends = np.array([t.end for t in tokens])
    mask = np.zeros(len(tokens), dtype=bool)
    for start, end in spans:
        mask |= (starts < end) & (start < ends)
    return mask


def clause_ids(tokens: list[Word], bounds: list[tuple[int, int, int]]) -> np.ndarray:
    """Index of the clause each token starts in (-1 for none)."""
    starts = np.array([t.start for t in tokens], dtype=int)
    ids = np.full(len(tokens), -1, dtype=int)
    for a, b, clause in bounds:
        ids[(starts >= a) & (starts < b)] = clause
    return ids


@dataclass(frozen=True)
class TargetContext:
    """The words of a sentence and how much each says about one target.

    Attributes
    ----------
    tokens : list of Word
        The sentence's whitespace tokens.
    is_mention : ndarray of bool
        Tokens that belong to a mention of the target.
    in_clause : ndarray of bool
        Tokens (mentions excluded) in a clause that holds a mention.
    weights : ndarray of float
        Evidence weight of each token in [0, 1] (0 outside ``in_clause``).
    """

    tokens: list
    is_mention: np.ndarray
    in_clause: np.ndarray
    weights: np.ndarray


def target_context(
    text: str, spans, *, window: float | None = 4.0, split_clauses: bool = True
) -> TargetContext:
    """Weigh each word of ``text`` as evidence about the target marked by ``spans``.

    Parameters
    ----------
    text : str
        The sentence.
    spans : sequence of (int, int)
        Character offsets of the target's mentions in ``text``.
    window : float or None, default 4.0
        Half-life of the weight in words: a word ``d`` words from the nearest mention gets
        ``0.5 ** ((d - 1) / window)``. ``None`` weighs every word of the clause equally.
    split_clauses : bool, default True
        Read only the clause(s) holding a mention; ``False`` reads the whole sentence.

    Returns
    -------
    TargetContext
        The tokens, the mention and clause masks and the weights (all zero when no token
        overlaps a span).
    """
    tokens = words(text)
    n = len(tokens)
    is_mention = mention_words(tokens, spans)
    if not is_mention.any():
        zeros = np.zeros(n)
        return TargetContext(tokens, is_mention, zeros.astype(bool), zeros)
    clauses = clause_ids(tokens, _bounds(text)) if split_clauses else np.zeros(n, dtype=int)
    positions = np.arange(n)
    # Clause ids are small ints (-1 for none): a lookup table beats np.isin on short arrays.
    holds_mention = np.zeros(clauses.max() + 2, dtype=bool)
    holds_mention[clauses[is_mention] + 1] = True
    in_clause = holds_mention[clauses + 1] & ~is_mention
    weights = np.zeros(n)
    for clause in np.unique(clauses[is_mention]):
        same = clauses == clause
        anchors = positions[is_mention & same]
        distance = np.abs(positions[:, None] - anchors[None, :]).min(axis=1)
        if window is None:
            w = np.ones(n)
        else:
            w = 0.5 ** ((np.maximum(distance, 1) - 1) / float(window))
        weights = np.where(same, np.maximum(weights, w), weights)
    weights[~in_clause] = 0.0
    return TargetContext(tokens, is_mention, in_clause, weights)
