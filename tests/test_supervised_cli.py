"""Train a supervised model on the seed gold codings, then score the corpus with it."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.errors import InputError

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


def _hinted_options(output: str) -> list[str]:
    """The options a refusal's hint says to use (`framelens score ... OPTIONS`)."""
    match = re.search(r"`framelens score \.\.\. ([^`]*)`", " ".join(output.split()))
    assert match, output
    return match.group(1).split()


def test_each_model_hint_names_the_options_that_work(tmp_path, seed_corpus_dir):
    """Review 15: the frame scorer was told to use --model, a frame model file --scorer."""
    gold = seed_corpus_dir / "annotations" / "gold.csv"
    model = tmp_path / "frames.skops"
    train = ["train", "--task", "frame", "--data", f"gold:{gold}", "--folds", "3"]
    result = runner.invoke(app, [*train, "--corpus", str(seed_corpus_dir), "-o", str(model)])
    assert result.exit_code == 0, result.output
    score = ["score", str(seed_corpus_dir), "-o", str(tmp_path / "scored")]
    # No model for the frame scorer: the hint names --frame-model, not --model.
    missing = runner.invoke(app, [*score, "--frame-scorer", "supervised"])
    assert missing.exit_code == 2
    options = _hinted_options(missing.output)
    assert options == ["--frame-scorer", "supervised", "--frame-model", "MODEL.skops"]
    followed = runner.invoke(app, [*score, *options[:-1], str(model)])
    assert followed.exit_code == 0, followed.output
    # A frame model given to the stance scorer: the hint says where it belongs, whole.
    misplaced = runner.invoke(
        app, [*score, "--scorer", "supervised", "--model", str(model), "--frame-scorer", "none"]
    )
    assert misplaced.exit_code == 2 and "this is a frame model" in misplaced.output
    options = _hinted_options(misplaced.output)
    assert options == ["--frame-scorer", "supervised", "--frame-model", str(model)]
    followed = runner.invoke(app, [*score[:-1], str(tmp_path / "again"), *options])
    assert followed.exit_code == 0, followed.output


def test_an_encoder_model_under_the_supervised_name_is_sent_to_its_scorer(tmp_path):
    from framelens.scorers.build import build_scorer
    from framelens.scorers.encoder_heads import shipped_model

    shipped = shipped_model()
    with pytest.raises(InputError) as err:
        build_scorer("frame", "supervised", model=shipped)
    assert "holds the encoder-supervised scorer, not supervised" in str(err.value)
    options = _hinted_options(str(err.value))
    assert options == ["--frame-scorer", "encoder-supervised", "--frame-model", str(shipped)]
    # Following the hint loads it (what `framelens score` does with those two options).
    assert build_scorer("frame", options[1], model=options[3]).name == "encoder-supervised"
    with pytest.raises(InputError) as err:
        build_scorer("stance", "supervised", model=shipped)
    assert _hinted_options(str(err.value))[:2] == ["--frame-scorer", "encoder-supervised"]
