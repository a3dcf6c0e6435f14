"""The target-aware lexicon stance scorer on real news sentences."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.base import clone

from framelens.errors import InputError
from framelens.scorers import available_scorers, get_scorer
from framelens.scorers.context import clause_bounds
from framelens.scorers.lexicon import LexiconStanceScorer
from framelens.scorers.spans import read_span_records, score_span_records

# NewsMTSC records whose sentiment toward the marked target is plain from the words alone,
# picked by reading them: (file, a phrase of the sentence, the marked mention, expected label).
UNAMBIGUOUS = [
    ("mt_dev", "exemplary defense secretary", "Hagel", "favor"),
    ("mt_dev", "issued statements praising him", "Ms. Pritzker", "favor"),
    ("rw_dev", "won a resounding victory", "David Cameron", "favor"),
    ("rw_dev", "Gary Cohn Criticizes", "Donald Trump’s", "against"),
    ("rw_dev", "A tale of two liars", "Michael Flynn", "against"),
    ("rw_dev", "complete and total disgrace", "Sergeant Bergdahl", "against"),
]


def items(text: str, *mentions: str) -> pd.DataFrame:
    """One scoring item per mention (its first occurrence in ``text``)."""
    spans = []
    for mention in mentions:
        start = text.index(mention)
        spans.append([(start, start + len(mention))])
    return pd.DataFrame({"text": [text] * len(mentions), "spans": spans, "target": list(mentions)})


@pytest.fixture(scope="module")
def newsmtsc(shared_data_dir):
    folder = shared_data_dir / "newsmtsc"
    return {name: read_span_records(folder / f"{name}.jsonl") for name in ("rw_dev", "mt_dev")}


def record(records: pd.DataFrame, phrase: str, mention: str) -> pd.DataFrame:
    found = records[
        records["text"].str.contains(phrase, regex=False) & (records["mention"] == mention)
    ]
    assert len(found) == 1, f"expected one NewsMTSC record with {phrase!r} and {mention!r}"
    return found


@pytest.mark.parametrize(("split", "phrase", "mention", "expected"), UNAMBIGUOUS)
def test_direction_on_unambiguous_newsmtsc_records(newsmtsc, split, phrase, mention, expected):
    target = record(newsmtsc[split], phrase, mention)
    assert target["gold"].item() == expected  # the data still says what we read
    scored = score_span_records(target, LexiconStanceScorer())
    assert scored["label"].item() == expected
    assert (scored["score"].item() > 0) == (expected == "favor")
    assert 0 < scored["confidence"].item() <= 1


def test_the_targets_own_name_is_not_evidence(shared_data_dir):
    # "Hope" is positive in VADER's lexicon; the sentence says nothing about Hope Hicks.
    train = read_span_records(shared_data_dir / "newsmtsc" / "train.jsonl")
    target = record(train, "Hope Hicks was spotted boarding", "Hope Hicks")
    scored = score_span_records(target, LexiconStanceScorer())
    assert target["gold"].item() == "neutral"
    assert scored["label"].item() == "neutral"
    assert scored["score"].item() == 0.0


def test_contrast_keeps_each_clause_with_its_target():
    # A real sentence from seed article 001: the stalling belongs to Washington, not Moscow.
    text = "While Moscow funds infrastructure, Washington’s role in Pakistan has largely stalled."
    split = LexiconStanceScorer().score_spans(items(text, "Moscow", "Washington"))
    whole = LexiconStanceScorer(split_clauses=False).score_spans(
        items(text, "Moscow", "Washington")
    )
    moscow, washington = split["score"]
    assert washington < 0
    assert moscow > washington
    # Without clause splitting Moscow picks up the other clause's "stalled".
    assert abs(moscow) < abs(whole["score"].iloc[0])


def test_praise_and_condemnation_split_at_but():
    text = "Moscow was praised for its restraint, but Washington was condemned for its threats."
    scored = LexiconStanceScorer().score_spans(items(text, "Moscow", "Washington"))
    assert scored["label"].tolist() == ["favor", "against"]
    reversed_text = (
        "Washington was condemned for its threats, but Moscow was praised for its restraint."
    )
    scored = LexiconStanceScorer().score_spans(items(reversed_text, "Moscow", "Washington"))
    assert scored["label"].tolist() == ["favor", "against"]


def test_negation_turns_an_evaluation_around():
    plain = LexiconStanceScorer().score_spans(items("Pakistan condemned India.", "India"))
    negated = LexiconStanceScorer().score_spans(items("Pakistan did not condemn India.", "India"))
    assert plain["score"].item() < 0
    assert negated["score"].item() > plain["score"].item()


def test_object_of_a_verb_of_criticism_is_evaluated():
    # "denounced" is missing from VADER's lexicon; the verb list supplies its polarity.
    text = "Russia was denounced by the foreign ministers at the summit."
    with_verbs = LexiconStanceScorer().score_spans(items(text, "Russia"))
    without = LexiconStanceScorer(evaluative_verbs=False).score_spans(items(text, "Russia"))
    assert with_verbs["label"].item() == "against"
    assert without["score"].item() == 0.0
    # The critic is not the one evaluated.
    critic = LexiconStanceScorer().score_spans(items("The US denounced Russia.", "US"))
    assert critic["label"].item() == "neutral"


def test_clause_bounds_do_not_cut_non_contrasting_but():
    text = "Not only Russia but also China backed the plan; however, India objected."
    clauses = [text[a:b].strip() for a, b, _ in clause_bounds(text)]
    assert clauses == [
        "Not only Russia but also China backed the plan;",
        "however, India objected.",
    ]


def test_settings_neutral_band_and_registry():
    assert "lexicon" in available_scorers("stance")
    scorer = get_scorer("stance", "lexicon", neutral_band=0.99)
    text = "Business groups issued statements praising Ms. Pritzker."
    scored = scorer.score_spans(items(text, "Ms. Pritzker"))
    assert 0 < scored["score"].item() < 0.99 and scored["label"].item() == "neutral"
    assert clone(scorer).get_params() == scorer.get_params()


def test_no_span_or_empty_text_is_neutral_without_confidence():
    frame = pd.DataFrame(
        {"text": ["", "Russia praised Pakistan."], "spans": [[], []], "target": ["", ""]}
    )
    scored = LexiconStanceScorer().score_spans(frame)
    assert scored["score"].tolist() == [0.0, 0.0]
    assert scored["confidence"].tolist() == [0.0, 0.0]


def test_unknown_scorer_lists_the_known_ones():
    with pytest.raises(InputError, match="lexicon"):
        get_scorer("stance", "no-such-scorer")
