"""CSV files as spreadsheets save them: the delimiter read off the header, BOMs, quoted fields.

The case in tests/cases/metadata_semicolon (from /work/shared/cases) is a metadata.csv saved
with ';' and a UTF-8 BOM, which failed with "missing column(s)" and no hint.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from framelens.errors import InputError, InputWarning
from framelens.text.corpus import read_corpus
from framelens.text.delimited import sniff_delimiter
from framelens.text.stream import iter_article_batches

CASES = Path(__file__).parent / "cases"
BODY = (
    "Russia has offered to sell two million tonnes of wheat to Pakistan at a discount, the "
    "commerce ministry in Islamabad said on Friday after long talks."
)


def test_the_semicolon_case_with_a_bom_reads_correctly():
    result = read_corpus(CASES / "metadata_semicolon")
    article = result.articles.iloc[0]
    assert article["article_id"] == "R1"  # not '\ufeffarticle_id' / a missing column
    assert article["outlet"] == "Dawn Example" and article["outlet_type"] == "news"
    assert article["date"] == "2024-03-08"
    assert article["title"] == "Wheat offer \u2013 Russia"
    assert article["text"].startswith("Russia offers wheat to Pakistan")
    assert result.problems == []


def _metadata_corpus(tmp_path, metadata: str, *, encoding="utf-8") -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(BODY)
    (root / "b.txt").write_text(BODY.replace("Friday", "Monday"))
    (root / "metadata.csv").write_bytes(metadata.encode(encoding))
    return root


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_every_spreadsheet_delimiter_with_quoted_fields(tmp_path, delimiter):
    # Titles hold the other delimiters, one the delimiter itself and a line break (quoted, as
    # a spreadsheet writes them); a UTF-8 BOM and CRLF line ends, as Excel saves.
    rows = [
        ["article_id", "file", "outlet", "outlet_type", "date", "url", "title"],
        ["a", "a.txt", "Dawn", "news", "2024-03-08", "", "Wheat; rice, and | oil"],
        ["b", "b.txt", "Dawn", "news", "2024-03-11", "", f"Talks{delimiter} then\nmore"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    root = _metadata_corpus(tmp_path, "\ufeff" + buffer.getvalue())
    articles = read_corpus(root).articles.set_index("article_id")
    assert articles.loc["a", "title"] == "Wheat; rice, and | oil"
    assert articles.loc["b", "title"] == f"Talks{delimiter} then\nmore"
    assert articles["date"].tolist() == ["2024-03-08", "2024-03-11"]


def test_a_row_with_an_unquoted_delimiter_is_an_error_not_a_shifted_table(tmp_path):
    # Every row one field longer than the header: pandas alone silently made article_id the
    # index and shifted every column one to the left.
    metadata = (
        "article_id,file,outlet,outlet_type,title\n"
        "a,a.txt,Dawn,news,Wheat, rice and oil\n"
        "b,b.txt,Dawn,news,Talks, then more\n"
    )
    with pytest.raises(
        InputError, match=r"metadata.csv, line 2: this row has 6 fields, the header 5"
    ):
        read_corpus(_metadata_corpus(tmp_path, metadata))


def test_empty_trailing_fields_lose_nothing(tmp_path):
    metadata = "article_id,file,outlet,outlet_type\na,a.txt,Dawn,news,,\nb,b.txt,Dawn,news,\n"
    articles = read_corpus(_metadata_corpus(tmp_path, metadata)).articles
    assert articles["outlet_type"].tolist() == ["news", "news"]


def test_excels_sep_line_is_obeyed(tmp_path):
    metadata = "sep=;\narticle_id;file;outlet;outlet_type\na;a.txt;Dawn;news\nb;b.txt;Dawn;news\n"
    articles = read_corpus(_metadata_corpus(tmp_path, metadata)).articles
    assert articles["article_id"].tolist() == ["a", "b"]


def test_missing_columns_name_the_delimiter_and_the_columns_seen(tmp_path):
    # Spaces after the delimiter and a misspelt column: the columns are still named.
    metadata = "article_id;file;outlet;type\na;a.txt;Dawn;news\nb;b.txt;Dawn;news\n"
    with pytest.raises(InputError) as caught:
        read_corpus(_metadata_corpus(tmp_path, metadata))
    message = str(caught.value)
    assert "metadata.csv: missing column(s) outlet_type" in message
    assert "delimiter ';' (semicolon)" in message
    assert "columns seen: article_id, file, outlet, type" in message


def test_header_sniffing_is_not_swayed_by_commas_in_long_texts():
    header = "article_id;outlet;text"
    assert sniff_delimiter(header, ["article_id", "text", "outlet"]) == ";"
    assert sniff_delimiter("text", ["text"]) == ","  # one column: nothing to choose


def test_an_article_csv_with_semicolons_reads_the_same_whole_and_in_batches(tmp_path):
    records = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(5)],
            "outlet": "Dawn",
            "outlet_type": "news",
            "date": ["08.03.2024", "11.03.2024", "12.03.2024", "13.03.2024", "14.03.2024"],
            "text": [f"{BODY} Meeting {i}; prices, quantities." for i in range(5)],
        }
    )
    path = tmp_path / "articles.csv"
    records.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    with pytest.warns(InputWarning, match="3 date.s. whose day and month could be swapped"):
        whole = read_corpus(path).articles
    assert whole["text"].tolist() == records["text"].tolist()
    assert whole["date"].tolist()[:2] == ["2024-03-08", "2024-03-11"]
    with pytest.warns(InputWarning, match="the only order of line 5 '13.03.2024'"):
        batches = [b.articles for b in iter_article_batches(path, 2)]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), whole)


def test_an_article_csv_without_text_names_what_it_saw(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("article_id\tsummary\na\thello\n")
    # The file's own columns, and only those: not the "source" column reading adds.
    for read in (read_corpus, lambda p: list(iter_article_batches(p, 10))):
        with pytest.raises(
            InputError, match=r"no 'text' .*delimiter tab; columns seen: article_id, summary\)$"
        ):
            read(path)
    path.write_text("outlet,body\nDawn,Russia and Pakistan signed a deal.\n")
    with pytest.raises(InputError, match=r"no 'article_id' .*columns seen: outlet, body\)$"):
        read_corpus(path)


def test_a_tsv_file_is_read_as_tab_separated(tmp_path, seed_corpus_dir):
    """Review 15: `framelens ingest articles_metadata.tsv` was refused as an unsupported '.tsv'."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((seed_corpus_dir / "raw").iterdir())]
    path = tmp_path / "articles.tsv"
    records = pd.DataFrame(
        {"ID": [f"s{i}" for i in range(len(texts))], "source": "Dawn", "text": texts}
    )
    records.to_csv(path, sep="\t", index=False)
    whole = read_corpus(path).articles
    assert whole["article_id"].tolist() == records["ID"].tolist()
    assert whole["text"].tolist() == texts and set(whole["outlet"]) == {"Dawn"}
    batches = [b.articles for b in iter_article_batches(path, 2)]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), whole)


def test_the_narrative_frames_tsv_reads_whole(shared_data_dir):
    path = shared_data_dir / "narrative_frames" / "articles_metadata.tsv"
    articles = read_corpus(path).articles
    assert len(articles) == 428
    assert "Twitter Gags \ufeffIvanka Trump" in articles.set_index("article_id").loc["148", "text"]
