"""The lexicon scorer's shortcuts give what the plain path gives, bit for bit (issue 12).

The scorer reads VADER and its own rules more cheaply than the plain path does: VADER's word
rules run only where a modifier stands within their reach, the contrast-marker and negator
regexes are prefix trees, the negator and idiom text tests are skipped on sentences without a
word their rules start from, distance weights come from a table computed by numpy (read by
slices around a run of mentions), and evidence with at most two nonzero terms is summed without
numpy. Each is compared here with the plain path on real sentences (the shipped seed corpus, and
NewsMTSC dev when ../shared/data is there) and on sentences written to hit each of VADER's rules.
"""

from __future__ import annotations

import json
import re
import string

import numpy as np
import pytest
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentiText

from framelens.scorers import context, lexicon

# Sentences that hit VADER's rules around a lexicon word one by one: negation (its list, "n't",
# "no" up to three words back, "never so", "without doubt", "least"), boosters and dampeners
# (one to three words back, in capitals), capitals among lower case, "kind of", its special
# cases and multi-word boosters, and the same words far from any lexicon word.
RULE_SENTENCES = [
    "The talks were not good for anyone.",
    "Moscow isn't a reliable partner, and Beijing wasn't helpful either.",
    "It couldn't've been kind, and that wouldn't-be good.",  # "n't" words VADER does not list
    "There is no good reason, no real hope and no or nor trust here.",
    "It has never been so good, and never this bad.",
    "Without a doubt the aid was excellent; without doubt it helped.",
    "This is the least helpful offer, though at least it was kind, and very least generous.",
    "The deal was very good, extremely very good, and somewhat slightly bad.",
    "The deal was VERY good while the rest of the sentence stays lower case.",
    "The deal was GREAT while the rest of the sentence stays lower case.",
    "ALL OF THIS IS GREAT AND EVERY WORD IS UPPER CASE.",
    "It was kind of good, sort of bad, and just enough help to matter.",
    "The summit was the bomb, a kiss of death for rivals, a deal to die for, yeah right.",
    "The bus stop outside the embassy had a beating heart of protest.",
    "So good, this bad, so so nice and this great.",
    "Russia is a good partner, a reliable friend and a generous donor of aid to Pakistan.",
    "Russia has never been more trusted by Pakistan.",
    "Nobody trusts Washington, few believe Moscow and no one praised Beijing for its help.",
    "China kept its word, India broke its promise and the US let Pakistan down again.",
    "On the other hand, by contrast, in spite of the offer, even though it was good, as opposed to that.",
    "_Nobody_ and (no) and no, and NO-ONE and n't and ' and :) and :D were happy.",
    "",
    "   ",
    "good",
    "not",
]


def vader_plain_path(text: str) -> list[float]:
    """VADER's valence of each word as ``polarity_scores`` computes it, before its sentence rules."""
    analyzer = lexicon._analyzer()
    sentitext = SentiText(text)
    words = sentitext.words_and_emoticons
    sentiments: list[float] = []
    for i, item in enumerate(words):
        if item.lower() in BOOSTER_DICT or (
            i < len(words) - 1 and item.lower() == "kind" and words[i + 1].lower() == "of"
        ):
            sentiments.append(0.0)
            continue
        sentiments = analyzer.sentiment_valence(0.0, sentitext, item, i, sentiments)
    return sentiments


def bits(values) -> bytes:
    return np.asarray(values, dtype=float).tobytes()


@pytest.fixture(scope="module")
def seed_sentences(seed_tables) -> list[str]:
    return seed_tables.sentences["text"].tolist()


