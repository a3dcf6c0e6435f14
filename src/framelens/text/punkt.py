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

Importing this module imports NLTK (about a second): :mod:`framelens.text.segment` does it when
Punkt is first needed.
"""

from __future__ import annotations

from nltk.tokenize import punkt


def _unwrapped(pattern):
    """The compiled pattern inside NLTK's timeout wrapper (the pattern itself if unwrapped)."""
    return getattr(pattern, "_rx", pattern)


_NON_PUNCT = _unwrapped(punkt._re_non_punct)


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

    @property
    def is_non_punct(self):
        """True if the token is either a number or is alphabetic."""
        return _NON_PUNCT.search(self.type)


def trainer() -> punkt.PunktTrainer:
    """An untrained Punkt trainer."""
    return punkt.PunktTrainer(lang_vars=LanguageVars(), token_cls=Token)


def tokenizer(params: punkt.PunktParameters) -> punkt.PunktSentenceTokenizer:
    """A Punkt sentence tokenizer with the given (trained) parameters."""
    return punkt.PunktSentenceTokenizer(params, lang_vars=LanguageVars(), token_cls=Token)
