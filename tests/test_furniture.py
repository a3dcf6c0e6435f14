"""Furniture that recurs across an outlet's articles, found over the corpus in both paths."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest

from framelens.codebook import load_codebook
from framelens.errors import InputError
from framelens.runs.process import process_corpus, read_dataset
from framelens.text import furniture
from framelens.text.clean import CleanConfig, clean_articles, count_furniture, find_furniture
from framelens.text.furniture import (
    FurnitureCounter,
    normalise,
    pieces,
    segment_key,
    segment_keys,
    segments,
)
from framelens.text.ingest import ingest
from framelens.text.mentions import find_mentions

STORIES = [
    "Pakistan and China signed an agreement on Monday to extend the railway line to Gwadar, "
    "officials said.\n\nThe project has been delayed for years by disputes over its financing.",
    "The central bank raised its policy rate by two points on Tuesday to curb inflation, "
    "which reached a record high in February.\n\nBusiness groups warned the move would slow "
    "growth in the textile sector.",
    "Floods in Sindh have displaced more than forty thousand people since the weekend, the "
    "provincial disaster authority said.\n\nRelief camps in Sukkur are short of clean water "
    "and medicine.",
    "India and Pakistan exchanged prisoners at the Wagah border crossing on Wednesday under a "
    "long-standing agreement.\n\nBoth governments said the exchange was a humanitarian gesture.",
    "Russia will supply discounted crude oil to a refinery in Karachi from next month, the "
    "energy minister told parliament.\n\nAnalysts doubt the refinery can process the heavier "
    "oil efficiently.",
    "The Supreme Court adjourned the hearing on the election schedule until next week after "
    "the government asked for more time.\n\nOpposition parties staged a walkout in protest.",
]
DATELINES = [
    "Karachi Courier | Updated 14 March 2023 09:42 PKT",
    "Karachi Courier | Updated 2 May 2023 17:05 PKT",
    "Karachi Courier | Updated 30 June 2023 08:15 PKT",
    "Karachi Courier | Updated 1 August 2023 21:30 PKT",
    "Karachi Courier | Updated 9 October 2023 12:00 PKT",
    "Karachi Courier | Updated 23 December 2023 06:55 PKT",
]
GRANT = "The Courier's reporting on this story is supported by a grant from a press freedom fund."


def _corpus() -> pd.DataFrame:
    """Outlet A: six stories with a dateline line and (in four) a glued grant notice;
    outlet B: one story three times (a story run again) and one with A's dateline once."""
    rows = []
    for i, (story, dateline) in enumerate(zip(STORIES, DATELINES, strict=True)):
        text = f"{dateline}\n\n{story}"
        if i < 4:
            text += " " + GRANT
        rows.append(("A", f"a{i}", text))
    copy = STORIES[0].replace("Gwadar", "Quetta")
    rows += [("B", f"b{i}", copy) for i in range(3)]
    rows.append(("B", "b3", f"{DATELINES[0]}\n\n{STORIES[1]}"))
    return pd.DataFrame(
        {
            "article_id": [r[1] for r in rows],
            "outlet": [r[0] for r in rows],
            "outlet_type": "news",
            "date": "",
            "title": "",
            "url": "",
            "text": [r[2] for r in rows],
        }
    )


def test_numbers_and_dates_do_not_make_a_line_new():
    assert normalise(DATELINES[0]) == normalise(DATELINES[5])
    assert normalise("Published Monday, 3 June") == normalise("Published Friday, 28 July")


def test_recurring_lines_and_sentences_are_removed_for_their_outlet_only():
    result = clean_articles(_corpus())
    removed = result.removed[result.removed["reason"] == "outlet_furniture"]
    assert sorted(removed["article_id"].unique()) == [f"a{i}" for i in range(6)]
    assert set(removed["text"]) == set(DATELINES) | {GRANT}
    texts = result.articles.set_index("article_id")["text"]
    assert not texts[[f"a{i}" for i in range(6)]].str.contains("Karachi Courier").any()
    # The story around the glued notice stays, and so does every story sentence.
    assert texts["a0"].endswith("delayed for years by disputes over its financing.")
    # B's single copy of A's dateline is not B's furniture; B's story told three times is
    # one story, not furniture.
    assert texts["b3"].startswith(DATELINES[0])
    assert (texts[["b0", "b1", "b2"]] == STORIES[0].replace("Gwadar", "Quetta")).all()


