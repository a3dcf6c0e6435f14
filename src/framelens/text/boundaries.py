"""Sentence boundaries: Punkt's sentences, corrected where Punkt is known to go wrong.

Punkt (:func:`framelens.text.segment.train_punkt`) decides each period with statistics learned
on the corpus. It is fast and linear in the text's length, but some boundaries defeat it on
news text whatever it learned (measured in ``benchmarks/segmentation.py``). Fixed rules decide
those instead, each from the words on either side of one period:

* **After a period-final abbreviation and before a capitalized word**, Punkt splits only when
  the corpus shows the next word in lower case somewhere ("Mr. Banks", "the U.S. House": wrong
  breaks) and never before a proper name ("... aid from the U.S. China became ...": one
  sentence, two countries, one stance). Here the next word opens a new sentence when it

  (a) starts sentences (:data:`SENTENCE_STARTERS`: "The", "He", "How", "But", "I've", "Two"; no
      modal that is also a name, such as "Will" or "May");
  (b) is a place or a people, which cannot continue a name after an abbreviation: a country
      (``data/country_names.txt``), a capital, a large city of the region or a demonym
      (``data/place_names.txt``: "Moscow", "Islamabad", "Chinese"), or a state, capital, leader
      or demonym alias of the default codebook ("Putin", "Modi") or one of its one-word
      institutions ("Kremlin"): :func:`opening_names`;
  (c) is a common word followed by a lower-case word ("... at 5 p.m. Officials met him",
      "Acme Inc. Shares rose", "the U.S. Coal has"): the corpus shows it in lower case and never
      capitalized mid-sentence (Punkt's orthographic context), or news does
      (``data/common_words.txt``, :func:`common_words`). A common word that starts a name is
      followed by another capitalized word ("the U.S. Energy Information Administration",
      "U.S. Border Patrol"), a name news writes capitalized is not on the list ("U.S.
      House", "U.S. Navy", "U.S. Congress"), and neither a singular role of the codebook ("the
      U.S. Government in Virginia", "U.S. Embassy") nor a word the codebook writes after that
      abbreviation ("U.S. Open") opens a sentence; nor does a word inside a title-case
      headline run into the text ("... Will Debate U.S. Role in Pact").

  Then:

  - a title ("Mr.", "Gen.", "Reps.", "St.") or "e.g.", "i.e.", "v." never ends a sentence;
  - an acronym ("U.S.", "D.C.", "p.m.", "E.P.A.", "H.W.") ends one exactly when the next word
    opens one by (a), (b) or (c): "the U.S.
    Congress", "U.S. Virgin Islands" and "N.D. (AP)" stay one sentence, "the U.S. How", "the
    U.K. Russia" and "the U.S. Moscow was" do not;
  - an initial ("J.") ends one when the next word starts sentences ("you and I. Did"), and
    never when it follows a name or stands before another initial ("David H. Koch", "M. A.
    Siddiqui"), even if the surname is a common word;
  - "etc." ends one before any capitalized word;
  - any other abbreviation ("Co.", "Inc.", "Ltd.", "bn.", or one Punkt learned) ends one when the
    next word opens one by (a), (b) or (c), and is otherwise left to Punkt.

* **A piece that cannot start a sentence** is joined to the one before: a lowercase word after
  "!", "?", an ellipsis, a closing quote or bracket ("'This is great.' she said", "Yahoo! in")
  or after an acronym or initial ("the U.S.A. last year"); a closing bracket, comma or
  semicolon ("(D-N.J.), the ..."); a piece with no letter or digit (the dots of ". . ."). A
  bracket that closes a sentence stays with it (``"Impact.)The rollout"``). A lowercase word
  after an ordinary word and a period ("... said so. then ...") stays a new sentence: that is
  how careless writing marks one.

Abbreviations before a number ("No. 7", "p. 55", "Art. 5", "Sept. 13") are taught to Punkt
itself, as collocations (:data:`NUMBER_ABBREVIATIONS`), so they are saved with its parameters.

Every rule looks at a bounded window around one period (and a set lookup or two for its next
word), so the cost stays linear in the text's length; the rules learn nothing, so the same Punkt parameters give the same sentences in every
process and in every resumed run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

# Punkt's orthographic flags (nltk.tokenize.punkt): the word was seen in lower case anywhere,
# and capitalized in the middle of a sentence. Copied, not imported, so that importing this
# module does not load nltk.
_ORTHO_BEG_UC = 0b0000010
_ORTHO_MID_UC = 0b0000100
_ORTHO_LC = 0b1110000

#: Abbreviations that stand before a number ("No. 7", "pp. 12-14", "Art. 5", "Sept. 13"):
#: taught to Punkt as collocations with any number, so a period there is never a boundary.
NUMBER_ABBREVIATIONS = frozenset(
    """no nos nr n° p pp art arts vol vols fig figs sec secs ch chap para paras op rs jan feb
    mar apr jun jul aug sep sept oct nov dec""".split()
)

#: Titles, name prefixes and abbreviations that never end a sentence (lower case, no final
#: period): "Gen. Will Smith", "St. Louis", "Massachusetts v. EPA", "e.g. China".
NEVER_FINAL = frozenset(
    """mr mrs ms messrs mme mlle dr prof gen gens lt col maj capt cpt sgt cpl pvt adm cmdr cdr
    brig gov govs sen sens rep reps pres amb hon rev fr st mt ft supt insp det e.g i.e cf viz
    v vs""".split()
)

#: Closed-class words that start sentences and never continue a name after an abbreviation
#: (lower case). Modal verbs that are also names or months ("Will", "May", "Can") are left out.
SENTENCE_STARTERS = frozenset(
    """the a an this that these those he she it they we i you his her its their our my your
    there here in on at for from with by after before during under over since until while
    when where what who whom whose why how which if but and or nor so yet as although though
    because however meanwhile still also then now instead thus hence moreover furthermore
    nevertheless nonetheless indeed besides both all some many most several each every no not
    neither either such other another despite among against without within through throughout
    according ahead earlier later today yesterday is are was were has have had did does do
    one two three four five six seven eight nine ten""".split()
)

#: Groups of the default codebook whose aliases are names of a state, a people or a person
#: (institutions such as "State Department" are left out: "the U.S. State Department").
_OPENING_GROUPS = ("state", "capital", "leader", "demonym")

_CLOSERS = "\"'”’)]}»"
_OPENERS = "\"“‘'([«"
# A period-final token, then whitespace, an optional opening quote or bracket, and a
# capitalized word (its letters, then the rest of it, then a period if it has one). The
# lookahead consumes only the token, so "J. R. Khan" yields both "J." and "R.".
_CANDIDATE = re.compile(
    r"(?<!\S)(\S*\.)(?=(\s+)[" + re.escape(_OPENERS) + r"]?(([A-Z][^\W\d_]*)[\w'’\-]*)(\.?))"
)
# The periods of those candidates: a pattern that starts with a literal is searched for much
# faster than one that starts with a lookbehind (which is tried at every character).
_CANDIDATE_PERIOD = re.compile(r"\.(?=\s+[" + re.escape(_OPENERS) + r"]?[A-Z])")
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}")  # U.S., e.g., H.W.
_INITIAL = re.compile(r"[A-Z]\.")
_LEADING_PUNCT = re.compile(r"^[" + re.escape(_OPENERS) + r"\-–—]+")
_LEADING_CHARS = frozenset(_OPENERS + "-–—")  # what _LEADING_PUNCT can start with
_PREVIOUS_WORD = re.compile(r"(\S+)\s+$")
_CLOSING_BRACKETS = re.compile(r"[)\]}]*")
_NEW_SENTENCE = re.compile(r"\s*([" + re.escape(_OPENERS) + r"]?[A-Z])")
_ELLIPSIS_END = re.compile(r"(?:\.\s?){3}$|…$")  # "...", ". . ." or "…" at the end
_ALNUM = re.compile(r"[^\W_]")
# "Officials| met": a lower-case word follows, but not one that joins a name ("U.S. Conference
# of Mayors", "Acme Trust and Savings").
_LOWER_WORD_NEXT = re.compile(r"[^\S\n]+(?!(?:of|and|for|de|del|da|du|von|van)\b)[a-z]")
_HEADLINE_SMALL_WORDS = frozenset("a an the to of in on at for by with from and or as".split())
_WORDS = re.compile(r"[^\W\d_][\w’'\-]*")
_FIRST_WORD = re.compile(r"[^\W\d_]+")  # the letters a name starts with: "China" in "China’s"


def _read_names(filename: str) -> list[str]:
    """The names of a package data file: one a line, ``#`` starts a comment."""
    text = resources.files("framelens").joinpath("data", filename).read_text("utf-8")
    names = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [name for name in names if name]


