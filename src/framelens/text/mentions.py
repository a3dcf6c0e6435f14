"""Find the mentions of each codebook target in sentences.

A mention is a span of the article text that stands for a target: the state's name
(*U.S.*, *Russian Federation*), a capital or seat of power used as a metonym (*Washington*,
*the Kremlin*, *New Delhi*), an institution, a leader (*Putin*, *Biden administration*) or a
demonym (*Russian*, *Sino-*). What counts comes from the codebook (:mod:`framelens.codebook`);
this module only applies it:

* Every literal alias and exclusion of the codebook is compiled into one regular expression,
  built as a trie so that hundreds of aliases cost about as much as one; the codebook's regex
  patterns form a second expression, searched only in a text that holds a string each of them
  needs (read from the pattern: *WASHINGTON* for a dateline). Both are cached per codebook.
* Matches are whole words; at each position the longest match wins and matches never overlap
  (*Biden administration* is one mention, *New Delhi* is not also *Delhi*). An exclusion, a
  fixed expression (*Latin America*, *Washington Post*, *Indian Ocean*, *Delhi belly*), hides
  every alias it overlaps.
* An exclusion context hides an alias next to words that show it names something else: *Indian*
  before *tribes* or after *Cherokee*, *Washington* after *Seattle,* or before *'s governor*,
  *Moscow* before *, Idaho*. Only a bounded stretch around the alias is read (a few words, at
  most :data:`CONTEXT_CHARS` characters, never past a line break), so the check costs the same
  however long the article is. An excluded alias is dropped, not kept with a flag: it is not
  the target at all (unlike ``in_name``, where the target is named inside a name), and a
  dropped row cannot leak into stance evidence through a table that forgot to filter it.
  ``mention_spans(..., excluded=True)`` shows the dropped matches and the rule behind each.
* Case follows the codebook: by default an alias matches as written or in all capitals, so the
  pronoun *us* is never *US*. A *homograph* alias (``US``) in an all-capitals line is dropped
  when it follows a pronoun cue (*LET US*, *JOIN US*, *WITH US*); elsewhere the all-capitals
  token counts (*PAKISTAN DITCHES US* is read as the country, as headlines usually mean it).
* A role word after the alias (*Russian Foreign Minister*, *India's army*, *Trump
  administration*) or before ``of`` + a state alias (*President of Russia*) joins the mention,
  which then takes the role's group (``leader`` or ``institution``) and reports it in ``role``.
* ``in_name`` marks a mention inside the proper name of something else, which is not stance
  evidence: a codebook ``names`` phrase (*Bank of America*); a hyphenated chain of capitalised
  words followed, within three words, by a name head noun (*Turkmenistan-Afghanistan-Pakistan-
  India (TAPI) gas pipeline*); or a run of capitalised words ending in a head noun (*China
  Pakistan Economic Corridor*, *Russian Railways*). A bilateral *India-Russia Summit* or
  *Pakistan-US relations* is a real mention, and *Russian Federation* is the state itself.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from framelens.codebook import Codebook, load_codebook
from framelens.errors import InputError
from framelens.tables import MENTIONS, check_columns
from framelens.text.patterns import trie_regex

#: Columns of the mentions table: the contract of :data:`framelens.tables.MENTIONS` plus the
#: surface text, the entity group, the role word (``""`` if none) and the in-name flag.
MENTION_COLUMNS = [*MENTIONS, "matched", "group", "role", "in_name"]

_DASHES = "-‐‑–"
_APOSTROPHES = "'’"
# Words that do not belong inside the noun phrase between a hyphenated chain and a name head
# ("India-Pakistan tensions over the pipeline" is no pipeline name).
_STOPWORDS = (
    "the|a|an|of|over|on|in|into|to|for|with|and|or|but|by|at|from|as|is|are|was|were|be|been|"
    "has|have|had|will|would|can|could|should|may|might|its|their|his|her|this|that|these|those|"
    "via|through|across|between|about|after|before|under|near|amid|against|toward|towards|among|"
    "during|since|until|than|not|no"
)
_WORD = re.compile(r"\w[\w’']*")
_LAST_WORD = re.compile(r"\w[\w’']*\Z")
# Words of four letters or more that title case leaves in lower case.
_TITLE_CASE_LOWER = frozenset("with from into onto over upon than that about after amid".split())
_MAX_ROLE_PREFIX = 80  # characters searched before a state alias for "President of (the)"
#: Characters read on each side of an alias for its exclusion contexts (words and patterns).
CONTEXT_CHARS = 120
# Context words: runs of letters and digits (an inner apostrophe stays, a final possessive goes:
# "Oklahoma's" is "oklahoma"); dots and hyphens only separate ("Gov." is "gov"). Commas,
# colons, brackets, quotes and dashes are words of their own, so that "Washington, state media"
# is not "Washington state" and "Seattle, Washington" is matched by the phrase "Seattle,".
_CONTEXT_TOKEN = re.compile(r"\w+(?:[’']\w+)*|[,;:!?()\[\]\"“”—–]")
_POSSESSIVE = re.compile(r"[’']s?(?!\w)")
_LEADING_POSSESSIVE = re.compile(r"^\s*[’']s?(?!\w)")


class Mention(NamedTuple):
    """One mention found in a text (offsets into that text).

    ``excluded`` is ``""`` for a mention; for a match that the codebook excludes (reported
    only when asked, see :meth:`MentionMatcher.spans`) it names the rule by its place in the
    codebook: ``targets.us.exclusions``, ``targets.us.exclusion_patterns``,
    ``targets.us.homographs``, or ``targets.us.exclusion_contexts[0]`` (or
    ``matching.exclusion_contexts[0]``) followed by the rule's note.
    """

    start: int
    end: int
    target: str
    alias: str
    group: str
    role: str
    matched: str
    in_name: bool
    excluded: str = ""


class _Entry(NamedTuple):
    kind: str  # "alias" or "exclude"
    target: str
    alias: str
    group: str
    source: str = ""  # for an exclusion: the codebook key it comes from


def _context_tokens(text: str) -> list[str]:
    """The context words of a stretch of text, lower-cased, possessives dropped."""
    tokens = _CONTEXT_TOKEN.findall(text.casefold())
    if "'" not in text and "’" not in text:  # most stretches: no word can end in "'s"
        return tokens
    return [t[:-2] if t.endswith(("'s", "’s")) else t for t in tokens]


# Characters first read per context word a rule needs (most words are shorter).
_CHARS_PER_WORD = 10


class _Around:
    """The text around one match, read once for all its context rules and only as needed.

    ``pos:start`` and ``end:stop`` are the stretches the rules may read: at most
    :data:`CONTEXT_CHARS` characters on each side, never past a line break. The rules read
    at most the ``need`` words nearest the match (:attr:`_ContextRule.reads`): the words are
    first read from a shorter stretch, which nearly always holds that many.
    """

    def __init__(self, text: str, start: int, end: int, need: int = CONTEXT_CHARS):
        self.text, self.start, self.end = text, start, end
        self.pos = text.rfind("\n", max(0, start - CONTEXT_CHARS), start) + 1
        self.pos = max(self.pos, start - CONTEXT_CHARS)
        stop = text.find("\n", end, end + CONTEXT_CHARS)
        self.stop = min(len(text), end + CONTEXT_CHARS) if stop < 0 else stop
        self.need = need
        self._before: list[str] | None = None
        self._after: list[str] | None = None

    @property
    def words_before(self) -> list[str]:
        """The context words before the match, nearest first (at least the ``need`` nearest,
        or all of them)."""
        if self._before is None:
            cut = max(self.pos, self.start - _CHARS_PER_WORD * (self.need + 1))
            words = _context_tokens(self.text[cut : self.start])
            # The farthest word may be cut in two (its end is right): dropped, and the words
            # nearer the match are those of the whole stretch.
            if cut > self.pos and len(words) > self.need:
                self._before = words[:0:-1]
            else:
                self._before = _context_tokens(self.text[self.pos : self.start])[::-1]
        return self._before

    @property
    def words_after(self) -> list[str]:
        """The context words after the match, nearest first; a possessive is skipped (at least
        the ``need`` nearest, or all of them)."""
        if self._after is None:
            skip = _POSSESSIVE.match(self.text, self.end, self.stop)  # "Washington's governor"
            begin = skip.end() if skip else self.end
            cut = min(self.stop, begin + _CHARS_PER_WORD * (self.need + 1))
            words = _context_tokens(self.text[begin:cut])
            if cut < self.stop and len(words) > self.need:
                self._after = words[:-1]  # the farthest may be cut in two: dropped
            else:
                self._after = _context_tokens(self.text[begin : self.stop])
        return self._after


class _Phrases:
    """Phrases of context words (tuples), grouped by length, and the words they start with.

    False when it holds no phrase.
    """

    __slots__ = ("by_length", "firsts")

    def __init__(self, by_length: dict[int, set[tuple[str, ...]]]):
        self.by_length = by_length
        self.firsts = frozenset(phrase[0] for group in by_length.values() for phrase in group)

    def __bool__(self) -> bool:
        return bool(self.by_length)


class _ContextRule:
    """One compiled :class:`~framelens.codebook.ExclusionContext`.

    Phrases are kept as tuples of context words, grouped by length, so that a lookup costs a
    few set probes whatever the number of phrases; before phrases are stored reversed, to be
    compared with the words read backwards from the alias. A before pattern must end where the
    alias begins, an after pattern start where it ends.
    """

    def __init__(self, rule, where: str):
        # How the rule is named in Mention.excluded: its place in the codebook and its note.
        self.label = where + (f" ({rule.note})" if rule.note else "")
        self.aliases = frozenset(rule.aliases)
        self.window = rule.window
        self.before = self._phrases(rule.before, reverse=True)
        self.after = self._phrases(rule.after)
        self.unless_before = self._phrases(rule.unless_before, reverse=True)
        self.unless_after = self._phrases(rule.unless_after)
        self.before_patterns = [re.compile(f"(?:{p})\\Z") for p in rule.before_patterns]
        self.after_patterns = [re.compile(p) for p in rule.after_patterns]
        #: How many context words on a side the rule reads at most (see :meth:`_near`).
        lengths = [
            *self.before.by_length,
            *self.after.by_length,
            *self.unless_before.by_length,
            *self.unless_after.by_length,
        ]
        self.reads = self.window + max(lengths, default=1) - 1

    @staticmethod
    def _phrases(phrases, reverse: bool = False) -> _Phrases:
        by_length: dict[int, set[tuple[str, ...]]] = {}
        for phrase in phrases:
            # A leading possessive is dropped, as it is after the alias: "'s governor".
            words = tuple(_context_tokens(_LEADING_POSSESSIVE.sub("", phrase)))
            if words:
                by_length.setdefault(len(words), set()).add(words[::-1] if reverse else words)
        return _Phrases(by_length)

    def _near(self, words: list[str], phrases: _Phrases) -> bool:
        """Whether a phrase starts within the first ``window`` of ``words`` (nearest first)."""
        # A phrase starts with one of its first words: most matches have none within reach.
        if phrases.firsts.isdisjoint(words[: self.window]):
            return False
        for gap in range(min(self.window, len(words))):
            for size, group in phrases.by_length.items():
                if tuple(words[gap : gap + size]) in group:
                    return True
        return False

    def matches(self, around: _Around) -> bool:
        """Whether the match ``around`` stands in one of this rule's contexts."""
        text, start, end = around.text, around.start, around.end
        # (Most rules have no patterns on a side: no generator is made for those.)
        hit = (
            (
                bool(self.before_patterns)
                and any(p.search(text, around.pos, start) for p in self.before_patterns)
            )
            or (
                bool(self.after_patterns)
                and any(p.match(text, end, around.stop) for p in self.after_patterns)
            )
            or (bool(self.before) and self._near(around.words_before, self.before))
            or (bool(self.after) and self._near(around.words_after, self.after))
        )
        if hit and self.unless_before and self._near(around.words_before, self.unless_before):
            return False
        if hit and self.unless_after and self._near(around.words_after, self.unless_after):
            return False
        return hit