def test_share_and_minimum_articles_are_settings():
    corpus = _corpus()
    strict = CleanConfig.from_dict({"furniture_share": 0.9})  # the grant is in 4 of 6
    removed = clean_articles(corpus, strict).removed
    assert set(removed.loc[removed["reason"] == "outlet_furniture", "text"]) == set(DATELINES)
    many = CleanConfig.from_dict({"furniture_min_articles": 7})
    assert "outlet_furniture" not in set(clean_articles(corpus, many).removed["reason"])
    off = CleanConfig.from_dict({"disable": ["outlet_furniture"]})
    assert "outlet_furniture" not in set(clean_articles(corpus, off).removed["reason"])


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"furniture_share": 0}, "is not a share"),
        ({"furniture_share": 1.5}, "is not a share"),
        ({"furniture_min_articles": 0}, "must be at least 1"),
    ],
)
def test_bad_furniture_settings_are_named(settings, message):
    with pytest.raises(InputError, match=message):
        CleanConfig.from_dict(settings, source="corpus.toml")


def test_counts_do_not_depend_on_how_the_corpus_is_split():
    corpus = _corpus()
    whole = find_furniture(count_furniture(corpus))
    merged = count_furniture(corpus.iloc[:3])
    for part in (corpus.iloc[3:7], corpus.iloc[7:]):
        merged.merge(count_furniture(part))
    # The dateline, its "Updated ..." piece and the grant notice.
    assert find_furniture(merged) == whole and len(whole) == 3
    assert merged.summary(whole)["A"] == {"articles": 6, "stories": 6, "furniture_segments": 3}
    assert merged.summary(whole)["B"]["stories"] == 2


def test_pieces_split_glued_blocks_but_not_abbreviations_or_names():
    def split(text):
        return [text[s:e] for s, e in pieces(text)]

    assert split("he said. CLICK HERE TO GET THE APPHe went on") == [
        "he said.",
        "CLICK HERE TO GET THE APP",
        "He went on",
    ]
    assert split("Sen. Warren (D-Mass.) told HuffPost by phone.") == [
        "Sen. Warren (D-Mass.) told HuffPost by phone."
    ]
    assert split("(Photo: AP)President Trump spoke.") == ["(Photo: AP)", "President Trump spoke."]


def test_a_stop_after_a_plain_pair_ends_no_abbreviation():
    # pieces skips the abbreviation search after the pairs of _PLAIN_STOP_PAIRS: the search
    # must find none there, whatever comes before the pair.
    pairs = furniture._PLAIN_STOP_PAIRS
    assert {"ys", "ed", "a ", "0)"} <= pairs and not pairs & {"Mr", "rs", "No", " J", "pt"}
    for before in ("", " ", "m", "M", "_", ".", "0"):
        for pair in pairs:
            assert furniture._ABBREVIATION.search(f"{before}{pair}.") is None, (before, pair)


def test_pieces_are_cut_alike_without_the_plain_pair_shortcut(monkeypatch):
    rng = random.Random(3)
    words = [*furniture._ABBREVIATIONS, "U", "J", "said", "days", "ST", "ſt", "K", "ı", "_", "1"]
    seps = [". ", ".", " ", "? ", '." ', ".) ", "-", " | ", "(", ")", "APP", "He", '"', "\n"]
    texts = [
        "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(1, 12)))
        for _ in range(3000)
    ]
    texts += ["".join(rng.choices("aAsStTmM.  !?\"')]J_1ſKı", k=20)) for _ in range(3000)]
    fast = [pieces(text) for text in texts]
    monkeypatch.setattr(furniture, "_PLAIN_STOP_PAIRS", frozenset())
    assert [pieces(text) for text in texts] == fast


def test_counter_keeps_hashes_not_texts():
    counter = FurnitureCounter()
    counter.add("A", [DATELINES[0], STORIES[0]])
    stored = [array.dtype.name for arrays in counter._keys.values() for array in arrays]
    assert stored == ["uint64"]


def test_the_partitioned_path_finds_the_same_furniture(tmp_path):
    corpus = _corpus()
    path = tmp_path / "corpus.jsonl"
    with path.open("w") as handle:
        for row in corpus.itertuples():
            record = {"article_id": row.article_id, "outlet": row.outlet, "text": row.text}
            handle.write(json.dumps(record) + "\n")
    expected = ingest(path).removed.sort_values(["article_id", "start"]).reset_index(drop=True)
    assert (expected["reason"] == "outlet_furniture").sum() == 10
    for size in (3, 100):
        out = tmp_path / f"out{size}"
        process_corpus(path, out, jobs=1, partition_size=size, frame_scorers=())
        removed = read_dataset(out, "removed")
        pd.testing.assert_frame_equal(removed[expected.columns], expected, check_dtype=False)
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["settings"]["cleaning"]["furniture_share"] == 0.2
        assert manifest["settings"]["cleaning"]["furniture_min_articles"] == 3
        assert manifest["furniture"]["A"]["furniture_segments"] == 3


