"""The part of a sentence that is about a target: clauses, contrast, and word weights by distance.

Stance toward a target is carried by the words near its mention, in the same clause. The
functions here turn a sentence and the character spans of a target's mentions into one weight per
word, shared by the lexicon and embedding stance scorers so that both read the same context:

1. **Words** are whitespace tokens (VADER's own tokenisation, so lexicon valences line up).
2. **Clauses** (:func:`sentence_clauses`): the sentence is cut before a contrast marker and at
   semicolons. Contrast joins two evaluations that need not share a target ("X is praised, but
   Y is condemned"), so by default only the clause(s) holding a mention are read.

   * *Coordinating* markers (*but*, *however*, *yet*, *nevertheless*, *nonetheless*, a
     clause-initial *still,*) open a clause that outweighs the one before ("X but Y": Y). So do
     the connectives *on the other hand*, *by contrast*, *in contrast*, *conversely* and
     *instead* where they open a clause (after a comma or a semicolon); as a parenthetical
     they contrast their clause with the one before a semicolon, as *, however,* does ("Moscow
     is a friend; Washington, on the other hand, is a bully").
   * *Subordinating* markers (*although*, *(even) though*, *while*, *whereas*, *despite*,
     *in spite of*) open a conceded clause that the main clause outweighs ("Although X, Y" and
     "Y, although X": Y). Such a clause ends at its first comma, and a main clause it
     interrupts resumes after it ("The US, while ..., praised Y"). Prepositions of contrast
     (*unlike*, *in contrast to*, *as opposed to*) open a phrase read the same way, so that in
     "Unlike Russia, China is generous" Russia does not share China's praise.
   * Uses that do not contrast are not cut: *(not only/just ...) but (also)*, *all/nothing/
     anything/nobody but*, a parenthetical *, however,* (an adverb inside its clause; after a
     semicolon it still contrasts its clause with the one before), *yet* that is not a
     conjunction (*has yet to*, *not yet*), *still* that is not a clause-initial adverb, and
     *a while*. *While* before a participle (*while visiting Moscow*) is cut but concedes
     nothing: it says when, not "despite".

   Without a parser this is an approximation: a comma inside a subordinate clause (a list, a
   relative clause) ends it early.
3. **Continuation across a contrast** (:func:`target_context`): a clause joined by contrast to
   a clause holding the target is read too when it goes on about the same target. Its subject
   decides, found without a parser as the first telling word before an auxiliary: a pronoun
   (*it*, *its*, *they*, ...) or another alias of the target ("Russia ... but Moscow ...")
   continue it; another target or another capitalised name (not inside a prepositional phrase)
   is another actor and does not ("A is helping, while B does nothing": B's clause says nothing
   about A). A clause *after* the target's clause whose subject is a plain noun phrase ("America's
   aid was generous; however, the conditions were humiliating") continues it as well, since a
   definite description points back; a clause *before* it only through a pronoun or an alias.
   When the target is read on both sides of a contrast, the conceded clause counts half and the
   outweighing clause one and a half times: VADER's own weights around *but* (Hutto & Gilbert
   2014), applied per target instead of per sentence.
4. **Distance**: a word ``d`` words away from the nearest mention (inside the same clause) gets
   weight ``0.5 ** ((d - 1) / window)``: the adjacent word counts fully and weight halves every
   ``window`` words. In a continued clause, distance is counted from its pronoun or alias, or
   from its first word when its subject is a plain noun phrase. Words of the mention itself get
   weight 0, so a target's own name ("Liberty University") never counts as an evaluation of it.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from framelens.text.patterns import trie_regex

#: Markers after which the clause they open outweighs the clause before ("X but Y": Y).
COORDINATORS = ("but", "however", "yet", "nevertheless", "nonetheless", "still")
#: Contrastive connectives that work as *however* does: opening a clause after a comma or a
#: semicolon, or inside it as a parenthetical ("X is a friend; Y, on the other hand, is a
#: bully"). "In/by contrast to/with X" and "instead of X" are prepositions, not connectives.
CONNECTIVES = ("on the other hand", "by contrast", "in contrast", "conversely", "instead")
#: Markers that open a conceded clause, outweighed by its main clause; it ends at its first comma.
SUBORDINATORS = ("although", "even though", "though", "while", "whereas", "despite", "in spite of")
#: Prepositions of contrast that open a phrase read like a conceded clause ("Unlike Russia,
#: China is generous": the phrase says nothing good about Russia); it ends at its first comma.
CONTRASTING_PREPOSITIONS = (
    "unlike",
    "in contrast to",
    "in contrast with",
    "by contrast with",
    "by contrast to",
    "as opposed to",
)
#: Every word or phrase that may open a contrasting or concessive clause.
CONTRAST_MARKERS = COORDINATORS + CONNECTIVES + SUBORDINATORS + CONTRASTING_PREPOSITIONS
#: VADER's weights around *but*: the clause before counts half, the clause after 1.5 times.
CONCEDED_WEIGHT = 0.5
ASSERTED_WEIGHT = 1.5
#: Pronouns through which a clause goes on about the target named in the clause it contrasts with.
CONTINUING_PRONOUNS = frozenset(
    {"it", "its", "itself", "they", "their", "them", "themselves"}
    | {"he", "his", "him", "himself", "she", "her", "herself"}
)
#: Auxiliaries and copulas: the subject of a clause stands before the first of them.
AUXILIARIES = frozenset(
    {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did"}
    | {"will", "would", "can", "could", "cannot", "may", "might", "must", "shall", "should"}
)
#: A name right after one of these (or after one and an article) is not a clause's subject.
PREPOSITIONS = frozenset(
    {"about", "above", "across", "after", "against", "among", "amid", "at", "before", "behind"}
    | {"between", "beyond", "by", "despite", "during", "for", "from", "in", "inside", "into"}
    | {"like", "near", "of", "on", "onto", "over", "since", "than", "through", "to", "toward"}
    | {"towards", "under", "until", "upon", "via", "with", "within", "without"}
)
_ARTICLES = frozenset({"the", "a", "an"})


def phrase_pattern(phrases) -> str:
    """A regular expression (no group, no word boundaries) that matches any of ``phrases``.

    A space in a phrase matches any run of whitespace. The alternation is a prefix tree, one
    branch per next letter: a plain ``a|b|c|...`` of many phrases makes the engine try each
    phrase in turn at every position of the text, which costs several times more. Where one
    phrase extends another ("in contrast", "in contrast to") the longer is tried first, as in
    an alternation sorted longest first, so the same text is matched.

    Parameters
    ----------
    phrases : iterable of str
        Lower-case words or phrases.

    Returns
    -------
    str
    """
    return trie_regex(
        [r"\s+" if char == " " else re.escape(char) for char in phrase] for phrase in phrases
    )


_MARKER = re.compile(r"\b(" + phrase_pattern(CONTRAST_MARKERS) + r")\b", re.IGNORECASE)
# One word of each marker (its longest): a sentence without any of them holds no marker.
_MARKER_WORDS = tuple(sorted({max(m.split(), key=len) for m in CONTRAST_MARKERS}))


def _fold(text: str) -> str:
    """``text`` case-folded so that each character that ``re.IGNORECASE`` matches with an ASCII
    letter becomes that letter (``casefold`` does so for all but the dotless "ı" and the dotted
    "İ", which it leaves, or makes "i" and a combining dot)."""
    return text.casefold().replace("\u0131", "i").replace("\u0307", "")


def _markers(text: str) -> list[re.Match]:
    """The matches of the contrast-marker regex in ``text``, in order.

    The regex tries each position of the text in turn; a substring test for the markers'
    words does not, and most sentences hold none of them (then the regex cannot match).
    """
    folded = _fold(text)
    if not any(word in folded for word in _MARKER_WORDS):
        return []
    return list(_MARKER.finditer(text))


# "but" that does not contrast: "not only ... but also", "all but", "nothing but", "nobody but".
_NON_CONTRAST_BUT_BEFORE = re.compile(
    r"\b(all|nothing|anything|everything|nobody|everybody|everyone|none)\s*$", re.IGNORECASE
)
_NON_CONTRAST_BUT_AFTER = re.compile(r"^\s*also\b", re.IGNORECASE)
# "not only/just/merely/simply X but Y" adds Y to X, with or without "also".
_NOT_ONLY = re.compile(r"\bnot\s+(only|just|merely|simply)\b(?!.*\bbut\b)", re.IGNORECASE)
# "yet" as a conjunction follows a comma, a semicolon or "and" (or opens the sentence); "yet
# another", "yet again" and "yet to" are the adverb.
_YET_AFTER_ADVERB = re.compile(r"^\s*(another|again|more|to)\b", re.IGNORECASE)
_AND_BEFORE = re.compile(r"\band\s*$", re.IGNORECASE)
_PUNCT = ".,;:!?\"'()[]“”‘’"
_SPACE_COMMA = re.compile(r"[ ,]*")
# Characters read on either side of a marker to decide its role ("not only ... but" included).
_REACH = 120


class Word(NamedTuple):
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
    pieces, starts, ends = _layout(text)
    return list(map(Word._make, zip(starts, ends, pieces, strict=True)))


def word_texts(text: str) -> tuple[str, ...]:
    """The whitespace tokens of ``text`` (as ``text.split()`` gives them, in a tuple).

    They are split once for the last sentence read (as in :func:`words`).
    """
    return _layout(text)[0]


@lru_cache(maxsize=1)
def _layout(text: str) -> tuple[tuple[str, ...], list[int], list[int]]:
    """The tokens of a sentence (as strings), and their start and end offsets as lists.

    A sentence is read once per target it mentions, one target after the other: this is
    worked out once (only the last sentence is kept, so repeated text elsewhere gains nothing).
    The scorers read the three lists side by side: a :class:`Word` per token would cost an
    object each, for attribute access that nothing in the scoring loop needs.
    """
    pieces = text.split()  # the runs of non-whitespace, as \S+ finds them
    lengths = list(map(len, pieces))
    if " ".join(pieces) == text:
        # Words one space apart (nearly every sentence): each starts one past the end of the
        # one before, so the offsets are running sums, added up in C.
        starts = list(
            itertools.accumulate(map(operator.add, lengths, itertools.repeat(1)), initial=0)
        )
        starts.pop()  # the sum after the last word
    else:
        starts, position = [], 0
        for piece in pieces:
            position = text.find(piece, position)
            starts.append(position)
            position += len(piece)
    return tuple(pieces), starts, list(map(operator.add, starts, lengths))


@dataclass(frozen=True)
class Clauses:
    """A sentence cut into clauses, with the contrasts between them.

    Attributes
    ----------
    bounds : list of (int, int, int)
        ``(start, end, clause)`` character intervals, as :func:`clause_bounds` returns them.
    content : dict of int to int
        For each clause, where its own words begin: after the marker that opens it (and the
        commas that follow the marker), else at its first interval.
    links : list of (int, int)
        ``(conceded, asserted)`` clause pairs joined by a contrast marker, in text order.
    """

    bounds: list
    content: dict = field(default_factory=dict)
    links: list = field(default_factory=list)


def _marker_kind(word: str, before: str, after: str) -> str | None:
    """What a contrast word does here: ``coordinator``, ``subordinator``, ``adverb`` or None.

    ``adverb`` is a contrast adverb inside its clause (", however,", a sentence-final
    "though."): no cut, but the clause contrasts with the one before a semicolon.
    """
    word = " ".join(word.lower().split())
    head = before.rstrip()
    tail = after.lstrip()
    opens = head == "" or head.endswith((",", ";", ":", "—", "–", "("))
    if word == "but":
        if (
            _NON_CONTRAST_BUT_BEFORE.search(before)
            or _NON_CONTRAST_BUT_AFTER.match(after)
            or _NOT_ONLY.search(before)
        ):
            return None
        return "coordinator"
    if word in ("however", "nevertheless", "nonetheless", "though"):
        if (head.endswith(",") and tail.startswith(",")) or tail[:1] in ("", ".", "!", "?"):
            return "adverb"
        return "subordinator" if word == "though" else "coordinator"
    if word in CONNECTIVES:
        if re.match(r"(?:to|with|of)\b", tail, re.IGNORECASE):
            return None  # "in contrast to Russia", "instead of the US": a preposition
        if (head.endswith(",") and tail.startswith(",")) or tail[:1] in ("", ".", "!", "?"):
            return "adverb"
        # Opening a clause ("...; instead, it bought ...", ", by contrast, ..."); inside one
        # without punctuation ("Pakistan instead turned to China") it contrasts nothing.
        return "coordinator" if opens else None
    if word == "yet":
        conjunction = opens or _AND_BEFORE.search(head)
        return "coordinator" if conjunction and not _YET_AFTER_ADVERB.match(after) else None
    if word == "still":
        # Only the sentence adverb: "Still, ..." or "...; still, ...".
        return "coordinator" if (head == "" or head.endswith(";")) and tail[:1] == "," else None
    if word == "while" and re.search(r"\ba\s*$", head, re.IGNORECASE):
        return None  # "for a while", "once in a while"
    return "subordinator"


def _concedes(word: str, after: str) -> bool:
    # "while" before a participle ("while visiting Moscow") says when, not "despite".
    if word.lower() != "while":
        return True
    following = after.split(None, 1)
    return not (following and following[0].lower().strip(_PUNCT).endswith("ing"))


def sentence_clauses(text: str) -> Clauses:
    """Cut a sentence into clauses at contrast markers and semicolons, and link the contrasts.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    Clauses
        The clause intervals, where each clause's own words begin and the ``(conceded,
        asserted)`` pairs (see the module docstring for the markers and their rules).
    """
    found = _markers(text)
    if ";" not in text and not found:  # most sentences: one clause
        whole = [(0, len(text), 0)] if text.strip(" ,") else []
        return Clauses(bounds=whole, content={0: 0} if whole else {}, links=[])
    cuts = {0, len(text)}
    semicolons = {m.end() for m in re.finditer(";", text)}
    cuts.update(semicolons)
    markers: dict[int, tuple[str, str, int]] = {}  # start -> (kind, word, content start)
    adverbs: list[int] = []
    for match in found:
        word = match.group(1)
        # What decides a marker's role lies next to it: read a short stretch on either side.
        before = text[max(0, match.start() - _REACH) : match.start()]
        after = text[match.end() : match.end() + _REACH]
        kind = _marker_kind(word, before, after)
        if kind is None:
            continue
        if kind == "adverb":
            adverbs.append(match.start())
            continue
        content = _SPACE_COMMA.match(text, match.end()).end()
        markers[match.start()] = (kind, word if _concedes(word, after) else "", content)
        cuts.add(match.start())
    subordinate_starts = {s for s, (kind, _, _) in markers.items() if kind == "subordinator"}
    # A subordinate clause ends at its first comma before the next cut. (The commas added here
    # never come before another subordinate clause's next cut, so the order does not matter.)
    ordered = sorted(cuts)
    for start in subordinate_starts:
        following = ordered[bisect.bisect_right(ordered, start)]
        comma = text.find(",", start, following)
        if comma != -1:
            cuts.add(comma + 1)
    points = sorted(cuts)
    intervals = [
        (a, b) for a, b in zip(points[:-1], points[1:], strict=True) if text[a:b].strip(" ,")
    ]
    out: list[tuple[int, int, int]] = []
    content: dict[int, int] = {}
    links: list[tuple[int, int]] = []
    pending: list[int] = []  # subordinate clauses that open their sentence or a semicolon part
    clause, resume = -1, None
    for a, b in intervals:
        kind, word, starts_at = markers.get(a, (None, "", a))
        # The clause before is still open (not closed by a semicolon or a full stop).
        open_before = bool(out) and not text[out[-1][0] : a].rstrip().endswith((";", "."))
        if kind == "subordinator":
            # Remember the interrupted main clause, unless the subordinate clause opens it.
            resume = (
                out[-1][2] if open_before and text[out[-1][0] : a].rstrip().endswith(",") else None
            )
            clause += 1
            out.append((a, b, clause))
            if word:  # a conceding subordinate clause
                if open_before:
                    links.append((clause, out[-2][2]))
                else:
                    pending.append(clause)
        elif resume is not None and out and out[-1][0] in subordinate_starts:
            out.append((a, b, resume))
            resume = None
            continue
        else:
            clause += 1
            out.append((a, b, clause))
            # "X but Y", and "X; the terms, however, were harsh": the adverb contrasts its
            # clause with the one before the semicolon.
            adverb = bisect.bisect_left(adverbs, a) < bisect.bisect_left(adverbs, b)
            if len(out) > 1 and (kind == "coordinator" or adverb):
                links.append((out[-2][2], clause))
        content.setdefault(clause, starts_at)
        # A main clause after its sentence-opening subordinate clause outweighs it.
        if kind != "subordinator" and pending:
            links.extend((sub, clause) for sub in pending)
            pending = []
    return Clauses(bounds=out, content=content, links=links)


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
    return sentence_clauses(text).bounds


# A sentence is scored once per target it mentions, one target after the other: cut it into
# clauses once. (Only the last sentence is kept, so repeated text elsewhere gains nothing.)
_clauses = lru_cache(maxsize=1)(sentence_clauses)


def has_contrast(text: str) -> bool:
    """Whether ``text`` has a contrast between two of its clauses (see :func:`sentence_clauses`)."""
    return bool(_clauses(text).links)


def mention_words(tokens: list[Word], spans) -> np.ndarray:
    """Boolean mask of the tokens that overlap any mention span."""
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    return np.array(_mask(len(tokens), _overlapping(starts, ends, spans)), dtype=bool)


def _overlapping(starts: list[int], ends: list[int], spans) -> list[int]:
    """Positions, in order, of the tokens (given by their offsets) that overlap any of ``spans``.

    Tokens are in order and do not overlap: those a span overlaps are one run of them, from
    the first ending after its start to the last starting before its end, found by bisection.
    Runs are taken in order of their first token, each from where the ones before reached,
    so that a long sentence with many mentions costs time linear in its length.
    """
    runs = sorted(
        (bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)) for start, end in spans
    )
    positions: list[int] = []
    reached = 0
    for first, stop in runs:
        positions.extend(range(max(first, reached), stop))
        reached = max(reached, stop)
    return positions


def _mask(n: int, positions) -> list[bool]:
    mask = [False] * n
    for i in positions:
        mask[i] = True
    return mask


def clause_ids(tokens: list[Word], bounds: list[tuple[int, int, int]]) -> np.ndarray:
    """Index of the clause each token starts in (-1 for none)."""
    return np.array(_clause_ids([t.start for t in tokens], bounds)[0], dtype=int)


def _clause_ids(
    starts: list[int], bounds: list[tuple[int, int, int]]
) -> tuple[list[int], dict[int, list[int]]]:
    """Index of the clause each token (given by its start offset, in order) starts in.

    Returns the indices (-1 for none; where intervals overlap, the later one wins) and the
    positions of each clause's tokens, in order; the latter only hold for intervals in order
    and without overlap, as :func:`sentence_clauses` makes them. The tokens of an interval
    are one run, found by bisection, so a long sentence costs time linear in its length.
    """
    ids = [-1] * len(starts)
    members: dict[int, list[int]] = {}
    for start, end, number in bounds:
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        ids[lo:hi] = [number] * (hi - lo)
        members.setdefault(number, []).extend(range(lo, hi))
    return ids, members


@lru_cache(maxsize=8)
def _decay(window: float, size: int) -> tuple[float, ...]:
    """``0.5 ** ((max(d, 1) - 1) / window)`` for each distance ``d`` below ``size``.

    Computed by numpy's ``power``, as the weights have always been: its float64 results are
    not always those of Python's ``**`` (vectorised code), and a table keeps them bit for bit.
    """
    distance = np.arange(size, dtype=np.int64)
    return tuple((0.5 ** ((np.maximum(distance, 1) - 1) / float(window))).tolist())


def _table_size(longest: int) -> int:
    """The size of :func:`_decay` table that holds distance ``longest``: a power of two (64 and
    up), so that a few tables serve every sentence."""
    size = 64
    while size <= longest:
        size *= 2
    return size


def _run_weights(window: float, lo: int, first: int, stop: int, hi: int) -> list[float]:
    """The weights of words ``lo:hi`` around the anchors ``first:stop`` (one run among them).

    The words before the run are ``first - i`` words from it, those after it ``i - stop + 1``,
    and the anchors themselves 0: the weights are read off the :func:`_decay` table by slices
    (in C), the same entries as word by word.
    """
    table = _decay(window, _table_size(max(first - lo, hi - stop)))
    return [*table[first - lo : 0 : -1], *(table[0],) * (stop - first), *table[1 : hi - stop + 1]]


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
        Tokens (mentions excluded) in a clause that is read for the target: one holding a
        mention, or one that continues about the target across a contrast.
    weights : ndarray of float
        Evidence weight of each token (0 outside ``in_clause``): the distance weight in [0, 1],
        times ``clause_weight``.
    clause_weight : ndarray of float or None
        The contrast weight of each token's clause: :data:`CONCEDED_WEIGHT` or
        :data:`ASSERTED_WEIGHT` where the target is read on both sides of a contrast, else 1
        (``None`` is all ones).
    """

    tokens: list
    is_mention: np.ndarray
    in_clause: np.ndarray
    weights: np.ndarray
    clause_weight: np.ndarray | None = None


