"""Article files under the column names other tools write (issue 14, second round).

A Media Cloud story export (tests/cases/mediacloud_export) failed with "no 'article_id'
column", and its `publish_date` and `media_name` would have been ignored without a word. The
aliases of framelens.text.columns are read, the reading is listed in problems (info), and a
column that names a field already read is warned about.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from framelens.errors import InputError, InputWarning
from framelens.text.columns import resolve_columns
from framelens.text.corpus import read_corpus
from framelens.text.stream import iter_article_batches

CASES = Path(__file__).parent / "cases"
EXPORT = CASES / "mediacloud_export" / "stories.jsonl"


def _quiet_read(path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        return read_corpus(path, **options)


def test_a_media_cloud_export_is_read_under_its_own_column_names():
    result = read_corpus(EXPORT)  # no warning: every column is read or kept
    articles = result.articles.set_index("article_id")
    assert list(articles.index) == ["2093441871", "2093512208"]
    assert articles["outlet"].tolist() == ["Dawn", "The Diplomat"]
    assert articles["date"].tolist() == ["2023-12-31", "2024-01-02"]
    assert articles["date_raw"].tolist() == ["2023-12-31 23:30:00", "2024-01-02 09:00:00"]
    assert articles.loc["2093441871", "text"].startswith("ISLAMABAD: Pakistan and Russia held")
    assert articles["source"].tolist() == ["stories.jsonl:1", "stories.jsonl:2"]
    # Columns framelens does not read stay with the articles.
    assert articles["media_url"].tolist() == ["https://www.dawn.com", "https://thediplomat.com"]
    problems = result.problems_table()
    assert problems[["level", "record"]].values.tolist() == [["info", "header"]]
    assert problems["message"].iloc[0] == (
        "columns read as: 'stories_id' as article_id, 'media_name' as outlet, "
        "'publish_date' as date"
    )


def test_the_reading_is_listed_once_when_the_file_is_read_in_batches():
    batches = list(iter_article_batches(EXPORT, batch_size=1))
    assert [len(b.articles) for b in batches] == [1, 1]
    infos = [p for b in batches for p in b.problems if p.level == "info"]
    assert len(infos) == 1 and "'stories_id' as article_id" in infos[0].message
    assert batches[1].articles["outlet"].tolist() == ["The Diplomat"]


def test_a_column_that_names_a_field_already_read_is_warned_about(tmp_path):
    # Media Cloud's newer exports have "id"; an older script added "stories_id" beside it.
    path = tmp_path / "stories.jsonl"
    records = [json.loads(line) for line in EXPORT.read_text().splitlines()]
    for number, record in enumerate(records):
        record["id"] = f"row{number}"
        record["date"] = record["publish_date"][:10]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    with pytest.warns(InputWarning) as caught:
        articles = read_corpus(path).articles
    messages = [str(w.message) for w in caught]
    assert any("column 'id' looks like article_id, but 'stories_id' is read" in m for m in messages)
    assert any("column 'publish_date' looks like date, but 'date' is read" in m for m in messages)
    assert articles["article_id"].tolist() == ["2093441871", "2093512208"]
    assert articles["id"].tolist() == ["row0", "row1"]  # kept, unused
    with pytest.raises(InputError, match="column 'id' looks like article_id"):
        read_corpus(path, strict=True)


def test_a_scraped_csv_with_source_headline_body_and_semicolons(tmp_path):
    # A scraper's export as a European spreadsheet saves it: ';' and its own names.
    path = tmp_path / "scraped.csv"
    path.write_text(
        "Article ID;Source;Published;Headline;Body;Link\n"
        "k1;Geo News;02.01.2024;Talks resume;"
        '"Russia and Pakistan resumed talks; officials were upbeat.";https://geo.tv/1\n',
        encoding="utf-8",
    )
    result = _quiet_read(path)
    article = result.articles.iloc[0]
    assert (article["article_id"], article["outlet"], article["date"]) == (
        "k1",
        "Geo News",
        "2024-01-02",
    )
    assert article["title"] == "Talks resume" and article["url"] == "https://geo.tv/1"
    assert article["text"] == "Russia and Pakistan resumed talks; officials were upbeat."
    assert article["source"] == "scraped.csv:2"  # where it came from, not the outlet
    problems = result.problems_table().set_index("level")
    assert "'Source' as outlet" in problems.loc["info", "message"]
    assert "day/month order" in problems.loc["warning", "message"]  # read from 'Published'


def test_an_outlet_column_beside_source_keeps_the_source_column(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps(
            {
                "article_id": "a",
                "outlet": "Dawn",
                "source": "rss feed",
                "text": "Russia offered wheat to Pakistan on Friday.",
            }
        )
        + "\n"
    )
    with pytest.warns(InputWarning, match="column 'source' looks like outlet, but 'outlet'"):
        article = read_corpus(path).articles.iloc[0]
    assert (article["outlet"], article["input_source"], article["source"]) == (
        "Dawn",
        "rss feed",
        "a.jsonl:1",
    )


def test_parquet_aliases_and_their_dates_are_read(tmp_path):
    path = tmp_path / "stories.parquet"
    pd.DataFrame(
        {
            "id": ["p1", "p2"],
            "pub_date": ["13/01/2024", "02/03/2024"],  # the first settles day-first
            "content": ["Russia and India signed a deal.", "Pakistan hosted the talks."],
        }
    ).to_parquet(path)
    articles = _quiet_read(path).articles
    assert articles["date"].tolist() == ["2024-01-13", "2024-03-02"]


def test_the_date_order_note_of_a_file_names_config_not_corpus_toml(tmp_path):
    path = tmp_path / "stories.jsonl"
    rows = [("a", "03/04/2024"), ("b", "05/06/2024")]
    path.write_text(
        "".join(
            json.dumps({"id": i, "publish_date": d, "text": "Russia and Pakistan met."}) + "\n"
            for i, d in rows
        )
    )
    with pytest.warns(InputWarning) as caught:
        read_corpus(path)
    note = next(str(w.message) for w in caught if "day/month order" in str(w.message))
    assert "--config" in note and "corpus.toml" not in note


@pytest.mark.parametrize(
    "columns, renames, unused",
    [
        (["Text", "ID"], {"Text": "text", "ID": "article_id"}, {}),
        (["text", "Text"], {}, {"Text": "text"}),
        (["publishedAt", "source_name"], {"publishedAt": "date", "source_name": "outlet"}, {}),
        (["id", "stories_id"], {"stories_id": "article_id"}, {"id": "article_id"}),
        (["language", "author", "_line"], {}, {}),
    ],
)
def test_resolve_columns(columns, renames, unused):
    mapping = resolve_columns(columns)
    assert (mapping.renames, mapping.unused) == (renames, unused)
