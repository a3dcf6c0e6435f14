"""Split cleaned articles into paragraphs and sentences with character offsets.

Sentences come from NLTK's Punkt (run as :mod:`framelens.text.punkt` runs it), trained
unsupervised on the corpus itself (nothing is downloaded), with a list of common English
abbreviations added so that "Mr.", "U.S." or "Dr." do not end a sentence even in a corpus too
small to learn them, and the abbreviations that stand before numbers ("No. 7", "p. 55") taught
as collocations. Punkt's sentences are then
corrected by the fixed rules of :mod:`framelens.text.boundaries` (an abbreviation that ends a
sentence, a word that cannot start one, initials). Paragraphs are the
blank-line-separated blocks of the cleaned text (see :mod:`framelens.text.clean`); a bullet item or
a heading is its own paragraph, and a heading is always one sentence-level unit.

Offsets (``start``, ``end``) index into the cleaned article text, so
``text[start:end] == sentence`` holds for every row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framelens.text.boundaries import NUMBER_ABBREVIATIONS, sentence_spans

if TYPE_CHECKING:  # nltk loads scipy.stats (a second): imported where it is used
    from nltk.tokenize.punkt import PunktSentenceTokenizer

#: Abbreviations (lower case, without the final period) that never end a sentence.
DEFAULT_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt adm cmdr gov sen rep pres amb hon rev st jr sr
    u.s u.k u.n u.s.s.r e.u d.c n.y u.a.e u.s.a a.m p.m etc e.g i.e vs viz cf al fig approx inc
    ltd co corp bros dept est govt intl jan feb mar apr jun jul aug sep sept oct nov dec mt ft
    pp vol ed eds rs""".split()
)
# Punkt's statistics settle well before this; more text only costs time on big corpora.
MAX_TRAINING_CHARS = 500_000

_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*\-–]|\d{1,3}[.)])\s+")
_HEADING_END = re.compile(r"[.!?:;,\"”’)]$")
_WORD = re.compile(r"\w+")
SENTENCE_COLUMNS = ["article_id", "sent_id", "para_id", "start", "end", "text", "unit"]


def train_punkt(
    texts: Iterable[str],
    *,
    abbreviations: Iterable[str] = DEFAULT_ABBREVIATIONS,
    max_chars: int = MAX_TRAINING_CHARS,
) -> PunktSentenceTokenizer:
    """Train a Punkt sentence tokenizer on the corpus, unsupervised.

    Parameters
    ----------
    texts : iterable of str
        Article texts (cleaned). Only the first ``max_chars`` characters are used.
    abbreviations : iterable of str
        Abbreviations added to those Punkt learns (lower case, no final period).
    max_chars : int
        Training budget in characters.

    Returns
    -------
    PunktSentenceTokenizer
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from framelens.text import punkt

    texts = list(texts)
    total = sum(len(text) for text in texts)
    # An even spread over the corpus (every k-th article), not just its first articles.
    step = max(1, int(total / max_chars)) if total > max_chars else 1
    sample, size = [], 0
    for text in texts[::step]:
        if size >= max_chars:
            break
        sample.append(text[: max_chars - size])
        size += len(sample[-1])
    trainer = punkt.trainer()
    trainer.train("\n\n".join(sample), finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    # On a small corpus Punkt can take a sentence-final common word ("said no.") for an
    # abbreviation; a stop word is never one.
    params.abbrev_types.difference_update(ENGLISH_STOP_WORDS)
    params.abbrev_types.update(a.lower().rstrip(".") for a in abbreviations)
    # "No. 7", "p. 55": a period between these and a number never ends a sentence. "no" cannot
    # be an abbreviation (see above), but the pair is a collocation Punkt checks first.
    params.collocations.update((a, "##number##") for a in NUMBER_ABBREVIATIONS)
    return punkt.tokenizer(params)


def punkt_to_dict(tokenizer: PunktSentenceTokenizer) -> dict:
    """A trained tokenizer's parameters as plain, sorted JSON data (see :func:`punkt_from_dict`).

    Saved with a run, they let a resumed run split sentences exactly as the first one did.
    """
    params = tokenizer._params
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted(list(pair) for pair in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": sorted([word, flags] for word, flags in params.ortho_context.items()),
    }


def punkt_from_dict(data: dict) -> PunktSentenceTokenizer:
    """The tokenizer whose parameters :func:`punkt_to_dict` returned."""
    from nltk.tokenize.punkt import PunktParameters

    from framelens.text import punkt

    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(pair) for pair in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for word, flags in data["ortho_context"]:
        params.ortho_context[word] = flags
    return punkt.tokenizer(params)


def paragraphs(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, unit)`` for each paragraph of a cleaned text.

    ``unit`` is ``"bullet"`` (starts with a bullet or item number), ``"heading"`` (at most 15
    words and no closing punctuation) or ``"body"``.
    """
    for match in re.finditer(r"(?:[^\n]+|\n(?![ \t]*\n))+", text):
        chunk = match.group()
        if not chunk.strip():
            continue
        start = match.start() + len(chunk) - len(chunk.lstrip())
        end = match.end() - (len(chunk) - len(chunk.rstrip()))
        body = text[start:end]
        if _BULLET.match(body):
            unit = "bullet"
        elif _at_most_words(body, 15) and not _HEADING_END.search(body) and "\n" not in body:
            unit = "heading"
        else:
            unit = "body"
        yield start, end, unit