# --------------------------------------------------------------------------------------------
# Building the expressions


def _atoms(phrase: str) -> list[str]:
    """Regex atoms of a literal phrase: spaces, apostrophes and dashes match their variants."""
    atoms = []
    for piece in re.findall(r"\s+|.", phrase):
        if piece.isspace():
            atoms.append(r"\s+")
        elif piece in _APOSTROPHES:
            atoms.append(f"[{_APOSTROPHES}]")
        elif piece in _DASHES:
            atoms.append(f"[{_DASHES}]")
        else:
            atoms.append(re.escape(piece))
    return atoms


@lru_cache(maxsize=4096)  # a pure function of an alias's surface form: few distinct ones
def _key(text: str) -> str:
    """The lookup key of a phrase or a matched text (same spacing, apostrophe, dash, no final dot)."""
    key = re.sub(r"\s+", " ", text.strip())
    key = re.sub(f"[{_APOSTROPHES}]", "'", key)
    key = re.sub(f"[{_DASHES}]", "-", key)
    return key[:-1] if key.endswith(".") else key


def _trie_regex(phrases) -> str:
    """One regex matching any of ``phrases`` (longest match preferred): :func:`trie_regex` of
    their atoms, so that *Washington, D.C.* beats *Washington*."""
    return trie_regex(_atoms(phrase) for phrase in phrases)


