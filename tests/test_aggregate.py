"""Article scores from sentence scores: weights, missing targets, evidence, frame shares."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.aggregate import article_scores, wide_article_scores
from framelens.errors import InputError
from framelens.tables import check_columns


@pytest.fixture(scope="module")
def sentences(seed_tables):
    return seed_tables.sentences


def mention_rows(sentences, rows):
    """Mentions table rows from (article_id, sent_id, target, alias, in_name) on real sentences."""
    indexed = sentences.set_index(["article_id", "sent_id"])
    out = []
    for article_id, sent_id, target, alias, in_name in rows:
        sentence = indexed.loc[(article_id, sent_id)]
        offset = sentence["text"].index(alias)
        start = int(sentence["start"]) + offset
        out.append(
            {
                "article_id": article_id,
                "sent_id": sent_id,
                "target": target,
                "alias": alias,
                "start": start,
                "end": start + len(alias),
                "in_name": in_name,
            }
        )
    return pd.DataFrame(out)


def first_sentence_with(sentences, article_id, word, skip=0):
    rows = sentences[(sentences["article_id"] == article_id) & sentences["text"].str.contains(word)]
    return int(rows["sent_id"].iloc[skip])


def stance_row(article_id, sent_id, target, score, confidence, n_mentions=1):
    label = "favor" if score > 0.05 else "against" if score < -0.05 else "neutral"
    return {
        "article_id": article_id,
        "sent_id": sent_id,
        "target": target,
        "scorer": "lexicon",
        "score": score,
        "label": label,
        "confidence": confidence,
        "n_mentions": n_mentions,
    }


def test_missing_targets_stay_missing_and_values_are_mention_weighted(sentences):
    a = first_sentence_with(sentences, "000", "Russia")
    b = first_sentence_with(sentences, "000", "Russia", skip=1)
    india_in_name = first_sentence_with(sentences, "000", "Turkmenistan-Afghanistan-Pakistan-India")
    mentions = mention_rows(
        sentences,
        [
            ("000", a, "russia", "Russia", False),
            ("000", b, "russia", "Russia", False),
            ("000", india_in_name, "india", "India", True),  # TAPI: a name, not India
        ],
    )
    stance = pd.DataFrame(
        [
            stance_row("000", a, "russia", 0.8, 0.9, n_mentions=1),
            stance_row("000", b, "russia", -0.4, 0.5, n_mentions=3),
        ]
    )
    scores = article_scores(stance, None, sentences, mentions)
    check_columns(scores, "article_scores")
    assert scores[["article_id", "kind", "name"]].values.tolist() == [["000", "stance", "russia"]]
    row = scores.iloc[0]
    assert row["value"] == pytest.approx((0.8 * 1 - 0.4 * 3) / 4)
    assert row["n_evidence"] == 2
    # n_mentions and salience come from the mentions table, in_name mentions left out
    assert row["n_mentions"] == 2
    n_sentences = (sentences["article_id"] == "000").sum()
    assert row["salience"] == pytest.approx(2 / n_sentences)
    # no India row (its only mention is inside a pipeline's name), no row for other articles
    assert "india" not in set(scores["name"])
    assert set(scores["article_id"]) == {"000"}


def test_evidence_ranks_by_score_times_confidence(sentences):
    ids = [first_sentence_with(sentences, "001", "Russia", skip=k) for k in range(4)]
    mentions = mention_rows(sentences, [("001", i, "russia", "Russia", False) for i in ids])
    stance = pd.DataFrame(
        [
            stance_row("001", ids[0], "russia", 0.9, 0.1),  # strong but unsure: 0.09
            stance_row("001", ids[1], "russia", -0.5, 0.8),  # 0.40
            stance_row("001", ids[2], "russia", 0.3, 0.9),  # 0.27
            stance_row("001", ids[3], "russia", 0.0, 0.0),  # 0
        ]
    )
    row = article_scores(stance, None, sentences, mentions, top_k=2).iloc[0]
    assert json.loads(row["evidence"]) == [ids[1], ids[2]]
    texts = sentences.set_index(["article_id", "sent_id"])["text"]
    assert row["evidence_text"] == f"{texts[('001', ids[1])]} | {texts[('001', ids[2])]}"


def test_frame_share_presence_mean_and_evidence(sentences):
    article = sentences[sentences["article_id"] == "003"]
    scores = np.linspace(0.0, 0.9, len(article))
    frames = pd.DataFrame(
        {
            "article_id": "003",
            "sent_id": article["sent_id"].to_numpy(),
            "frame": "geo_economic",
            "scorer": "dictionary",
            "score": scores,
        }
    )
    none = frames.assign(frame="security", score=0.1)
    table = article_scores(None, pd.concat([frames, none]), sentences, pd.DataFrame())
    geo = table[table["name"] == "geo_economic"].iloc[0]
    assert geo["kind"] == "frame"
    assert geo["value"] == pytest.approx(np.mean(scores >= 0.5))
    assert geo["n_evidence"] == (scores >= 0.5).sum()
    assert geo["presence"] is True or geo["presence"] == True  # noqa: E712 (numpy bool)
    assert geo["mean_score"] == pytest.approx(scores.mean())
    top = article["sent_id"].to_numpy()[np.argsort(-scores)[:3]].tolist()
    assert json.loads(geo["evidence"]) == top
    security = table[table["name"] == "security"].iloc[0]
    assert security["value"] == 0 and not security["presence"]
    assert json.loads(security["evidence"]) == [] and security["evidence_text"] == ""
    assert np.isnan(security["salience"])


def test_nothing_to_aggregate_gives_an_empty_contract_table(sentences):
    table = article_scores(None, None, sentences, pd.DataFrame())
    assert table.empty
    check_columns(table, "article_scores")


def test_bad_tables_are_named(sentences):
    with pytest.raises(InputError, match="the stance table lacks column"):
        article_scores(pd.DataFrame({"article_id": ["000"]}), None, sentences, pd.DataFrame())
    with pytest.raises(InputError, match="top_k"):
        article_scores(None, None, sentences, pd.DataFrame(), top_k=-1)


def test_wide_table_keeps_missing_targets_missing(sentences):
    a = first_sentence_with(sentences, "000", "Russia")
    mentions = mention_rows(sentences, [("000", a, "russia", "Russia", False)])
    stance = pd.DataFrame([stance_row("000", a, "russia", 0.5, 0.9)])
    article = sentences[sentences["article_id"].isin(["000", "001"])]
    frames = pd.DataFrame(
        {
            "article_id": article["article_id"],
            "sent_id": article["sent_id"],
            "frame": "security",
            "scorer": "dictionary",
            "score": 0.7,
        }
    )
    wide = wide_article_scores(article_scores(stance, frames, sentences, mentions))
    assert list(wide.columns) == ["stance:russia", "frame:security"]
    assert wide.loc["000", "stance:russia"] == pytest.approx(0.5)
    assert np.isnan(wide.loc["001", "stance:russia"])
    assert wide["frame:security"].tolist() == [1.0, 1.0]


def test_evidence_lists_are_json_and_typed_alike_with_and_without_evidence(sentences):
    article = sentences[sentences["article_id"] == "003"].head(6)
    frames = pd.DataFrame(
        {
            "article_id": "003",
            "sent_id": article["sent_id"].to_numpy(),
            "frame": "geo_economic",
            "scorer": "dictionary",
            "score": np.linspace(0.2, 0.9, len(article)),
        }
    )
    table = article_scores(None, frames, sentences, pd.DataFrame(), top_k=2)
    ids = article["sent_id"].tolist()[::-1][:2]
    assert table["evidence"].tolist() == [json.dumps(ids)]
    assert table["evidence_text"].iloc[0] == " | ".join(article["text"].tolist()[::-1][:2])
    # Text sent_ids are quoted; a row whose key is missing is in no group.
    named = frames.assign(sent_id=frames["sent_id"].astype(str))
    named.loc[named.index[-1], "frame"] = None
    table = article_scores(None, named, sentences, pd.DataFrame(), top_k=2)
    next_two = article["sent_id"].tolist()[::-1][1:3]  # the top row is in no group
    assert json.loads(table["evidence"].iloc[0]) == [str(i) for i in next_two]
    # No evidence at all (none kept, or no sentence at the threshold): "[]", as objects.
    for kept in (
        article_scores(None, frames, sentences, pd.DataFrame(), top_k=0),
        article_scores(None, frames, sentences, pd.DataFrame(), frame_threshold=2),
    ):
        assert kept["evidence"].tolist() == ["[]"] and kept["evidence_text"].tolist() == [""]
        assert kept["evidence"].dtype == object and kept["evidence_text"].dtype == object
    assert table["evidence"].dtype != object