def _at_most_words(text: str, limit: int) -> bool:
    # Counting stops past the limit: a whole article on one line costs no more than a title.
    return sum(1 for _ in islice(_WORD.finditer(text), limit + 1)) <= limit


def segment_text(text: str, tokenizer: PunktSentenceTokenizer) -> list[dict]:
    """Sentences of one cleaned text: dicts with para_id, start, end, text, unit."""
    keys = ("para_id", "start", "end", "text", "unit")
    return [dict(zip(keys, row, strict=True)) for row in _sentence_rows(text, tokenizer)]


def _sentence_rows(text: str, tokenizer: PunktSentenceTokenizer) -> Iterator[tuple]:
    """``(para_id, start, end, sentence, unit)`` for each sentence of one cleaned text."""
    for para_id, (p_start, p_end, unit) in enumerate(paragraphs(text)):
        if unit == "bullet":
            p_start += _BULLET.match(text[p_start:p_end]).end()
        if unit == "heading":
            spans = [(0, p_end - p_start)]
        else:
            spans = sentence_spans(text[p_start:p_end], tokenizer)
        for s_start, s_end in spans:
            start, end = p_start + s_start, p_start + s_end
            sentence = text[start:end]
            if sentence.strip():
                yield para_id, start, end, sentence, unit


def segment_articles(
    articles: pd.DataFrame, tokenizer: PunktSentenceTokenizer | None = None
) -> pd.DataFrame:
    """Build the sentences table of cleaned articles.

    Parameters
    ----------
    articles : DataFrame
        Cleaned articles (``article_id``, ``text``).
    tokenizer : PunktSentenceTokenizer, optional
        A trained tokenizer; by default one is trained on ``articles`` themselves.

    Returns
    -------
    DataFrame
        Columns article_id, sent_id (0-based within the article), para_id, start, end, text
        and unit (body/bullet/heading).
    """
    if tokenizer is None:
        tokenizer = train_punkt(articles["text"])
    article_ids, sent_ids, rows = [], [], []
    texts = zip(articles["article_id"].tolist(), articles["text"].tolist(), strict=True)
    for article_id, text in texts:
        before = len(rows)
        rows += _sentence_rows(text, tokenizer)
        article_ids += [article_id] * (len(rows) - before)
        sent_ids += range(len(rows) - before)
    # Built column by column (integers straight into int64 arrays): a table made of row
    # tuples infers every column's type, and the integers were objects until cast.
    para_ids, starts, ends, sentences, units = zip(*rows, strict=True) if rows else [()] * 5
    integers = {"sent_id": sent_ids, "para_id": para_ids, "start": starts, "end": ends}
    columns = {name: np.array(values, dtype=np.int64) for name, values in integers.items()}
    strings = {"article_id": article_ids, "text": list(sentences), "unit": list(units)}
    # Empty lists would make float columns: a table without rows keeps columns of objects.
    columns.update({name: values or np.array([], object) for name, values in strings.items()})
    return pd.DataFrame(columns, columns=SENTENCE_COLUMNS)
