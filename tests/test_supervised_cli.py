"""Train a supervised model on the seed gold codings, then score the corpus with it."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from framelens.cli import _register_commands, app

_register_commands()
runner = CliRunner()


def test_train_on_gold_then_score_with_the_model(tmp_path, seed_corpus_dir):
    gold = seed_corpus_dir / "annotations" / "gold.csv"
    frame_model = tmp_path / "frames.skops"
    result = runner.invoke(
        app,
        [
            "train",
            "--task",
            "frame",
            "--data",
            f"gold:{gold}",
            "--corpus",
            str(seed_corpus_dir),
            "--folds",
            "3",
            "-o",
            str(frame_model),
        ],
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "scored"
    result = runner.invoke(
        app,
        [
            "score",
            str(seed_corpus_dir),
            "-o",
            str(out),
            "--frame-scorer",
            "supervised",
            "--frame-model",
            str(frame_model),
        ],
    )
    assert result.exit_code == 0, result.output
    frames = pd.read_parquet(out / "frames.parquet")
    # The model's own per-frame thresholds travel with its scores into aggregation.
    assert frames["threshold"].notna().all()
    scores = pd.read_parquet(out / "article_scores.parquet")
    row = scores.query("kind == 'frame' and name == 'geo_economic' and article_id == '003'")
    part = frames.query("article_id == '003' and frame == 'geo_economic'")
    assert row["value"].iloc[0] == (part["score"] >= part["threshold"]).mean()
    missing = runner.invoke(
        app, ["score", str(seed_corpus_dir), "-o", str(out), "--frame-scorer", "supervised"]
    )
    assert missing.exit_code == 2 and "needs a trained model" in missing.output