def _by_first_word(names) -> dict[str, tuple[str, ...]]:
    by_first: dict[str, set[str]] = {}
    for name in names:
        first = _FIRST_WORD.match(name)
        if first is not None:
            by_first.setdefault(first.group(), set()).add(name)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in by_first.items()}


@lru_cache(maxsize=1)
def country_names() -> dict[str, tuple[str, ...]]:
    """The country names of ``data/country_names.txt``, indexed by their first word.

    Returns
    -------
    dict
        First word (its letters) -> the full names starting with it, longest first.
    """
    return _by_first_word(_read_names("country_names.txt"))


@lru_cache(maxsize=1)
def opening_names() -> dict[str, tuple[str, ...]]:
    """Names that open a sentence after an abbreviation, indexed by their first word.

    The countries of ``data/country_names.txt``, the capitals, cities and demonyms of
    ``data/place_names.txt`` and the state, capital, leader and demonym aliases of the default
    codebook, with its one-word institutions written as names ("Kremlin", "Pentagon"; not
    "CIA"): a place, a people or a leader never continues a name after "U.S." or "Inc.".

    Returns
    -------
    dict
        First word (its letters) -> the full names starting with it, longest first.
    """
    from framelens.codebook import load_codebook

    names = _read_names("country_names.txt") + _read_names("place_names.txt")
    for target in load_codebook(None).targets.values():
        for group in _OPENING_GROUPS:
            # Capitalized aliases only: "U.S." itself and lower-case words are no openers.
            names += [a for a in target.groups.get(group, ()) if a[:1].isupper() and "." not in a]
        names += [a for a in target.groups.get("institution", ()) if a.istitle() and a.isalpha()]
    return _by_first_word(names)


