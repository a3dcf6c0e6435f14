"""Reading every input format, and a clear error or listed warning for every bad input."""

from __future__ import annotations

import json
import shutil
import warnings

import pandas as pd
import pytest

from framelens.errors import InputError, InputWarning
from framelens.text.corpus import read_corpus
from framelens.text.ingest import ingest

BODY = (
    "Russia and Pakistan signed an energy agreement in Moscow on Tuesday, officials in "
    "Islamabad said, adding that talks on a gas pipeline would resume next month."
)


def _corpus(tmp_path, files: dict[str, bytes], metadata: str):
    root = tmp_path / "corpus"
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "metadata.csv").write_text(metadata)
    return root


META = "article_id,file,outlet,outlet_type,date,url,title\n"


def test_seed_corpus_reads_with_metadata_and_outlets(seed_corpus_dir):
    result = read_corpus(seed_corpus_dir)
    articles = result.articles.set_index("article_id")
    assert list(articles.index) == ["000", "001", "002", "003", "004"]
    assert set(articles["encoding"]) == {"utf-8"}
    assert articles.loc["002", "country"] == "Pakistan"  # from outlets.csv
    assert articles.loc["001", "outlet_type"] == "us_opinion"
    assert articles.loc["001", "date"] == ""  # unknown stays empty
    assert result.problems == []
    # The raw files are shipped unchanged: text equals the file's bytes decoded.
    raw = (seed_corpus_dir / "raw" / "004_31b85ba7ae2eb3d6.txt").read_bytes().decode()
    assert articles.loc["004", "text"] == raw


def test_jsonl_csv_and_parquet_give_the_same_articles(tmp_path):
    records = [
        {"article_id": "a1", "outlet": "Dawn", "outlet_type": "pk_newspaper", "text": BODY},
        {"article_id": "a2", "outlet": "Blog", "outlet_type": "blog", "text": BODY + " Yes."},
    ]
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    pd.DataFrame(records).to_csv(tmp_path / "articles.csv", index=False)
    pd.DataFrame(records).to_parquet(tmp_path / "articles.parquet")
    tables = [
        read_corpus(tmp_path / name).articles
        for name in ("articles.jsonl", "articles.csv", "articles.parquet")
    ]
    for table in tables:
        assert table["text"].tolist() == [BODY, BODY + " Yes."]
        assert table["outlet_type"].tolist() == ["pk_newspaper", "blog"]


def test_html_goes_through_trafilatura_without_scripts_or_styles(tmp_path):
    html = (
        "<html><head><title>Energy deal</title><style>p {color: red}</style>"
        "<script>var tracker = 'SCRIPT-CONTENT';</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>"
        f"<h1>Energy deal</h1><p>{BODY}</p><p>{BODY.replace('Tuesday', 'Friday')}</p>"
        "</article><footer>Copyright 2020 Example</footer></body></html>"
    )
    root = _corpus(tmp_path, {"a.html": html.encode()}, META + "a,a.html,Ex,blog,,,\n")
    article = read_corpus(root).articles.iloc[0]
    assert article["format"] == "html"
    assert "SCRIPT-CONTENT" not in article["text"] and "color: red" not in article["text"]
    assert "signed an energy agreement" in article["text"]
    assert article["title"] == "Energy deal"


def test_fallback_encoding_is_detected_and_recorded(tmp_path):
    text = (
        "Le président de la République a rencontré le ministre pakistanais à Moscou, "
        "où les négociations sur le gazoduc ont repris après une année difficile."
    )
    root = _corpus(tmp_path, {"a.txt": text.encode("cp1252")}, META + "a,a.txt,Ex,blog,,,\n")
    with pytest.warns(InputWarning, match="decoded as"):
        result = read_corpus(root)
    article = result.articles.iloc[0]
    assert article["encoding"] != "utf-8"
    assert "président" in article["text"]
    with pytest.raises(InputError, match="a.txt"):
        read_corpus(root, strict=True)


# ---------------------------------------------------------------- bad input
def test_missing_metadata_columns(tmp_path):
    root = _corpus(tmp_path, {"a.txt": BODY.encode()}, "article_id,file\na,a.txt\n")
    with pytest.raises(InputError, match=r"metadata.csv: missing column\(s\) outlet, outlet_type"):
        read_corpus(root)


def test_metadata_row_whose_file_is_missing(tmp_path):
    root = _corpus(
        tmp_path, {"a.txt": BODY.encode()}, META + "a,a.txt,Ex,blog,,,\nb,gone.txt,Ex,blog,,,\n"
    )
    with pytest.raises(InputError, match=r"metadata.csv, line 3: file 'gone.txt'"):
        read_corpus(root)


def test_file_with_no_metadata_row_is_listed(tmp_path):
    root = _corpus(
        tmp_path,
        {"a.txt": BODY.encode(), "stray.txt": BODY.encode()},
        META + "a,a.txt,Ex,blog,,,\n",
    )
    with pytest.warns(InputWarning, match="stray.txt"):
        result = read_corpus(root)
    assert len(result.articles) == 1
    assert "stray.txt" in result.problems_table()["source"].iloc[0]
    with pytest.raises(InputError, match="stray.txt"):
        read_corpus(root, strict=True)


