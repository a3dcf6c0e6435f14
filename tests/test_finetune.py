"""Fine-tuning tiny local models on NewsMTSC and FrAC, and loading the result in the scorers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framelens.errors import InputError
from framelens.models import huggingface as hf
from framelens.scorers.transformer import (
    TARGET_MARKERS,
    TransformerFrameScorer,
    TransformerStanceScorer,
)
from framelens.training.finetune import _split_dev, finetune


@pytest.fixture(scope="module")
def newsmtsc(shared_data_dir):
    from framelens.datasets.newsmtsc import read_newsmtsc

    train = read_newsmtsc(shared_data_dir / "newsmtsc" / "rw_dev.jsonl")
    dev = read_newsmtsc(shared_data_dir / "newsmtsc" / "mt_dev.jsonl")
    return train, dev


@pytest.fixture(scope="module")
def stance_model(tiny_nli, newsmtsc, tmp_path_factory):
    """One epoch of stance fine-tuning with the dev split held out by record."""
    train, _ = newsmtsc
    out = tmp_path_factory.mktemp("stance_model")
    return finetune(
        tiny_nli,
        train,
        None,
        out,
        epochs=1,
        lr=1e-3,
        batch_size=32,
        seed=3,
        max_length=96,
        device="cpu",
        progress=False,
    )


def test_finetune_saves_safetensors_and_a_card(stance_model, newsmtsc, tiny_nli):
    out = stance_model.output_dir
    names = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "config.json", "framelens_model.json"} <= names
    assert not any(n.endswith(".bin") for n in names)
    card = json.loads((out / "framelens_model.json").read_text())
    assert card == stance_model.card
    assert card["task"] == "stance" and card["labels"] == ["against", "neutral", "favor"]
    assert card["base_model_hash"] == hf.model_hash(tiny_nli)
    assert card["n_train"] + card["n_dev"] == len(newsmtsc[0])
    assert 0 <= card["metrics"]["dev"]["macro_f1"] <= 1
    assert card["metrics"]["epochs_run"] == len(stance_model.history) == 1
    assert "date" not in json.dumps(card)
    # The target markers are single, unsplit tokens of the saved tokenizer.
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(out)
    ids = tokenizer("[TGT] Russia [/TGT]", add_special_tokens=False)["input_ids"]
    assert [tokenizer.convert_ids_to_tokens(i) for i in (ids[0], ids[-1])] == list(TARGET_MARKERS)


def test_fine_tuned_model_is_used_by_the_stance_scorer_with_its_labels(stance_model, newsmtsc):
    _, dev = newsmtsc
    items = dev.head(30).assign(target="")[["text", "spans", "target"]]
    scorer = TransformerStanceScorer(stance_model.output_dir, device="cpu", progress=False)
    out = scorer.score_spans(items)
    assert scorer.card_["task"] == "stance"
    assert set(out["label"]) <= set(stance_model.card["labels"])
    assert out["score"].between(-1, 1).all() and out["confidence"].between(1 / 3, 1).all()
    # The label is the most probable class, so a positive score can never be labelled against.
    assert not ((out["score"] > 0) & (out["label"] == "against")).any()
    with pytest.raises(InputError, match="fine-tuned stance model"):
        TransformerFrameScorer(stance_model.output_dir, device="cpu").fit()


def test_dev_split_keeps_records_together(newsmtsc):
    from framelens.training.finetune import _prepare

    train, _ = newsmtsc
    fit, dev = _split_dev(_prepare(train, "stance", None, "train_df"), train, None, 0.2, 0)
    assert not set(train.loc[fit.index, "id"]) & set(train.loc[dev.index, "id"])
    assert len(fit) + len(dev) == len(train)


def test_training_lowers_the_loss_and_is_seeded(tiny_nli, newsmtsc, tmp_path):
    train, dev = newsmtsc
    runs = [
        finetune(
            tiny_nli,
            train.head(128),
            dev.head(32),
            tmp_path / f"run{k}",
            epochs=3,
            lr=2e-3,
            batch_size=32,
            seed=7,
            early_stopping_patience=3,
            max_length=64,
            device="cpu",
            progress=False,
        )
        for k in range(2)
    ]
    history = runs[0].history
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]
    pd.testing.assert_frame_equal(runs[0].history, runs[1].history)
    assert runs[0].card == runs[1].card
    assert hf.model_hash(runs[0].output_dir) == hf.model_hash(runs[1].output_dir)


def test_early_stopping_stops_when_dev_f1_does_not_improve(tiny_nli, newsmtsc, tmp_path):
    train, dev = newsmtsc
    # A learning rate this small cannot change a prediction, so dev F1 never improves.
    result = finetune(
        tiny_nli,
        train.head(64),
        dev.head(32),
        tmp_path,
        epochs=6,
        lr=1e-12,
        batch_size=32,
        early_stopping_patience=2,
        max_length=64,
        device="cpu",
        progress=False,
    )
    assert result.card["metrics"]["epochs_run"] == 3
    assert result.card["metrics"]["best_epoch"] == 1


def test_frame_fine_tuning_on_frac(tiny_nli, shared_data_dir, tmp_path):
    frac = pd.read_csv(shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv")
    frac = frac.rename(columns={"sentence": "text"}).assign(
        label=lambda d: "mfc_" + d["label"].astype(str)
    )
    frac = frac.head(200)
    result = finetune(
        tiny_nli,
        frac,
        None,
        tmp_path,
        task="frame",
        epochs=1,
        lr=1e-3,
        batch_size=32,
        max_length=64,
        device="cpu",
        progress=False,
    )
    assert result.card["labels"] == sorted(frac["label"].unique())
    assert result.card["target_markers"] is None
    scorer = TransformerFrameScorer(tmp_path, device="cpu", progress=False)
    assert scorer.frame_names() == result.card["labels"]
    scores = scorer.score_texts(frac["text"].head(10).tolist())
    assert scores.shape == (10, len(result.card["labels"]))
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, atol=1e-5)


def test_bad_training_data_is_reported(tiny_nli, newsmtsc, tmp_path):
    train, _ = newsmtsc
    wrong = train.head(20).copy()
    wrong.loc[wrong.index[5], "gold"] = "positive"
    with pytest.raises(InputError, match="unknown stance label 'positive'") as err:
        finetune(tiny_nli, wrong, None, tmp_path, device="cpu")
    assert "row 5" in str(err.value)
    with pytest.raises(InputError, match="spans"):
        finetune(tiny_nli, train[["text", "gold"]].head(20), None, tmp_path, device="cpu")
    with pytest.raises(InputError, match="unknown task"):
        finetune(tiny_nli, train, None, tmp_path, task="sentiment")
    assert not any(tmp_path.iterdir())


def test_train_command_fine_tunes_and_reports_bad_input(tiny_nli, shared_data_dir, tmp_path):
    from typer.testing import CliRunner

    from framelens.cli import _register_commands, app

    _register_commands()
    lines = (shared_data_dir / "newsmtsc" / "rw_dev.jsonl").read_text(encoding="utf-8").splitlines()
    data = tmp_path / "train.jsonl"
    data.write_text("\n".join(lines[:80]) + "\n", encoding="utf-8")
    out = tmp_path / "model"
    args = [
        "train",
        str(data),
        "-o",
        str(out),
        "--base",
        str(tiny_nli),
        "--epochs",
        "1",
        "--lr",
        "1e-3",
        "--batch-size",
        "32",
        "--max-length",
        "64",
        "--device",
        "cpu",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "dev macro-F1" in result.output
    assert json.loads((out / "framelens_model.json").read_text())["task"] == "stance"
    missing = CliRunner().invoke(
        app, ["train", str(data), "-o", str(tmp_path / "x"), "--base", str(tmp_path / "none")]
    )
    assert missing.exit_code == 2 and "no model directory" in missing.output
    assert not (tmp_path / "x").exists()
