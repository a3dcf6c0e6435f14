"""Corpus-level furniture: lines and sentences that recur across one outlet's articles.

Line rules written for a few pages cannot know every outlet's photo credits, app promos or
licensing notices. What every outlet's furniture has in common is that it *repeats*: the same
line (or sentence, once numbers and dates are normalised) stands in a large share of that
outlet's articles, while article prose almost never does. This is the signal boilerplate
detectors use, and it is computed here in two steps that both cost time linear in the text:

1. **count**: :class:`FurnitureCounter` takes every article's *segments* (each unit of the
   cleaner, and each sentence-like piece inside a unit, see :func:`segments`) and counts, per
   outlet, in how many distinct stories each normalised segment occurs (copies of one story
   count once: see the class). It keeps 8-byte hashes, never texts, and only of segments of
   at most ``max_words`` words (furniture is short), so memory is 16 bytes (segment and story
   hash) per short segment of the corpus;
2. **decide**: :meth:`FurnitureCounter.furniture` returns the hashes that occur in at least
   ``min_articles`` stories of an outlet *and* in at least ``share`` of them. The cleaner
   removes those segments with the reason ``outlet_furniture``, except the article's
   reporting (its headline, and a clause that names a codebook target or reports what
   someone said: :func:`framelens.text.clean.is_reported_prose`), which recurs in real
   stories too ("X did not respond to a request for comment.").

The hashes are keyed by outlet, so a sentence is furniture only for the outlet that repeats
it. Articles without an outlet form one group of their own. Counting is exact and does not
depend on the order or the batches the articles come in, so the in-memory path
(:func:`framelens.text.clean.clean_articles`) and the partitioned one
(:func:`framelens.runs.process.process_corpus`) find the same furniture.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable

import numpy as np

DEFAULT_SHARE = 0.2
DEFAULT_MIN_ARTICLES = 3
DEFAULT_MAX_WORDS = 40
#: A piece inside a longer unit needs this many words to count: shorter pieces ("U.S.",
#: "Mr.") come from abbreviations, and a two-word phrase repeating proves nothing.
MIN_PIECE_WORDS = 3

# Abbreviations after which a full stop does not end a sentence: titles, initials ("J."),
# and the dotted parts of "U.S." or "D-N.Y.".
_ABBREVIATIONS = (
    "mr mrs ms dr prof rep reps sen gov gen col lt sgt capt st jr sr no vs etc inc co corp ltd "
    "dept jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_ABBREVIATION = re.compile(rf"(?:\b(?:{'|'.join(_ABBREVIATIONS)})|\b\w)\.$", re.IGNORECASE)
# The longest word _ABBREVIATION names: what decides whether a stop ends an abbreviation is
# this many characters before it, the stop and the one before them (for the word boundary).
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


def _plain_stop_pairs() -> frozenset[str]:
    """The ASCII pairs of characters after which a full stop never ends an abbreviation.

    A match of :data:`_ABBREVIATION` that covers both characters before the stop ends in a
    word character, after a non-word one (an initial, "J.") or after the letter before it
    in one of :data:`_ABBREVIATIONS` (each has two letters or more). So a pair ends none
    when its second character is not a word character, or when both are word characters
    and, in lower case, they end no abbreviation: "ys" in "days.", "ed" in "said.".
    """
    ends = {word[-2:] for word in _ABBREVIATIONS}
    word = [chr(code).isalnum() or chr(code) == "_" for code in range(128)]  # ASCII \w
    return frozenset(
        chr(a) + chr(b)
        for a in range(128)
        for b in range(128)
        if not word[b] or (word[a] and (chr(a) + chr(b)).lower() not in ends)
    )


# Most sentences end after such a pair: a set look-up spares them the regex search.
_PLAIN_STOP_PAIRS = _plain_stop_pairs()

# Where a piece can end inside a unit:
# * sentence punctuation (and closing quotes) followed by space and a capital, digit, quote
#   or bracket, or directly by a capital ("...the planet.Scientists");
# * a scraper's glue, where a block ended and the next began without a space: a capital
#   directly after two lower-case letters and before one ("...speculateHe went", cut before
#   the capital), a run of capitals directly followed by a capitalised word ("...the APPHe
#   went"), or by a quotation that opens with one ('...NEWS APP"And how'), or a closing bracket
#   directly followed by a capital ("(Photo: AP)President ...");
# * a bullet or a vertical bar between items (with the spaces around it).
# Every alternative starts at one character of the class in front, so the regex engine skips
# the rest of the text (lower-case letters, spaces) without trying each alternative at each
# position; lookbehinds check what that character was. The groups say where the cut falls.
_BOUNDARY = re.compile(
    r"[.!?A-Z)\]•·▪|]"
    r"(?:(?<=[.!?])(?P<stop>[\"'”’)\]]*)(?:\s+(?=[\"'“‘(\[A-Z0-9])|(?=[A-Z]))"
    r"|(?<=[a-z]{2}[A-Z])(?=[a-z])(?P<lower>)"
    r"|(?P<glue>(?<=[A-Z])(?:[A-Z]{2}(?=[A-Z][a-z])|[A-Z](?=[\"“][A-Z]))|(?<=[)\]])(?=[A-Z]))"
    r"|(?<=[•·▪|])(?P<bullet>\s*))"
)
_STOP, _LOWER, _BULLET = (_BOUNDARY.groupindex[name] for name in ("stop", "lower", "bullet"))
# The word before a lower-to-upper glue point: a capital inside it makes it one camel-case
# name ("HuffPost"); only an all-lower-case word ("speculate|He") ends a glued block.
_CAMEL = re.compile(r"[A-Z][a-z]*$")
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur fri sat sun"
)
_DATE_WORDS = {**dict.fromkeys(_MONTHS.split(), "m"), **dict.fromkeys(_DAYS.split(), "d")}
_NUMBER = re.compile(r"\d+")
_TOKEN = re.compile(r"[^\W_]+")  # a word: letters and digits, between punctuation and spaces


def normalise(text: str) -> str:
    """The form segments are compared in: case, punctuation, numbers and dates ignored.

    NFKC, lower case, every run of digits becomes ``0``, every month and weekday name becomes
    ``m``/``d``, punctuation becomes a space. "Published 14 March 2023" and "Published 2 May
    2024" give the same form.
    """
    return _normal_bytes(text).decode()


# ASCII text, the usual case, takes a byte path with the same result: one table look-up per
# byte does NFKC (nothing to do for ASCII), lower case, punctuation to space and every digit
# to "0"; runs of "0" are then folded into one, as a run of digits becomes one "0".
_ASCII_FORM = bytes(
    (b"0"[0] if chr(c).isdigit() else c) if chr(c).isalnum() else b" "[0] for c in range(128)
).lower() + bytes(range(128, 256))
_DATE_BYTES = {word.encode(): short.encode() for word, short in _DATE_WORDS.items()}
# The date words, to test a segment's words for any at once (most have none: then they are
# joined as they are, without a look-up a word).
_DATE_SET, _DATE_BYTES_SET = frozenset(_DATE_WORDS), frozenset(_DATE_BYTES)


def _normal_bytes(text: str) -> bytes:
    """:func:`normalise` of ``text``, UTF-8 encoded (what :func:`segment_key` hashes)."""
    if text.isascii():
        data = text.encode().translate(_ASCII_FORM)
        while b"00" in data:  # a run of digits becomes one "0"
            data = data.replace(b"00", b"0")
        words = data.split()
        if _DATE_BYTES_SET.isdisjoint(words):
            return b" ".join(words)
        return b" ".join(map(_DATE_BYTES.get, words, words))
    text = unicodedata.normalize("NFKC", text).lower()
    # A date word is a whole token (tokens hold no underscore, so no word boundary falls
    # inside one): a dictionary look-up per token replaces it.
    words = _TOKEN.findall(_NUMBER.sub("0", text))
    if _DATE_SET.isdisjoint(words):
        return " ".join(words).encode()
    return " ".join(map(_DATE_WORDS.get, words, words)).encode()


def segment_key(outlet: str, text: str) -> int:
    """A stable 64-bit hash of (outlet, normalised text): the same in every process."""
    return _hash(_key_prefix(outlet) + _normal_bytes(text))


def segment_keys(outlet: str, text: str, spans: Iterable[tuple[int, int]]) -> list[int]:
    """:func:`segment_key` of each span ``(start, end)`` of ``text``, in order.

    ASCII text (the usual case) is translated to its byte form once for all its spans: the
    form of a span is the span of the form, one byte a character.
    """
    prefix = _key_prefix(outlet)
    if not text.isascii():
        return [_hash(prefix + _normal_bytes(text[start:end])) for start, end in spans]
    data = text.encode().translate(_ASCII_FORM)
    blake2b, from_bytes, dates = hashlib.blake2b, int.from_bytes, _DATE_BYTES.get
    no_date = _DATE_BYTES_SET.isdisjoint
    keys = []
    for start, end in spans:  # _normal_bytes and _hash, inlined: this runs for every sentence
        part = data[start:end]
        while b"00" in part:  # a run of digits becomes one "0"
            part = part.replace(b"00", b"0")
        words = part.split()
        form = b" ".join(words) if no_date(words) else b" ".join(map(dates, words, words))
        keys.append(from_bytes(blake2b(prefix + form, digest_size=8).digest(), "little"))
    return keys


def _key_prefix(outlet: str) -> bytes:
    """What :func:`segment_key` hashes before a segment's normal form: the outlet and a
    separator."""
    return outlet.strip().encode() + b"\x1f"


def _hash(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def pieces(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentence-like pieces of one unit of text (see :data:`_BOUNDARY`).

    Pieces are cut where a sentence or a glued block ends; an abbreviation's full stop
    ("Mr.", "U.S.", "J.") does not end one.
    """
    spans, start, scanned = [], 0, 0  # scanned: where the last boundary ends
    for match in _BOUNDARY.finditer(text):
        kind = match.lastindex  # the group that matched (numbers: cheaper than names)
        if kind == _STOP:
            cut, end = match.end(kind), match.end()
            # An abbreviation ends in "." (after at most _LONGEST_ABBREVIATION word characters,
            # after a word boundary): the characters before the stop, within the piece and the
            # 16 before the cut, decide. The match starts at the stop's punctuation mark. (A
            # plain pair before the stop, within those, decides without the search.)
            stop, low = match.start(), max(start, cut - 16)
            if (
                cut > start
                and text[stop] == "."
                and stop >= low
                and not (stop - 2 >= low and text[stop - 2 : stop] in _PLAIN_STOP_PAIRS)
                and _ABBREVIATION.search(
                    text[max(low, stop - _LONGEST_ABBREVIATION - 1) : stop + 1]
                )
            ):
                scanned = end
                continue
        elif kind == _LOWER:  # before the capital, which starts the next piece
            cut = end = match.start()
            if cut > start and _CAMEL.search(text[max(start, cut - 16) : cut]):
                scanned = end
                continue  # "HuffPost", "YouTube": one name, not two glued blocks
        elif kind == _BULLET:  # the cut falls before the spaces in front of the bullet
            cut = match.start()
            while cut > scanned and text[cut - 1].isspace():
                cut -= 1
            end = match.end()
        else:
            cut, end = match.end(kind), match.end()
        scanned = end
        if cut > start:
            spans.append((start, cut))
            start = end
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for start, end in spans:  # without the spaces around each piece
        if text[start].isspace() or text[end - 1].isspace():  # (most pieces have none)
            piece = text[start:end]
            kept = piece.strip()
            if not kept:
                continue
            start += len(piece) - len(piece.lstrip())
            end = start + len(kept)
        out.append((start, end))
    return out


