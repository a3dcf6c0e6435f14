"""``framelens score`` end to end on the seed corpus, and the seed-level expectations."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.tables import check_columns

_register_commands()
runner = CliRunner()


@pytest.fixture(scope="module")
def scored(tmp_path_factory, seed_corpus_dir):
    out = tmp_path_factory.mktemp("score")
    result = runner.invoke(
        app,
        [
            "score",
            str(seed_corpus_dir),
            "--scorer",
            "lexicon",
            "--frame-scorer",
            "dictionary",
            "-o",
            str(out),
            "--csv",
        ],
    )
    assert result.exit_code == 0, result.output
    tables = {
        name: pd.read_parquet(out / f"{name}.parquet")
        for name in ("mentions", "stance", "frames", "article_scores")
    }
    return result, out, tables


def value(scores, article_id, kind, name):
    row = scores[
        (scores["article_id"] == article_id) & (scores["kind"] == kind) & (scores["name"] == name)
    ]
    assert len(row) == 1, (article_id, kind, name)
    return row["value"].item()


def test_writes_the_four_tables_and_prints_the_article_table(scored):
    result, out, tables = scored
    for name, table in tables.items():
        assert (out / f"{name}.csv").is_file()
        check_columns(table, name)
    assert "article scores" in result.output
    for article_id in ("000", "001", "002", "003", "004"):
        assert article_id in result.output
    scores = tables["article_scores"]
    assert set(scores["kind"]) == {"stance", "frame"}
    evidence = scores.loc[scores["kind"] == "stance", "evidence"].map(json.loads)
    assert evidence.map(len).between(1, 3).all()


def test_a_target_never_mentioned_has_no_row(scored):
    _, _, tables = scored
    mentions, scores = tables["mentions"], tables["article_scores"]
    usable = mentions[~mentions["in_name"].astype(bool)]
    mentioned = set(zip(usable["article_id"], usable["target"], strict=True))
    stance_rows = scores[scores["kind"] == "stance"]
    assert set(zip(stance_rows["article_id"], stance_rows["name"], strict=True)) == mentioned
    all_pairs = {
        (a, t) for a in scores["article_id"].unique() for t in ("us", "russia", "india", "china")
    }
    assert all_pairs - mentioned  # some article leaves some target out, and it stays missing


def test_seed_level_expectations(scored):
    _, _, tables = scored
    scores = tables["article_scores"]
    # 001 (a US opinion site) is negative toward the US administration
    assert value(scores, "001", "stance", "us") < 0
    # 002-004 (Pakistani policy magazines) are favourable toward Russia
    for article_id in ("002", "003", "004"):
        assert value(scores, article_id, "stance", "russia") > 0
    # frame shares: 001 partisan, 003 geo-economic, 002 security and geo-economic
    assert value(scores, "001", "frame", "partisan") > value(scores, "003", "frame", "partisan")
    assert value(scores, "001", "frame", "partisan") > value(scores, "002", "frame", "partisan")
    assert value(scores, "003", "frame", "geo_economic") > value(
        scores, "002", "frame", "geo_economic"
    )
    assert value(scores, "002", "frame", "security") > value(scores, "003", "frame", "security")
    assert value(scores, "002", "frame", "security") > value(scores, "001", "frame", "security")
    assert value(scores, "002", "frame", "geo_economic") > 0


def test_target_restriction_and_unknown_names(tmp_path, seed_corpus_dir):
    out = tmp_path / "russia"
    result = runner.invoke(
        app, ["score", str(seed_corpus_dir), "-t", "russia", "-f", "none", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    stance = pd.read_parquet(out / "stance.parquet")
    assert set(stance["target"]) == {"russia"}
    assert pd.read_parquet(out / "frames.parquet").empty

    # The name as it is written (review 15: "--target Russia" was refused).
    capital = tmp_path / "Russia"
    result = runner.invoke(
        app, ["score", str(seed_corpus_dir), "-t", "Russia", "-f", "none", "-o", str(capital)]
    )
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_parquet(capital / "stance.parquet"), stance)

    result = runner.invoke(
        app, ["score", str(seed_corpus_dir), "-t", "atlantis", "-o", str(tmp_path / "a")]
    )
    assert result.exit_code == 2
    assert "unknown target 'atlantis'" in result.output and "russia" in result.output

    result = runner.invoke(
        app, ["score", str(seed_corpus_dir), "-s", "magic", "-o", str(tmp_path / "b")]
    )
    assert result.exit_code == 2
    assert "unknown stance scorer 'magic'" in result.output and "lexicon" in result.output
    assert not (tmp_path / "b").exists()
