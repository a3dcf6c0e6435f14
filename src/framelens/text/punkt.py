"""NLTK's Punkt, run without the time limit NLTK puts around each of its own regex calls.

NLTK routes every regular expression through ``nltk.redos``: patterns are compiled with the
``regex`` engine and each call runs under a wall-clock timeout, a backstop against patterns
that callers supply. Punkt's patterns are NLTK's own, fixed and linear, yet the guard wraps
each of the several calls Punkt makes per word and per candidate period, which roughly halves
its speed (training on 500k characters: 0.8 s against 0.4 s; splitting 428 news articles: 0.34 s
against 0.14 s). The classes here are Punkt's extension points (``lang_vars`` and
``token_cls``) carrying the *same* compiled ``regex`` patterns, called directly: the same
engine, patterns and flags, so the same sentences, only faster. Nothing else of Punkt is
changed; with an NLTK that does not wrap its patterns, they are used as they are.

Splitting also asks, for every candidate period, whether the few words around it contain a
sentence break (``text_contains_sentbreak``). NLTK answers by building a ``PunktToken`` object
per word and running both annotation passes over them as chained generators: the object churn
is most of the time of splitting. :class:`SentenceTokenizer` answers the same question from the
same rules applied to plain per-word facts, which depend on the word alone and are therefore
computed once per distinct word (:meth:`SentenceTokenizer._word_facts`); a test checks it
against NLTK's own answer on every candidate period of real news text.

Importing this module imports NLTK (about a second): :mod:`framelens.text.segment` does it when
Punkt is first needed.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

import regex  # NLTK's pattern engine: a reverse search finds the word before a period
from nltk.tokenize import punkt


def _unwrapped(pattern):
    """The compiled pattern inside NLTK's timeout wrapper (the pattern itself if unwrapped)."""
    return getattr(pattern, "_rx", pattern)


_NON_PUNCT = _unwrapped(punkt._re_non_punct)
# The last ASCII whitespace before a period (NLTK's ``_get_last_whitespace_index`` looks for
# ``string.whitespace`` only), searched from the right.
_LAST_SPACE = regex.compile(r"(?r)[ \t\n\r\x0b\x0c]")
# The characters NLTK's ``re_boundary_realignment`` can start with.
_CLOSING = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


class LanguageVars(punkt.PunktLanguageVars):
    """Punkt's English settings, with its word and period-context patterns called directly."""

    __slots__ = ()

    re_boundary_realignment = _unwrapped(punkt.PunktLanguageVars.re_boundary_realignment)

    def _word_tokenizer_re(self):
        try:
            return self._re_word_tokenizer
        except AttributeError:
            self._re_word_tokenizer = _unwrapped(super()._word_tokenizer_re())
            return self._re_word_tokenizer

    def period_context_re(self):
        try:
            return self._re_period_context
        except AttributeError:
            self._re_period_context = _unwrapped(super().period_context_re())
            return self._re_period_context


class Token(punkt.PunktToken):
    """Punkt's token, with the patterns of its properties called directly."""

    __slots__ = ()

    _RE_ELLIPSIS = _unwrapped(punkt.PunktToken._RE_ELLIPSIS)
    _RE_NUMERIC = _unwrapped(punkt.PunktToken._RE_NUMERIC)
    _RE_INITIAL = _unwrapped(punkt.PunktToken._RE_INITIAL)
    _RE_ALPHA = _unwrapped(punkt.PunktToken._RE_ALPHA)

    def __init__(self, tok, **params):
        # NLTK's constructor, with its five annotations set in one statement, not a loop.
        self.tok = tok
        self.type = _word_type(tok)
        self.period_final = tok.endswith(".")
        self.parastart = self.linestart = self.sentbreak = self.abbr = self.ellipsis = None
        for name, value in params.items():
            setattr(self, name, value)

    @property
    def is_non_punct(self):
        """True if the token is either a number or is alphabetic."""
        return _NON_PUNCT.search(self.type)


