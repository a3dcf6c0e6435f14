"""What the matches of a regular expression can begin with, read from Python's parse of it.

The cleaner tries its whole-line patterns on every sentence-like piece of every paragraph
(:mod:`framelens.text.clean`), and almost no piece begins the way any of them does. A regex
that matches the possible beginnings of their matches, in lower-cased text, rules most
pieces out with one cheap C-level match instead of a try of every pattern. It is derived
from the patterns themselves (:func:`start_atoms`), so it cannot drift from them: it only
ever lets too much through, never too little.
"""

from __future__ import annotations

import re

from framelens.text.patterns import trie_regex

try:
    from re import _parser  # Python's regex parser (3.11+)
except ImportError:  # pragma: no cover - older Pythons name it sre_parse
    _parser = None

#: A beginning holds at most this many characters.
START_CHARS = 5
#: Past this many beginnings of one pattern, the open ones stop growing (shorter beginnings
#: let more through; they are never wrong).
MAX_STARTS = 2000

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_CATEGORY_ATOMS = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_UNI_DIGIT": r"\d",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_UNI_SPACE": r"\s",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_UNI_WORD": r"\w",
}


class _Anything(Exception):
    """A part of the pattern that can match (almost) any character: a beginning ends there."""


def _lower_char(code: int) -> str:
    """The regex atom for one character of the pattern, in lower-cased text.

    A character matches a lower-case letter (case-insensitively) as its lower case, except
    "ı", "ſ" and "İ", which the caller keeps out of the text (see ``_CASE_TRAPS`` in
    :mod:`framelens.text.clean`); a cased letter beyond ASCII is not vouched for.
    """
    char = chr(code)
    lower = char.lower()
    if len(lower) != 1 or (not char.isascii() and char.lower() != char.upper()):
        raise _Anything
    return re.escape(lower)


def _class_atom(items) -> str:
    """The atom of a character class ``[...]`` (its parsed items), in lower-cased text."""
    parts = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            parts.append(_lower_char(av))
        elif name == "RANGE" and av[1] - av[0] <= 255:
            parts.extend(_lower_char(code) for code in range(av[0], av[1] + 1))
        elif name == "CATEGORY" and str(av) in _CATEGORY_ATOMS:
            parts.append(_CATEGORY_ATOMS[str(av)])
        else:  # a negated class, a wide range, a negated category
            raise _Anything
    return "[" + "".join(dict.fromkeys(parts)) + "]"


class _Beginnings:
    """Walks a parsed pattern, growing the beginnings its matches can have (tuples of atoms)."""

    def __init__(self, size: int, limit: int):
        self.size = size
        self.limit = limit
        self.done: set[tuple[str, ...]] = set()

    def close(self, opens: set) -> set:
        self.done |= opens
        return set()

    def sequence(self, items, opens: set) -> set:
        for op, av in items:
            if not opens:
                break
            opens = self.item(str(op), av, opens)
        return opens

    def item(self, op: str, av, opens: set) -> set:
        if op in ("AT", "ASSERT", "ASSERT_NOT"):
            return opens  # takes no character: leaving it out only lets more through
        if op == "SUBPATTERN":
            return self.sequence(av[-1], opens)
        if op == "ATOMIC_GROUP":
            return self.sequence(av, opens)
        if op == "BRANCH":
            out: set = set()
            for branch in av[1]:
                out |= self.sequence(branch, set(opens))
            return out
        if op in _REPEATS:
            return self.repeat(av, opens)
        try:
            if op == "LITERAL":
                atom = _lower_char(av)
            elif op == "IN":
                atom = _class_atom(av)
            else:  # any character, a negated literal, a back-reference ...
                raise _Anything
        except _Anything:
            return self.close(opens)
        grown = {start + (atom,) for start in opens}
        if len(grown) > self.limit:
            return self.close(opens)
        full = {start for start in grown if len(start) >= self.size}
        self.done |= full
        return grown - full

    def repeat(self, av, opens: set) -> set:
        low, high, body = av
        for _ in range(low):
            if not opens:
                return opens
            opens = self.sequence(body, opens)
        # Optional repetitions: the beginnings after 0, 1, 2 ... more, until no new one comes.
        seen, frontier, count = set(opens), set(opens), low
        while frontier and count < high:
            frontier = self.sequence(body, frontier) - seen
            seen |= frontier
            count += 1
            if len(seen) > self.limit:
                return self.close(seen)
        return seen


def start_atoms(
    pattern: re.Pattern, size: int = START_CHARS, limit: int = MAX_STARTS
) -> set[tuple[str, ...]] | None:
    """The beginnings of the matches of ``pattern`` in lower-cased text, as atom sequences.

    Every match ``m`` of ``pattern`` has ``m.lower()`` matched at its start by one of the
    returned sequences of regex atoms (each atom one character or class, at most ``size`` of
    them), when the text holds none of the case traps "ı", "ſ", "İ". Parts that match nearly
    anything (``.``, ``[^...]``) end a beginning; lookarounds and anchors are left out.

    Returns
    -------
    set of tuple of str, or None
        ``None`` when a match can begin with anything (or Python's parser is missing).
    """
    if _parser is None:
        return None
    walker = _Beginnings(size, limit)
    walker.close(walker.sequence(_parser.parse(pattern.pattern, pattern.flags), {()}))
    if () in walker.done:
        return None
    return walker.done


def starts_regex(patterns) -> re.Pattern | None:
    """One regex that matches, at the start of a lower-cased text, every beginning a match of
    one of ``patterns`` can have (:func:`start_atoms`); ``None`` if one can begin anyhow."""
    every: set[tuple[str, ...]] = set()
    for pattern in patterns:
        atoms = start_atoms(pattern)
        if atoms is None:
            return None
        every |= atoms
    # Sorted: the same regex in every process.
    return re.compile(trie_regex(sorted(every)))