def _variants(phrase: str, mode: str) -> list[str]:
    """The written forms a phrase is matched in under a case mode (``ignore`` handled apart)."""
    forms = [phrase]
    if mode == "proper" and phrase.upper() != phrase:
        forms.append(phrase.upper())
    # "U.S." is also matched without its final dot ("U.S" before a sentence-final period that
    # the writer merged with it); the key ignores the final dot.
    for form in list(forms):
        if form.endswith(".") and "." in form[:-1]:
            forms.append(form[:-1])
    return forms


def _bounded(body: str) -> str:
    return rf"(?<!\w)(?:{body})(?!\w)"


def _bounded_trie(phrases) -> str:
    r""":func:`_trie_regex` of ``phrases`` matched as whole words, as :func:`_bounded` makes it.

    The left boundary is checked right after each phrase's first character, as ``(?<!\w.)``
    (the character before that one is no word character), not before it: a regex that opens
    with a choice of literal characters lets the engine skip at C speed to where one of them
    stands, instead of trying the whole pattern at every position of the text (several times
    faster on news text). The matches are the same, as a first atom always matches one
    character (a phrase never starts with a space); where one could not, :func:`_bounded`.
    """
    atoms = [_atoms(phrase) for phrase in phrases]
    if any(not a or a[0] == r"\s+" for a in atoms):
        return _bounded(trie_regex(atoms))
    return trie_regex([a[0], r"(?<!\w.)", *a[1:]] for a in atoms) + r"(?!\w)"


