"""Sentences and paragraphs with offsets; Punkt trained on the corpus (no download)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from framelens.text.ingest import ingest
from framelens.text.mentions import find_mentions
from framelens.text.segment import (
    paragraphs,
    punkt_from_dict,
    punkt_to_dict,
    segment_articles,
    train_punkt,
)


def test_offsets_reproduce_every_sentence(seed_tables):
    texts = seed_tables.articles.set_index("article_id")["text"]
    for row in seed_tables.sentences.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.text
    assert (
        seed_tables.sentences.groupby("article_id")["sent_id"].apply(
            lambda s: list(s) == list(range(len(s)))
        )
    ).all()


def test_abbreviations_do_not_split_sentences():
    text = (
        "Mr. Sergey Lavrov met Dr. Khan in Islamabad on Tuesday. The U.S. Congress and the "
        "U.K. government said no. Years of U.S. economic aid have faded."
    )
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    tokenizer = train_punkt([text])
    sentences = segment_articles(articles, tokenizer)["text"].tolist()
    assert sentences == [
        "Mr. Sergey Lavrov met Dr. Khan in Islamabad on Tuesday.",
        "The U.S. Congress and the U.K. government said no.",
        "Years of U.S. economic aid have faded.",
    ]


def test_bullets_and_headings_are_their_own_units(seed_tables):
    sentences = seed_tables.sentences
    s001 = sentences[sentences["article_id"] == "001"]
    heading = s001[s001["text"] == "At a Glance"]
    assert heading["unit"].tolist() == ["heading"]
    bullets = s001[s001["unit"] == "bullet"]
    assert len(bullets) == 5
    # Bullet markers are not part of the sentence text.
    assert not bullets["text"].str.startswith("•").any()
    assert bullets["para_id"].nunique() == 5
    s003 = sentences[sentences["article_id"] == "003"]
    assert "Expanding Trade Opportunities" in s003[s003["unit"] == "heading"]["text"].tolist()


def test_paragraph_kinds():
    text = "Energy Cooperation\n\n• Gas deals worth $2 billion\n\nRussia sells oil. It is cheap."
    kinds = [unit for _, _, unit in paragraphs(text)]
    assert kinds == ["heading", "bullet", "body"]


# --- Sentence boundaries on real-world input (issue 14) ----------------------------------------

CASES = Path(__file__).parent / "cases"


def _sentences(text: str, training: str | None = None) -> list[str]:
    """Segment ``text`` with Punkt trained on ``training`` (or on the text) and check offsets."""
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    rows = segment_articles(articles, train_punkt([training or text]))
    for row in rows.itertuples():
        assert text[row.start : row.end] == row.text  # offsets index the cleaned text exactly
    return rows["text"].tolist()


def test_case_sentence_bounds_splits_after_us_and_keeps_numbers_and_initials():
    # tests/cases/sentence_bounds (from shared/cases): "U.S." ends a sentence before "China";
    # "No. 7" and the initials of "J. R. Khan" and "M. A. Siddiqui" do not.
    result = ingest(CASES / "sentence_bounds")
    assert result.sentences["text"].tolist() == [
        "Aid flows shift",
        "Pakistan received most of its military aid in the 1980s from the U.S.",
        "China became the main supplier a decade later, according to the report.",
        "The loan was approved under resolution No. 7 of the cabinet.",
        "Russia later asked for similar terms on its own energy projects in Sindh.",
        "The study was written by J. R. Khan and M. A. Siddiqui of the Lahore institute.",
        "Both authors argue that India misread the shift entirely.",
    ]
    text = result.articles["text"].iloc[0]
    for row in result.sentences.itertuples():
        assert text[row.start : row.end] == row.text
    # What the break is for: the two countries no longer share one sentence (and one stance).
    mentions = find_mentions(result.sentences)
    targets = mentions.groupby("sent_id")["target"].apply(set).to_dict()
    assert targets[1] == {"us"} and targets[2] == {"china"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Talks were held in the U.K. Russia sent its deputy foreign minister.",
            ["Talks were held in the U.K.", "Russia sent its deputy foreign minister."],
        ),
        (
            "The envoy flew to Washington, D.C. Pakistan's cabinet met the same day.",
            ["The envoy flew to Washington, D.C.", "Pakistan's cabinet met the same day."],
        ),
        (
            "I live in the E.U. How about you?",
            ["I live in the E.U.", "How about you?"],
        ),
        (
            "They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
            ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."],
        ),
        (
            "Gas prices rose across the U.S. “We cannot wait,” the minister said.",
            ["Gas prices rose across the U.S.", "“We cannot wait,” the minister said."],
        ),
    ],
)
def test_an_abbreviation_ends_a_sentence_before_a_starter_or_a_country(text, expected):
    assert _sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (b) a capital, a demonym, a leader or a city after an acronym.
        (
            "The new flood aid came from the U.S. Moscow was furious and called it a hostile,"
            " dangerous provocation.",
            [
                "The new flood aid came from the U.S.",
                "Moscow was furious and called it a hostile, dangerous provocation.",
            ],
        ),
        (
            "The grain deal was brokered by the U.N. Beijing stayed silent throughout.",
            ["The grain deal was brokered by the U.N.", "Beijing stayed silent throughout."],
        ),
        (
            "Most of the drones were built in the U.S. Russian engineers copied them later.",
            ["Most of the drones were built in the U.S.", "Russian engineers copied them later."],
        ),
        (
            "Sanctions were imposed by the U.K. Modi called them unfair on Friday.",
            ["Sanctions were imposed by the U.K.", "Modi called them unfair on Friday."],
        ),
        (
            "The convoy reached the border at 9 a.m. Karachi port stayed closed all day.",
            ["The convoy reached the border at 9 a.m.", "Karachi port stayed closed all day."],
        ),
        # (c) a common word, then a lower-case word, after an acronym or an abbreviation.
        (
            "The minister landed at 11 p.m. Reporters waited outside the terminal.",
            ["The minister landed at 11 p.m.", "Reporters waited outside the terminal."],
        ),
        (
            "The contract went to Karachi Shipyard Ltd. Workers there welcomed the news.",
            ["The contract went to Karachi Shipyard Ltd.", "Workers there welcomed the news."],
        ),
        (
            "Imports of wheat fell sharply in the U.S. Prices rose by a fifth.",
            ["Imports of wheat fell sharply in the U.S.", "Prices rose by a fifth."],
        ),
        (
            "The summit was held in Washington, D.C. Protesters gathered near the venue.",
            ["The summit was held in Washington, D.C.", "Protesters gathered near the venue."],
        ),
        (
            "The fund was worth $3 bn. Analysts doubted it would last.",
            ["The fund was worth $3 bn.", "Analysts doubted it would last."],
        ),
        (
            "He sold his stake in Habib Holdings Inc. Three months later he left the board.",
            ["He sold his stake in Habib Holdings Inc.", "Three months later he left the board."],
        ),
    ],
)
def test_an_abbreviation_ends_a_sentence_before_a_place_a_people_or_a_common_word(text, expected):
    # Trained on the text alone: the news list of common words stands in for a corpus too
    # small to show that "Reporters" or "Workers" are common words.
    assert _sentences(text) == expected


def test_a_break_before_a_capital_keeps_two_countries_out_of_one_sentence():
    text = "The new flood aid came from the U.S. Moscow was furious and called it a provocation."
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    mentions = find_mentions(segment_articles(articles, train_punkt([text])))
    assert mentions.groupby("sent_id")["target"].apply(set).tolist() == [{"us"}, {"russia"}]


def test_the_corpus_shows_which_words_open_sentences():
    # "herders" is on no list: this corpus shows it opening sentences and in lower case, and
    # never capitalized inside one. "Refineries" is capitalized inside a sentence here (a
    # company's name), so it stays with the acronym.
    training = " ".join(
        f"Herders moved south in week {i}. The herders lost {i} cattle to the cold. "
        f"The Karachi Refineries plant was shut for {i} days. We met at {i} o'clock."
        for i in range(20)
    )
    assert _sentences("Rain fell across the U.S. Herders moved their flocks.", training) == [
        "Rain fell across the U.S.",
        "Herders moved their flocks.",
    ]
    text = "The fire spread to the U.S. Refineries plant near the coast."
    assert _sentences(text, training) == [text]


@pytest.mark.parametrize(
    "text",
    [
        # A common word that starts a name: another capitalized word, "of" or "and" follows.
        "Figures from the U.S. Energy Information Administration show a fall.",
        "Mayors met at the U.S. Conference of Mayors in June.",
        "Agents of the U.S. Border Patrol detained the men.",
        # A singular role of the codebook continues the country's name.
        "A spokesman for the U.S. Embassy said the visas were delayed.",
        # A title-case headline run into the text.
        "E.P.A. Plans to Get Thousands of Deaths Off the Books by Changing Its Math",
        # Names news writes capitalized.
        "The U.S. Navy said the ship was safe.",
        "The bill passed the U.S. Senate on Tuesday.",
        "At 5 a.m. Mr. Smith went to the bank.",
    ],
)
def test_an_acronym_before_a_name_that_starts_with_a_common_word_stays(text):
    assert _sentences(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Congress approved the aid package on Tuesday.",
        "Storms hit Puerto Rico and the U.S. Virgin Islands last year.",
        "Officials from the U.S. Department of State met Gen. Jordan Powell in Kabul.",
        "The actor Michael B. Jordan visited the site.",  # an initial, then a country's name
        "Lt. Gen. Will Carter and Rep. May Lee spoke first.",  # titles never end a sentence
        "I work for the U.S. Government in Virginia.",
        "I have lived in the U.S. for 20 years.",
    ],
)
def test_an_abbreviation_before_a_name_or_lowercase_word_stays_in_its_sentence(text):
    assert _sentences(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Please turn to p. 55 of the report.",
        "Art. 5 of the treaty was invoked by the alliance.",
        "The cabinet approved resolutions Nos. 3 and 4 on Monday.",
        "It ranks as the No. 2 exporter of rice in the region.",
        "The figures are in Vol. 3 and in pp. 12-14 of the annex.",
        "Revenue reached Rs. 500 billion in the fiscal year.",
    ],
)
def test_an_abbreviation_before_a_number_does_not_end_a_sentence(text):
    assert _sentences(text) == [text]


def test_a_number_abbreviation_is_saved_with_the_tokenizer():
    # The collocations travel in punkt.json, so a resumed run splits "No. 7" as the first did.
    text = "The loan was approved under resolution No. 7 of the cabinet. Russia asked too."
    tokenizer = punkt_from_dict(json.loads(json.dumps(punkt_to_dict(train_punkt([text])))))
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    assert segment_articles(articles, tokenizer)["text"].tolist() == [
        "The loan was approved under resolution No. 7 of the cabinet.",
        "Russia asked too.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "“Is this the end of the partnership?” he asked the minister.",
        "She works at Yahoo! in the accounting department.",
        "I visited the U.S.A. last year.",
        "He teaches science (He previously worked for 5 years as an engineer.) at the University.",
        "She turned to him, 'This is great.' she said.",
        "The deal was signed by Sen. Bernie Sanders (I-Vt.) and two other senators.",
        "He paused . . . and then he read the statement aloud.",
    ],
)
def test_a_word_that_cannot_start_a_sentence_continues_the_one_before(text):
    assert _sentences(text) == [text]


def test_a_lowercase_word_after_a_plain_sentence_end_still_starts_a_sentence():
    # Careless writing marks its sentences this way; only abbreviations, quotes, brackets,
    # "!", "?" and ellipses make a lowercase word a continuation.
    assert _sentences("The talks ended. then the delegation left for Moscow.") == [
        "The talks ended.",
        "then the delegation left for Moscow.",
    ]


def test_a_closing_bracket_goes_with_the_sentence_it_closes():
    text = "(The first talks were held in 2015.)The second round opened in Moscow."
    assert _sentences(text) == [
        "(The first talks were held in 2015.)",
        "The second round opened in Moscow.",
    ]


def test_initials_stay_with_a_surname_that_is_also_a_common_word():
    # Punkt alone splits "R. | Price" here: the corpus has "price" in lower case and never
    # "Price" inside a sentence, its evidence that "Price" starts sentences.
    training = "The price of oil fell. It took a long time. " * 20
    text = "The report was written by J. R. Price and A. B. Long of the institute."
    assert _sentences(text, training) == [text]
    assert _sentences("We make a good team, you and I. Did you see Albert I. Jones?") == [
        "We make a good team, you and I.",
        "Did you see Albert I. Jones?",
    ]


def test_one_long_line_of_sentences_is_split_into_all_of_them():
    # An article of many sentences and no paragraph break (the cost stays linear: see
    # benchmarks/results/segmentation.md).
    sentence = "Russia sold oil to Pakistan in 2023 while the U.S. watched. "
    text = (sentence * 4000).strip()
    assert _sentences(text, sentence * 20) == [sentence.strip()] * 4000


def test_punkt_evidence_for_a_new_sentence_does_not_split_titles_or_acronyms():
    # The corpus has "banks", "house" and "book" in lower case and never capitalized inside a
    # sentence: Punkt alone takes each for a sentence start after "Mr." or "U.S.".
    training = "The banks lent money. The house was old. The book was long. " * 20
    for text in (
        "Over recent weeks, Mr. Banks has asked officials to act.",
        "The bill passed the U.S. House on Tuesday.",
        "The analyst Mr. Book noted that the deal was weak.",
    ):
        assert _sentences(text, training) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Water is used for farms, homes, etc. Regulations on pumping differ.",
            ["Water is used for farms, homes, etc.", "Regulations on pumping differ."],
        ),
        (
            '"The report came out on Sept. 13." The effects were clear.',
            ['"The report came out on Sept. 13."', "The effects were clear."],
        ),
        (
            'Asked about the tariffs, he said: "No. No. I have a strong opinion."',
            ['Asked about the tariffs, he said: "No.', "No.", 'I have a strong opinion."'],
        ),
    ],
)
def test_other_abbreviation_boundaries(text, expected):
    assert _sentences(text) == expected


def test_a_name_the_codebook_writes_after_an_abbreviation_stays_whole():
    # "U.S. Open" is a fixed expression of the default codebook: "Open" is a common word, but
    # not a new sentence after "U.S.".
    text = "She lost the U.S. Open final in three sets."
    assert _sentences(text) == [text]
    assert _sentences("The order came from the U.S. Kremlin officials were silent.") == [
        "The order came from the U.S.",
        "Kremlin officials were silent.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "He left. The end.\nU.S. Army. “Quoted. (Bracketed. x.y. Z and. 5. A",
        "a" * 70 + ". The " + "b." * 200 + " China\u00a0x. Y\u2009z.\tW" + "c" * 300 + ". Q.",
        "Wait.... Then. . . She said: 'No. 7.' Mr. Smith. ax. Bx",
    ],
)
def test_candidate_periods_are_found_from_the_period_as_a_full_scan_finds_them(text):
    from framelens.text import boundaries

    found = [(m.span(), m.groups()) for m in boundaries._candidates(text)]
    assert found == [(m.span(), m.groups()) for m in boundaries._CANDIDATE.finditer(text)]
    assert len(found) >= 4