@lru_cache(maxsize=1)
def names_after_abbreviations() -> frozenset[tuple[str, str]]:
    """``(abbreviation, word)`` pairs that the default codebook writes as one name.

    Its aliases, fixed expressions and names that hold an abbreviation and a capitalized word
    ("U.S. Open", "US Open" aside): ``("u.s", "open")``. Such a word never opens a sentence
    after that abbreviation, even if it is a common word ("the U.S. Open final").
    """
    from framelens.codebook import load_codebook

    pairs = set()
    for target in load_codebook(None).targets.values():
        for phrase in (*target.aliases, *target.exclusions, *target.names):
            for first, second in pairwise(phrase.split()):
                if first.endswith(".") and second[:1].isupper():
                    pairs.add((first[:-1].lower(), _FIRST_WORD.match(second).group().lower()))
    return frozenset(pairs)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Words news writes in lower case mid-sentence (``data/common_words.txt``)."""
    return frozenset(_read_names("common_words.txt"))


@lru_cache(maxsize=1)
def role_heads() -> frozenset[str]:
    """Singular one-word roles of the default codebook, lower case ("government", "embassy").

    After a country's acronym such a word continues its name, even before a lower-case word
    ("I work for the U.S. Government in Virginia", "the U.S. Embassy said"); a plural is the
    subject of a new sentence ("... the U.S. Officials said").
    """
    from framelens.codebook import load_codebook

    roles = load_codebook(None).matching.roles.values()
    return frozenset(
        word.lower()
        for words in roles
        for word in words
        if " " not in word and (not word.endswith("s") or word.endswith("ss"))
    )


def sentence_spans(text: str, tokenizer: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph: Punkt's, corrected by the rules of this module.

    Parameters
    ----------
    text : str
        One paragraph of cleaned text.
    tokenizer : PunktSentenceTokenizer
        A trained tokenizer (:func:`framelens.text.segment.train_punkt`).

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets into ``text``; ``text[start:end]`` is the sentence, without
        the whitespace around it.
    """
    spans = list(tokenizer.span_tokenize(text))
    if not spans:
        return []
    # A boundary is a cut: the end of one sentence -> the start of the next.
    cuts = _punkt_cuts(text, spans)
    ortho = tokenizer._params.ortho_context
    for match in _candidates(text):
        end = match.end(1)
        decision = _ends_sentence(text, match, ortho)
        if decision is True:
            cuts[end] = end + len(match.group(2))
        elif decision is False:
            cuts.pop(end, None)
    sentences, start = [], spans[0][0]
    for end in sorted(cuts):
        sentences.append((start, end))
        start = cuts[end]
    sentences.append((start, spans[-1][1]))
    return sentences


