"""Dictionary frame scorer: the codebook's seed terms counted per sentence, Lexicoder-style.

Every frame in the codebook lists seed terms (words and multiword phrases). A sentence's words
and the terms are reduced to Snowball stems, so *sanctions*, *sanctioned* and *sanctioning*
match the term *sanction* without a lemmatiser (nothing to download). A term ending in ``*`` is
a prefix (``econom*``). Terms are matched as whole word sequences, leftmost-longest first, and a
word is counted for one term at most, so *gas pipeline* is one hit, not two.

Counts become a score in [0, 1] with a saturating, length-normalised transform (in the spirit of
the Lexicoder Topic Dictionaries' per-length counts, Young & Soroka 2012)::

    score = 1 - 0.5 ** (hits * sqrt(reference_length / n_words))

One hit in a sentence of ``reference_length`` words scores exactly 0.5; each further hit halves
the distance to 1; the same hit weighs less in a longer sentence (by the square root of the
length, so long sentences are not written off).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from framelens.codebook import load_codebook
from framelens.errors import InputError
from framelens.scorers.base import FrameScorer, register_scorer
from framelens.text.stems import snowball_stem

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
# The same words in ASCII text (most news sentences), where [^\W_] is [A-Za-z0-9] and the
# apostrophe can only be "'": a class of ranges, which the regex engine tests faster.
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)?")
# Common non-ASCII punctuation of news text (dashes, curly quotes, bullets, currency): none is
# a word character or changed by str.lower, and the right quote is _WORD's other apostrophe.
_PUNCTUATION = (
    "\u2018\u2019\u201c\u201d\u2013\u2014\u2015\u2026\u2022\u00b0\u00a3\u20ac\u2212\u2033"
)
# A text of ASCII and that punctuation only: its words are ASCII, so it is counted together.
_TOGETHER = re.compile(f"[\\x00-\\x7f{_PUNCTUATION}]*+")
# Joins those texts into one string to find all their words in one call (see
# _counts_together): none of them holds it, and it is not a word character.
_SEPARATOR = "\u00a7"
# _WORD in those texts lower-cased. Possessive (Python 3.11): nothing after a run of letters
# could match inside it, so the engine keeps no backtracking state for it (a tenth sooner).
_WORDS_SEPARATED = re.compile(r"[a-z0-9]++(?:['\u2019][a-z0-9]++)?+|\u00a7")


def _byte_table() -> tuple[bytes, bytes]:
    """The ``bytes.translate`` table and deleted bytes that turn the UTF-8 of such texts into
    their lower-cased words between spaces (see :func:`_separated_words`).

    Each character of :data:`_PUNCTUATION` and the separator is several bytes: all but its
    last are deleted, and its last becomes a space, except that of the right quote (an
    apostrophe of words) becomes ``þ`` (one latin-1 byte, put back by
    :func:`_separated_words`) and that of the separator becomes ``§`` in latin-1. Letters
    (lower-cased: as ``str.lower`` maps these texts), digits and ``'`` stay; every other ASCII
    character becomes a space.
    """
    special = {"\u2019": 0xFE, _SEPARATOR: 0xA7}
    deleted = {b for char in _PUNCTUATION + _SEPARATOR for b in char.encode()[:-1]}
    lasts = [char.encode()[-1] for char in _PUNCTUATION + _SEPARATOR]
    # Each character must leave its own last byte, which no other deletes (true of the set).
    if deleted.intersection(lasts) or any(lasts.count(c.encode()[-1]) > 1 for c in special):
        raise AssertionError("a punctuation character is not told apart by its last byte")
    table = bytearray(b" " * 256)
    for byte in b"0123456789'":
        table[byte] = byte
    for byte in b"abcdefghijklmnopqrstuvwxyz":
        table[byte] = table[byte - 32] = byte  # "A" is "a" - 32
    for char, byte in special.items():
        table[char.encode()[-1]] = byte
    return bytes(table), bytes(sorted(deleted))


_BYTE_TABLE, _BYTES_DELETED = _byte_table()
# In those words: an apostrophe that joins no two words (a letter or digit is missing on one
# side), one pattern per apostrophe (``þ``: the right quote), as a pattern that starts with one
# character is searched for much faster than one that starts with a class.
_LONE_APOSTROPHES = [
    re.compile(f"{quote}(?:(?<![a-z0-9].)|(?![a-z0-9]))") for quote in ("'", "\xfe")
]
# Two apostrophes with only letters or digits between ("o'neil's"): _WORDS_SEPARATED ends a
# word at the second.
_CHAINED_APOSTROPHES = [re.compile(f"{quote}[a-z0-9]+['\xfe]") for quote in ("'", "\xfe")]


def _separated_words(texts: list[str]) -> list[str]:
    """``_WORDS_SEPARATED.findall`` of the texts joined by the separator and lower-cased.

    Texts of ASCII and :data:`_PUNCTUATION` only. A pattern finding a million words makes a
    match per word; here the UTF-8 bytes of the joined text are translated in one C call
    (:func:`_byte_table`) into its words between spaces, which ``str.split`` cuts (in half
    the time). An apostrophe that joins no two words becomes a space first; the rare pieces
    with two apostrophes are left to the pattern.

    Parameters
    ----------
    texts : list of str
        Texts of ASCII and :data:`_PUNCTUATION` only.

    Returns
    -------
    list of str
        Their lower-cased words, with :data:`_SEPARATOR` between each text and the next.
    """
    text = f" {_SEPARATOR} ".join(texts)
    plain = text.encode().translate(_BYTE_TABLE, _BYTES_DELETED).decode("latin-1")
    for lone in _LONE_APOSTROPHES:
        plain = lone.sub(" ", plain)
    # The pieces (between spaces) holding two apostrophes, by start: few, if any.
    chained = {}
    for pattern in _CHAINED_APOSTROPHES:
        for match in pattern.finditer(plain):
            start = plain.rfind(" ", 0, match.start()) + 1
            end = plain.find(" ", match.end())
            chained[start] = end if end >= 0 else len(plain)
    plain = plain.replace("\xfe", "\u2019")  # the same length: the offsets hold
    words, done = [], 0
    for start in sorted(chained):
        words += plain[done:start].split()
        words += _WORDS_SEPARATED.findall(plain, start, chained[start])
        done = chained[start]
    words += plain[done:].split()
    return words


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """Snowball stem of a lower-cased word (cached: news vocabularies repeat a lot; a word
    not seen here may have been stemmed for the lexicon scorer, whose cache is read next)."""
    return snowball_stem(word.lower())


def stems(text: str) -> list[str]:
    """The stems of the words of ``text`` (letters and digits; punctuation dropped)."""
    return [stem(w) for w in _WORD.findall(text)]


def _sentence_words(text: str) -> tuple[list[str], list[str], str]:
    """A sentence's lower-cased words, their stems, and the words joined each after a space."""
    raw_words = (_ASCII_WORD if text.isascii() else _WORD).findall(text)
    # The words lower-cased in one call on them joined by spaces: str.lower maps each
    # character on its own (its final-sigma rule looks past no space), so this is
    # each word lowered, without a method call per word.
    joined = " " + " ".join(raw_words).lower()
    words = joined[1:].split(" ") if len(joined) > 1 else []
    return words, list(map(stem, words)), joined