class ContextWords(NamedTuple):
    """:class:`TargetContext` as plain lists, one entry per token (see :func:`context_words`).

    ``tokens`` holds the words' text (not :class:`Word` objects), as a tuple: it is shared by
    the contexts of one sentence, and not to be changed.
    """

    tokens: tuple
    is_mention: list
    in_clause: list
    weights: list
    clause_weight: list | None = None


def _subject(
    texts, starts: list[int], members: list[int], start: int, alias: list[bool], other: list[bool]
) -> tuple[str, list[int]]:
    """Who a clause is about, read from its first words (no parser).

    ``texts`` and ``starts`` are the sentence's words and their start offsets.

    Returns ``("same", [i])`` for an alias of the target at token ``i``, ``("pronoun", [i])``,
    ``("other", [])`` for another target or name, or ``("plain", subject)`` for a plain noun
    phrase: nothing telling before the first auxiliary, and ``subject`` the words before it
    (the first word when there is none).
    """
    previous: list[str] = []
    subject: list[int] = []
    for i in members:
        if starts[i] < start:
            continue  # the marker that opens the clause
        lower = texts[i].lower().strip(_PUNCT)
        governed = bool(previous) and (
            previous[-1] in PREPOSITIONS
            or (len(previous) > 1 and previous[-1] in _ARTICLES and previous[-2] in PREPOSITIONS)
        )
        if alias[i]:
            return "same", [i]
        if lower in CONTINUING_PRONOUNS:
            return "pronoun", [i]
        bare = texts[i].lstrip(_PUNCT)
        named = other[i] or (i > 0 and bare[:1].isupper() and lower != "i")
        if named and not governed:
            return "other", []
        if lower in AUXILIARIES:
            return "plain", subject or [i]
        previous.append(lower)
        subject.append(i)
    return "plain", subject[:1]