def _candidates(text: str) -> Iterator[re.Match]:
    """The matches of ``_CANDIDATE.finditer(text)``, found from their periods."""
    for period in _CANDIDATE_PERIOD.finditer(text):
        end = period.end()
        # The period ends a word (whitespace follows): the candidate starts where that word does.
        # A window that grows keeps the cost that of the word, however long the text before it.
        size = 64
        while True:
            low = max(0, end - size)
            word = text[low:end].rsplit(None, 1)[-1]  # splits where ``\s`` matches
            if len(word) < end - low or low == 0:
                break
            size *= 4
        yield _CANDIDATE.match(text, end - len(word))


def _punkt_cuts(text: str, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Punkt's boundaries, less those before a piece that cannot start a sentence."""
    cuts: dict[int, int] = {}
    start = spans[0][0]  # of the sentence being built
    for (_, end), (next_start, next_end) in pairwise(spans):
        after = text[next_start:next_end]
        brackets = _CLOSING_BRACKETS.match(after).end() if after[0] in ")]}" else 0
        new = _NEW_SENTENCE.match(after, brackets) if brackets else None
        if new is not None:
            # "... Deep Impact." | ")The rollout ...": the bracket closes the sentence before.
            cuts[next_start + brackets] = start = next_start + new.start(1)
        # The end of the sentence is all a rule needs: a bounded window keeps the cost linear
        # however many pieces are joined.
        elif not _continues(text[max(start, end - 80) : end], after):
            cuts[end] = start = next_start
    return cuts


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` continues the sentence ``before`` rather than starting a new one."""
    head = after[0]
    if head in ")]},;:”" or not _ALNUM.search(after):
        return True  # ". . ." pieces, "(D-N.Y.), the ...", a stray closing bracket
    # The commonest piece starts with a capital: it needs none of the words below.
    if head.isdigit():
        # "Sept." | '13."': Punkt's collocations miss a number with a quote
        return _last_word(before)[:-1].lower() in NUMBER_ABBREVIATIONS
    if not (head.isalpha() and head.islower()):
        return False
    first = after.split(None, 1)[0]
    if not any(c.isupper() for c in first[1:]):
        # A lowercase word ("iPhone" aside) after something that is not a plain sentence end.
        last = _last_word(before)
        return (
            before[-1] in "!?" + _CLOSERS
            or bool(_ELLIPSIS_END.search(before))
            or bool(_DOTTED.fullmatch(last) or _INITIAL.fullmatch(last))
        )
    return False


def _last_word(before: str) -> str:
    """The last word of ``before``, without the quotes and brackets that open it."""
    return _LEADING_PUNCT.sub("", before.rsplit(None, 1)[-1])


def _ends_sentence(text: str, match: re.Match, ortho: dict[str, int]) -> bool | None:
    """Whether the period of a candidate ends a sentence; ``None`` leaves it to Punkt."""
    token = match.group(1)
    if token[0] in _LEADING_CHARS:  # most tokens have nothing to strip
        token = _LEADING_PUNCT.sub("", token)
    word, letters, initial = match.group(3), match.group(4), bool(match.group(5))
    starter = letters.lower() in SENTENCE_STARTERS and not initial
    last = token.split("-")[-1]  # "N.Y." in "(D-N.Y."
    kind = last[:-1].lower()
    if kind.endswith("..") or not kind.strip("."):  # "that.... She", ". . . The": ellipses
        return True if starter else None
    # Two periods at least (the last one ends ``last``), or it is no dotted acronym.
    dotted = "." in kind and _DOTTED.fullmatch(last)
    if "." in kind and not dotted:
        return None  # a URL, an e-mail address, a number such as 1.5.
    if kind in NEVER_FINAL:
        return False
    if kind == "etc":
        return True
    if dotted:
        return not initial and (starter or _opens_sentence(text, match, ortho))
    if len(last) == 2 and _INITIAL.fullmatch(last):
        if starter:
            return True
        window = text[max(0, match.start(1) - 60) : match.start(1)]
        previous = _PREVIOUS_WORD.search(window)
        if initial or (previous is not None and previous.group(1)[:1].isupper()):
            return False  # "M. A. Siddiqui", "David H. Koch"
        return None
    if starter or (not initial and word == letters and _opens_sentence(text, match, ortho)):
        return True
    return None


def _opens_sentence(text: str, match: re.Match, ortho: dict[str, int]) -> bool:
    """Whether the capitalized word of a candidate opens a sentence by rule (b) or (c)."""
    if _name_at(text, match.start(3), opening_names()):
        return True
    word = match.group(3)
    if not word.isalpha() or not _LOWER_WORD_NEXT.match(text, match.end(3)):
        return False
    lower = word.lower()
    if lower in role_heads():
        return False  # "the U.S. Government in Virginia"
    abbreviation = _LEADING_PUNCT.sub("", match.group(1))[:-1].lower()
    if (abbreviation, lower) in names_after_abbreviations():
        return False  # "the U.S. Open final"
    if _title_case_around(text, match):
        return False
    if lower in common_words():
        # Not vetoed by the corpus capitalizing it mid-sentence: title-case headings and names
        # ("Coal India") do that to the commonest words.
        return True
    # The corpus shows it opening sentences and in lower case, never capitalized inside a
    # sentence ("officials" in "Officials said ..." and "... said officials").
    flags = ortho.get(lower, 0)
    return bool(flags & _ORTHO_LC and flags & _ORTHO_BEG_UC) and not flags & _ORTHO_MID_UC


def _title_case_around(text: str, match: re.Match) -> bool:
    """Whether a candidate sits in a title-case headline run into the text.

    Three capitalized words before it ("Will Debate U.S. Role in Pact"), or, at the start of
    the text, a small word and two capitalized ones after its word ("E.P.A. Plans to Get
    Thousands of Deaths ..."; but "... Co. Officials with Sacramento Suburban said").
    """
    before = _WORDS.findall(text[max(0, match.start(1) - 60) : match.start(1)])[-3:]
    if len(before) == 3 and all(w[0].isupper() for w in before):
        return True
    if before:
        return False
    after = _WORDS.findall(text[match.end(3) : match.end(3) + 60])[:3]
    return (
        len(after) == 3
        and after[0] in _HEADLINE_SMALL_WORDS
        and after[1][0].isupper()
        and after[2][0].isupper()
    )


def _name_at(text: str, pos: int, names: dict[str, tuple[str, ...]]) -> bool:
    """Whether one of ``names`` (indexed by first word) starts at ``text[pos]``, as whole words."""
    first = _FIRST_WORD.match(text, pos)
    if first is None:
        return False
    for name in names.get(first.group(), ()):
        if text.startswith(name, pos):
            after = text[pos + len(name) : pos + len(name) + 1]
            if not after or not (after.isalnum() or after == "_"):
                return True
    return False
