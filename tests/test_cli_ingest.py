"""The ingest and show commands, end to end through the console script's app."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app

_register_commands()
runner = CliRunner()


def test_ingest_writes_tables_and_summary(tmp_path, seed_corpus_dir):
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(seed_corpus_dir), "-o", str(out), "--csv"])
    assert result.exit_code == 0, result.output
    for name in ("articles", "sentences", "removed", "comments", "problems"):
        assert (out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file()
    assert "removed spans by reason" in result.output
    assert "reader_comment" in result.output
    sentences = pd.read_parquet(out / "sentences.parquet")
    assert set(sentences["article_id"]) == {"000", "001", "002", "003", "004"}

    shown = runner.invoke(app, ["show", "004", "-t", str(out)])
    assert shown.exit_code == 0
    assert "[reader_comment]" in shown.output and "[read_more]" in shown.output


def test_bad_input_exits_non_zero_with_a_message(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"article_id": "a", "text": "x"\n')
    result = runner.invoke(app, ["ingest", str(path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "broken.jsonl, line 1: malformed JSON" in result.output
    assert "Traceback" not in result.output


def test_strict_turns_warnings_into_errors(tmp_path, seed_corpus_dir):
    import shutil

    corpus = tmp_path / "c"
    shutil.copytree(seed_corpus_dir, corpus)
    (corpus / "raw" / "extra.txt").write_text("An article nobody listed in the metadata.")
    lenient = runner.invoke(app, ["ingest", str(corpus), "-o", str(tmp_path / "a")])
    assert lenient.exit_code == 0 and "extra.txt" in lenient.output
    strict = runner.invoke(app, ["ingest", str(corpus), "-o", str(tmp_path / "b"), "--strict"])
    assert strict.exit_code == 2 and "extra.txt" in strict.output


def test_show_unknown_article(tmp_path, seed_corpus_dir):
    out = tmp_path / "out"
    runner.invoke(app, ["ingest", str(seed_corpus_dir), "-o", str(out)])
    result = runner.invoke(app, ["show", "999", "-t", str(out)])
    assert result.exit_code == 2 and "no article '999'" in result.output


@pytest.mark.parametrize("command", ["ingest", "process"])
def test_help_shows_the_table_names_of_the_config(command):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[cleaning] and [dates] tables" in result.output


def test_a_broken_codebook_stops_ingest_before_any_work(tmp_path, seed_corpus_dir):
    codebook = tmp_path / "codebook.toml"
    codebook.write_text('[codebook]\nname = "x"\n[targets.pakistan]\nlabel = 3\n')
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["ingest", str(seed_corpus_dir), "-o", str(out), "--codebook", str(codebook)]
    )
    assert result.exit_code == 2
    assert "codebook.toml" in result.output and "Traceback" not in result.output
    assert not (out / "articles.parquet").exists()


def test_chars_removed_include_the_page_text_html_extraction_left_out(tmp_path):
    corpus = Path(__file__).parent / "cases" / "short_pages"
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    articles = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    removed = pd.read_parquet(out / "removed.parquet")
    page = (
        removed[removed["start"] < 0]
        .groupby("article_id")["text"]
        .apply(lambda texts: texts.str.len().sum())
    )
    assert (articles.loc[page.index, "removed_chars"] >= page).all()
    # The summary's per-outlet count is the articles' removed_chars.
    assert f"{articles.loc['wp1', 'removed_chars']:,}" in result.output