@pytest.fixture(scope="module")
def newsmtsc_sentences(shared_data_dir) -> list[str]:
    texts = []
    for name in ("mt_dev", "rw_dev"):
        with (shared_data_dir / "newsmtsc" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            texts += [json.loads(line)["sentence_normalized"] for line in handle if line.strip()]
    return texts


def test_sentence_words_are_vaders(seed_sentences):
    for text in RULE_SENTENCES + TRICKY + seed_sentences:
        ours, vaders = lexicon._senti_text(text), SentiText(text)
        assert ours.words_and_emoticons == vaders.words_and_emoticons, text
        assert ours.is_cap_diff == vaders.is_cap_diff, text


def word_valences(text: str) -> list[float]:
    sentitext = SentiText(text)
    lower = [w.lower() for w in sentitext.words_and_emoticons]
    return lexicon._word_valences(lexicon._analyzer(), sentitext, lower)


def test_word_valences_equal_vaders_own_path_on_rule_sentences():
    for text in RULE_SENTENCES:
        assert bits(word_valences(text)) == bits(vader_plain_path(text)), text


def test_word_valences_equal_vaders_own_path_on_the_seed_corpus(seed_sentences, monkeypatch):
    assert len(seed_sentences) > 100
    calls = []
    analyzer = lexicon._analyzer()
    original = analyzer.sentiment_valence
    expected = [bits(vader_plain_path(text)) for text in seed_sentences]
    monkeypatch.setattr(
        analyzer, "sentiment_valence", lambda *args: calls.append(1) or original(*args)
    )
    got = [bits(word_valences(text)) for text in seed_sentences]
    assert got == expected
    # The shortcut is taken (most evaluative words of news text have no modifier near them)
    # and is not the only path (some have one).
    lexicon_words = sum(
        w.lower() in analyzer.lexicon and w.lower() not in BOOSTER_DICT
        for text in seed_sentences
        for w in SentiText(text).words_and_emoticons
    )
    assert 0 < len(calls) < lexicon_words / 2


def test_word_valences_equal_vaders_own_path_on_newsmtsc_dev(newsmtsc_sentences):
    assert len(newsmtsc_sentences) > 500
    for text in newsmtsc_sentences:
        assert bits(word_valences(text)) == bits(vader_plain_path(text)), text


class _AlwaysShared(frozenset):
    """A word set that every sentence shares a word with: the text tests always run."""

    def isdisjoint(self, other) -> bool:
        return False


def test_skipping_the_text_tests_changes_no_valence(seed_sentences, monkeypatch):
    texts = RULE_SENTENCES + seed_sentences
    skipped = [bits(lexicon.vader_valences(text)) for text in texts]
    monkeypatch.setattr(lexicon, "_NEGATOR_WORDS", _AlwaysShared())
    monkeypatch.setattr(lexicon, "_IDIOM_WORDS", _AlwaysShared())
    searched = [bits(lexicon.vader_valences(text)) for text in texts]
    assert skipped == searched
    # The rules behind the tests do change valences here: the comparison is not vacuous.
    assert any(bits(lexicon.vader_valences(t)) != bits(vader_plain_path(t)) for t in texts)


def plain_alternation(words) -> str:
    # The alternation the prefix trees replaced: every phrase in turn, the longest first.
    return "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True))


# Strings that test case folding (Unicode letters that match ASCII ones ignoring case), word
# boundaries (underscores, hyphens, apostrophes) and runs of whitespace inside markers.
TRICKY = [
    "ſtill, the KELVIN \u212aind of deal; In\u00a0Contrast\nTo that, BUT_ but-not nobody's",
    "in  contrast with, by contrast to, even\tthough, in spite of, as opposed to, on the other hand",
    "Still: yet; however. Though although whereas whiles unlike unlikely despite instead insteadly",
    "no-one NOONE None nothing neither never not no nobody few hardly scarcely ſcarcely _no",
    "let them down lets   us down letting it down; word promises pledges commitments assurances",
]


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (context._MARKER, context.CONTRAST_MARKERS),
        (lexicon._EXTRA_NEGATOR_TEXT, lexicon._NEGATOR_WORDS),
    ],
)
def test_prefix_tree_regexes_match_what_the_plain_alternations_match(
    seed_sentences, pattern, words
):
    plain = re.compile(r"\b(" + plain_alternation(words) + r")\b", re.IGNORECASE)
    for text in seed_sentences + RULE_SENTENCES + TRICKY:
        found = [(m.span(), m.group(0)) for m in pattern.finditer(text)]
        assert found == [(m.span(), m.group(0)) for m in plain.finditer(text)], text


def test_folding_turns_each_letter_ignorecase_matches_into_that_letter():
    # The contrast-marker pre-test looks for the markers' words in the folded text: sound only
    # if each character that re.IGNORECASE matches with an ASCII letter folds to that letter.
    letters = re.compile("[a-z]", re.IGNORECASE)
    found = [chr(c) for c in range(0x110000) if letters.fullmatch(chr(c))]
    assert {"\u017f", "\u212a", "\u0130", "\u0131"} <= set(found)  # ſ, Kelvin K, İ, ı
    for char in found:
        matched = [c for c in string.ascii_lowercase if re.fullmatch(c, char, re.IGNORECASE)]
        assert matched == [context._fold(char)], char


def test_contrast_markers_found_with_the_pre_test_are_the_regexs(seed_sentences):
    texts = seed_sentences + RULE_SENTENCES + TRICKY + ["whİle", "In ſpite of", "ſtill", "bUt"]
    for text in texts:
        found = [(m.span(), m.group(1)) for m in context._markers(text)]
        assert found == [(m.span(), m.group(1)) for m in context._MARKER.finditer(text)], text
    assert sum(bool(context._markers(t)) for t in texts) > 10


def test_idiom_text_test_matches_what_it_matched_before(seed_sentences):
    before = re.compile(
        r"\b(?:let|lets|letting)\b.*\bdown\b|\b(?:word|promises?|pledges?|commitments?|assurances)\b"
        r"|\b(?:other\s+hand|by\s+contrast|in\s+contrast|in\s+spite|even\s+though|as\s+opposed)\b",
        re.IGNORECASE,
    )
    texts = seed_sentences + RULE_SENTENCES + TRICKY
    assert [bool(lexicon._IDIOM_TEXT.search(t)) for t in texts] == [
        bool(before.search(t)) for t in texts
    ]
    assert any(before.search(t) for t in texts)