def compile_terms(terms) -> dict[str, list[tuple[tuple[str, ...], bool]]]:
    """Index seed terms by their first word, as stem sequences, longest first.

    Parameters
    ----------
    terms : iterable of str
        Words or phrases; a trailing ``*`` makes the last word a prefix (``econom*``).

    Returns
    -------
    dict of str to list of (tuple of str, bool)
        ``first -> [(parts, is_prefix), ...]`` longest first. ``parts`` are stems, except that
        the last part of a prefix term is the raw lower-cased prefix (stemming a fragment would
        change it); single-word prefix terms are filed under the key ``"*"``.
    """
    index: dict[str, set] = {}
    for term in terms:
        term = str(term).strip().lower()
        prefix = term.endswith("*")
        words = _WORD.findall(term.rstrip("*"))
        if not words:
            continue
        parts = tuple([stem(w) for w in words[:-1]] + [words[-1] if prefix else stem(words[-1])])
        key = "*" if prefix and len(parts) == 1 else parts[0]
        index.setdefault(key, set()).add((parts, prefix))
    return {k: sorted(v, key=lambda t: (-len(t[0]), t)) for k, v in index.items()}


def count_hits(words: list[str], stemmed: list[str], terms, positions=None) -> int:
    """Count non-overlapping matches of seed terms in a sentence, leftmost-longest first.

    Parameters
    ----------
    words : list of str
        The sentence's lower-cased words (prefix terms match on these).
    stemmed : list of str
        Their stems.
    terms : dict
        Compiled terms from :func:`compile_terms`.
    positions : list of int, optional
        The words at which a term can start, in order (a word whose stem begins a term, or
        that starts with a prefix term), if the caller has found them; else found here.

    Returns
    -------
    int
        Number of term occurrences; each word counts toward one occurrence at most.
    """
    prefixes = terms.get("*", [])
    starts = tuple(t[0][0] for t in prefixes)
    if positions is None:
        positions = [
            i
            for i, (w, s) in enumerate(zip(words, stemmed, strict=True))
            if s in terms or (starts and w.startswith(starts))
        ]
    # Only the words where a term can start are tried, left to right, each from where the last
    # match ended: the leftmost-longest walk over every word, without stepping through the rest.
    hits, reached = 0, 0
    for i in positions:
        if i < reached:
            continue
        length = _match_length(words, stemmed, i, terms.get(stemmed[i], []), prefixes, starts)
        if length:
            hits += 1
            reached = i + length
    return hits


