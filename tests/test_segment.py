"""Sentences and paragraphs with offsets; Punkt trained on the corpus (no download)."""

from __future__ import annotations

import pandas as pd

from framelens.text.segment import paragraphs, segment_articles, train_punkt


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
