"""Decoding non-UTF-8 articles: Windows-1252 when the text reads as Latin script, the guess listed.

The case in tests/cases/metadata_cp1252 (from /work/shared/cases) is a short Windows-1252
article that charset-normalizer alone read as cp775 (en dash as "¢", curly quotes as "ō"/"ö").
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from framelens.errors import InputError, InputWarning
from framelens.text.corpus import read_corpus
from framelens.text.encoding import decode_text

CASES = Path(__file__).parent / "cases"
META = "article_id,file,outlet,outlet_type,date,url,title\n"


def test_the_short_windows_1252_case_keeps_its_dash_and_quotes():
    with pytest.warns(InputWarning, match=r"r1.txt: decoded as cp1252.*a guess"):
        result = read_corpus(CASES / "metadata_cp1252")
    article = result.articles.iloc[0]
    assert article["encoding"] == "cp1252"
    assert "said on Friday \u2013 \u201cofficially\u201d after long talks." in article["text"]
    assert article["title"] == "Wheat offer \u2013 Russia"  # metadata.csv itself is UTF-8
    problems = result.problems_table()
    assert problems[["article_id", "level"]].values.tolist() == [["R1", "warning"]]
    with pytest.raises(InputError, match="r1.txt: decoded as cp1252"):
        read_corpus(CASES / "metadata_cp1252", strict=True)


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose 5% \u2013 the minister said \u201cnot now\u201d.",
        "It cost \u00a3300 or \u20ac350, he said \u2014 roughly.",  # charset-normalizer: cp437
        "Na\u00efve r\u00e9sum\u00e9 of the d\u00e9tente",  # charset-normalizer: mac_latin2
        "Se\u00f1or L\u00f3pez met the ministers in M\u00fcnchen \u2013 \u00bfwhy?",  # cp1257
        "Temperature 30\u00b0C, \u00bd of the crop lost \u2013 officials.",
        "Tuesday\u2019s talks \u2026 ended \u2022 \u2122",
    ],
)
def test_short_western_texts_come_through(text):
    decoded = decode_text(text.encode("cp1252"), source="t.txt")
    assert (decoded.text, decoded.encoding, decoded.guessed) == (text, "cp1252", True)


def test_a_whole_seed_article_saved_as_windows_1252_reads_back_unchanged(seed_corpus_dir):
    # charset-normalizer alone picks cp850 for this one (9,168 characters).
    raw = (seed_corpus_dir / "raw" / "002_1833d9ad5e79db5b.txt").read_text(encoding="utf-8")
    decoded = decode_text(raw.encode("cp1252"), source="002.txt")
    assert decoded.text == raw and decoded.encoding == "cp1252"


@pytest.mark.parametrize(
    "text, encoding",
    [
        (
            "\u0420\u043e\u0441\u0441\u0438\u044f \u0438 \u041f\u0430\u043a\u0438\u0441\u0442\u0430\u043d \u043f\u0440\u043e\u0432\u0435\u043b\u0438 \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b.",
            "cp1251",
        ),
        (
            "\u0397 \u03a1\u03c9\u03c3\u03af\u03b1 \u03ba\u03b1\u03b9 \u03c4\u03bf \u03a0\u03b1\u03ba\u03b9\u03c3\u03c4\u03ac\u03bd \u03c3\u03c5\u03bd\u03bf\u03bc\u03af\u03bb\u03b7\u03c3\u03b1\u03bd.",
            "cp1253",
        ),
        (
            "Rozmowy w Islamabadzie zako\u0144czy\u0142y si\u0119 sukcesem, powiedzia\u0142 minister.",
            "cp1250",
        ),
    ],
)
def test_other_scripts_are_not_forced_into_windows_1252(text, encoding):
    decoded = decode_text(text.encode(encoding), source="t.txt")
    assert decoded.text == text and decoded.guessed
    assert decoded.encoding != "cp1252"


@pytest.mark.parametrize(
    "bom, codec, name",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),  # Excel's "Unicode text"
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
    ],
)
def test_a_byte_order_mark_settles_the_encoding(tmp_path, bom, codec, name):
    text = "Moscow \u2013 Islamabad talks resumed on Tuesday, officials said."
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_bytes(bom + text.encode(codec))
    (root / "metadata.csv").write_text(META + "a,a.txt,Ex,blog,,,\n")
    result = read_corpus(root)  # not a guess: no warning
    assert result.articles.iloc[0]["text"] == text
    assert result.articles.iloc[0]["encoding"] == name
    assert result.problems == []


def test_a_metadata_file_saved_by_excel_as_windows_1252(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Russia offered wheat to Pakistan, officials said on Friday.")
    title = "Wheat offer \u2013 \u201ca new beginning\u201d"
    (root / "metadata.csv").write_bytes(
        (META + f"a,a.txt,Dawn,news,,,{title}\r\n").encode("cp1252")
    )
    with pytest.warns(InputWarning, match=r"metadata.csv: decoded as cp1252"):
        articles = read_corpus(root).articles
    assert articles.iloc[0]["title"] == title


def test_jsonl_records_record_their_own_encoding(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        '{"article_id": "u", "text": "Talks \u2013 in UTF-8."}'.encode(),
        '{"article_id": "w", "text": "Talks \u2013 in Windows-1252."}'.encode("cp1252"),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.warns(InputWarning, match=r"articles.jsonl, line 2: decoded as cp1252"):
        articles = read_corpus(path).articles.set_index("article_id")
    assert articles["encoding"].to_dict() == {"u": "utf-8", "w": "cp1252"}
    assert articles.loc["w", "text"] == "Talks \u2013 in Windows-1252."


# --------------------------------------------------------------- mostly UTF-8, a few stray bytes
def test_a_utf8_article_with_a_pasted_windows_1252_paragraph_keeps_both(tmp_path):
    # tests/cases/mixed_encoding: UTF-8 curly quotes and "café", then "India\x92s ... \x96".
    # Before: the whole file was guessed as mac_iceland and the India mention was lost.
    from framelens.text.ingest import ingest
    from framelens.text.mentions import find_mentions

    with pytest.warns(InputWarning, match=r"r1.txt: decoded as utf-8\+cp1252.*except 4 invalid"):
        tables = ingest(CASES / "mixed_encoding", n_jobs=1)
    article = tables.articles.iloc[0]
    assert article["encoding"] == "utf-8+cp1252"
    assert "offered \u201cdiscounted\u201d wheat" in article["text"]
    assert "press caf\u00e9 in Islamabad" in article["text"]
    assert "India\u2019s response was cool \u2013 officials" in article["text"]
    assert "\u201cchanges little\u201d." in article["text"]
    assert "india" in set(find_mentions(tables.sentences)["target"])
    problems = tables.problems
    assert problems["message"].str.contains("first at byte 162").tolist() == [True]
    with pytest.raises(InputError, match=r"decoded as utf-8\+cp1252"):
        read_corpus(CASES / "mixed_encoding", strict=True)


def test_a_seed_article_half_utf8_half_windows_1252_reads_back_unchanged(seed_corpus_dir):
    raw = (seed_corpus_dir / "raw" / "002_1833d9ad5e79db5b.txt").read_text(encoding="utf-8")
    cut = raw.index("\n", len(raw) // 2)
    decoded = decode_text(raw[:cut].encode("utf-8") + raw[cut:].encode("cp1252"), source="002.txt")
    assert decoded.text == raw
    assert decoded.encoding == "utf-8+cp1252" and decoded.repaired > 0


def test_one_utf8_letter_among_many_stray_windows_1252_quotes_is_still_mixed():
    # More invalid bytes than UTF-8 characters, but the repaired text reads as Latin script.
    data = "Caf\u00e9 owners said ".encode() + (
        "\u2018no\u2019 \u2013 \u201cnever\u201d, Pakistan\u2019s \u2026".encode("cp1252")
    )
    decoded = decode_text(data, source="t.txt")
    assert (
        decoded.text
        == "Caf\u00e9 owners said \u2018no\u2019 \u2013 \u201cnever\u201d, Pakistan\u2019s \u2026"
    )
    assert (decoded.encoding, decoded.repaired) == ("utf-8+cp1252", 7)


def test_a_utf8_russian_text_with_a_stray_byte_stays_russian():
    text = "\u0420\u043e\u0441\u0441\u0438\u044f \u0438 \u041f\u0430\u043a\u0438\u0441\u0442\u0430\u043d"
    decoded = decode_text(text.encode() + b" \x96 talks.", source="t.txt")
    assert decoded.text == text + " \u2013 talks."
    assert decoded.repaired == 1


def test_a_cp1251_text_whose_bytes_form_a_utf8_letter_by_chance_is_not_mixed():
    # "РФ»" in cp1251 is D0 D4 BB: D4 BB happens to be valid UTF-8 (an Armenian letter).
    text = (
        "\u0412 \u041c\u0418\u0414 \u0420\u0424\u00bb \u0441\u043e\u043e\u0431\u0449\u0438"
        "\u043b\u0438 \u043e \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u0430\u0445."
    )
    data = text.encode("cp1251")
    decoded = decode_text(data, source="t.txt")
    assert decoded.text == text and decoded.encoding == "cp1251"
    assert decoded.repaired == 0


def test_an_ascii_text_with_one_windows_1252_byte_is_windows_1252():
    # No UTF-8 character at all: nothing says UTF-8, and the text is the same either way.
    decoded = decode_text(b"India\x92s response was cool.", source="t.txt")
    assert (decoded.text, decoded.encoding) == ("India\u2019s response was cool.", "cp1252")


def test_a_mixed_jsonl_line_records_its_repair(tmp_path):
    path = tmp_path / "articles.jsonl"
    line = '{"article_id": "m", "text": "Caf\u00e9 talks: '.encode() + b'India\x92s offer."}'
    path.write_bytes(line + b"\n")
    with pytest.warns(InputWarning, match=r"line 1: decoded as utf-8\+cp1252.*except 1 invalid"):
        articles = read_corpus(path).articles
    assert articles.iloc[0]["text"] == "Caf\u00e9 talks: India\u2019s offer."
    assert articles.iloc[0]["encoding"] == "utf-8+cp1252"


# --- UTF-16 without a byte-order mark (review 15): read as UTF-8 it was 'R\x00u\x00s\x00s...'.


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_seed_article_saved_as_utf16_without_a_mark_reads_back_unchanged(seed_corpus_dir, codec):
    raw = (seed_corpus_dir / "raw" / "002_1833d9ad5e79db5b.txt").read_text(encoding="utf-8")
    decoded = decode_text(raw.encode(codec), source="002.txt")
    assert decoded.text == raw and decoded.encoding == codec and decoded.guessed
    assert "NUL bytes at every other position" in decoded.note


def test_russian_in_utf16_without_a_mark_is_utf16_too():
    # Cyrillic letters have no NUL byte in UTF-16; the spaces and the full stop do.
    text = "\u0420\u043e\u0441\u0441\u0438\u044f \u0438 \u041f\u0430\u043a\u0438\u0441\u0442\u0430\u043d \u043f\u0440\u043e\u0432\u0435\u043b\u0438 \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b."
    decoded = decode_text(text.encode("utf-16-le"), source="ru.txt")
    assert decoded.text == text and decoded.encoding == "utf-16-le"


def test_a_utf16_csv_without_a_mark_is_read_with_its_columns(tmp_path, seed_corpus_dir):
    text = (seed_corpus_dir / "raw" / "004_31b85ba7ae2eb3d6.txt").read_text(encoding="utf-8")
    path = tmp_path / "articles.csv"
    quoted = text.replace('"', '""')
    path.write_bytes(f'article_id,outlet,text\na1,Dawn,"{quoted}"\n'.encode("utf-16-le"))
    with pytest.warns(InputWarning, match=r"articles.csv: decoded as utf-16-le"):
        result = read_corpus(path)
    article = result.articles.iloc[0]
    assert article["article_id"] == "a1" and article["outlet"] == "Dawn"
    assert article["text"].split()[:5] == text.split()[:5]


def test_nul_heavy_bytes_in_no_utf16_pattern_are_refused_without_printing_nuls(seed_corpus_dir):
    data = "Russia and Pakistan".encode("utf-32-le")  # NULs at both parities
    with pytest.raises(InputError, match="NUL, in no pattern of UTF-16") as err:
        decode_text(data, source="a.txt")
    assert "\x00" not in str(err.value)
    # A stray NUL in a UTF-8 article leaves it UTF-8.
    raw = (seed_corpus_dir / "raw" / "004_31b85ba7ae2eb3d6.txt").read_text(encoding="utf-8")
    stray = raw[:200] + "\x00" + raw[200:]
    decoded = decode_text(stray.encode("utf-8"), source="a.txt")
    assert decoded.encoding == "utf-8" and decoded.text == stray


def test_error_messages_escape_control_characters():
    message = str(InputError("columns seen: a\x00r\x00t", source="u16.csv", hint="x\x1b[2J"))
    assert message == "u16.csv: columns seen: a\\x00r\\x00t (x\\x1b[2J)"