def _match_length(words, stemmed, i, candidates, prefixes, starts) -> int:
    """How many words the longest term starting at word ``i`` covers (0 if none starts there).

    ``candidates`` are the terms filed under the word's stem; ``prefixes`` the single-word
    prefix terms and ``starts`` their prefixes (see :func:`count_hits`).
    """
    if starts and words[i].startswith(starts):
        candidates = sorted(
            candidates + [t for t in prefixes if words[i].startswith(t[0][0])],
            key=lambda t: -len(t[0]),
        )
    n = len(stemmed)
    for parts, prefix in candidates:
        k = len(parts)
        if i + k > n or tuple(stemmed[i : i + k - 1]) != parts[:-1]:
            continue
        if words[i + k - 1].startswith(parts[-1]) if prefix else stemmed[i + k - 1] == parts[-1]:
            return k
    return 0


class _TermStarts:
    """How a frame's terms can start: their first stems, and their single-word prefixes.

    A sentence in which no word has one of those stems or starts with one of those prefixes
    has no hit of the frame (:func:`count_hits` only tries terms there), so it is told at once,
    with one set test and one regex search instead of a loop over its words.
    """

    def __init__(self, *frames: dict):
        # Several frames' terms (see hit_counts): where a term of any of them can start.
        self.stems = frozenset(key for terms in frames for key in terms if key != "*")
        prefixes = sorted({parts[0] for terms in frames for parts, _ in terms.get("*", [])})
        self.prefixes = tuple(prefixes)
        # Words are joined by single spaces after a leading one: a word starts after a space.
        self.prefix = (
            re.compile(" (?:" + "|".join(map(re.escape, prefixes)) + ")") if prefixes else None
        )

    def positions(self, stemmed: list[str], present: set, joined: str) -> list[int]:
        """The words at which a term can start, in order: ``[]`` for most sentences.

        ``stemmed``: the sentence's stems (``present``: as a set); ``joined``: its lower-cased
        words, each after a space. A sentence with none of the first stems is told by one set
        test, one without a prefix by one regex search, instead of a loop over its words.
        """
        found = []
        if not self.stems.isdisjoint(present):
            found = [i for i, s in enumerate(stemmed) if s in self.stems]
        if self.prefix is not None:
            # A match begins at the space before its word: word k follows the (k+1)-th space.
            # (Prefixes hold no space, so a match never runs into the next word.)
            prefixed = [joined.count(" ", 0, m.start()) for m in self.prefix.finditer(joined)]
            if prefixed:
                found = sorted({*found, *prefixed})
        return found

    def may_start(self, word: str, stemmed: str) -> bool:
        """Whether a term can start at a lower-cased ``word`` with stem ``stemmed``: the
        test :meth:`positions` makes of each word, for one word."""
        return stemmed in self.stems or bool(self.prefixes and word.startswith(self.prefixes))

    def among(self, found: list[int], words: list[str], stemmed: list[str]) -> list[int]:
        """The positions of ``found`` (those of several frames together, in order) at which
        a term of this frame can start."""
        prefixes = self.prefixes
        return [
            k
            for k in found
            if stemmed[k] in self.stems or (prefixes and words[k].startswith(prefixes))
        ]