def _required_literal(pattern: str) -> str:
    r"""A string that every match of the regex ``pattern`` contains, as written; ``""`` if
    none is found.

    It is the longest run of literal characters in the pattern's top-level sequence (groups
    and the body of a repeat that runs at least once included; a choice, a character class,
    an optional part and anything case-insensitive end a run), read from Python's own parse of
    the pattern. Used to rule out at once a sentence in which no pattern can match. Of runs
    of the same length, the one with more characters that are neither letters nor digits is
    taken: every run is required, and a symbol is rarer in prose than a letter (the "$" of
    ``U\.?S\.?\s?\$``, not its "U", held by every sentence naming Ukraine or the UN: on NF x4
    the patterns were searched in 5,700 of 44,600 sentences, now in 2,600).
    """
    try:
        from re import _parser  # Python's regex parser (3.11+); without it, no shortcut

        parsed = _parser.parse(pattern)
    except Exception:  # an unreadable pattern fails where it is compiled, with its message
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    repeats = (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT)
    runs: list[str] = []
    run: list[str] = []

    def close() -> None:
        # Without spaces at its ends (still a part of every match): a search for it then skips
        # to its rarer first letter instead of stopping at every space.
        if run:
            runs.append("".join(run).strip())
            run.clear()

    def walk(items) -> None:
        for op, av in items:
            if op is _parser.LITERAL:
                run.append(chr(av))
            elif op is _parser.SUBPATTERN and not av[1] & re.IGNORECASE:
                walk(av[3])  # a group's contents stand in the sequence
            elif op in repeats and av[0] >= 1:
                close()
                walk(av[2])  # each repetition holds the body's runs
                close()
            else:
                close()

    walk(parsed.data)
    close()
    return max(runs, key=lambda run: (len(run), sum(not c.isalnum() for c in run)), default="")