RECURRING_PROSE = Path(__file__).parent / "cases" / "recurring_prose"


def test_recurrence_takes_furniture_but_not_reporting_or_headlines():
    """One outlet's six stories: each opens with a dated dateline, then a numbered headline
    ("Gwadar diary, part 1" ... identical once numbers are normalised); four end with the
    Chinese embassy not responding (stance evidence: it names China), three with what
    officials told the paper (reported speech), five with a note on the publisher."""
    tables = ingest(RECURRING_PROSE)
    furniture = tables.removed[tables.removed["reason"] == "outlet_furniture"]
    assert set(furniture["text"].str.replace(r"\d+ \w+ 2024$", "DATE", regex=True)) == {
        "Karachi Courier | DATE",
        "The Courier is published by Harbour Media Group.",
    }
    assert len(furniture) == 6 + 5
    texts = tables.articles.set_index("article_id")["text"]
    for number, text in enumerate(texts, start=1):
        assert text.startswith(f"Gwadar diary, part {number}\n")
    assert texts.str.contains("The Chinese embassy in Islamabad did not respond").sum() == 4
    assert texts.str.contains("Officials told the Courier").sum() == 3
    mentions = find_mentions(tables.sentences, load_codebook(None))
    assert set(mentions.loc[mentions["target"] == "china", "article_id"]) >= {"c1", "c2", "c3"}


def test_the_partitioned_path_keeps_the_same_recurring_prose(tmp_path):
    expected = ingest(RECURRING_PROSE).removed
    out = tmp_path / "out"
    process_corpus(RECURRING_PROSE, out, jobs=1, partition_size=2, frame_scorers=())
    removed = read_dataset(out, "removed")
    columns = ["article_id", "start", "end", "reason", "text"]
    order = ["article_id", "start"]
    pd.testing.assert_frame_equal(
        removed[columns].sort_values(order).reset_index(drop=True),
        expected[columns].sort_values(order).reset_index(drop=True),
        check_dtype=False,
    )


PUBLISHER_CODEBOOK = """\
[codebook]
name = "publishers"
version = "1"

[targets.harbour]
label = "Harbour Media Group"

[targets.harbour.aliases]
institution = ["Harbour Media Group"]

[frames.economy]
definition = "Trade, prices and money."
seed_terms = ["trade", "prices"]
"""


def test_the_study_codebook_decides_what_is_stance_evidence_in_both_paths(tmp_path):
    """With a codebook whose target is the publisher, the publisher's note is evidence and
    stays, while the embassy sentence (China is no target now, and nobody is quoted) is
    furniture; the partitioned path reads the same codebook."""
    codebook = tmp_path / "codebook.toml"
    codebook.write_text(PUBLISHER_CODEBOOK)
    tables = ingest(RECURRING_PROSE, codebook=load_codebook(codebook))
    furniture = tables.removed[tables.removed["reason"] == "outlet_furniture"]
    assert "The Courier is published by Harbour Media Group." not in set(furniture["text"])
    assert (
        furniture["text"] == "The Chinese embassy in Islamabad did not respond to a request for "
        "comment."
    ).sum() == 4
    out = tmp_path / "out"
    process_corpus(
        RECURRING_PROSE, out, jobs=1, partition_size=2, frame_scorers=(), codebook=codebook
    )
    columns, order = ["article_id", "start", "end", "reason", "text"], ["article_id", "start"]
    pd.testing.assert_frame_equal(
        read_dataset(out, "removed")[columns].sort_values(order).reset_index(drop=True),
        tables.removed[columns].sort_values(order).reset_index(drop=True),
        check_dtype=False,
    )


def test_the_keys_of_a_units_segments_are_those_of_each_segment_alone():
    # segment_keys translates an ASCII unit once for all its segments: each key must be the
    # key of the segment's own text, with numbers, dates, glued words and punctuation.
    for text in [
        "Published 14 March 2023. Officials said on Monday, 2 May, that talks (007) would go "
        "on.FEBRUARY 29: the 1,200 km line--the longest--opened.  Share this story!",
        "Photo: AFP/Getty Images | Updated 10:45 GMT | Follow us on Twitter",
        "Café owners in Ｍoscow said the ｒouble fell 12% on Wednesday. İstanbul was calm.",
        *STORIES,
    ]:
        spans = segments(text, 40, pieces(text)) + pieces(text)
        assert len(spans) >= 2
        for outlet in ("Dawn", " The Nation "):
            keys = [segment_key(outlet, text[start:end]) for start, end in spans]
            assert segment_keys(outlet, text, spans) == keys