@lru_cache(maxsize=2**17)
def _word_type(tok: str) -> str:
    """NLTK's case-normalised token type (numbers as ``##number##``); a function of the word."""
    return Token._RE_NUMERIC.sub("##number##", tok.lower())


class _WordFacts(NamedTuple):
    """What Punkt's annotation passes read of one word (NLTK's ``PunktToken`` properties)."""

    tok: str
    type_no_period: str
    type_no_sentperiod: str  # after the first pass, as the second pass reads its next word
    period_final: bool
    sentbreak: bool  # first pass
    abbr: bool  # first pass
    ellipsis: bool
    initial: bool
    first_upper: bool
    first_lower: bool


class SentenceTokenizer(punkt.PunktSentenceTokenizer):
    """Punkt's sentence tokenizer, deciding each candidate period without token objects.

    :meth:`text_contains_sentbreak` follows NLTK's first pass
    (``PunktSentenceTokenizer._first_pass_annotation``) and second pass
    (``PunktSentenceTokenizer._second_pass_annotation`` with ``_ortho_heuristic``) rule for
    rule, in the same order (including the entries reading ``ortho_context`` adds to it), on
    facts of each word computed once per distinct word. Everything else is NLTK's.
    """

    #: Distinct words whose facts are kept; past this the memo starts again (bounded memory).
    MAX_WORDS = 100_000

    def __init__(self, params, lang_vars=None, token_cls=punkt.PunktToken):
        super().__init__(params, lang_vars=lang_vars, token_cls=token_cls)
        self._facts: dict[str, _WordFacts] = {}
        # NLTK's ``word_tokenize`` without its two calls around the pattern (once per period).
        self._words_of = self._lang_vars._word_tokenizer_re().findall

    def _word_facts(self, tok: str) -> _WordFacts:
        """The first-pass annotation and the properties of one word (memoised per word)."""
        facts = self._facts.get(tok)
        if facts is not None:
            return facts
        token = self._Token(tok)
        self._first_pass_annotation(token)
        facts = _WordFacts(
            tok,
            token.type_no_period,
            token.type_no_sentperiod,
            token.period_final,
            bool(token.sentbreak),
            bool(token.abbr),
            bool(token.ellipsis),
            bool(token.is_initial),
            token.first_upper,
            token.first_lower,
        )
        if len(self._facts) >= self.MAX_WORDS:
            self._facts.clear()
        self._facts[tok] = facts
        return facts

    def span_tokenize(self, text: str, realign_boundaries: bool = True):
        """NLTK's sentence spans of ``text``, found in one pass over its candidate periods.

        NLTK chains three generators (``_match_potential_end_contexts``, ``_slices_from_text``,
        ``_realign_boundaries``) and finds the word before each period with a Python loop per
        character; :meth:`_slices` and :meth:`_realign` do the same steps, in the same order, in two
        loops.
        """
        if not realign_boundaries:
            return super().span_tokenize(text, realign_boundaries)
        return iter(self._realign(text, self._slices(text)))

    def _slices(self, text: str) -> list[tuple[int, int]]:
        """NLTK's ``_slices_from_text``: sentences before closing punctuation is realigned."""
        slices, last_break = [], 0
        # NLTK's ``_match_potential_end_contexts``: each candidate period with the word before
        # it, unless the next candidate's word reaches back over it ("acting!!!": the last "!").
        previous, previous_start, previous_stop = None, 0, 0
        for match in self._lang_vars.period_context_re().finditer(text):
            start = match.start()
            space = _LAST_SPACE.search(text, previous_stop, start)
            # NLTK reads a space at the very start of the gap as no space (index 0 is falsy).
            word_start = space.end() if space and space.start() > previous_stop else previous_start
            if previous is not None and previous_stop <= word_start:
                last_break = self._cut(
                    text, previous, previous_start, previous_stop, slices, last_break
                )
            previous, previous_start, previous_stop = match, word_start, start
        if previous is not None:
            last_break = self._cut(
                text, previous, previous_start, previous_stop, slices, last_break
            )
        slices.append((last_break, len(text.rstrip())))
        return slices

    def _cut(self, text, match, word_start, word_stop, slices, last_break) -> int:
        """Add the sentence ending at ``match`` if it breaks one; return where the next starts."""
        # NLTK's context is the word, the period and the token after it: one stretch of text,
        # as the period is the character at ``word_stop`` and the token's group follows it.
        if not self.text_contains_sentbreak(text[word_start : match.end("after_tok")]):
            return last_break
        slices.append((last_break, match.end()))
        next_start = match.start("next_tok")  # -1 when the period is followed by punctuation
        return next_start if next_start >= 0 else match.end()

    def _realign(self, text: str, slices: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """NLTK's ``_realign_boundaries``: closing quotes and brackets join the sentence before."""
        spans, realign = [], 0
        pattern = self._lang_vars.re_boundary_realignment
        for (start, stop), (next_start, next_stop) in pairwise(slices):
            start += realign
            # The pattern needs a closing character first: most boundaries are ruled out here.
            found = (
                pattern.match(text[next_start:next_stop])
                if next_start < next_stop and text[next_start] in _CLOSING
                else None
            )
            if found:
                spans.append((start, next_start + len(found.group(0).rstrip())))
                realign = found.end()
            else:
                realign = 0
                if start < stop:
                    spans.append((start, stop))
        start, stop = slices[-1]
        if start + realign < stop:
            spans.append((start + realign, stop))
        return spans

    def text_contains_sentbreak(self, text: str) -> bool:
        """Whether ``text`` holds a sentence break followed by another token (as NLTK's)."""
        facts, word_facts = self._facts, self._word_facts
        if "\n" in text:
            words = [
                facts.get(tok) or word_facts(tok)
                for line in text.split("\n")
                if line.strip()
                for tok in self._words_of(line)
            ]
        else:  # one line (nearly every context): no need to split it
            words = [facts.get(tok) or word_facts(tok) for tok in self._words_of(text)]
        # A break counts only if a word follows it: the last word is never asked.
        last = len(words) - 1
        for i in range(last):
            word = words[i]
            sentbreak = word.sentbreak
            if word.period_final:
                sentbreak = self._second_pass(word, words[i + 1], sentbreak)
            if sentbreak:
                # NLTK annotates the next word before it answers, and reading the orthographic
                # context adds entries to it: the same reads here.
                following = words[i + 1]
                if i + 1 < last and following.period_final:
                    self._second_pass(following, words[i + 2], following.sentbreak)
                return True
        return False

    def _second_pass(self, word: _WordFacts, following: _WordFacts, sentbreak: bool) -> bool:
        """Whether ``word`` (period-final) breaks a sentence, given the word after it."""
        params = self._params
        typ, next_typ = word.type_no_period, following.type_no_sentperiod
        if (typ, next_typ) in params.collocations:  # [4.1.2] collocation heuristic
            return False
        if (word.abbr or word.ellipsis) and not word.initial:  # [4.2]
            starter = self._ortho(following)
            if starter is True:
                return True
            if following.first_upper and next_typ in params.sent_starters:
                return True
        if word.initial or typ == "##number##":  # [4.3] initials and ordinals
            starter = self._ortho(following)
            if starter is False:
                return False
            if (
                starter == "unknown"
                and word.initial
                and following.first_upper
                and not (params.ortho_context[next_typ] & punkt._ORTHO_LC)
            ):
                return False
        return sentbreak

    def _ortho(self, word: _WordFacts) -> bool | str:
        """NLTK's orthographic heuristic: does ``word`` start a sentence (or "unknown")?"""
        if word.tok in self.PUNCTUATION:
            return False
        # Indexing (not .get) as NLTK does: its defaultdict gains the entry either way.
        context = self._params.ortho_context[word.type_no_sentperiod]
        if word.first_upper and (context & punkt._ORTHO_LC) and not (context & punkt._ORTHO_MID_UC):
            return True
        if word.first_lower and (
            (context & punkt._ORTHO_UC) or not (context & punkt._ORTHO_BEG_LC)
        ):
            return False
        return "unknown"


# Punkt's orthographic contexts (NLTK names them "internal", "initial", "unknown"), as indexes.
_INTERNAL, _INITIAL, _UNKNOWN = 0, 1, 2
# The ortho_context flag a word adds, per context, by the case of its first letter (NLTK's map).
_FLAGS_BY_CASE = {
    case: tuple(
        punkt._ORTHO_MAP.get((name, case), 0) for name in ("internal", "initial", "unknown")
    )
    for case in ("upper", "lower", "none")
}


class _TrainingWord(NamedTuple):
    """What NLTK's orthography pass reads of one word, once its first pass is done."""

    type_no_sentperiod: str
    flags: tuple[int, int, int]  # the ortho_context flag it adds, per context it is seen in
    context_after: int  # the context of the word that follows it


class Trainer(punkt.PunktTrainer):
    """Punkt's trainer, learning from one token object per distinct word, not per word.

    NLTK's ``_train_tokens`` builds a ``PunktToken`` per word of the training text and walks
    them in several passes, asking each one its properties. All it asks depends on the word
    alone, except where a line or paragraph starts: :meth:`train` runs the same steps, in
    the same order, with one annotated token per distinct word (:meth:`_annotated`), counting
    words with a :class:`~collections.Counter` and walking the text once for the
    orthographic contexts. The scores, thresholds and pair heuristics are NLTK's own methods
    (``_reclassify_abbrev_types``, ``_is_rare_abbrev_type``, ``_is_potential_sent_starter``,
    ``_is_potential_collocation``, ``finalize_training``): a test checks that the learned
    parameters equal those of NLTK's own trainer on real text.
    """

    def train(self, text: str, verbose: bool = False, finalize: bool = True) -> None:
        """Collect training data from ``text`` (as NLTK's ``train``).

        Parameters
        ----------
        text : str
            Training text; lines are split on "\\n", blank lines start paragraphs.
        verbose : bool
            Print what is learned (NLTK's own, slower path does it).
        finalize : bool
            Find collocations and sentence starters now (else at ``get_params``).
        """
        if verbose:
            return super().train(text, verbose, finalize)
        self._finalized = False
        words, line_starts = self._words(text)
        counts = Counter(words)  # in order of first appearance, as NLTK meets the types
        tokens = {word: self._Token(word) for word in counts}
        # NLTK's type frequencies and count of period-final words.
        type_counts: dict[str, int] = {}
        for word, count in counts.items():
            typ = tokens[word].type
            type_counts[typ] = type_counts.get(typ, 0) + count
        self._type_fdist.update(type_counts)
        self._num_period_toks += sum(n for word, n in counts.items() if word.endswith("."))
        # The same set NLTK's ``_unique_types`` builds (same insertions, same order).
        self._reclassify(set(type_counts))
        # The first pass reads the abbreviations just found: annotate each distinct word now.
        for token in tokens.values():
            self._first_pass_annotation(token)
        self._orthography(words, line_starts, tokens)
        self._sentbreak_count += sum(n for word, n in counts.items() if tokens[word].sentbreak)
        self._pairs(words, tokens)
        if finalize:
            self.finalize_training()
        return None

    def _words(self, text: str) -> tuple[list[str], list[tuple[int, bool]]]:
        """NLTK's ``_tokenize_words`` without token objects.

        Returns
        -------
        words : list of str
            The words of ``text``, in order.
        line_starts : list of (int, bool)
            For each non-blank line, the index of its first word and whether a blank line came
            before it (NLTK's ``linestart`` and ``parastart``).
        """
        words: list[str] = []
        line_starts: list[tuple[int, bool]] = []
        tokenize = self._lang_vars._word_tokenizer_re().findall
        parastart = False
        for line in text.split("\n"):
            if line.strip():
                line_words = tokenize(line)
                if line_words:
                    line_starts.append((len(words), parastart))
                    words += line_words
                    parastart = False
            else:
                parastart = True
        return words, line_starts

    def _reclassify(self, types: set[str]) -> None:
        """NLTK's abbreviation update of ``_train_tokens`` (without its verbose printing).

        NLTK's ``_reclassify_abbrev_types`` scores only the types that end in a period and the
        known abbreviations, after a pattern search on every type: the other types (nearly all)
        are left out before it, in the set's order. The filter runs lazily, so each type is
        checked against the abbreviations as they stand when NLTK reaches it, as NLTK does.
        """
        abbrev_types = self._params.abbrev_types
        candidates = (typ for typ in types if typ.endswith(".") or typ in abbrev_types)
        for abbr, score, is_add in self._reclassify_abbrev_types(candidates):
            if score >= self.ABBREV:
                if is_add:
                    abbrev_types.add(abbr)
            elif not is_add:
                abbrev_types.remove(abbr)

    def _orthography(
        self, words: list[str], line_starts: list[tuple[int, bool]], tokens: dict
    ) -> None:
        """NLTK's ``_get_orthography_data``: the case contexts each word type is seen in."""
        facts = {word: _training_word(token) for word, token in tokens.items()}
        ortho_context = self._params.ortho_context
        context = _INTERNAL
        # Each line's words run up to the next line's first word (the last line's, to the end).
        stops = [start for start, _ in line_starts[1:]] + [len(words)] if words else []
        for (start, parastart), stop in zip(line_starts, stops, strict=True):
            # A line's first word: NLTK's parastart and linestart rules, in its order.
            if parastart and context != _UNKNOWN:
                context = _INITIAL
            if context == _INTERNAL:
                context = _UNKNOWN
            for word in words[start:stop]:
                typ, flags, after = facts[word]
                flag = flags[context]
                if flag:  # NLTK adds an entry only for a flag
                    ortho_context[typ] |= flag
                context = after

    def _pairs(self, words: list[str], tokens: dict) -> None:
        """NLTK's pair loop: rare abbreviations, sentence starters, collocation candidates."""
        # Only pairs whose first word ends in a period are looked at, and the last word has no
        # pair: NLTK's ``_pair_iter`` gives it None.
        period_final = {word for word in tokens if tokens[word].period_final}
        for i in [i for i, word in enumerate(words[:-1]) if word in period_final]:
            first, second = tokens[words[i]], tokens[words[i + 1]]
            if self._is_rare_abbrev_type(first, second):
                self._params.abbrev_types.add(first.type_no_period)
            if self._is_potential_sent_starter(second, first):
                self._sent_starter_fdist[second.type] += 1
            if self._is_potential_collocation(first, second):
                self._collocation_fdist[(first.type_no_period, second.type_no_sentperiod)] += 1


def _training_word(token: punkt.PunktToken) -> _TrainingWord:
    """The orthography facts of one first-pass-annotated token (NLTK's reads, once)."""
    flags = _FLAGS_BY_CASE[token.first_case]
    if token.sentbreak:
        after = _UNKNOWN if token.is_number or token.is_initial else _INITIAL
    elif token.ellipsis or token.abbr:
        after = _UNKNOWN
    else:
        after = _INTERNAL
    return _TrainingWord(token.type_no_sentperiod, flags, after)


def trainer() -> punkt.PunktTrainer:
    """An untrained Punkt trainer."""
    return Trainer(lang_vars=LanguageVars(), token_cls=Token)


def tokenizer(params: punkt.PunktParameters) -> punkt.PunktSentenceTokenizer:
    """A Punkt sentence tokenizer with the given (trained) parameters."""
    return SentenceTokenizer(params, lang_vars=LanguageVars(), token_cls=Token)