class MentionMatcher:
    """The compiled form of a codebook's targets; finds mentions in one text at a time.

    Build it with :func:`compile_matcher` (cached) rather than directly.

    Parameters
    ----------
    codebook : Codebook
        Where the targets, exclusions, names, roles and name heads come from.

    Attributes
    ----------
    exact_regex : re.Pattern or None
        Literal aliases and exclusions matched case-sensitively (``proper``/``exact`` modes).
    ignore_regex : re.Pattern or None
        Literal aliases and exclusions of case mode ``ignore``.
    pattern_regex : re.Pattern or None
        The codebook's regex patterns and exclusion patterns, one named group each.
    """

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self._exact: dict[str, _Entry] = {}
        self._ignore: dict[str, _Entry] = {}
        self._patterns: dict[str, _Entry] = {}
        self._homographs: set[tuple[str, str]] = set()
        exact_phrases: list[str] = []
        ignore_phrases: list[str] = []
        pattern_parts: list[str] = []
        pattern_sources: list[str] = []
        name_phrases: list[str] = []

        def add(phrase: str, mode: str, entry: _Entry) -> None:
            if mode == "ignore":
                self._ignore.setdefault(_key(phrase).casefold(), entry)
                ignore_phrases.append(phrase)
                return
            for form in _variants(phrase, mode):
                self._exact.setdefault(_key(form), entry)
                exact_phrases.append(form)

        for target in codebook.targets.values():
            # Exclusions first, so that a phrase listed as both is excluded.
            for phrase in target.exclusions:
                source = f"targets.{target.name}.exclusions"
                add(phrase, target.case, _Entry("exclude", target.name, phrase, "", source))
            for group, aliases in target.groups.items():
                for alias in aliases:
                    add(alias, target.case_of(alias), _Entry("alias", target.name, alias, group))
            for pattern in target.patterns:
                name = f"p{len(pattern_parts)}"
                self._patterns[name] = _Entry("alias", target.name, pattern.alias, pattern.group)
                pattern_parts.append(f"(?P<{name}>(?:{pattern.pattern})(?!\\w))")
                pattern_sources.append(pattern.pattern)
            for pattern in target.exclusion_patterns:
                name = f"p{len(pattern_parts)}"
                self._patterns[name] = _Entry(
                    "exclude", target.name, pattern, "", f"targets.{target.name}.exclusion_patterns"
                )
                pattern_parts.append(f"(?P<{name}>(?:{pattern})(?!\\w))")
                pattern_sources.append(pattern)
            for phrase in target.names:
                name_phrases.extend(_variants(phrase, target.case))
            self._homographs.update((target.name, alias) for alias in target.homographs)

        # Context rules by (target, alias): the target's own, then the shared ones of
        # [matching], which apply to whichever target has one of their aliases.
        self._contexts: dict[tuple[str, str], list[_ContextRule]] = {}
        shared = [
            _ContextRule(rule, f"matching.exclusion_contexts[{i}]")
            for i, rule in enumerate(codebook.matching.exclusion_contexts)
        ]
        for target in codebook.targets.values():
            own = [
                _ContextRule(rule, f"targets.{target.name}.exclusion_contexts[{i}]")
                for i, rule in enumerate(target.exclusion_contexts)
            ]
            aliases = {*target.aliases, *(p.alias for p in target.patterns)}
            for rule in own + shared:
                for alias in sorted(aliases & rule.aliases if rule.aliases else aliases):
                    self._contexts.setdefault((target.name, alias), []).append(rule)
        # The most context words any rule reads on a side of a match.
        self._context_words = max(
            (rule.reads for rules in self._contexts.values() for rule in rules), default=1
        )

        self.exact_regex = re.compile(_bounded_trie(exact_phrases)) if exact_phrases else None
        self.ignore_regex = (
            re.compile(_bounded(_trie_regex(ignore_phrases)), re.IGNORECASE)
            if ignore_phrases
            else None
        )
        # One left boundary for all patterns, so that positions inside a word fail at once.
        self.pattern_regex = (
            re.compile(rf"(?<!\w)(?:{'|'.join(pattern_parts)})") if pattern_parts else None
        )
        # The patterns are tried at every position of a text, which costs more than all the
        # literal aliases together: a sentence without a string that one of them needs
        # (its required literal: "WASHINGTON", "Russian", ...) is not searched.
        literals = [_required_literal(p) for p in pattern_sources]
        self.pattern_hint = (
            re.compile(trie_regex([re.escape(c) for c in lit] for lit in set(literals)))
            if pattern_sources and all(literals)
            else None
        )
        self.names_regex = re.compile(_bounded_trie(name_phrases)) if name_phrases else None

        matching = codebook.matching
        self._roles: dict[str, tuple[str, str]] = {}
        for group, words in matching.roles.items():
            for word in words:
                self._roles.setdefault(_key(word).casefold(), (word, group))
        roles = _trie_regex([word for word, _ in self._roles.values()])
        self.role_after = (
            re.compile(rf"(?:[{_APOSTROPHES}]s)?\s+(?P<role>{roles})(?!\w)", re.IGNORECASE)
            if roles
            else None
        )
        self.role_before = (
            re.compile(rf"(?<!\w)(?P<role>{roles})\s+of\s+(?:the\s+)?\Z", re.IGNORECASE)
            if roles
            else None
        )
        self._cues = {c.casefold() for c in matching.pronoun_cues}
        heads = _trie_regex(matching.name_heads)
        if heads:
            self.after_chain = re.compile(
                rf"(?:\s*\([^()\n]{{1,20}}\))?(?:\s+(?!(?:{_STOPWORDS})\b)[\w’'{_DASHES}]+){{0,3}}?\s+(?:{heads})(?!\w)",
                re.IGNORECASE,
            )
            capitalised = _trie_regex([h[:1].upper() + h[1:] for h in matching.name_heads])
            # Capitalised words, "and", "&", "of" or "for" between them: "Washington and Lee
            # University", "Russian Society for Cultural Relations".
            self.title_run = re.compile(
                rf"(?:\s+(?:(?:and|of|for)\s+)?[A-Z&][\w’'&.{_DASHES}]*){{0,3}}?\s+(?:{capitalised})(?!\w)"
            )
            # A role word that begins a name: "Indian Premier League", "Russian President Cup".
            self.head_next = re.compile(rf"\s+(?:{capitalised})(?!\w)")
        else:
            self.after_chain = self.title_run = self.head_next = None

    # -- finding ---------------------------------------------------------------------------

    def spans(self, text: str, *, excluded: bool = False) -> list[Mention]:
        """All mentions in ``text``, in order, non-overlapping.

        Parameters
        ----------
        text : str
            Any text (a sentence, a paragraph, an article).
        excluded : bool
            Also return the matches the codebook excludes (a fixed expression, an exclusion
            pattern, a homograph read as the ordinary word, an exclusion context), each with
            ``excluded`` naming the rule: for checking a codebook, never for scoring.

        Returns
        -------
        list of Mention
            Offsets into ``text``.
        """
        if not text:
            return []
        chosen = self._resolve(self._candidates(text))
        if not chosen:
            return []
        names = [m.span() for m in self.names_regex.finditer(text)] if self.names_regex else []
        facts = _TextFacts(text, names)
        mentions: list[Mention] = []
        last_end = 0
        for i, (start, end, entry) in enumerate(chosen):
            reason = self._exclusion(text, start, end, entry, facts)
            if reason:
                if excluded:
                    mentions.append(
                        Mention(
                            start,
                            end,
                            entry.target,
                            entry.alias,
                            entry.group,
                            "",
                            text[start:end],
                            False,
                            reason,
                        )
                    )
                last_end = end
                continue
            next_start = chosen[i + 1][0] if i + 1 < len(chosen) else len(text)
            m_start, m_end, role, group, name_role = self._with_role(
                text, start, end, entry, last_end, next_start
            )
            mentions.append(
                Mention(
                    start=m_start,
                    end=m_end,
                    target=entry.target,
                    alias=entry.alias,
                    group=group,
                    role=role,
                    matched=text[m_start:m_end],
                    in_name=name_role or self._in_name(text, start, end, facts),
                )
            )
            last_end = m_end
        return mentions

    def _exclusion(self, text: str, start: int, end: int, entry: _Entry, facts) -> str:
        """The rule that excludes the match at ``start:end`` (``""`` if it is a mention)."""
        if entry.kind != "alias":
            return entry.source
        if self._is_pronoun(text, start, end, entry, facts):
            return f"targets.{entry.target}.homographs"
        rules = self._contexts.get((entry.target, entry.alias))
        if rules:
            around = _Around(text, start, end, self._context_words)
            for rule in rules:
                if rule.matches(around):
                    return rule.label
        return ""

    def _candidates(self, text: str) -> list[tuple[int, int, _Entry]]:
        found = []
        for regex, table, fold in (
            (self.exact_regex, self._exact, False),
            (self.ignore_regex, self._ignore, True),
        ):
            if regex is None:
                continue
            for m in regex.finditer(text):
                key = _key(m.group())
                entry = table.get(key.casefold() if fold else key)
                if entry is not None:
                    found.append((m.start(), m.end(), entry))
        if self.pattern_regex is not None and (
            self.pattern_hint is None or self.pattern_hint.search(text)
        ):
            for m in self.pattern_regex.finditer(text):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), self._patterns[m.lastgroup]))
        return found

    @staticmethod
    def _resolve(found):
        # Leftmost-longest without overlaps; on a tie an exclusion wins.
        found.sort(key=lambda c: (c[0], c[0] - c[1], c[2].kind != "exclude"))
        chosen, end = [], -1
        for cand in found:
            if cand[0] >= end:
                chosen.append(cand)
                end = cand[1]
        return chosen

    def _is_pronoun(self, text: str, start: int, end: int, entry: _Entry, facts) -> bool:
        """A homograph in an all-capitals line right after a pronoun cue ("LET US")."""
        if (entry.target, entry.alias) not in self._homographs:
            return False
        if facts.has_lower(start, end):
            return False
        before = _WORD.findall(text[max(0, start - 40) : start].split("\n")[-1])
        return bool(before) and before[-1].casefold() in self._cues

    def _with_role(self, text, start, end, entry, prev_end, next_start):
        """Extend a mention over a role word after it, or before it for a state alias.

        The last value is True when the role word begins a name instead ("Indian Premier
        League"): the alias is then inside that name and takes no role.
        """
        role, group = "", entry.group
        if self.role_after is not None:
            m = self.role_after.match(text, end)
            if m and m.end() <= next_start:
                if self.head_next is not None and self.head_next.match(text, m.end()):
                    return start, end, "", group, True
                role, group = self._roles[_key(m.group("role")).casefold()]
                end = m.end()
        if not role and entry.group == "state" and self.role_before is not None:
            window_start = max(prev_end, start - _MAX_ROLE_PREFIX)
            m = self.role_before.search(text, window_start, start)
            if m:
                role, group = self._roles[_key(m.group("role")).casefold()]
                start = m.start()
        return start, end, role, group, False

    def _in_name(self, text: str, start: int, end: int, facts) -> bool:
        """Whether the alias at ``start:end`` sits inside a proper name (see module notes)."""
        if facts.in_named(start, end):
            return True
        if self.after_chain is None:
            return False
        # A hyphenated chain of capitalised words: "Turkmenistan-Afghanistan-Pakistan-India".
        chain_end, after = facts.chain_after(end)
        chain_start, before = facts.chain_before(start)
        parts = 1 + after + before
        # In a headline every word is capitalised, so "Soviet-Era Project" is no name; a chain
        # of three or more ("Iran-Pakistan-India Pipeline") still is.
        # (Whether the line is a headline is asked only where it decides: most mentions are
        # neither in a chain nor before a head noun.)
        if parts >= 2 and self.after_chain.match(text, chain_end):
            if parts >= 3 or not facts.headline(start, end):
                return True
        # A run of capitalised words ending in a head noun: "China Pakistan Economic Corridor".
        return bool(self.title_run.match(text, end)) and not facts.headline(start, end)


