"""Sentence boundaries: Punkt's sentences, corrected where Punkt is known to go wrong.

Punkt (:func:`framelens.text.segment.train_punkt`) decides each period with statistics learned
on the corpus. It is fast and linear in the text's length, but three kinds of boundary defeat it
on news text, whatever it learned (measured in ``benchmarks/segmentation.py``):

* **An abbreviation that ends a sentence** ("... aid from the U.S. China became ..."). Punkt
  splits after an abbreviation only when it has orthographic evidence that the next word starts
  sentences, and a proper name never gives it any, so the two sentences (and the two countries
  in them) become one. Here a period-final abbreviation is a boundary when the next word is a
  closed-class word that starts sentences ("The", "He", "How", "But"; never one that continues a
  name such as "Will" or "May") or, unless the abbreviation is an initial, a country name
  (``data/country_names.txt``): "the U.S. Congress" and "U.S. Virgin Islands" stay one sentence,
  "the U.S. How", "Co. They" and "the U.K. Russia" do not. Titles ("Mr.", "Gen.", "St.") never
  end a sentence.
* **A word that cannot start a sentence** after a terminator: a lowercase word after "!", "?",
  an ellipsis, a closing quote or bracket ("'This is great.' she said", "Yahoo! in"), or after
  an abbreviation or initial Punkt did not know ("the U.S.A. last year"); a closing bracket,
  comma or semicolon; or a piece with no letter or digit at all (the dots of ". . ."). Each is
  joined to the sentence before. A lowercase word after an ordinary word and a period ("...
  said so. then ...") stays a new sentence: that is how careless writing marks one.
* **Initials** ("J. R. Price"): a capital letter and a period after a name or another initial,
  followed by a capitalized word that is neither a sentence starter nor a country, are part of a
  name, even when the surname is a common word.

Abbreviations before a number ("No. 7", "p. 55", "Art. 5") are taught to Punkt itself, as
collocations (:data:`NUMBER_ABBREVIATIONS`), so they are saved with its parameters.

Every rule looks at one boundary and the words on either side, so the cost stays linear in the
text's length; the rules are fixed (they learn nothing), so the same Punkt parameters give the
same sentences in every process and every resumed run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

#: Abbreviations that stand before a number ("No. 7", "pp. 12-14", "Art. 5"): taught to Punkt
#: as collocations with any number, so a period there is never a boundary.
NUMBER_ABBREVIATIONS = frozenset(
    "no nos nr n° p pp art arts vol vols fig figs sec secs ch chap para paras op rs".split()
)

#: Titles and name prefixes (lower case, no period): they stand before a name, so they never
#: end a sentence ("Gen. Will Smith", "St. Louis").
TITLES = frozenset(
    """mr mrs ms messrs mme mlle dr prof gen gens lt col maj capt cpt sgt cpl pvt adm cmdr cdr
    brig gov sen sens rep reps pres amb hon rev fr st mt ft supt insp det""".split()
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
# A period-final token followed by whitespace and a capitalized word (after an optional
# opening quote or bracket). The lookahead consumes only the token, so "J. R. Khan" yields
# both "J." and "R.".
_CANDIDATE = re.compile(
    r"(?<!\S)(\S*\.)(?=(\s+)([" + re.escape(_OPENERS) + r"]?)([A-Z][\w'’\-]*)(\.?))"
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}")  # U.S., e.g., U.S.A.
_INITIAL = re.compile(r"[A-Za-z]\.")
_LEADING_PUNCT = re.compile(r"^[" + re.escape(_OPENERS) + r"\-–—]+")
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
        First word -> the full names starting with it, longest first.
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
    spans = _join(text, list(tokenizer.span_tokenize(text)))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        out.extend(_split(text, start, end))
    return out


def _join(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join each Punkt sentence that cannot start a sentence to the one before it."""
    if not spans:
        return spans
    joined = [spans[0]]
    for start, end in spans[1:]:
        after = text[start:end]
        brackets = _CLOSING_BRACKETS.match(after).end()
        if brackets and _NEW_SENTENCE.match(after, brackets):
            # "... Deep Impact." | ")The rollout ...": the bracket closes the sentence before.
            joined[-1] = (joined[-1][0], start + brackets)
            joined.append((_NEW_SENTENCE.match(after, brackets).start(1) + start, end))
        elif _continues(text[joined[-1][0] : joined[-1][1]], after):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` continues the sentence ``before`` rather than starting a new one."""
    if not _ALNUM.search(after) or after[0] in ")]},;:”":
        return True  # ". . ." pieces, "(D-N.Y.) and", a stray closing bracket
    first = after.split(None, 1)[0]
    if after[0].isalpha() and after[0].islower() and not any(c.isupper() for c in first[1:]):
        # A lowercase word ("iPhone" aside) after something that is not a plain sentence end.
        last = _LEADING_PUNCT.sub("", before.rsplit(None, 1)[-1])
        return (
            before[-1] in "!?" + _CLOSERS
            or bool(_ELLIPSIS_END.search(before))
            or bool(_DOTTED.fullmatch(last) or _INITIAL.fullmatch(last))
        )
    return _is_initial_in_name(before, after)


def _is_initial_in_name(before: str, after: str) -> bool:
    """ "J. R." | "Price said": an initial after a name or initial, before a name."""
    words = before.rsplit(None, 2)
    if len(words) < 2 or not _INITIAL.fullmatch(words[-1]) or not words[-1][0].isupper():
        return False
    if not words[-2][:1].isupper():
        return False  # "you and I." | "Did ..."
    match = re.match(r"([A-Z][\w'’\-]*)(\.?)", after)
    if match is None or match.group(2):
        return False
    return match.group(1).lower() not in SENTENCE_STARTERS and not _country_at(after, 0)


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one sentence after each abbreviation that ends a sentence (see the module notes)."""
    spans = []
    piece = text[start:end]
    cut = 0
    for match in _CANDIDATE.finditer(piece):
        if match.group(5):  # the next word is itself an initial or abbreviation ("M. A.")
            continue
        token = _LEADING_PUNCT.sub("", match.group(1))
        if not _ends_sentence(token, match.group(4), piece, match.start(4)):
            continue
        spans.append((start + cut, start + match.end(1)))
        cut = match.end(1) + len(match.group(2))
    spans.append((start + cut, end))
    return spans


def _ends_sentence(token: str, word: str, piece: str, word_start: int) -> bool:
    """Whether the period of ``token`` (not split by Punkt) ends a sentence before ``word``."""
    last = token.split("-")[-1]  # "N.Y." in "(D-N.Y."
    kind = last[:-1].lower()
    if kind.endswith("..") or not kind.strip("."):  # "that.... She", ". . . The": ellipses
        return word.lower() in SENTENCE_STARTERS
    if "." in kind and not _DOTTED.fullmatch(last):
        return False  # a URL, an e-mail address, a number such as 1.5.
    if kind in TITLES:
        return False
    if word.lower() in SENTENCE_STARTERS:
        return True
    return not _INITIAL.fullmatch(last) and _country_at(piece, word_start)


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