def test_duplicate_article_ids(tmp_path):
    root = _corpus(
        tmp_path,
        {"a.txt": BODY.encode(), "b.txt": BODY.encode()},
        META + "a,a.txt,Ex,blog,,,\na,b.txt,Ex,blog,,,\n",
    )
    with pytest.raises(InputError, match=r"line 3: duplicate article_id 'a'"):
        read_corpus(root)


def test_empty_article_is_skipped_and_listed(tmp_path):
    root = _corpus(
        tmp_path,
        {"a.txt": BODY.encode(), "b.txt": b"  \n\t \n"},
        META + "a,a.txt,Ex,blog,,,\nb,b.txt,Ex,blog,,,\n",
    )
    with pytest.warns(InputWarning, match="empty"):
        result = read_corpus(root)
    assert result.articles["article_id"].tolist() == ["a"]
    problems = result.problems_table()
    assert problems["article_id"].tolist() == ["b"]
    # A file of a corpus folder has no record number: none is shown (it read "b.txt None").
    assert problems["record"].tolist() == [""]


def test_undecodable_bytes(tmp_path):
    junk = bytes(range(256)) * 50
    root = _corpus(tmp_path, {"a.txt": junk}, META + "a,a.txt,Ex,blog,,,\n")
    with pytest.raises(InputError, match=r"a.txt: cannot decode"):
        read_corpus(root)


def test_malformed_jsonl_line(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps({"article_id": "a", "text": BODY}) + '\n{"article_id": "b",\n')
    with pytest.raises(InputError, match=r"articles.jsonl, line 2: malformed JSON"):
        read_corpus(path)


def test_a_line_break_inside_a_jsonl_string_is_named_once(tmp_path):
    # A text cut by a raw line break: json says "Invalid control character at" (no "at at").
    path = tmp_path / "articles.jsonl"
    path.write_text('{"article_id": "a", "text": "Russia and Pakistan signed\n a deal."}\n')
    with pytest.raises(InputError) as err:
        read_corpus(path)
    assert "line 1: malformed JSON (Invalid control character at column 56)" in str(err.value)


@pytest.mark.parametrize(
    "limit_mb, message",
    [
        (0.0001, "158 bytes is above the 100 bytes limit"),
        (0.001 / 10, "158 bytes is above the 100 bytes limit"),
        (0.00015, "158 bytes is above the 150 bytes limit"),
    ],
)
def test_the_size_limit_reads_in_bytes_when_small(tmp_path, limit_mb, message):
    root = _corpus(tmp_path, {"a.txt": BODY.encode()}, META + "a,a.txt,Ex,blog,,,\n")
    with pytest.raises(InputError, match=message):
        read_corpus(root, max_file_mb=limit_mb)


def test_csv_without_text_column(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("article_id,summary\na,hello\n")
    with pytest.raises(InputError, match=r"articles.csv: no 'text' \(or 'html'\) column"):
        read_corpus(path)


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    root = _corpus(tmp_path, {}, META + "a,big.txt,Ex,blog,,,\n")
    with (root / "big.txt").open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: costs no disk
    with pytest.raises(InputError, match=r"big.txt: 50.0 MB is above the 20 MB limit"):
        read_corpus(root)


def test_ingest_is_the_same_in_parallel(tmp_path, seed_corpus_dir):
    corpus = tmp_path / "copy"
    shutil.copytree(seed_corpus_dir, corpus)
    serial = ingest(corpus, n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parallel = ingest(corpus, n_jobs=2)
    pd.testing.assert_frame_equal(serial.sentences, parallel.sentences)
    pd.testing.assert_frame_equal(serial.removed, parallel.removed)


def test_a_record_without_text_is_listed_as_empty_not_read_as_nan(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"article_id": "1", "text": "Russia signed a gas deal with Pakistan."}\n'
        '{"article_id": "2"}\n',
        encoding="utf-8",
    )
    with pytest.warns(InputWarning, match="line 2: the article is empty"):
        articles = read_corpus(path).articles
    assert list(articles["article_id"]) == ["1"]
    # The same in Parquet, where the missing text is a null cell.
    table = pd.DataFrame({"article_id": ["1", "2"], "text": ["India and Pakistan met.", None]})
    table.to_parquet(tmp_path / "c.parquet")
    with pytest.warns(InputWarning, match="row 1: the article is empty"):
        articles = read_corpus(tmp_path / "c.parquet").articles
    assert "nan" not in set(articles["text"])


def test_a_record_without_an_id_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"article_id": "1", "text": "Russia."}\n{"text": "India."}\n')
    with pytest.raises(InputError, match="line 2.*empty article_id|empty article_id.*line 2"):
        read_corpus(path)


def test_a_text_that_is_a_list_is_refused_not_stored_as_its_printout(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"article_id": "1", "text": ["Russia signed.", "India objected."]}\n')
    with pytest.raises(InputError, match="'text' holds a list"):
        read_corpus(path)