class _TextFacts:
    """What the rules ask of the text around a match, worked out once per text.

    A text may be a whole article on one line with thousands of mentions: the facts of a line
    (whether it has a lower-case letter, whether it is a headline) are computed once per line,
    a hyphenated chain once per chain, and the codebook names (sorted, never overlapping) are
    searched by bisection, so finding the mentions costs time linear in the text's length.
    """

    def __init__(self, text: str, names: list[tuple[int, int]]):
        self.text = text
        self.names = names
        self.name_starts = [s for s, _ in names]
        self.breaks: list[int] | None = None  # where the lines end, found when first asked
        self._lower: dict[tuple[int, int], bool] = {}  # by line bounds
        self._headlines: dict[tuple[int, int], bool] = {}
        self._after: dict[int, tuple[int, int]] = {}
        self._before: dict[int, tuple[int, int]] = {}

    def _line(self, start: int, end: int) -> tuple[int, int]:
        """Where the line(s) holding ``start:end`` begin and end."""
        if self.breaks is None:
            self.breaks = [m.start() for m in re.finditer("\n", self.text)]
        i = bisect.bisect_left(self.breaks, start)
        j = bisect.bisect_left(self.breaks, end)
        return (
            self.breaks[i - 1] + 1 if i else 0,
            self.breaks[j] if j < len(self.breaks) else len(self.text),
        )

    def has_lower(self, start: int, end: int) -> bool:
        """Whether the line(s) holding ``start:end`` have a lower-case letter."""
        bounds = self._line(start, end)
        if bounds not in self._lower:
            self._lower[bounds] = _has_lower(self.text[bounds[0] : bounds[1]])
        return self._lower[bounds]

    def headline(self, start: int, end: int) -> bool:
        """Whether the line(s) holding ``start:end`` are a headline (see :func:`_headline`)."""
        bounds = self._line(start, end)
        if bounds not in self._headlines:
            self._headlines[bounds] = _headline(self.text[bounds[0] : bounds[1]])
        return self._headlines[bounds]

    def in_named(self, start: int, end: int) -> bool:
        """Whether ``start:end`` lies inside a codebook name (``names`` never overlap, so only
        the last one starting at or before ``start`` can hold it)."""
        i = bisect.bisect_right(self.name_starts, start) - 1
        return i >= 0 and end <= self.names[i][1]

    def chain_after(self, end: int) -> tuple[int, int]:
        """Where the chain of "-Capitalised" words from ``end`` on ends, and how many it has."""
        text, path, position = self.text, [], end
        while (
            position not in self._after and position + 1 < len(text) and text[position] in _DASHES
        ):
            m = _WORD.match(text, position + 1)
            if not (m and m.group()[0].isupper()):
                break
            path.append(position)
            position = m.end()
        chain_end, parts = self._after.get(position, (position, 0))
        for step in reversed(path):
            parts += 1
            self._after[step] = (chain_end, parts)
        return chain_end, parts

    def chain_before(self, start: int) -> tuple[int, int]:
        """Where the chain of "Capitalised-" words before ``start`` begins, and how many it has."""
        text, path, position = self.text, [], start
        while position not in self._before and position > 1 and text[position - 1] in _DASHES:
            m = _LAST_WORD.search(text[max(0, position - 41) : position - 1])
            if not (m and m.group()[0].isupper()):
                break
            path.append(position)
            position = position - 1 - len(m.group())
        chain_start, parts = self._before.get(position, (position, 0))
        for step in reversed(path):
            parts += 1
            self._before[step] = (chain_start, parts)
        return chain_start, parts


