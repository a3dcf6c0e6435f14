"""Target-aware lexicon stance: VADER valences read around the target's mention.

Whole-sentence sentiment answers "is this sentence positive?", not "is it positive about X?".
:class:`LexiconStanceScorer` keeps VADER's word valences and their local rules (negation,
boosters such as *very*, all-caps emphasis; Hutto & Gilbert 2014) but reads only the words that
are about the target, as defined in :mod:`framelens.scorers.context`:

* **words VADER lacks**: VADER's lexicon was rated for social-media text and misses the
  adjectives that judge a state as a partner (*reliable*, *unreliable*, *harmful*,
  *uncooperative*: the dimensions of the coding guide's stance rules); they are added at
  VADER's mid strength (:data:`PARTNER_ADJECTIVES`), so VADER's negation and boosters apply to
  them ("has never been a reliable partner");
* **negation**: VADER's rules, plus the negators its list lacks (*nobody*, *no one*,
  *hardly*, *scarcely*, *few* but not *a few*; :data:`EXTRA_NEGATORS`), applied the way VADER
  applies its own (the three words before an evaluation, times VADER's ``N_SCALAR``); a
  negative subject (*nobody*, *none of*, *neither*, *few*, *not a single*, *not one*, *hardly
  anyone*, a clause-opening *no* + noun before its predicate; :data:`NEGATIVE_QUANTIFIERS`)
  also denies the first evaluation of its clause beyond those three words ("Not a single
  official trusts Washington"), unless a comparison stands between ("No country has been
  more generous than China"); *no reason/need/cause to* denies the negative word after it
  ("no reason to fear China", :data:`NO_REASON_NOUNS`); *never* before a comparative is
  emphasis, as VADER reads *never so* ("has never been more trusted");
* **idioms VADER misreads**: the words of a contrast marker carry no valence (VADER rates the
  *hand* of "on the other hand" +2.2); *keep/break one's word (promise, pledge)* and *let
  (someone) down* are (un)reliability, negated before their verb ("has never once let Pakistan
  down"); *believe* evaluates a target that is its whole object ("Nobody believes America
  anymore"), not one that starts a clause after it ("analysts believe China will ...");
* only the clause(s) holding a mention count, with contrast markers (*but*, *however*, *yet*,
  *although*, *while*, *whereas*, *despite*, *on the other hand*, *by contrast*, *unlike*, ...)
  and semicolons as clause boundaries, so that in "X is praised, but Y is condemned" X gets the
  praise and Y the condemnation;
* **contrast about one target**: a clause across a contrast that goes on about the target
  (through *it*/*its*/*they*, another of its names, or a plain noun phrase after it: "Russia
  is a nice partner but it can be a bully") is read too, and the conceded side counts half
  and the other side 1.5 times, VADER's own weights around *but*; a clause about another
  actor ("A is helping, while B does nothing") is not
  (:func:`framelens.scorers.context.target_context`);
* within the clause a word's valence is weighted by its distance to the nearest mention
  (weight halves every ``window`` words); the mention's own words never count;
* **evaluated targets**: when the target is the object of a verb of criticism or support
  ("Washington condemned *Moscow*", "*Russia* was praised by ...") the verb evaluates the
  target itself, so it counts in full however far it stands from the mention, with its polarity
  applied even where VADER's lexicon lacks that inflection (*denounced*, *lauded*). The rest of
  the clause keeps its distance weights: reading a long clause without decay picks up
  evaluations of other things ("X drew applause ... and chastised *Hanson*"), and on a
  3,000-target sample of NewsMTSC train it did no better (macro-F1 0.557 vs 0.559). Being the *subject* of such a verb is not
  an evaluation (who criticises says nothing about whether they are liked). Objects are found
  without a parser: the verb precedes the mention by at most :data:`OBJECT_REACH` + 1 words
  in the same clause, or follows it after a passive auxiliary.

The weighted sum ``s = sum_i w_i * v_i`` is squashed with VADER's own normaliser
``s / sqrt(s**2 + 15)`` into [-1, 1]; a score within ``neutral_band`` of 0 is labelled neutral.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import math
import operator
import re
import string
from functools import lru_cache

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
    negated,
)

from framelens.codebook import load_codebook
from framelens.scorers.base import StanceScorer, register_scorer
from framelens.scorers.context import (
    AUXILIARIES,
    CONTRAST_MARKERS,
    context_words,
    has_contrast,
    phrase_pattern,
    word_texts,
)
from framelens.text.mentions import compile_matcher
from framelens.text.stems import snowball_stem

#: Verbs whose grammatical object is evaluated by them, with the sign of the evaluation.
#: They are speech acts of praise or criticism and acts of support or opposition; the list is
#: a general English one (not drawn from any corpus) and is matched on Snowball stems.
EVALUATIVE_VERBS = {
    -1: (
        "accuse",
        "assail",
        "attack",
        "berate",
        "blame",
        "blast",
        "boycott",
        "castigate",
        "censure",
        "chastise",
        "condemn",
        "criticise",
        "criticize",
        "decry",
        "demonise",
        "demonize",
        "denounce",
        "deride",
        "disparage",
        "fault",
        "humiliate",
        "insult",
        "lambast",
        "mock",
        "oppose",
        "punish",
        "rebuke",
        "reject",
        "reprimand",
        "ridicule",
        "sanction",
        "scold",
        "shun",
        "slam",
        "snub",
        "threaten",
        "undermine",
        "vilify",
    ),
    1: (
        "acclaim",
        "admire",
        "applaud",
        "celebrate",
        "champion",
        "commend",
        "congratulate",
        "credit",
        "defend",
        "embrace",
        "endorse",
        "hail",
        "honor",
        "honour",
        "laud",
        "praise",
        "reward",
        "salute",
        "support",
        "thank",
        "trust",
        "welcome",
    ),
}
#: Verbs of credence: they evaluate the target only when it is their whole object ("Nobody
#: believes America anymore", "few believe in Russia"), not the subject of a clause after them
#: ("analysts believe China will invade" says nothing of trust).
CREDENCE_VERBS = ("believe",)
#: Words that may follow a credence verb's object and leave it the whole object.
_AFTER_OBJECT = frozenset({"anymore", "again", "either", "now", "too", "today", "any"})
#: Auxiliaries that make a following participle passive ("X was condemned").
PASSIVE_AUXILIARIES = frozenset(
    {"is", "are", "was", "were", "be", "been", "being", "got", "gets", "get"}
)
#: VADER's mid strength: its ratings run from -4 to 4, and 2 is "moderately" positive.
MID_VALENCE = 2.0
#: Valence given to an evaluative verb that VADER's lexicon lacks.
DEFAULT_VERB_VALENCE = MID_VALENCE
#: Adjectives that judge an actor as a partner (trust, reliability, cooperation, harm: the
#: dimensions of the coding guide's stance rules) and that VADER's lexicon, rated on
#: social-media text, lacks. A general English list, not drawn from any corpus; each enters
#: VADER's lexicon at :data:`MID_VALENCE` with its sign, so VADER's own rules (negation,
#: boosters) apply to it. Words VADER has (*trustworthy*, *hostile*, *dishonest*) keep VADER's
#: rating.
PARTNER_ADJECTIVES = {
    1: ("reliable", "dependable", "credible", "constructive", "cooperative"),
    -1: (
        "unreliable",
        "undependable",
        "untrustworthy",
        "uncooperative",
        "unhelpful",
        "obstructive",
        "harmful",
        "coercive",
        "exploitative",
        "malicious",
        "malign",
        "treacherous",
        "duplicitous",
        "disloyal",
        "unpopular",
        "untrusted",
        "mistrusted",
    ),
}
#: How many words may stand between an evaluative verb and its object ("condemned the Indian
#: government"), or between a passive subject and its auxiliary ("Russia has been praised").
OBJECT_REACH = 3
# VADER's normalisation constant (its ``alpha``).
_VADER_ALPHA = 15.0
#: Negators that VADER's ``NEGATE`` list lacks (it has *never*, *none*, *nothing*, *neither*,
#: *nor*, *without*, *rarely* and *seldom*): the negative pronouns, and *hardly*/*scarcely*,
#: which mean "almost not" as *rarely* and *seldom* do (VADER only dampens them). Two-word
#: *no one* is handled beside them.
EXTRA_NEGATORS = frozenset({"nobody", "no-one", "noone", "hardly", "scarcely", "few"})
#: How far back VADER looks for a negator or booster (the three words before a lexicon word).
NEGATION_REACH = 3
#: Negative quantifiers. As a subject ("Nobody in Islamabad seriously trusts Washington",
#: "None of Pakistan's leaders trust ...") they negate the predicate of their clause, which may
#: stand beyond VADER's three words: the first evaluation after one, before the next
#: punctuation mark or contrast marker, is negated once (VADER negates it itself when it is
#: within three words).
NEGATIVE_QUANTIFIERS = frozenset({"nobody", "no-one", "noone", "none", "nothing", "neither", "few"})
#: Nouns after *no* that deny a reason for what follows: in "no reason to fear China" and
#: "no need to worry about India" the negative word is negated, as VADER negates a word one
#: or two places after *no*, however far it stands.
NO_REASON_NOUNS = frozenset({"reason", "need", "cause", "grounds", "call", "point"})
# "no" in fixed expressions that deny nothing after them: "no doubt", "no wonder", "no matter".
_NO_IDIOMS = frozenset({"one", "doubt", "wonder", "matter", "longer", "sooner", "less"})
#: Words before *few* that make it "some", not "not many": "a few", "the past few days", "as
#: few distractions as possible".
_FEW_NOT_NEGATIVE = frozenset(
    {"a", "the", "those", "these", "his", "her", "its", "their", "our", "my", "your", "some"}
    | {"as", "past", "last", "next", "first", "every", "previous", "coming", "recent", "quite"}
)
#: Words between a negative quantifier and an evaluation that make a comparison of it, not a
#: denial: "Nobody has done more for Pakistan than China", "No country helps us like China".
_COMPARISON = frozenset({"more", "than", "better"})
# The words that the rules for negators VADER lacks start from: a sentence without one of them
# (as a whole lower-cased word) is left as it is.
_NEGATOR_WORDS = EXTRA_NEGATORS | NEGATIVE_QUANTIFIERS | {"no", "not", "never"}
# A quick test for a sentence that holds none of them (most do not).
_EXTRA_NEGATOR_TEXT = re.compile(r"\b" + phrase_pattern(_NEGATOR_WORDS) + r"\b", re.IGNORECASE)
# The first words of the constructions _quantifier_reach recognises.
_QUANTIFIER_STARTS = NEGATIVE_QUANTIFIERS | {"one", "hardly", "scarcely", "not", "no"}
# A quick test for the fixed expressions of _idioms.
_IDIOM_TEXT = re.compile(
    r"\b(?:let(?:s|ting)?\b.*\bdown|"
    + phrase_pattern(
        ["word", "promise", "promises", "pledge", "pledges", "commitment", "commitments"]
        + ["assurances", "other hand", "by contrast", "in contrast", "in spite", "even though"]
        + ["as opposed"]
    )
    + r")\b",
    re.IGNORECASE,
)
_SCOPE_ENDS = frozenset(w for w in CONTRAST_MARKERS if " " not in w)
#: Multi-word contrast markers, as token tuples: their words carry no valence of their own
#: (VADER rates "hand" +2.2, which "on the other hand" is not).
_MARKER_TOKENS = tuple(tuple(m.split()) for m in CONTRAST_MARKERS if " " in m)
#: "keep/break one's word": the noun takes the idiom's valence (VADER has no "word", and rates
#: "promise" +1.3 even when broken). A general English idiom of (un)reliability.
_KEEP_VERBS = frozenset({"keep", "keeps", "kept", "keeping", "honour", "honours", "honoured"})
_KEEP_VERBS |= frozenset({"honor", "honors", "honored", "honouring", "honoring"})
_BREAK_VERBS = frozenset({"break", "breaks", "broke", "broken", "breaking", "betray"})
_BREAK_VERBS |= frozenset({"betrays", "betrayed", "betraying", "on"})  # "(went back) on its word"
_PROMISE_NOUNS = frozenset({"word", "promise", "promises", "pledge", "pledges", "commitment"})
_PROMISE_NOUNS |= frozenset({"commitments", "assurances"})
_POSSESSIVES = frozenset({"its", "their", "his", "her", "our", "my", "your", "the"})
# Words one of which a sentence must hold (as a whole lower-cased word) for _idioms to change
# anything: a promise noun, "let", or a word of each multi-word marker (it needs all of them).
_IDIOM_WORDS = (
    _PROMISE_NOUNS | {"let", "lets", "letting"} | {max(m, key=len) for m in _MARKER_TOKENS}
)
#: Comparatives after *never*: "has never been more trusted" is praise, not its denial (VADER
#: already reads "never so" and "never this" so).
_NEVER_COMPARATIVES = frozenset({"more", "better", "so", "this", "as"})


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # The lexicon file is read once per process and shared (the analyzer is read-only).
    analyzer = SentimentIntensityAnalyzer()
    for sign, adjectives in PARTNER_ADJECTIVES.items():
        for word in adjectives:
            analyzer.lexicon.setdefault(word, sign * MID_VALENCE)
    return analyzer


# The cache of stems is shared with the dictionary frame scorer (mostly the same words).
_stem = snowball_stem


@lru_cache(maxsize=1)
def _verb_signs() -> dict[str, int]:
    return {_stem(v): sign for sign, verbs in EVALUATIVE_VERBS.items() for v in verbs}


def _negative_few(lower: list[str], j: int) -> bool:
    """Whether the *few* at ``j`` means "not many" ("few people trust"), not "some"."""
    return not (j and lower[j - 1].strip(".,;:!?\"'()“”‘’") in _FEW_NOT_NEGATIVE)


def _extra_negator(lower: list[str], j: int, i: int) -> bool:
    """Whether word ``j`` is a negator VADER lacks, for the lexicon word at ``i``."""
    if lower[j] == "few":
        return _negative_few(lower, j)
    if lower[j] in EXTRA_NEGATORS:
        return True
    if lower[j] == "one" and j > 0 and lower[j - 1] == "no":
        # "no one": VADER's own rule already negates a word one or two places after "no"
        # (three with "or"/"nor" between), so count it only beyond that reach.
        no_at = j - 1
        vader_reach = no_at >= i - 2 or (no_at == i - 3 and lower[i - 1] in ("or", "nor"))
        return not vader_reach
    return False


def is_negated(words_before: list[str]) -> bool:
    """Whether the words before a word negate it: VADER's negators, and those it lacks.

    Parameters
    ----------
    words_before : list of str
        The (up to :data:`NEGATION_REACH`) words before the word, in order.

    Returns
    -------
    bool
    """
    lower = [w.lower().strip(".,;:!?\"'()“”‘’") for w in words_before]
    no_one = any(a == "no" and b == "one" for a, b in zip(lower, lower[1:], strict=False))
    extra = any(
        w in EXTRA_NEGATORS and (w != "few" or _negative_few(lower, j)) for j, w in enumerate(lower)
    )
    return negated(lower) or no_one or extra


def vader_valences(text: str) -> np.ndarray:
    """VADER's valence of each whitespace token of ``text``, with its local rules applied.

    Negation, boosters/dampeners, all-caps emphasis and VADER's idioms are applied as in
    :meth:`SentimentIntensityAnalyzer.polarity_scores`; its sentence-level rules (the *but*
    re-weighting and punctuation emphasis) are not, since clauses are handled by the caller.
    Negators VADER's list lacks (:data:`EXTRA_NEGATORS`, *no one*) negate as VADER's own do:
    each one among the three words before a lexicon word (not themselves lexicon words)
    multiplies its valence by VADER's ``N_SCALAR``; the *no* of *no one* is a determiner there,
    not a negative word of its own. A negative quantifier (:data:`NEGATIVE_QUANTIFIERS`) also
    negates the first evaluation after it in its stretch of clause, however far.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    ndarray of float
        One valence per token of :func:`framelens.scorers.context.words` (0 for neutral words).
    """
    return np.asarray(_valences(text), dtype=float)


def _valences(text: str) -> list[float]:
    """:func:`vader_valences` as a list (the scorer reads it word by word)."""
    analyzer = _analyzer()
    sentitext = _senti_text(text)
    tokens = sentitext.words_and_emoticons
    lower = list(map(str.lower, tokens))  # once, not once per rule per word as VADER does
    sentiments = _word_valences(analyzer, sentitext, lower)
    # The text tests decide, as they always have; a sentence without a word that the rules
    # below start from is not searched (on it they would change nothing).
    present = set(lower)
    negators = not _NEGATOR_WORDS.isdisjoint(present) and _EXTRA_NEGATOR_TEXT.search(text)
    idioms = not _IDIOM_WORDS.isdisjoint(present) and _IDIOM_TEXT.search(text)
    if not negators and not idioms:
        return sentiments  # nothing VADER has not already seen
    lexicon = analyzer.lexicon
    if idioms:
        _idioms(lower, sentiments)
    if not negators:
        return sentiments
    for i, word in enumerate(lower):
        if word == "no" and i + 1 < len(lower) and lower[i + 1] == "one":
            sentiments[i] = 0.0
            continue
        if sentiments[i] == 0.0 or word not in lexicon:
            continue
        # As VADER's _negation_check: the words before, unless they are lexicon words.
        for j in range(i - 1, max(i - NEGATION_REACH, 0) - 1, -1):
            if lower[j] not in lexicon and _extra_negator(lower, j, i):
                sentiments[i] *= N_SCALAR
        # "has never been more trusted": VADER negated it, as it does not "never so trusted".
        if lower[i - 1 : i] and lower[i - 1] in _NEVER_COMPARATIVES - {"so", "this"}:
            before = lower[max(0, i - NEGATION_REACH) : i]
            if "never" in before and not negated([w for w in before if w != "never"]):
                sentiments[i] *= 1.25 / N_SCALAR
    raw = word_texts(text)  # the same tokens with their punctuation
    # Where the stretch after each word ends: at a contrast marker or a comparison, at an
    # evaluation (a word with a valence, which a quantifier may negate) or after punctuation.
    # Found in one pass from the end, so that many quantifiers in one long sentence do not
    # each rescan it.
    stop = [len(lower)] * (len(lower) + 1)
    for i in range(len(lower) - 1, -1, -1):
        word = lower[i]
        ends = (
            word in _SCOPE_ENDS
            or word in _COMPARISON
            or sentiments[i] != 0.0
            or raw[i][-1:] in ",;:.!?)"
        )
        stop[i] = i if ends else stop[i + 1]
    for j in range(len(lower)):
        if lower[j] not in _QUANTIFIER_STARTS:
            continue
        reach = _quantifier_reach(lower, raw, j)
        if reach is None:
            continue
        i = stop[j + 1]
        # No evaluation before the stretch ends; a comparison ("nobody ... more than China")
        # denies nothing.
        if i == len(lower) or lower[i] in _SCOPE_ENDS or lower[i] in _COMPARISON:
            continue
        if sentiments[i] == 0.0:
            continue
        # Within reach VADER has negated it; so has a negator there of the same
        # construction ("neither ... nor Cruz looked good").
        near = lower[max(j + 1, i - NEGATION_REACH) : i]
        if i - j > reach and not is_negated(near):
            sentiments[i] *= N_SCALAR
    return sentiments


#: Words that VADER's rules for a lexicon word react to when they stand within its reach (the
#: three words before it, or the word itself): its negators, boosters and dampeners, "no"
#: (which negates up to three words on), "least", and "so"/"this"/"without" (its *never so*
#: and *without doubt* rules; a lone "so" or "this" right before a word also counts as
#: emphasis). They are looked for in the two words after it as well, which costs nothing.
_VADER_MODIFIERS = frozenset(NEGATE) | frozenset(w for w in BOOSTER_DICT if " " not in w)
_VADER_MODIFIERS |= {"no", "least", "never", "so", "this", "without"}
#: VADER's multi-word expressions that change a word's valence: its special cases ("the bomb",
#: "kiss of death") and multi-word boosters ("kind of"), by first word.
_VADER_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in [*SPECIAL_CASES, *BOOSTER_DICT]:
    if " " in _phrase:
        _VADER_PHRASES.setdefault(_phrase.split()[0], []).append(tuple(_phrase.split()))
#: The longest word of each of them (none is a common function word such as "the" or "of"):
#: a sentence without any of these words holds none of the expressions.
_PHRASE_WORDS = frozenset(max(p, key=len) for phrases in _VADER_PHRASES.values() for p in phrases)
#: The most words in one of them.
_VADER_PHRASE_WORDS = max(len(p) for phrases in _VADER_PHRASES.values() for p in phrases)
#: How far VADER's rules for word ``i`` read: words ``i - 3`` to ``i + 2``.
_VADER_BEFORE, _VADER_AFTER = 3, 2


class _WordsView:
    """What :meth:`SentimentIntensityAnalyzer.sentiment_valence` reads of a SentiText."""

    __slots__ = ("words_and_emoticons", "is_cap_diff")

    def __init__(self, words: list[str], is_cap_diff: bool):
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


def _senti_text(text: str) -> _WordsView:
    """What VADER's ``SentiText(text)`` holds, without a method call per word.

    Its words are the whitespace tokens, each stripped of leading and trailing punctuation
    unless that leaves two characters or fewer (an emoticon such as ":)"), as its
    ``_strip_punc_if_word`` does; its all-caps flag is VADER's ``allcap_differential``: some
    but not all words in capitals (counted here in C).
    """
    punctuation = string.punctuation
    words = [
        token if len(stripped := token.strip(punctuation)) <= 2 else stripped
        for token in word_texts(text)
    ]
    capitals = sum(map(str.isupper, words))
    return _WordsView(words, 0 < len(words) - capitals < len(words))


def _word_valences(
    analyzer: SentimentIntensityAnalyzer, sentitext: SentiText | _WordsView, lower: list[str]
) -> list[float]:
    """VADER's valence of each word, as the word loop of ``polarity_scores`` computes it.

    Each lexicon word is given to VADER's own ``sentiment_valence``, seen through the words its
    rules read (the three before it, the two after it, and the sentence's all-caps flag): some
    of its checks lower-case every word they are given, once per rule and word, which costs a
    long sentence time quadratic in its length. A word whose reach holds nothing those rules
    react to (no modifier of :data:`_VADER_MODIFIERS`, no "n't", no multi-word expression of
    :data:`_VADER_PHRASES`, not in all caps among other words) keeps its lexicon rating
    unchanged by them, and gets it without the call: most evaluative words of news text.

    Parameters
    ----------
    analyzer : SentimentIntensityAnalyzer
        VADER, with the lexicon to read.
    sentitext : SentiText or _WordsView
        The sentence as VADER splits it (see :func:`_senti_text`).
    lower : list of str
        Its words, lower-cased.

    Returns
    -------
    list of float
        One valence per word (0 for words that carry none).
    """
    tokens = sentitext.words_and_emoticons
    lexicon = analyzer.lexicon
    n = len(tokens)
    sentiments: list[float] = []
    # Whether one of VADER's expressions may stand in the sentence at all (most hold none).
    phrases = not _PHRASE_WORDS.isdisjoint(lower)
    for i, word in enumerate(lower):
        # The same skips as polarity_scores: modifiers carry no valence of their own. A word
        # VADER's lexicon lacks gets 0 from sentiment_valence: no need to ask it.
        if (
            word not in lexicon
            or word in BOOSTER_DICT
            or (word == "kind" and i < n - 1 and lower[i + 1] == "of")
        ):
            sentiments.append(0.0)
            continue
        start = max(0, i - _VADER_BEFORE)
        rating = lexicon[word]
        plain = _untouched(lower, start, i + _VADER_AFTER + 1, phrases)
        # VADER adds each (zero) booster increment to the rating: a no-op unless it is 0.
        if plain and rating != 0.0 and not (sentitext.is_cap_diff and tokens[i].isupper()):
            sentiments.append(rating)
            continue
        view = _WordsView(tokens[start : i + _VADER_AFTER + 1], sentitext.is_cap_diff)
        sentiments = analyzer.sentiment_valence(0.0, view, tokens[i], i - start, sentiments)
    return sentiments


def _untouched(lower: list[str], start: int, stop: int, phrases: bool = True) -> bool:
    """Whether words ``start:stop`` hold nothing that VADER's rules for a word react to.

    That is: no modifier of :data:`_VADER_MODIFIERS`, no word with "n't" (VADER's negation),
    and no part of a multi-word expression of :data:`_VADER_PHRASES` (not looked for when
    ``phrases`` is False: the sentence lacks a word each of them needs).
    """
    reach = lower[start:stop]
    # Joined with spaces, "n't" can only be found inside a word.
    if not _VADER_MODIFIERS.isdisjoint(reach) or "n't" in " ".join(reach):
        return False
    if not phrases:
        return True
    # An expression overlaps the reach if it starts in it or up to its length - 1 words before.
    for k in range(max(0, start - _VADER_PHRASE_WORDS + 1), min(stop, len(lower))):
        for phrase in _VADER_PHRASES.get(lower[k], ()):
            if k + len(phrase) > start and tuple(lower[k : k + len(phrase)]) == phrase:
                return False
    return True


def _quantifier_reach(lower: list[str], raw: list[str], j: int) -> int | None:
    """How far a negation that starts at word ``j`` is already applied, or None if none starts.

    A negative quantifier or determiner denies the first evaluation after it in its stretch of
    clause: *nobody*, *no one*, *none*, *few* (not *a few*), *hardly anyone*, *not a single*,
    *not one*, a clause-opening *no* + noun ("No country trusts ..."), and *no reason/need to*
    ("no reason to fear China"). The returned number is how many words after ``j`` VADER's
    own negation (or the extra negators) already covers: a word that far or nearer is left.
    """
    word = lower[j]
    if word in NEGATIVE_QUANTIFIERS:
        return None if word == "few" and not _negative_few(lower, j) else NEGATION_REACH
    if word == "one" and j and lower[j - 1] == "no":
        return NEGATION_REACH
    nxt = lower[j + 1 : j + 3]
    if word in ("hardly", "scarcely") and nxt[:1] and nxt[0] in ("anyone", "anybody", "any"):
        return NEGATION_REACH
    if word == "not" and (nxt == ["a", "single"] or nxt[:1] == ["one"]):
        return NEGATION_REACH
    if word == "no" and len(nxt) == 2:
        if nxt[0] in NO_REASON_NOUNS and nxt[1] in ("to", "for"):
            return 2  # VADER's "no" reaches two words: "no need [to] worry" is beyond it
        # "No country trusts ...", "No leader has praised ...": a determiner that opens its
        # clause, its noun followed by the predicate (an evaluation or an auxiliary). "No
        # details concerning the fraud were given" denies no evaluation.
        opens = j == 0 or raw[j - 1][-1:] in ",;:" or lower[j - 1] in ("and", "but", "yet")
        predicate = nxt[1] in AUXILIARIES or nxt[1] in _analyzer().lexicon
        if opens and predicate and nxt[0] not in _NO_IDIOMS:
            return 2
    return None


def _idioms(lower: list[str], sentiments: list[float]) -> None:
    """Valences VADER gets wrong in a few fixed expressions, set in place.

    The words of a multi-word contrast marker carry none ("on the other hand"); "keep one's
    word/promise" is reliability and "break one's word" its opposite, whatever VADER rates the
    noun; "let (someone) down" is a failure, its valence on *let* so that a negator before it
    ("has never once let Pakistan down") negates it as VADER negates any word.
    """
    n = len(lower)
    for i, word in enumerate(lower):
        if word in _PROMISE_NOUNS and i >= 2 and lower[i - 1] in _POSSESSIVES:
            verb = lower[i - 2]
            if verb == "on" and "back" not in lower[i - 4 : i - 2]:
                continue
            sign = 1 if verb in _KEEP_VERBS else -1 if verb in _BREAK_VERBS else 0
            if sign:
                # Negated before its verb ("will not keep its word"), as VADER would the verb.
                before = lower[max(0, i - 2 - NEGATION_REACH) : i - 2]
                sentiments[i] = sign * MID_VALENCE * (N_SCALAR if is_negated(before) else 1.0)
        elif word in ("let", "lets", "letting") and "down" in lower[i + 2 : i + 5]:
            before = lower[max(0, i - NEGATION_REACH) : i]
            sentiments[i] = -MID_VALENCE * (N_SCALAR if is_negated(before) else 1.0)
    for marker in _MARKER_TOKENS:
        if marker[-1] not in lower:  # most sentences hold none of them
            continue
        size = len(marker)
        for i in range(n - size + 1):
            if lower[i] == marker[0] and tuple(lower[i : i + size]) == marker:
                sentiments[i : i + size] = [0.0] * size


def _but_weights(tokens) -> list[float]:
    # VADER's own contrast rule, used when clause splitting is off: words before the first "but"
    # count half, words after it one and a half times.
    lower = [t.lower().strip(".,;:!?\"'") for t in tokens]
    if "but" not in lower:
        return [1.0] * len(tokens)
    b = lower.index("but")
    return [0.5] * b + [1.0] + [1.5] * (len(tokens) - b - 1)


def evaluating_verbs(tokens, is_mention, in_clause) -> dict[int, int]:
    """Evaluative verbs whose object (or passive subject) is the target.

    Parameters
    ----------
    tokens : sequence of str
        The sentence's whitespace tokens.
    is_mention : sequence of bool
        Which words belong to a mention of the target (a list or a boolean array).
    in_clause : sequence of bool
        Which words share a clause with a mention.

    Returns
    -------
    dict of int to int
        Token index of each such verb and the sign (+1 support, -1 criticism) of its evaluation.
    """
    found: dict[int, int] = {}
    mention_idx = list(itertools.compress(range(len(is_mention)), is_mention))
    if not mention_idx:
        return found
    first, last = mention_idx[0], mention_idx[-1]
    # Only words within reach of a mention can govern it; the rest are not read.
    lo, hi = max(0, first - OBJECT_REACH - 1), min(len(tokens), last + OBJECT_REACH + 2)
    lower: list[str] = []  # the bare lower-case words from word lo on, once a verb is found
    for i in range(lo, hi):
        if not in_clause[i]:
            continue
        sign = _verb_sign(tokens[i])
        if sign is None:
            continue
        if not lower:
            lower = [_bare(t) for t in tokens[lo:hi]]
        if sign == 0:  # a verb of credence
            if _whole_object(tokens, lower, lo, i, first, last):
                found[i] = 1
            continue
        # Active voice: the verb precedes the mention ("condemned the Indian government").
        active = i < first
        # Passive voice: "X was (strongly) condemned", "X has been praised".
        between = lower[last + 1 - lo : i - lo]
        passive = i > last and any(w in PASSIVE_AUXILIARIES for w in between)
        if active or passive:
            found[i] = sign
    return found


def _bare(token: str) -> str:
    """A token lower-cased, without the punctuation around it."""
    return token.lower().strip(".,;:!?\"'()“”‘’")


@lru_cache(maxsize=131072)
def _verb_sign(token: str) -> int | None:
    """What verb a whitespace token is: the sign of an evaluative verb's evaluation (+1 or
    -1), 0 for a verb of credence, ``None`` for any other word (matched on Snowball stems).

    A pure function of the token, worked out once per token and process: the words near the
    mentions of a corpus recur, and the lookup costs less than lower-casing and stemming.
    """
    stem = _stem(_bare(token))
    sign = _verb_signs().get(stem)
    if sign is None and stem in _credence_stems():
        return 0
    return sign


@lru_cache(maxsize=1)
def _credence_stems() -> frozenset[str]:
    return frozenset(_stem(v) for v in CREDENCE_VERBS)


def _whole_object(tokens, lower: list[str], lo: int, verb: int, first: int, last: int) -> bool:
    """Whether the mention ``first..last`` is the whole object of the verb at ``verb``.

    ``lower`` holds the bare lower-case words from word ``lo`` on (those within reach).
    """
    between = lower[verb + 1 - lo : first - lo]
    if verb > first or len(between) > 1 or (between and between[0] not in ("in", "the")):
        return False
    if last + 1 >= len(tokens) or tokens[last][-1:] in ".,;:!?)":
        return True
    return lower[last + 1 - lo] in _AFTER_OBJECT


@register_scorer("stance", "lexicon")
class LexiconStanceScorer(StanceScorer):
    """Target-aware VADER stance: valences of the words around the mention, clause by clause.

    Parameters
    ----------
    codebook : Codebook, str, Path or None, default None
        Where the targets' names come from (``None``: the shipped codebook). VADER valences do
        not depend on the target; the names only tell, across a contrast, whether a clause goes
        on about the same target under another name ("Russia ... but Moscow ...") or turns to
        another target.
    window : float or None, default 4.0
        Half-life, in words, of a word's weight as its distance to the nearest mention grows
        (``0.5 ** ((d - 1) / window)``). ``None`` weighs every word of the clause equally.
    neutral_band : float, default 0.06
        Scores in ``(-neutral_band, neutral_band)`` are labelled neutral. The default maximises
        macro-F1 on the NewsMTSC *train* split (``benchmarks/newsmtsc_dev.py``).
    split_clauses : bool, default True
        Read only the clause(s) holding a mention. ``False`` reads the whole sentence (with
        VADER's own *but* rule) and is kept for comparison.
    evaluative_verbs : bool, default True
        Count a verb of criticism or support in full when the target is its object (see
        :data:`EVALUATIVE_VERBS`).
    contrast : bool, default True
        Read a clause that continues about the target across a contrast (through a pronoun,
        another of its names or a plain noun phrase), and weigh the conceded side half and the
        other side 1.5 times, as VADER does around *but*
        (:func:`framelens.scorers.context.target_context`). ``False`` reads only the clauses
        holding a mention, each at full weight, and is kept for comparison.

    Examples
    --------
    >>> import pandas as pd
    >>> text = "Moscow was praised for its restraint, but Washington was condemned."
    >>> items = pd.DataFrame({"text": [text, text], "spans": [[(0, 6)], [(42, 52)]],
    ...                       "target": ["russia", "us"]})
    >>> LexiconStanceScorer().score_spans(items)["label"].tolist()
    ['favor', 'against']
    """

    def __init__(
        self,
        codebook=None,
        window: float | None = 4.0,
        neutral_band: float = 0.06,
        split_clauses: bool = True,
        evaluative_verbs: bool = True,
        contrast: bool = True,
    ):
        self.codebook = codebook
        self.window = window
        self.neutral_band = neutral_band
        self.split_clauses = split_clauses
        self.evaluative_verbs = evaluative_verbs
        self.contrast = contrast

    def score_spans(self, items: pd.DataFrame) -> pd.DataFrame:
        """Score stance toward the marked spans of each item.

        Parameters
        ----------
        items : DataFrame
            Columns ``text`` and ``spans`` (list of ``(start, end)`` offsets into ``text``),
            optional ``target`` (a codebook target name); other columns are ignored. Items
            with the same text are targets of one sentence: each one's spans are the others'
            mentions of another actor.

        Returns
        -------
        DataFrame
            Same index as ``items``; ``score`` in [-1, 1], ``label`` and ``confidence``: how much
            and how consistent the weighted lexical evidence is, ``(1 - exp(-E)) * |S| / E``
            where ``E = sum |w v| / 2`` and ``S = sum w v / 2`` (0 with no evidence).
        """
        texts = [str(text) for text in items["text"].tolist()]
        spans = items["spans"].tolist()
        targets = items["target"].tolist() if "target" in items.columns else [""] * len(texts)
        names = _Names(self.codebook) if self.split_clauses and self.contrast else None
        by_text: dict[str, list[int]] = {}
        if names is not None:
            for k, text in enumerate(texts):
                by_text.setdefault(text, []).append(k)
        marks: dict[str, collections.Counter] = {}
        # Items of one sentence (one per target) come together: read each sentence once.
        last: dict[str, np.ndarray] = {}
        results = []
        for k, text in enumerate(texts):
            aliases, others = (), ()
            # Who else a clause may be about matters only across a contrast.
            if names is not None and has_contrast(text):
                if text not in marks:
                    marks[text] = _span_counts(spans[m] for m in by_text[text])
                marked = _marked_by_others(marks[text], spans[k])
                aliases, others = names.around(text, spans[k], targets[k], marked)
            results.append(self._score_one(text, spans[k], last, aliases, others))
        scores = np.array([r[0] for r in results], dtype=float).reshape(-1)
        confidence = np.array([r[1] for r in results], dtype=float).reshape(-1)
        return pd.DataFrame(
            {"score": scores, "label": self._labels(scores), "confidence": confidence},
            index=items.index,
        )

    def _score_one(self, text: str, spans, last: dict, aliases, others) -> tuple[float, float]:
        # Lists, not arrays: a sentence is some 25 words, where numpy's cost per call dominates.
        context = context_words(
            text,
            spans,
            window=self.window,
            split_clauses=self.split_clauses,
            contrast=self.contrast,
            aliases=aliases,
            others=others,
        )
        tokens, weights = context.tokens, list(context.weights)  # edited below
        if not tokens:
            return 0.0, 0.0
        if text not in last:
            last.clear()
            last[text] = _valences(text)
        valences = list(last[text])  # edited below
        if not self.split_clauses:
            valences = [v * f for v, f in zip(valences, _but_weights(tokens), strict=True)]
        if self.evaluative_verbs:
            verbs = evaluating_verbs(tokens, context.is_mention, context.in_clause)
            for i, sign in verbs.items():
                # The verb evaluates the target itself: it counts in full wherever it stands
                # (its clause's contrast weight aside).
                weights[i] = 1.0 if context.clause_weight is None else context.clause_weight[i]
                if valences[i] == 0.0:  # an inflection VADER lacks ("denounced")
                    negation = is_negated(list(tokens[max(0, i - NEGATION_REACH) : i]))
                    valences[i] = sign * DEFAULT_VERB_VALENCE * (N_SCALAR if negation else 1.0)
        total, strength = _evidence_sums(weights, valences)
        score = total / math.sqrt(total * total + _VADER_ALPHA)
        strength /= 2.0
        confidence = (
            0.0 if strength == 0 else (1 - math.exp(-strength)) * abs(total / 2.0) / strength
        )
        return score, confidence


def _evidence_sums(weights: list[float], valences: list[float]) -> tuple[float, float]:
    """``sum(w * v)`` and ``sum(|w * v|)`` over a sentence's words, as numpy sums them.

    The scores have always been summed by numpy, whose sum is pairwise, not left to right:
    with three terms or more, where they stand decides the order of the additions and so
    the last bits, and those sums are left to numpy. A zero term changes no sum (``x + 0.0
    == x``, and numpy's sum starts from +0.0), and one or two terms are added with one
    rounding in any order: those (most items: few words near a mention carry a valence) are
    added here, without building arrays for some 25 words.
    """
    evidence = list(map(operator.mul, weights, valences))
    terms = list(filter(None, evidence))  # the nonzero ones
    if not terms:
        return 0.0, 0.0
    if len(terms) == 1:
        return terms[0], abs(terms[0])
    if len(terms) == 2:
        return terms[0] + terms[1], abs(terms[0]) + abs(terms[1])
    array = np.array(evidence)
    return float(array.sum()), float(np.abs(array).sum())


def _span_counts(item_spans) -> collections.Counter:
    """For the items of one text: how many of them mark each span."""
    return collections.Counter(
        span for spans in item_spans for span in {(int(a), int(b)) for a, b in spans}
    )


def _marked_by_others(counts: collections.Counter, own) -> list[tuple[int, int]]:
    """The distinct spans that another item of the same text marks (``counts`` from
    :func:`_span_counts`; ``own``: this item's spans), in order.

    Only which spans they are matters to the clause reading (they mask words), so a sentence
    that recurs in many articles of a corpus is counted once, not re-read for each of its
    items (which cost time quadratic in its copies).
    """
    mine = {(int(a), int(b)) for a, b in own}
    return sorted(span for span, n in counts.items() if n > (span in mine))


class _Names:
    """The codebook's names of targets in a sentence: the marked target's others, and the rest."""

    def __init__(self, codebook):
        self.codebook = load_codebook(codebook)
        self.matcher = compile_matcher(self.codebook)
        self._text: str | None = None
        self._mentions: list = []

    def around(self, text: str, spans, target, marked) -> tuple[list, list]:
        """Unmarked names of the same target, and mentions of other actors, in ``text``.

        Parameters
        ----------
        text : str
            The sentence.
        spans : list of (int, int)
            The target's marked mentions.
        target : str
            The target's codebook name; when it is not one (free spans), the target of the
            codebook mention that overlaps a marked span, if any.
        marked : list of (int, int)
            Spans marked for other targets of the same sentence.

        Returns
        -------
        (list, list)
            Spans of the target's other names, and spans of other actors (the other marked
            targets and the codebook's mentions of other targets).
        """
        if text != self._text:  # the items of one sentence come together: match it once
            self._text = text
            self._mentions = [m for m in self.matcher.spans(text) if not m.in_name]
        mentions = self._mentions
        own_spans = _Spans(spans)
        if target not in self.codebook.targets:
            own = [m.target for m in mentions if own_spans.overlaps((m.start, m.end))]
            target = own[0] if own else None
        others = [s for s in marked if not own_spans.overlaps(s)]
        # Mentions never overlap one another, so those added to ``others`` below cannot
        # overlap a later one: only the marked spans can.
        marked_others = _Spans(others)
        aliases = []
        for m in mentions:
            span = (m.start, m.end)
            if own_spans.overlaps(span):
                continue
            if m.target == target and not marked_others.overlaps(span):
                aliases.append(span)
            elif m.target != target:
                others.append(span)
        return aliases, others


class _Spans:
    """A set of character spans that answers "does this span overlap one of you?" by
    bisection, so that a sentence with many mentions costs linear time, not quadratic."""

    def __init__(self, spans):
        ordered = sorted((int(start), int(end)) for start, end in spans)
        self.starts = [start for start, _ in ordered]
        # The largest end among the spans up to each one: a span [a, b) overlaps one of them
        # exactly when some span starting before b ends after a.
        self.reach = list(itertools.accumulate((end for _, end in ordered), max))

    def overlaps(self, span) -> bool:
        i = bisect.bisect_left(self.starts, span[1])
        return i > 0 and self.reach[i - 1] > span[0]