def segments(
    text: str, max_words: int = DEFAULT_MAX_WORDS, spans: list | None = None
) -> list[tuple[int, int]]:
    """The spans of one unit that are counted and can be furniture.

    The whole unit (if it has letters and at most ``max_words`` words), and, when it has
    more than one piece, each piece of :data:`MIN_PIECE_WORDS` to ``max_words`` words.
    Words are counted by whitespace here. ``spans`` are the unit's :func:`pieces`, when the
    caller has them already.
    """
    out = []
    # Splitting stops after max_words words: a longer text gives max_words + 1 parts, and a
    # whole article on one line costs no more than a sentence.
    if len(text.split(None, max_words)) <= max_words and any(ch.isalpha() for ch in text):
        out.append((0, len(text)))
    spans = pieces(text) if spans is None else spans
    if len(spans) > 1:
        for start, end in spans:
            if MIN_PIECE_WORDS <= len(text[start:end].split(None, max_words)) <= max_words:
                out.append((start, end))
    return out


class Furniture(frozenset):
    """The hashes of the outlets' furniture (a frozenset of int), knowing which outlets have any.

    A segment's hash includes its outlet, so an article of an outlet without furniture has no
    segment among them: the cleaner skips hashing its lines. ``outlets`` holds the outlets'
    names as the hashes take them (without surrounding spaces).
    """

    def __new__(cls, hashes: Iterable[int] = (), outlets: Iterable[str] = ()):
        furniture = super().__new__(cls, hashes)
        furniture.outlets = frozenset(str(outlet).strip() for outlet in outlets)
        return furniture

    def __reduce__(self):
        return (type(self), (frozenset(self), self.outlets))

    def may_hold(self, outlet: str) -> bool:
        """Whether segments of ``outlet`` can be among these hashes."""
        return outlet.strip() in self.outlets