def target_context(
    text: str,
    spans,
    *,
    window: float | None = 4.0,
    split_clauses: bool = True,
    contrast: bool = False,
    aliases=(),
    others=(),
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
    contrast : bool, default False
        Also read a clause that continues about the target across a contrast, and weigh the
        two sides of a contrast as VADER weighs them around *but* (module docstring, point 3).
        Only used with ``split_clauses``. The lexicon scorer turns it on; the embedding scorer
        reads the clauses holding a mention only (on the NewsMTSC dev sets and the seed gold,
        continuation did not help its pooled vectors).
    aliases : sequence of (int, int), default ()
        Offsets of other names of the same target that are not marked (``Moscow`` when
        ``Russia`` is marked): a contrasting clause whose subject is one continues the target.
    others : sequence of (int, int), default ()
        Offsets of other targets' mentions: a contrasting clause whose subject is one is about
        another actor. Capitalised names are treated the same way without being listed.

    Returns
    -------
    TargetContext
        The tokens, the mention and clause masks and the weights (all zero when no token
        overlaps a span).
    """
    found = context_words(
        text,
        spans,
        window=window,
        split_clauses=split_clauses,
        contrast=contrast,
        aliases=aliases,
        others=others,
    )
    clause_weight = found.clause_weight
    return TargetContext(
        words(text),
        np.array(found.is_mention, dtype=bool),
        np.array(found.in_clause, dtype=bool),
        np.array(found.weights, dtype=float),
        None if clause_weight is None else np.array(clause_weight, dtype=float),
    )


def context_words(
    text: str,
    spans,
    *,
    window: float | None = 4.0,
    split_clauses: bool = True,
    contrast: bool = False,
    aliases=(),
    others=(),
) -> ContextWords:
    """:func:`target_context` as plain lists, for a caller that reads them word by word.

    A sentence has some 25 words: on arrays that short, numpy's cost per call outweighs the
    work, so the context is worked out on lists (in time linear in the sentence's length) and
    only :func:`target_context` turns it into arrays. The parameters are those of
    :func:`target_context`.

    Returns
    -------
    ContextWords
        The fields of :class:`TargetContext`, as lists.
    """
    tokens, starts, ends = _layout(text)  # tokens: a tuple, shared by the sentence's targets
    n = len(tokens)
    mentions = _overlapping(starts, ends, spans)
    is_mention = _mask(n, mentions)
    if not mentions:
        return ContextWords(tokens, is_mention, [False] * n, [0.0] * n)
    if split_clauses:
        clauses = _clauses(text)
        # The positions of each clause's words, in order, beside each word's clause.
        ids, members = _clause_ids(starts, clauses.bounds)
    else:
        clauses, ids, members = Clauses(bounds=[]), [0] * n, {0: list(range(n))}
    read = {ids[i] for i in mentions}
    read.discard(-1)
    anchors = list(is_mention)  # the words distance is counted from
    names = list(mentions)  # anchors that are names of the target: not evidence about it
    links = clauses.links if contrast else []
    if links and len(read) < len(clauses.content):
        alias_mask = _mask(n, _overlapping(starts, ends, aliases))
        other_mask = _mask(n, _overlapping(starts, ends, others))
        for i in mentions:
            alias_mask[i] = other_mask[i] = False
        other_mask = [o and not a for o, a in zip(other_mask, alias_mask, strict=True)]
        changed = True
        while changed:  # "X but it ...; however, it ...": a continued clause carries on
            changed = False
            for conceded, asserted in links:
                for held, other in ((conceded, asserted), (asserted, conceded)):
                    if held not in read or other in read:
                        continue
                    kind, subject = _subject(
                        tokens,
                        starts,
                        members.get(other, []),
                        clauses.content[other],
                        alias_mask,
                        other_mask,
                    )
                    forward = other > held  # clauses are numbered in order of appearance
                    if kind == "other" or (kind == "plain" and not forward) or not subject:
                        continue
                    read.add(other)
                    changed = True
                    # Distance counts from the subject that stands for the target; a pronoun or
                    # a name says nothing of it, the words of a plain noun phrase may.
                    for i in subject:
                        anchors[i] = True
                    if kind != "plain":
                        names.extend(subject)
    weights = [0.0] * n
    for clause in read:
        same = members[clause]
        if window is None:
            for i in same:
                weights[i] = 1.0
            continue
        points = list(itertools.compress(same, map(anchors.__getitem__, same)))
        if points[-1] - points[0] == len(points) - 1 and same[-1] - same[0] == len(same) - 1:
            # One stretch of words with one run of anchors in it (most clauses).
            lo, hi = same[0], same[-1] + 1
            weights[lo:hi] = _run_weights(float(window), lo, points[0], points[-1] + 1, hi)
            continue
        # Each word's distance to the nearest anchor of its clause.
        if points[-1] - points[0] == len(points) - 1:  # one run of anchors
            first, last = points[0], points[-1]
            distances = [first - i if i < first else i - last if i > last else 0 for i in same]
        else:  # one sweep, as both are in order (k: the last anchor at or before the word)
            distances, k, last = [], 0, len(points) - 1
            for i in same:
                while k < last and points[k + 1] <= i:
                    k += 1
                distance = abs(i - points[k])
                if k < last and points[k + 1] - i < distance:
                    distance = points[k + 1] - i
                distances.append(distance)
        table = _decay(float(window), _table_size(max(distances)))
        if same[-1] - same[0] == len(same) - 1:  # the clause is one stretch of words
            weights[same[0] : same[-1] + 1] = [table[d] for d in distances]
        else:
            for i, distance in zip(same, distances, strict=True):
                weights[i] = table[distance]
    for i in names:
        weights[i] = 0.0
    in_clause = list(map(read.__contains__, ids))
    for i in mentions:
        in_clause[i] = False
    factor: dict[int, float] = {}  # each clause's contrast weight
    for conceded, asserted in links:
        if conceded in read and asserted in read:
            factor[conceded] = factor.get(conceded, 1.0) * CONCEDED_WEIGHT
            factor[asserted] = factor.get(asserted, 1.0) * ASSERTED_WEIGHT
    if not factor:  # no contrast weight: all ones, and the weights stay as they are
        return ContextWords(tokens, is_mention, in_clause, weights, [1.0] * n)
    clause_weight = [factor.get(c, 1.0) for c in ids]
    weights = [w * f for w, f in zip(weights, clause_weight, strict=True)]
    return ContextWords(tokens, is_mention, in_clause, weights, clause_weight)