class _Walk:
    """The leftmost-longest walk of :func:`count_hits` over one sentence, for every frame."""

    def __init__(self, terms: list[dict]):
        self.terms = terms
        self.starts = [_TermStarts(frame_terms) for frame_terms in terms]
        self.anywhere = _TermStarts(*terms)

    def hits(self, words: list[str], stemmed: list[str], joined: str) -> list[int]:
        """Hits of each frame in the sentence with these words, stems, and joined words."""
        # Most sentences hold no term of any frame: told at once for all frames together.
        # Where a term of some frame can start is found once; each frame keeps its own.
        return self.hits_at(words, stemmed, self.anywhere.positions(stemmed, set(stemmed), joined))

    def hits_at(self, words: list[str], stemmed: list[str], found: list[int]) -> list[int]:
        """Hits of each frame, given ``found``: where a term of any frame can start, in order."""
        counts = [0] * len(self.terms)
        if found:
            for j, frame_terms in enumerate(self.terms):
                positions = self.starts[j].among(found, words, stemmed)
                if positions:
                    counts[j] = count_hits(words, stemmed, frame_terms, positions)
        return counts


# A word's roles in one frame's terms (see _Vocabulary), as bits of its code.
_STARTS_ONE_WORD, _STARTS_LONGER, _CAN_BE_SECOND = 1, 2, 4
# Bits per frame in a word's code: an int64 holds the roles of this many frames.
_ROLE_BITS, _MOST_FRAMES = 3, 20


class _Vocabulary:
    """Each distinct word's roles in every frame's terms, one integer code a word.

    A word's roles in a frame: a single-word term starts at it, a term of several words does,
    it can be the second word of a term of several words. A pure function of the word and the
    terms, so it is worked out once per word and process (:func:`_vocabulary`); the frames'
    roles take :data:`_ROLE_BITS` bits each, and the text separator has the code -1.
    """

    def __init__(self, terms: list[dict]):
        self.terms = terms
        self.anywhere = _TermStarts(*terms)
        # Each frame's second words of its longer terms: stems, and the raw prefixes that end
        # two-word prefix terms (``energy deal*``).
        self.seconds = []
        for frame_terms in terms:
            longer = [(parts, prefix) for e in frame_terms.values() for parts, prefix in e]
            longer = [(parts, prefix) for parts, prefix in longer if len(parts) > 1]
            exact = frozenset(p[1] for p, prefix in longer if not (prefix and len(p) == 2))
            prefixes = tuple(sorted({p[1] for p, prefix in longer if prefix and len(p) == 2}))
            self.seconds.append((exact, prefixes))
        self.any_second = frozenset().union(*(exact for exact, _ in self.seconds))
        self.any_second_prefix = tuple(sorted({p for _, ps in self.seconds for p in ps}))
        self.codes = {_SEPARATOR: -1}

    def roles(self, j: int, word: str, stemmed: str) -> int:
        """The role bits of a lower-cased ``word`` with stem ``stemmed`` in frame ``j``."""
        terms = self.terms[j]
        candidates = list(terms.get(stemmed, []))
        candidates += [t for t in terms.get("*", []) if word.startswith(t[0][0])]
        bits = 0
        if any(len(parts) == 1 for parts, _ in candidates):
            bits |= _STARTS_ONE_WORD
        if any(len(parts) > 1 for parts, _ in candidates):
            bits |= _STARTS_LONGER
        exact, prefixes = self.seconds[j]
        if stemmed in exact or (prefixes and word.startswith(prefixes)):
            bits |= _CAN_BE_SECOND
        return bits

    def encode(self, tokens: list[str]) -> np.ndarray:
        """The code of each token, read in C once every distinct word has one."""
        codes = self.codes
        for word in set(tokens).difference(codes):
            stemmed = stem(word)
            if not (
                self.anywhere.may_start(word, stemmed)
                or stemmed in self.any_second
                or (self.any_second_prefix and word.startswith(self.any_second_prefix))
            ):
                codes[word] = 0  # most words: no role in any frame's terms
                continue
            codes[word] = sum(
                self.roles(j, word, stemmed) << (_ROLE_BITS * j) for j in range(len(self.terms))
            )
        return np.fromiter(map(codes.__getitem__, tokens), dtype=np.int64, count=len(tokens))