def _has_lower(line: str) -> bool:
    """Whether ``line`` holds a lower-case letter (``str.islower`` mapped in C, no Python
    step per character)."""
    return any(map(str.islower, line))


def _headline(line: str) -> bool:
    """Whether a line is set in all capitals or title case (most longer words capitalised)."""
    if not _has_lower(line):
        return True
    words = [w for w in re.findall(r"(?<!\w)[^\W\d_][\w’'-]*", line) if len(w) > 3]
    # Title case lowers only short function words ("with", "from"); a sentence with a few
    # names keeps its verbs in lower case ("She writes for the Hindustan Times").
    lower = sum(not w[0].isupper() and w.lower() not in _TITLE_CASE_LOWER for w in words)
    return len(words) >= 3 and lower <= 0.1 * len(words)


# --------------------------------------------------------------------------------------------
# Public functions

_CACHE: dict[str, MentionMatcher] = {}
_CACHE_SIZE = 8


def compile_matcher(codebook: Codebook | None = None) -> MentionMatcher:
    """The compiled :class:`MentionMatcher` of a codebook, cached by :attr:`Codebook.hash`.

    Parameters
    ----------
    codebook : Codebook, str, Path or None
        A codebook or a path to one; ``None`` is the shipped default.

    Returns
    -------
    MentionMatcher
    """
    codebook = load_codebook(codebook)
    key = codebook.hash
    matcher = _CACHE.get(key)
    if matcher is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        matcher = _CACHE[key] = MentionMatcher(codebook)
    return matcher


