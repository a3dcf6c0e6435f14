"""Lexicon stance across contrast ("but", "however", "although") and with negators VADER lacks.

The case file ``tests/cases/spans.csv`` holds sentences that a new user found scored wrongly
(issue 14); the other sentences are news-style sentences of the same kinds, several with two
targets, whose expected directions follow the coding guide (docs/coding_guide.md).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner
from vaderSentiment.vaderSentiment import N_SCALAR

from framelens.cli import _register_commands, app
from framelens.scorers.context import (
    CONCEDED_WEIGHT,
    clause_bounds,
    sentence_clauses,
    target_context,
)
from framelens.scorers.lexicon import LexiconStanceScorer, vader_valences
from framelens.scorers.spans import read_span_records, score_span_records

CASE_FILE = Path(__file__).parent / "cases" / "spans.csv"
# The right answers of the case file (its README, issue 14): the label, or the labels allowed.
CASE_EXPECTED = {
    "b1": {"against"},  # "nice partner but it can be a bully": the clause after "but" weighs
    "b2": {"favor"},  # the reverse order
    "b6": {"against"},  # "generous; however, the conditions were humiliating"
    "b7": {"favor"},  # "Although ... difficult ally, its recent help was valuable"
    "n4": {"against"},  # "Nobody in Islamabad trusts Washington"
    "n5": {"against"},  # "never been a reliable partner"
    "n1": {"favor", "neutral"},  # "no complaints about Russia"
    "n7": {"favor"},  # "Without a doubt, America's aid was an excellent idea"
}


def items(text: str, *mentions: str, target: str = "") -> pd.DataFrame:
    """One scoring item per mention (its first occurrence in ``text``)."""
    spans = []
    for mention in mentions:
        start = text.index(mention)
        spans.append([(start, start + len(mention))])
    return pd.DataFrame(
        {"text": [text] * len(mentions), "spans": spans, "target": [target] * len(mentions)}
    )


def score(text: str, *mentions: str, **settings) -> pd.DataFrame:
    return LexiconStanceScorer(**settings).score_spans(items(text, *mentions))


# --- the case file ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def case_scores() -> pd.DataFrame:
    records = read_span_records(CASE_FILE)
    return score_span_records(records, LexiconStanceScorer()).set_index("id")


@pytest.mark.parametrize("case_id", sorted(CASE_EXPECTED))
def test_case_file_row(case_scores, case_id):
    assert case_scores.loc[case_id, "label"] in CASE_EXPECTED[case_id]


def test_case_file_lists_the_same_answers():
    # The file's own `expected` column says what the test asserts (favor_or_neutral = either).
    frame = pd.read_csv(CASE_FILE, dtype=str)
    stated = {row.id: set(row.expected.split("_or_")) for row in frame.itertuples()}
    assert stated == CASE_EXPECTED


def test_case_file_through_the_command_line(tmp_path):
    _register_commands()
    out = tmp_path / "scored.csv"
    result = CliRunner().invoke(
        app, ["stance-spans", str(CASE_FILE), "--scorer", "lexicon", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    labels = pd.read_csv(out, dtype={"id": str}).set_index("id")["label"]
    assert all(labels[i] in expected for i, expected in CASE_EXPECTED.items())


# --- contrast -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        # A pronoun carries the target into the clause that outweighs.
        (
            "Washington promised aid, yet it has proved an unreliable partner.",
            "Washington",
            "against",
        ),
        (
            "Moscow can be a difficult partner, but it has been generous with Pakistan.",
            "Moscow",
            "favor",
        ),
        # A concession first, then the main clause about the target.
        (
            "Although Washington pledged billions in aid, it has repeatedly failed to deliver.",
            "Washington",
            "against",
        ),
        # A plain noun phrase after the target's clause goes on about it.
        (
            "China's loans were welcome; the repayment terms, however, were punishing.",
            "China's",
            "against",
        ),
    ],
)
def test_the_clause_after_a_contrast_weighs_when_it_is_about_the_target(text, mention, expected):
    assert score(text, mention)["label"].item() == expected
    # Reading only the clause that holds the mention gets these wrong or misses them.
    assert score(text, mention, contrast=False)["label"].item() != expected


def test_another_name_of_the_target_continues_it():
    # Only "Russia" is marked; the codebook says Moscow is Russia.
    text = "Russia offered generous terms, but Moscow later proved an unreliable supplier."
    assert score(text, "Russia")["label"].item() == "against"
    # The same sentence with another target after "but" leaves Russia alone.
    other = "Russia offered generous terms, but Delhi later proved an unreliable buyer."
    assert score(other, "Russia")["label"].item() == "favor"


@pytest.mark.parametrize(
    ("text", "first", "second", "own_first"),
    [
        # Coding rule 4: "A is helping, while B does nothing": A favor, B against.
        (
            "Beijing has generously financed the new port, while Washington has abandoned the project.",
            "Beijing",
            "Washington",
            "Beijing has generously financed the new port.",
        ),
        (
            "The US was a generous donor for decades, but China is now Pakistan's most reliable friend.",
            "US",
            "China",
            "The US was a generous donor for decades.",
        ),
        # A name outside the codebook is another actor too.
        (
            "Russia has been a generous partner, but Pakistan's economy remains fragile and weak.",
            "Russia",
            "Pakistan",
            "Russia has been a generous partner.",
        ),
    ],
)
def test_a_clause_about_another_actor_does_not_move_the_target(text, first, second, own_first):
    alone = score(own_first, first)["score"].item()
    # The other actor's clause adds nothing to the first target: the same score as its own
    # clause alone, and no contrast weight. That holds whether the other actor is marked too
    # (a sentence's targets are scored together) or is known only as a name (the codebook's,
    # or a capitalised word such as "Pakistan").
    both = score(text, first, second)
    assert both["score"].iloc[0] == pytest.approx(alone)
    assert both["label"].iloc[0] == "favor"
    assert score(text, first)["score"].item() == pytest.approx(alone)


def test_rule_4_second_target_is_against():
    text = (
        "Beijing has generously financed the new port, while Washington has abandoned the project."
    )
    assert score(text, "Beijing", "Washington")["label"].tolist() == ["favor", "against"]


def test_a_clause_before_the_target_continues_it_only_through_a_pronoun():
    # "The talks were tense" is not about Russia: Russia's score is that of its own clause.
    plain = score("The talks were tense, but Russia was helpful.", "Russia")
    alone = score("Russia was helpful.", "Russia")
    assert plain["score"].item() == pytest.approx(alone["score"].item())
    # "Although it was often hostile" is: its "hostile" is read, at half weight.
    text = "Although it was often hostile, Russia was helpful in the end."
    start = text.index("Russia")
    context = target_context(text, [(start, start + 6)], contrast=True)
    weights = dict(zip([t.text for t in context.tokens], context.weights, strict=True))
    assert 0 < weights["hostile,"] <= CONCEDED_WEIGHT
    assert weights["helpful"] > 1.0  # the main clause outweighs (distance 2, times 1.5)


def test_a_conceded_clause_inside_the_main_clause_is_read_at_half_weight():
    text = "Russia, although often criticised, remains a reliable supplier of wheat."
    with_concession = score(text, "Russia")["score"].item()
    without = score(text, "Russia", contrast=False)["score"].item()
    assert 0 < with_concession < without


def test_target_on_both_sides_weighs_as_vader_weighs_but():
    # Both clauses name Russia: the conceded one counts half, the other 1.5 times.
    text = "Russia was a nice partner, but Russia can also be a bully."
    spans = [[(0, 6), (31, 37)]]
    frame = pd.DataFrame({"text": [text], "spans": spans, "target": ["russia"]})
    weighed = LexiconStanceScorer().score_spans(frame)
    flat = LexiconStanceScorer(contrast=False).score_spans(frame)
    assert weighed["label"].item() == "against"
    assert flat["label"].item() != "against" and flat["score"].item() > weighed["score"].item()


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        # Not contrasts: "not just ... but", "for a while", "has yet to", "still" inside a clause.
        ("Russia backed not just Pakistan but the whole region.", 1),
        ("After a while, Moscow agreed to the deal.", 1),
        ("Washington has yet to pay and is still negotiating.", 1),
        # A parenthetical "however" is no cut; a sentence-final "though" neither.
        ("Moscow, however, rejected the plan.", 1),
        ("The terms were harsh, though.", 1),
        # Contrasts: "yet" after a comma, "still," opening a part, "despite".
        ("Russia has yet to pay, yet it still claims credit.", 2),
        ("Moscow helped; still, the terms were harsh.", 2),
        ("Russia is distrusted despite its generous aid.", 2),
        ("Even though India objected, China signed.", 2),
    ],
)
def test_clause_cuts(text, clauses):
    assert len({c for _, _, c in clause_bounds(text)}) == clauses


def test_a_while_clause_that_says_when_concedes_nothing():
    assert sentence_clauses("Modi praised Putin while visiting Moscow.").links == []
    assert sentence_clauses("While Modi praised Putin, Delhi criticised Moscow.").links == [(0, 1)]


# --- negators ---------------------------------------------------------------------------------


def test_nobody_and_no_one_negate_as_vader_negators_do():
    # The valence of "trusts" is VADER's, times VADER's N_SCALAR, as "never" would give.
    base = vader_valences("Officials in Islamabad trusts Washington")[3]
    assert vader_valences("Nobody in Islamabad trusts Washington")[3] == pytest.approx(
        base * N_SCALAR
    )
    assert vader_valences("Never in Islamabad trusts Washington")[3] == pytest.approx(
        base * N_SCALAR
    )
    # "no one" beyond VADER's own reach of "no"; the "no" of "no one" is not negative itself.
    no_one = vader_valences("No one in Islamabad trusts Washington")
    assert no_one[4] == pytest.approx(base * N_SCALAR) and no_one[0] == 0.0
    # Within VADER's reach of "no" it is negated once, not twice.
    assert vader_valences("No one trusts Washington")[2] < 0


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("No one in Delhi trusts Beijing anymore.", "Beijing", "against"),
        ("Islamabad has hardly found Washington helpful in the crisis.", "Washington", "against"),
        ("Moscow has always been a reliable partner.", "Moscow", "favor"),
        ("Moscow has never been a dependable ally.", "Moscow", "against"),
    ],
)
def test_negated_evaluations(text, mention, expected):
    assert score(text, mention)["label"].item() == expected


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        # The quantifier is the subject; the evaluation it denies stands beyond VADER's reach.
        ("None of Pakistan's leaders trust Washington.", "Washington"),
        ("Nobody in the cabinet thinks Russia is a good partner.", "Russia"),
        ("No one in the region regards Beijing as a trustworthy partner.", "Beijing"),
        ("Neither Washington nor Moscow has been a reliable partner.", "Moscow"),
    ],
)
def test_a_negative_subject_denies_the_first_evaluation_of_its_clause(text, mention):
    assert score(text, mention)["label"].item() == "against"


def test_a_negative_subject_denies_one_evaluation_once():
    # "nobody doubts X is valuable" affirms it: only "doubts" is denied, not "valuable".
    assert score("Nobody doubts that India is a valuable partner.", "India")["label"].item() == (
        "favor"
    )
    # "neither ... nor Cruz looked good": "nor" has negated "good"; "neither" does not again.
    valences = vader_valences("Neither he nor Cruz looked good in the debate.")
    plain = vader_valences("Then he and Cruz looked good in the debate.")
    assert valences[5] == pytest.approx(plain[5] * N_SCALAR)
    # The scope ends at a comma or a contrast marker.
    text = "Nothing was decided yesterday in Geneva, and the talks were friendly."
    assert vader_valences(text)[10] > 0


def test_a_verb_of_praise_in_a_conceded_clause_counts_half():
    # "welcome" evaluates the Kremlin in full, but its clause is conceded to the one after "but".
    text = "The Kremlin's aid was welcome, but the Kremlin's conditions were humiliating."
    assert score(text, "Kremlin")["label"].item() == "against"


def test_a_negated_verb_of_criticism_is_not_criticism():
    # "denounced" is not in VADER; the verb list gives it a valence that negators turn around.
    everyone = score("Everyone denounced Russia at the summit.", "Russia")["score"].item()
    nobody = score("Nobody denounced Russia at the summit.", "Russia")["score"].item()
    assert everyone < 0 < nobody


# --- negative quantifiers, denied reasons, idioms (issue 14, second round) -----------------------


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        # Negative quantifiers and determiners as the subject (the reviewer's, then others).
        ("Not a single official trusts Washington.", "Washington", "against"),
        ("Few people still trust the US.", "US", "against"),
        ("Few analysts see China as a threat.", "China", "favor"),
        ("Not one minister in the cabinet praised Moscow's offer.", "Moscow", "against"),
        ("Hardly anyone in Kabul considers India a reliable partner.", "India", "against"),
        ("No country in the region has trusted Beijing since the crisis.", "Beijing", "against"),
        (
            "Very few diplomats in Islamabad describe Washington as helpful.",
            "Washington",
            "against",
        ),
        # "a few", "the past few": not a quantifier of denial.
        ("A few officials still trust the US.", "US", "favor"),
        ("In the past few weeks Russia has been a reliable supplier.", "Russia", "favor"),
        # A denied reason for a negative word: nothing to fear from the target.
        ("Pakistan has no reason to fear China.", "China", "favor"),
        ("There is no need to worry about India's plans.", "India", "favor"),
        ("Officials said there was no cause for alarm over Russia's exercises.", "Russia", "favor"),
        # A comparison after a negative subject praises, it does not deny.
        ("No country has been more generous to Pakistan than China.", "China", "favor"),
        ("China has never been more trusted.", "China", "favor"),
        # Credence with the target as its whole object, and promises kept or broken.
        ("Nobody believes America anymore.", "America", "against"),
        ("No one believes Russia will keep its word.", "Russia", "against"),
        ("Washington has kept its word on the aid package.", "Washington", "favor"),
        ("Beijing broke its promise to the farmers of Gilgit.", "Beijing", "against"),
        ("Russia has never once let Pakistan down.", "Russia", "favor"),
        ("The US has never been so unpopular in Pakistan.", "US", "against"),
    ],
)
def test_negative_quantifiers_denied_reasons_and_idioms(text, mention, expected):
    assert score(text, mention)["label"].item() == expected


def test_a_belief_about_what_the_target_will_do_is_not_trust():
    # "believe" evaluates only a target that is its whole object.
    text = "Analysts believe China will open a naval base in the region."
    assert score(text, "China")["label"].item() == "neutral"


def test_a_negative_determiner_does_not_deny_words_inside_its_own_noun_phrase():
    # NewsMTSC train: "no" opens the subject, but "fraud" belongs to it; nothing is denied.
    text = "No details concerning Philpott's fraud were given to the court during the hearing."
    assert score(text, "Philpott")["label"].item() == "against"


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("Moscow is a friend; Washington, on the other hand, is a bully.", "Moscow", "Washington"),
        ("Beijing kept its promises; by contrast, Washington broke them.", "Beijing", "Washington"),
        ("China has been generous; the US, conversely, has been stingy.", "China", "US"),
        (
            "Unlike Washington, Beijing has been a loyal friend to Pakistan.",
            "Beijing",
            "Washington",
        ),
        ("In contrast to Washington, Moscow offered generous terms.", "Moscow", "Washington"),
    ],
)
def test_contrastive_connectives_keep_each_target_to_its_own_clause(text, first, second):
    # The second target does not share the first one's praise.
    labels = score(text, first, second)["label"].tolist()
    assert labels[0] == "favor" and labels[1] in ("against", "neutral")


def test_the_words_of_a_connective_are_no_evaluation():
    # VADER rates "hand" +2.2; in "on the other hand" it says nothing.
    valences = vader_valences("Washington, on the other hand, stayed silent.")
    assert not valences.any()


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan received the aid instead of the loan from Russia.",
        "Russia is a friend, and China instead remains a rival.",
    ],
)
def test_a_connective_used_as_a_preposition_or_inside_a_clause_does_not_cut(text):
    assert len(sentence_clauses(text).bounds) == 1