@lru_cache(maxsize=16)
def _vocabulary(key: tuple) -> _Vocabulary:
    """The word codes of the compiled terms ``key`` (:func:`_terms_key`), kept per process."""
    return _Vocabulary([{first: list(entries) for first, entries in frame} for frame in key])


def _terms_key(terms: list[dict]) -> tuple:
    """The compiled terms of the frames as a hashable key (their contents, in order)."""
    return tuple(tuple((first, tuple(entries)) for first, entries in t.items()) for t in terms)


def _counts_together(texts: list[str], terms: list[dict], hits, n_words, rows) -> None:
    """Word counts and hits of texts of ASCII and :data:`_PUNCTUATION`, found in one pass.

    The texts are lower-cased and searched for words as one string, with a separator that no
    such text holds (lower-casing them maps A-Z to a-z and nothing else, so the words are
    those :data:`_WORD` finds in each text, lower-cased). Each distinct word's stem and
    roles are worked out once (:class:`_Vocabulary`). Where no word that starts a frame's
    longer term is followed by a word that can be its second, no longer term matches, and the
    walk of :func:`count_hits` matches each single-word start alone: the frame's hits are the
    number of those, counted for all sentences at once with NumPy. The other sentences are
    walked (:class:`_Walk`) at the words where a term of any frame can start.

    Parameters
    ----------
    texts : list of str
        Texts of ASCII and :data:`_PUNCTUATION` only.
    terms : list of dict
        Compiled terms of each frame.
    hits, n_words : ndarray
        Filled in at ``rows`` (the texts' rows).
    rows : list of int
        Where the texts stand in ``hits`` and ``n_words``.
    """
    if not texts:
        return
    tokens = _separated_words(texts)
    code = _vocabulary(_terms_key(terms)).encode(tokens)
    separator = code < 0
    ends = np.flatnonzero(separator)  # the separator after each text but the last
    n_words[rows] = np.diff(np.concatenate(([-1], ends, [len(tokens)]))) - 1
    sentence = np.cumsum(separator)  # each word's text (its separators are never counted)
    walk = np.zeros(len(texts), dtype=bool)
    for j in range(len(terms)):
        roles = np.where(separator, 0, code >> (_ROLE_BITS * j) & 7)
        hits[rows, j] = np.bincount(sentence[roles & _STARTS_ONE_WORD > 0], minlength=len(texts))
        # A term of several words can only match where its first word is followed, in the
        # same sentence (a separator has no roles), by a word that can be its second.
        pairs = (roles[:-1] & _STARTS_LONGER > 0) & (roles[1:] & _CAN_BE_SECOND > 0)
        walk |= np.bincount(sentence[:-1][pairs], minlength=len(texts)) > 0
    if not walk.any():
        return
    # The walked sentences' words are their runs of tokens; a term of some frame can start
    # at the words with a non-zero code (what _TermStarts.positions finds in one sentence).
    walker = _Walk(terms)
    walked = np.flatnonzero(walk)
    firsts = np.concatenate(([0], ends + 1))[walked]
    lasts = np.concatenate((ends, [len(tokens)]))[walked]
    candidates = np.flatnonzero(code > 0)
    # Each walked sentence's candidates are one run of the (ordered) candidates.
    runs = np.searchsorted(sentence[candidates], walked)
    run_ends = np.searchsorted(sentence[candidates], walked + 1)
    counts = []
    for first, last, lo, hi in zip(
        firsts.tolist(), lasts.tolist(), runs.tolist(), run_ends.tolist(), strict=True
    ):
        words = tokens[first:last]
        found = [k - first for k in candidates[lo:hi].tolist()]
        counts.append(walker.hits_at(words, list(map(stem, words)), found))
    hits[np.asarray(rows)[walked]] = counts