def mention_spans(
    text: str, codebook: Codebook | None = None, *, excluded: bool = False
) -> list[Mention]:
    """Find the mentions of every target in one string.

    Parameters
    ----------
    text : str
        A sentence or any other text.
    codebook : Codebook, str, Path or None
        Defines the targets; ``None`` is the shipped default.
    excluded : bool
        Also return the matches the codebook excludes, with the rule in ``excluded`` (to check
        a codebook; scoring never sees them).

    Returns
    -------
    list of Mention
        Named tuples ``(start, end, target, alias, group, role, matched, in_name, excluded)``
        with offsets into ``text``, in order and non-overlapping.

    Examples
    --------
    >>> [(m.matched, m.target) for m in mention_spans("Let us ask why the U.S. and Moscow disagree.")]
    [('U.S.', 'us'), ('Moscow', 'russia')]
    >>> [(m.matched, m.group) for m in mention_spans("The Biden administration met the Russian foreign minister.")]
    [('Biden administration', 'institution'), ('Russian foreign minister', 'leader')]
    >>> [(m.matched, m.excluded[:32]) for m in mention_spans("Seattle, Washington", excluded=True)]
    [('Washington', 'targets.us.exclusion_contexts[0]')]
    """
    if not isinstance(text, str):
        raise InputError(f"mention_spans needs a string, not {type(text).__name__}")
    return compile_matcher(codebook).spans(text, excluded=excluded)


def find_mentions(sentences: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Build the mentions table from the sentences table.

    Parameters
    ----------
    sentences : DataFrame
        The sentences table (``article_id, sent_id, para_id, start, end, text``), ``start``
        being the sentence's offset in its article's text.
    codebook : Codebook, str, Path or None
        Defines the targets; ``None`` is the shipped default.

    Returns
    -------
    DataFrame
        One row per mention, in sentence order, with columns :data:`MENTION_COLUMNS`:
        ``article_id, sent_id, target, alias`` (the codebook alias matched), ``start, end``
        (offsets into the *article* text), ``matched`` (the surface text), ``group``
        (``state``, ``capital``, ``institution``, ``leader``, ``demonym`` ... or the role's
        group), ``role`` (the role word joined to the mention, or ``""``) and ``in_name``
        (the alias sits inside a project or organisation name: not stance evidence).
        Sentences without a mention give no row, and neither does a match the codebook
        excludes (a fixed expression, an exclusion pattern or context).

    Raises
    ------
    InputError
        If a column is missing or a sentence has no usable start offset.

    Examples
    --------
    >>> import pandas as pd
    >>> sentences = pd.DataFrame({"article_id": ["a"], "sent_id": [0], "para_id": [0],
    ...     "start": [100], "end": [140], "text": ["Moscow and New Delhi signed a deal."]})
    >>> find_mentions(sentences)[["target", "alias", "start", "end"]].values.tolist()
    [['russia', 'Moscow', 100, 106], ['india', 'New Delhi', 111, 120]]
    """
    check_columns(sentences, "sentences")
    matcher = compile_matcher(codebook)
    starts = pd.to_numeric(sentences["start"], errors="coerce")
    if starts.isna().any():
        bad = sentences.loc[starts.isna(), ["article_id", "sent_id"]].iloc[0]
        raise InputError(
            "a sentence has no numeric start offset",
            record=f"article {bad['article_id']}, sentence {bad['sent_id']}",
            hint="start must be the sentence's character offset in the article text",
        )
    rows = []
    # Lists, read once: iterating an Arrow-backed pandas column costs a call per element.
    for article_id, sent_id, offset, text in zip(
        sentences["article_id"].tolist(),
        sentences["sent_id"].tolist(),
        starts.astype(np.int64).tolist(),
        sentences["text"].tolist(),
        strict=True,
    ):
        if not isinstance(text, str):
            continue
        for m in matcher.spans(text):
            rows.append(
                (
                    article_id,
                    sent_id,
                    m.target,
                    m.alias,
                    offset + m.start,
                    offset + m.end,
                    m.matched,
                    m.group,
                    m.role,
                    m.in_name,
                )
            )
    table = pd.DataFrame.from_records(rows, columns=MENTION_COLUMNS)
    return table.astype({"start": "int64", "end": "int64", "in_name": "bool"})