def test_phrase_pattern_tries_the_longer_phrase_first():
    pattern = re.compile(r"\b(" + context.phrase_pattern(["in contrast", "in contrast to"]) + ")")
    assert pattern.match("in contrast to this").group(1) == "in contrast to"
    assert pattern.match("in contrast, this").group(1) == "in contrast"


@pytest.mark.parametrize("window", [4.0, 2.5, 1.0, 7.3])
def test_decay_table_holds_what_numpy_computes_for_each_sentence(window):
    table = context._decay(window, 256)
    for first in range(0, 60, 7):
        for size in (1, 3, 8, 9, 17, 40):
            distance = np.arange(first, first + size)
            expected = 0.5 ** ((np.maximum(distance, 1) - 1) / float(window))
            assert bits(table[first : first + size]) == expected.tobytes()


def test_context_lists_and_arrays_agree(seed_sentences):
    text = next(t for t in seed_sentences if " but " in t and len(t.split()) > 12)
    span = [(0, len(text.split()[0]))]
    words = context.context_words(text, span, contrast=True)
    arrays = context.target_context(text, span, contrast=True)
    assert [t.text for t in arrays.tokens] == list(words.tokens)
    assert arrays.weights.tobytes() == bits(words.weights)
    assert arrays.is_mention.tolist() == words.is_mention
    assert arrays.in_clause.tolist() == words.in_clause
    assert arrays.clause_weight.tobytes() == bits(words.clause_weight)
    assert arrays.weights[0] == 0.0 and arrays.weights.max() > 0


def numpy_sums(weights, valences) -> tuple[float, float]:
    """The scorer's sums as they were computed before the shortcut: by numpy, on arrays."""
    evidence = np.array(weights) * np.array(valences)
    return float(evidence.sum()), float(np.abs(evidence).sum())


def test_evidence_sums_are_numpys_bit_for_bit(seed_sentences):
    rng = np.random.default_rng(12)
    cases = []
    # Real sentences: each word's distance weight from the first word, and its VADER valence.
    for text in seed_sentences:
        valences = lexicon._valences(text)
        weights = context.context_words(text, [(0, 1)], contrast=True).weights
        cases.append((weights, valences))
    # Zero, one, two and more nonzero terms among many zeros (signed zeros included), terms
    # that cancel exactly, and sums whose last bits depend on the order of the additions.
    for n in (1, 3, 7, 8, 9, 25, 130, 300):
        for nonzero in (0, 1, 2, 3, 5):
            valences = [0.0] * n
            for i in rng.choice(n, size=min(nonzero, n), replace=False):
                valences[i] = float(rng.normal() * 2)
            weights = [float(w) for w in rng.uniform(0, 1.5, n)]
            cases.append((weights, valences))
            cases.append(
                ([-0.0 if v == 0 else w for w, v in zip(weights, valences, strict=True)], valences)
            )
    cases.append(([1.0, 1.0, 1.0], [0.1, -0.1, 0.0]))
    cases.append(([1.0] * 9, [-0.0] * 9))
    cases.append(([0.5, 1.0, 0.25, 1.0], [0.1, 0.2, 0.3, 1e-17]))
    assert sum(len(list(filter(None, map(float.__mul__, w, v)))) > 2 for w, v in cases) > 10
    for weights, valences in cases:
        got = lexicon._evidence_sums(list(weights), list(valences))
        assert bits(got) == bits(numpy_sums(weights, valences)), (weights, valences)


@pytest.mark.parametrize("window", [4.0, 1.5])
def test_clause_weights_fall_off_on_both_sides_of_the_mention(seed_sentences, window):
    # One clause (no contrast marker, no semicolon) and a mention of one or two words in the
    # middle: each word's weight is numpy's 0.5 ** ((d - 1) / window) of its distance d.
    checked = 0
    for text in seed_sentences:
        tokens = context.words(text)
        if ";" in text or context.sentence_clauses(text).links or len(tokens) < 9:
            continue
        for size in (1, 2):
            first = len(tokens) // 3
            span = [(tokens[first].start, tokens[first + size - 1].end)]
            got = context.context_words(text, span, window=window).weights
            position = np.arange(len(tokens))
            distance = np.maximum(first - position, position - (first + size - 1))
            expected = 0.5 ** ((np.maximum(distance, 1) - 1) / window)
            expected[first : first + size] = 0.0
            clause = context.clause_ids(tokens, context.clause_bounds(text))
            expected[clause != clause[first]] = 0.0
            assert bits(got) == expected.tobytes(), text
            checked += 1
    assert checked > 50


def test_word_offsets_are_where_the_words_stand(seed_sentences):
    # One space between words (offsets added up) and any other spacing (offsets searched).
    odd = ["  Russia  said,\tno.", "Moscow\nand Beijing ", " ", "", "a", "x  y z", "ab ab  ab"]
    for text in seed_sentences + odd:
        expected = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
        assert [tuple(w) for w in context.words(text)] == expected, text
        assert context.word_texts(text) == tuple(text.split())