@register_scorer("frame", "dictionary")
class DictionaryFrameScorer(FrameScorer):
    """Frame score from counts of the codebook's seed terms, length-normalised and saturating.

    Parameters
    ----------
    codebook : Codebook, str, Path or None, default None
        Where the frames and their ``seed_terms`` come from; ``None`` uses the shipped codebook.
    reference_length : float, default 25
        Sentence length (in words) at which a single hit scores 0.5; 25 words is a typical news
        sentence. See the module docstring for the transform.

    Examples
    --------
    >>> scorer = DictionaryFrameScorer()
    >>> scorer.frame_names()  # doctest: +SKIP
    ['geo_economic', 'security', 'partisan']
    """

    def __init__(self, codebook=None, reference_length: float = 25.0):
        self.codebook = codebook
        self.reference_length = reference_length

    def frame_names(self) -> list[str]:
        """The codebook's frame names, in the column order of :meth:`score_texts`."""
        return list(load_codebook(self.codebook).frames)

    def _terms(self) -> list[dict]:
        frames = load_codebook(self.codebook).frames
        terms = [compile_terms(frame.seed_terms) for frame in frames.values()]
        empty = [name for name, t in zip(frames, terms, strict=True) if not t]
        if empty:
            raise InputError(
                f"frame(s) {', '.join(empty)} have no seed terms for the dictionary scorer",
                hint="add seed_terms to the frame in the codebook, or use --frame-scorer embedding",
            )
        return terms

    def hit_counts(self, texts) -> np.ndarray:
        """Seed-term hits per text and frame, shape (len(texts), n_frames), and word counts.

        Returns
        -------
        hits : ndarray of int, shape (n_texts, n_frames)
        n_words : ndarray of int, shape (n_texts,)
        """
        terms = self._terms()
        texts = list(map(str, texts))
        hits = np.zeros((len(texts), len(terms)), dtype=int)
        n_words = np.zeros(len(texts), dtype=int)
        # Texts of ASCII words (most news sentences) are counted together; the rest one by one.
        rows = [
            i
            for i, text in enumerate(texts)
            if len(terms) <= _MOST_FRAMES and (text.isascii() or _TOGETHER.fullmatch(text))
        ]
        _counts_together([texts[i] for i in rows], terms, hits, n_words, rows)
        walk = _Walk(terms)
        for i in sorted(set(range(len(texts))).difference(rows)):
            words, stemmed, joined = _sentence_words(texts[i])
            n_words[i] = len(words)
            hits[i] = walk.hits(words, stemmed, joined)
        return hits, n_words

    def score_texts(self, texts) -> np.ndarray:
        """Frame scores in [0, 1], shape (len(texts), n_frames); 0 for texts without words."""
        texts = list(texts)
        hits, n_words = self.hit_counts(texts)
        scale = np.sqrt(self.reference_length / np.maximum(n_words, 1))
        return np.where(n_words[:, None] > 0, 1.0 - 0.5 ** (hits * scale[:, None]), 0.0)
