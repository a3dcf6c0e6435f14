"""Sentence boundaries: Punkt's sentences, corrected where Punkt is known to go wrong.

Punkt (:func:`framelens.text.segment.train_punkt`) decides each period with statistics learned
on the corpus. It is fast and linear in the text's length, but some boundaries defeat it on
news text whatever it learned (measured in ``benchmarks/segmentation.py``). Fixed rules decide
those instead, each from the words on either side of one period:

* **After a period-final abbreviation and before a capitalized word**, Punkt splits only when
  the corpus shows the next word in lower case somewhere ("Mr. Banks", "the U.S. House": wrong
  breaks) and never before a proper name ("... aid from the U.S. China became ...": one
  sentence, two countries, one stance). Here:

  - a title ("Mr.", "Gen.", "Reps.", "St.") or "e.g.", "i.e.", "v." never ends a sentence;
  - an acronym ("U.S.", "D.C.", "E.P.A.", "H.W.") ends one exactly when the next word starts
    sentences (:data:`SENTENCE_STARTERS`: "The", "He", "How", "But", "I've"; no modal that is
    also a name, such as "Will" or "May") or is a country (``data/country_names.txt``): "the
    U.S. Congress", "U.S. Virgin Islands" and "N.D. (AP)" stay one sentence, "the U.S. How" and
    "the U.K. Russia" do not;
  - an initial ("J.") ends one when the next word starts sentences ("you and I. Did"), and
    never when it follows a name or stands before another initial ("David H. Koch", "M. A.
    Siddiqui"), even if the surname is a common word;
  - "etc." ends one before any capitalized word;
  - any other abbreviation ("Co.", "Inc.", "Jan.", or one Punkt learned) ends one when the next
    word starts sentences or is a country, and is otherwise left to Punkt.

* **A piece that cannot start a sentence** is joined to the one before: a lowercase word after
  "!", "?", an ellipsis, a closing quote or bracket ("'This is great.' she said", "Yahoo! in")
  or after an acronym or initial ("the U.S.A. last year"); a closing bracket, comma or
  semicolon ("(D-N.J.), the ..."); a piece with no letter or digit (the dots of ". . ."). A
  bracket that closes a sentence stays with it (``"Impact.)The rollout"``). A lowercase word
  after an ordinary word and a period ("... said so. then ...") stays a new sentence: that is
  how careless writing marks one.

Abbreviations before a number ("No. 7", "p. 55", "Art. 5", "Sept. 13") are taught to Punkt
itself, as collocations (:data:`NUMBER_ABBREVIATIONS`), so they are saved with its parameters.

Every rule looks at a bounded window around one period, so the cost stays linear in the text's
length; the rules learn nothing, so the same Punkt parameters give the same sentences in every
process and in every resumed run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

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
    according ahead earlier later today yesterday is are was were has have had did does do""".split()
)

_CLOSERS = "\"'”’)]}»"
_OPENERS = "\"“‘'([«"
# A period-final token, then whitespace, an optional opening quote or bracket, and a
# capitalized word (its letters, then the rest of it, then a period if it has one). The
# lookahead consumes only the token, so "J. R. Khan" yields both "J." and "R.".
_CANDIDATE = re.compile(
    r"(?<!\S)(\S*\.)(?=(\s+)[" + re.escape(_OPENERS) + r"]?(([A-Z][^\W\d_]*)[\w'’\-]*)(\.?))"
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}")  # U.S., e.g., H.W.
_INITIAL = re.compile(r"[A-Z]\.")
_LEADING_PUNCT = re.compile(r"^[" + re.escape(_OPENERS) + r"\-–—]+")
_PREVIOUS_WORD = re.compile(r"(\S+)\s+$")
_CLOSING_BRACKETS = re.compile(r"[)\]}]*")
_NEW_SENTENCE = re.compile(r"\s*([" + re.escape(_OPENERS) + r"]?[A-Z])")
_ELLIPSIS_END = re.compile(r"(?:\.\s?){3}$|…$")  # "...", ". . ." or "…" at the end
_ALNUM = re.compile(r"[^\W_]")
_FIRST_WORD = re.compile(r"[^\W\d_]+")  # the letters a name starts with: "China" in "China’s"


