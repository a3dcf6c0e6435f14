"""The beginnings of regex matches, read from the patterns: never too few, and useful."""

from __future__ import annotations

import random
import re

import pytest

from framelens.text import clean
from framelens.text.clean import (
    LINE_PATTERNS,
    PIECE_RULES,
    CleanConfig,
    _builtin_matcher,
    _Matcher,
    clean_article,
)
from framelens.text.starts import start_atoms, starts_regex


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        (r"^(?:share|tweet)( this)?$", ["Share", "TWEET this"]),
        (r"[\(\[]?(ap|afp) photo", ["(AP photo", "afp Photo"]),
        (r"\d+\s*[km]?\s*shares?", ["351 Shares", "2k shares", "7\tK share"]),
        (r"(?=\w)x{0,3}y", ["y", "xy", "xxxy"]),
        (r"(?:ab){2,}c", ["ababc", "ABABABC"]),
        (r"(?-i:[A-Z])bc", ["Xbc", "QBC"]),
        (r"[*(]*\s*note:", ["**  note:", "Note:", "(*( NOTE:"]),
    ],
)
def test_every_match_begins_as_derived(pattern, matches):
    starts = starts_regex([re.compile(pattern, re.IGNORECASE)])
    assert starts is not None
    for text in matches:
        assert re.match(pattern, text, re.IGNORECASE), text  # the example is a match
        assert starts.match(text.lower()), text


def test_a_pattern_that_can_begin_anyhow_has_no_beginnings():
    for pattern in (r".{0,80}\bcontributed", r"[^a]b", r"(?:x|.)y", r"\W+z", r"z?"):
        assert start_atoms(re.compile(pattern)) is None, pattern


def test_beginnings_are_no_longer_than_asked():
    atoms = start_atoms(re.compile("advertisement"), size=4)
    assert atoms == {("a", "d", "v", "e")}


def test_the_built_in_line_patterns_have_beginnings_that_rule_out_prose():
    # Every built-in pattern that is not guarded by its words has beginnings (so the filter
    # is on for the piece rules), and an ordinary sentence begins as none of them does.
    matcher = _builtin_matcher(tuple(r for r in LINE_PATTERNS if r in PIECE_RULES))
    assert isinstance(matcher, _Matcher) and matcher.starts is not None
    for sentence in (
        "officials said the talks would resume on monday.",
        "the deal is worth two billion dollars.",
        "pakistan and russia signed the agreement in moscow.",
    ):
        assert not matcher.starts.match(sentence), sentence


def _random_matches(pattern: re.Pattern, rng: random.Random, tries: int) -> list[str]:
    """Strings built from the pattern's own words and characters that the pattern matches."""
    words = re.findall(r"[a-z]+", pattern.pattern) + ["X", "351", "AP", "1:05"]
    glue = [" ", "", ":", "/", "(", ")", "[", "-", ".", "*", "•", "|", "\t"]
    found = []
    for _ in range(tries):
        parts = []
        for _ in range(rng.randint(1, 6)):
            parts += [rng.choice(glue), rng.choice(words)]
        text = "".join(parts).strip()
        if rng.random() < 0.5:
            text = text.upper() if rng.random() < 0.5 else text.title()
        if pattern.search(text):
            found.append(text)
    return found


def test_no_match_of_a_built_in_pattern_is_ruled_out():
    # Random strings made of each pattern's words: whatever they match, the beginnings allow.
    rng = random.Random(12)
    checked = 0
    for reason in PIECE_RULES:
        for pattern in LINE_PATTERNS[reason]:
            starts = starts_regex([pattern])
            if starts is None:
                continue  # a guarded pattern: tried by its words instead
            for text in _random_matches(pattern, rng, 4000):
                checked += 1
                assert starts.match(text.lower()), (reason, text)
    assert checked > 200


ONE_LINE_FURNITURE = (
    "Talks resumed in Moscow on Monday. 351 Shares Officials said the first gas would flow "
    "in 2026. CLICK HERE TO GET THE APP. Analysts were less sure. (RELATED: Russia offers "
    "Pakistan crude) Critics said the terms favoured Moscow. Image copyright Getty Images. "
    "The Associated Press contributed to this report. Content created by the Daily Signal is "
    "available without charge to any eligible news publisher. Reporting by Jane Doe; Editing "
    "by John Roe. The views expressed in this article are the author's own. This story was "
    "republished with permission. Licensed under Creative Commons. Photo: AFP. Sign up for "
    "our newsletter to get the news in your inbox. Advertisement. Media playback is "
    "unsupported on your device. Talks will resume in June. The pipeline would run from "
    "Karachi to Lahore and carry gas from Russian fields. Critics in parliament asked who "
    "would pay for the security of the route. The finance minister told reporters that the "
    "terms were fair and that the first payments were due next year. Opposition leaders "
    "called for a debate before any contract is signed. Diplomats in Islamabad described the "
    "meeting as cordial but noted that no date for a summit had been set."
)


def test_pieces_are_cut_alike_with_and_without_the_filter(seed_tables, monkeypatch):
    texts = [ONE_LINE_FURNITURE, ONE_LINE_FURNITURE.replace("Talks", "Talkſ")]
    texts += seed_tables.articles["raw_text"].tolist()
    filtered = [clean_article(text) for text in texts]
    assert {r["reason"] for r in filtered[0].removed} >= {
        "promo",
        "read_more",
        "caption",
        "credit",
        "licensing",
        "disclaimer",
        "advertisement",
        "player",
    }
    monkeypatch.setattr(clean._Matcher, "worth_trying", lambda self, unit, spans: spans)
    for text, result in zip(texts, filtered, strict=True):
        plain = clean_article(text, config=CleanConfig())
        assert (plain.text, plain.removed) == (result.text, result.removed)