class FurnitureCounter:
    """Counts, per outlet, in how many distinct stories each short segment occurs.

    Copies are not independent evidence: a corpus often holds the same story twice (a wire
    story run again, an updated version), and every sentence of it would "recur". So
    articles are counted as *stories*: an article's story is the hash of its longest sentence
    (the first of equal length), and a segment counts once per distinct story of its outlet.
    Copies of a story share their longest sentence; different stories almost never do, and
    furniture is rarely an article's longest sentence (when it is, the articles it closes
    count as one story, and that furniture may be missed). Shares are shares of an outlet's
    distinct stories.

    Parameters
    ----------
    max_words : int
        Segments longer than this are not counted (and so never furniture).

    Examples
    --------
    >>> counter = FurnitureCounter()
    >>> for text in ["Officials met on Monday to talk.\\nAdvertisement",
    ...              "The minister resigned after the vote.\\nAdvertisement"]:
    ...     counter.add("Daily", text.splitlines())
    >>> len(counter.furniture(share=0.5, min_articles=2))
    1
    """

    def __init__(self, max_words: int = DEFAULT_MAX_WORDS):
        self.max_words = int(max_words)
        self.n_articles: dict[str, int] = {}
        self._keys: dict[str, list[np.ndarray]] = {}  # per article: its distinct keys ...
        self._stories: dict[str, list[np.ndarray]] = {}  # ... and its signature, as often

    def article_keys(self, outlet: str, units: Iterable[str]) -> tuple[np.ndarray, int | None]:
        """The distinct segment hashes of one article (its units' texts), as uint64, and the
        article's story signature (``None`` when it has no text to count)."""
        keys, longest, story = set(), 0, ""
        for unit in units:
            spans = pieces(unit)
            keys.update(segment_keys(outlet, unit, segments(unit, self.max_words, spans)))
            for start, end in spans:
                # The longest sentence (the first of equal length) names the story.
                if end - start > longest:
                    longest, story = end - start, unit[start:end]
        array = np.fromiter(sorted(keys), dtype=np.uint64, count=len(keys))
        if not keys:
            return array, None
        return array, segment_key("", story)

    def add(self, outlet: str, units: Iterable[str]) -> None:
        """Count one article of ``outlet`` given the texts of its units."""
        keys, story = self.article_keys(outlet, units)
        self.n_articles[outlet] = self.n_articles.get(outlet, 0) + 1
        if story is None:
            return
        self._keys.setdefault(outlet, []).append(keys)
        self._stories.setdefault(outlet, []).append(np.full(len(keys), story, dtype=np.uint64))

    def merge(self, other: FurnitureCounter) -> None:
        """Add the counts of ``other`` (e.g. of another partition) to these."""
        for outlet, n in other.n_articles.items():
            self.n_articles[outlet] = self.n_articles.get(outlet, 0) + n
        for outlet, arrays in other._keys.items():
            self._keys.setdefault(outlet, []).extend(arrays)
            self._stories.setdefault(outlet, []).extend(other._stories[outlet])

    def _counts(self, outlet: str) -> tuple[np.ndarray, np.ndarray, int]:
        """Distinct keys of ``outlet``, the distinct stories each is in, and its stories."""
        pairs = np.column_stack(
            [np.concatenate(self._keys[outlet]), np.concatenate(self._stories[outlet])]
        )
        pairs = np.unique(pairs, axis=0)  # one row per (segment, story)
        keys, counts = np.unique(pairs[:, 0], return_counts=True)
        return keys, counts, len(np.unique(pairs[:, 1]))

    def furniture(self, *, share: float, min_articles: int) -> Furniture:
        """The hashes found in at least ``min_articles`` stories of an outlet and in at least
        ``share`` of its stories.

        Returns
        -------
        Furniture
            Segment hashes (see :func:`segment_key`; they include the outlet), and the outlets
            that have any.
        """
        found: set[int] = set()
        outlets = []
        for outlet in sorted(self._keys):
            keys, counts, n_stories = self._counts(outlet)
            threshold = max(int(min_articles), math.ceil(share * n_stories - 1e-9))
            recurring = keys[counts >= threshold]
            found.update(int(k) for k in recurring)
            if len(recurring):
                outlets.append(outlet)
        return Furniture(found, outlets)

    def summary(self, furniture: frozenset[int]) -> dict[str, dict[str, int]]:
        """Per outlet: its articles, its distinct stories and its furniture segments."""
        found = np.fromiter(sorted(furniture), dtype=np.uint64, count=len(furniture))
        out = {}
        for outlet in sorted(self.n_articles):
            row = {"articles": self.n_articles[outlet], "stories": 0, "furniture_segments": 0}
            if outlet in self._keys:
                keys, _, row["stories"] = self._counts(outlet)
                row["furniture_segments"] = int(np.isin(keys, found).sum())
            out[outlet] = row
        return out


__all__ = [
    "DEFAULT_MAX_WORDS",
    "DEFAULT_MIN_ARTICLES",
    "DEFAULT_SHARE",
    "Furniture",
    "FurnitureCounter",
    "normalise",
    "pieces",
    "segment_key",
    "segment_keys",
    "segments",
]