@lru_cache(maxsize=1)
def country_names() -> dict[str, tuple[str, ...]]:
    """The country names of ``data/country_names.txt``, indexed by their first word.

    Returns
    -------
    dict
        First word (its letters) -> the full names starting with it, longest first.
    """
    text = resources.files("framelens").joinpath("data", "country_names.txt").read_text("utf-8")
    by_first: dict[str, list[str]] = {}
    for line in text.splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            by_first.setdefault(_FIRST_WORD.match(name).group(), []).append(name)
    return {first: tuple(sorted(names, key=len, reverse=True)) for first, names in by_first.items()}


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
    for match in _CANDIDATE.finditer(text):
        end = match.end(1)
        decision = _ends_sentence(text, match)
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


def _punkt_cuts(text: str, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Punkt's boundaries, less those before a piece that cannot start a sentence."""
    cuts: dict[int, int] = {}
    start = spans[0][0]  # of the sentence being built
    for (_, end), (next_start, next_end) in pairwise(spans):
        after = text[next_start:next_end]
        brackets = _CLOSING_BRACKETS.match(after).end()
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
    if not _ALNUM.search(after) or after[0] in ")]},;:”":
        return True  # ". . ." pieces, "(D-N.Y.), the ...", a stray closing bracket
    last = _LEADING_PUNCT.sub("", before.rsplit(None, 1)[-1])
    if after[0].isdigit() and last[:-1].lower() in NUMBER_ABBREVIATIONS:
        return True  # "Sept." | '13."': Punkt's collocations miss a number with a quote
    first = after.split(None, 1)[0]
    if after[0].isalpha() and after[0].islower() and not any(c.isupper() for c in first[1:]):
        # A lowercase word ("iPhone" aside) after something that is not a plain sentence end.
        return (
            before[-1] in "!?" + _CLOSERS
            or bool(_ELLIPSIS_END.search(before))
            or bool(_DOTTED.fullmatch(last) or _INITIAL.fullmatch(last))
        )
    return False


def _ends_sentence(text: str, match: re.Match) -> bool | None:
    """Whether the period of a candidate ends a sentence; ``None`` leaves it to Punkt."""
    token = _LEADING_PUNCT.sub("", match.group(1))
    word, letters, initial = match.group(3), match.group(4), bool(match.group(5))
    starter = letters.lower() in SENTENCE_STARTERS and not initial
    last = token.split("-")[-1]  # "N.Y." in "(D-N.Y."
    kind = last[:-1].lower()
    if kind.endswith("..") or not kind.strip("."):  # "that.... She", ". . . The": ellipses
        return True if starter else None
    if "." in kind and not _DOTTED.fullmatch(last):
        return None  # a URL, an e-mail address, a number such as 1.5.
    if kind in NEVER_FINAL:
        return False
    if kind == "etc":
        return True
    if _DOTTED.fullmatch(last):
        return not initial and (starter or _country_at(text, match.start(3)))
    if _INITIAL.fullmatch(last):
        if starter:
            return True
        window = text[max(0, match.start(1) - 60) : match.start(1)]
        previous = _PREVIOUS_WORD.search(window)
        if initial or (previous is not None and previous.group(1)[:1].isupper()):
            return False  # "M. A. Siddiqui", "David H. Koch"
        return None
    if starter or (not initial and word == letters and _country_at(text, match.start(3))):
        return True
    return None


def _country_at(text: str, pos: int) -> bool:
    """Whether a country name starts at ``text[pos]`` (as whole words)."""
    first = _FIRST_WORD.match(text, pos)
    if first is None:
        return False
    for name in country_names().get(first.group(), ()):
        if text.startswith(name, pos):
            after = text[pos + len(name) : pos + len(name) + 1]
            if not after or not (after.isalnum() or after == "_"):
                return True
    return False
