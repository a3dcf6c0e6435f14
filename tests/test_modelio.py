"""Saving and loading trained scorers: skops round trip, and every refusal."""

from __future__ import annotations

import builtins
import json
import re
import warnings

import numpy as np
import pytest
import skops.io as sio
from typer.testing import CliRunner

import framelens
from framelens.codebook import default_codebook_text, load_codebook
from framelens.errors import InputError, InputWarning
from framelens.models.scorer_files import (
    is_allowed_type,
    load_model,
    load_scorer,
    read_metadata,
    save_model,
    sidecar_path,
    training_data_hash,
)
from framelens.scorers.supervised import SupervisedFrameScorer, SupervisedStanceScorer
from framelens.training.fit import train_scorer
from framelens.training.sources import frame_training_table, stance_training_table

FRAMES = ["geo_economic", "partisan", "security"]


@pytest.fixture(scope="module")
def newsmtsc_dev(shared_data_dir):
    return stance_training_table([f"newsmtsc:{shared_data_dir / 'newsmtsc' / 'rw_dev.jsonl'}"])


@pytest.fixture(scope="module")
def stance_model(newsmtsc_dev, tmp_path_factory):
    """A small stance model (trained on rw_dev: this module tests files, not accuracy)."""
    scorer = SupervisedStanceScorer(Cs=(1.0,), n_splits=3).fit(newsmtsc_dev, newsmtsc_dev["label"])
    path = tmp_path_factory.mktemp("models") / "stance.skops"
    save_model(
        scorer,
        path,
        training_hash=training_data_hash(newsmtsc_dev),
        training_data=["newsmtsc:rw_dev.jsonl"],
    )
    return scorer, path


@pytest.fixture(scope="module")
def frac(shared_data_dir):
    path = shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv"
    return frame_training_table([f"frac:{path}"])


def _copy(path, folder):
    """Copy a model and its sidecar into ``folder``; return the copy's path."""
    target = folder / path.name
    target.write_bytes(path.read_bytes())
    sidecar_path(target).write_bytes(sidecar_path(path).read_bytes())
    return target


def test_stance_round_trip_gives_identical_predictions(stance_model, newsmtsc_dev):
    scorer, path = stance_model
    loaded, metadata = load_model(path)
    assert type(loaded) is SupervisedStanceScorer
    assert np.array_equal(loaded.predict_proba(newsmtsc_dev), scorer.predict_proba(newsmtsc_dev))
    assert loaded.score_spans(newsmtsc_dev).equals(scorer.score_spans(newsmtsc_dev))
    assert metadata["task"] == "stance"
    assert metadata["codebook_hash"] == load_codebook().hash
    assert metadata["framelens_version"] == framelens.__version__
    assert metadata["training_data_hash"] == training_data_hash(newsmtsc_dev)
    assert metadata["cv"]["f1_macro"] == pytest.approx(scorer.cv_results_["f1_macro"])
    # Only framelens' own names need trusting; no pickle anywhere.
    assert all(is_allowed_type(name) for name in sio.get_untrusted_types(file=path))


def test_frame_round_trip_and_registry_name(frac, tmp_path):
    scorer = SupervisedFrameScorer(Cs=(1.0,), n_splits=3).fit(
        frac["text"], frac[FRAMES], groups=frac["group"]
    )
    path = tmp_path / "frames.skops"
    save_model(scorer, path, training_hash=training_data_hash(frac))
    loaded = load_scorer(path)
    assert loaded.kind == "frame" and loaded.name == "supervised"
    assert loaded.frame_names() == FRAMES
    texts = frac["text"].head(50)
    assert np.array_equal(loaded.score_texts(texts), scorer.score_texts(texts))
    assert loaded.thresholds_ == scorer.thresholds_
    with pytest.raises(InputError, match="this is a frame model, not a stance model"):
        load_scorer(path, kind="stance")


def test_tampered_model_is_refused(stance_model, tmp_path):
    _, path = stance_model
    copy = _copy(path, tmp_path)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(InputError, match="does not match its metadata"):
        load_scorer(copy)


def test_edited_sidecar_is_refused(stance_model, tmp_path):
    _, path = stance_model
    copy = _copy(path, tmp_path)
    metadata = json.loads(sidecar_path(copy).read_text())
    metadata["training_data_hash"] = "0" * 64
    sidecar_path(copy).write_text(json.dumps(metadata))
    with pytest.raises(InputError, match="own metadata differs from its sidecar"):
        load_scorer(copy)
    sidecar_path(copy).unlink()
    with pytest.raises(InputError, match="stance.skops.json is missing"):
        load_scorer(copy)


def test_other_framelens_version_is_refused(newsmtsc_dev, tmp_path, monkeypatch):
    scorer = SupervisedStanceScorer(Cs=(1.0,), n_splits=3).fit(newsmtsc_dev, newsmtsc_dev["label"])
    path = tmp_path / "old.skops"
    with monkeypatch.context() as patch:
        patch.setattr(framelens, "__version__", "0.0.1")
        save_model(scorer, path, training_hash="x")
    assert read_metadata(path)["framelens_version"] == "0.0.1"
    with pytest.raises(InputError, match=r"saved by framelens 0\.0\.1, this is framelens"):
        load_scorer(path)


def test_other_codebook_is_refused(stance_model, tmp_path):
    _, path = stance_model
    edited = tmp_path / "codebook.toml"
    text = default_codebook_text()
    edited.write_text(re.sub(r'(?m)^version = ".*"$', 'version = "99.0"', text, count=1))
    other = load_codebook(edited)
    assert other.hash != load_codebook().hash
    with pytest.raises(InputError, match="trained with codebook .*pass the codebook"):
        load_scorer(path, other)
    with pytest.raises(InputError, match="trained with codebook"):
        load_scorer(path, edited)  # a path works as well as a Codebook
    # The codebook it was trained with is accepted.
    assert load_scorer(path, load_codebook()).kind == "stance"


def test_untrusted_function_is_refused_even_with_a_matching_sidecar(newsmtsc_dev, tmp_path):
    scorer = SupervisedStanceScorer(Cs=(1.0,), n_splits=3).fit(newsmtsc_dev, newsmtsc_dev["label"])
    # A hostile file: the masking step calls a builtin on the data being scored.
    mask = scorer.pipeline_.named_steps["features"].named_steps["mask"]
    mask.func = builtins.print
    path = tmp_path / "hostile.skops"
    save_model(scorer, path, training_hash="x")  # the sidecar hash matches the file
    with pytest.raises(InputError, match=r"outside framelens' allow-list: builtins\.print"):
        load_scorer(path)
    assert not is_allowed_type("numpy.save")  # library functions are refused too
    assert is_allowed_type("sklearn.linear_model._logistic.LogisticRegression")


def test_other_sklearn_version_loads_with_a_warning(stance_model, tmp_path, monkeypatch):
    import sklearn

    _, path = stance_model
    monkeypatch.setattr(sklearn, "__version__", "0.0.0")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        assert load_scorer(path).kind == "stance"
    assert any("scikit-learn" in str(w.message) for w in caught)


def test_train_command_writes_a_loadable_model(shared_data_dir, tmp_path):
    from framelens.cli import _register_commands, app

    _register_commands()
    frac_path = shared_data_dir / "frac_frames" / "gold_standard_single_label_all.csv"
    out = tmp_path / "out" / "frames.skops"
    args = [
        "train",
        "--task",
        "frame",
        "--data",
        f"frac:{frac_path}",
        "--folds",
        "3",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "AP = average precision" in result.output and "security" in result.output
    assert load_scorer(out).frame_names() == FRAMES
    assert read_metadata(out)["training_data"] == [f"frac:{frac_path}"]

    bad = CliRunner().invoke(
        app,
        [
            "train",
            "--task",
            "stance",
            "--data",
            f"frac:{frac_path}",
            "-o",
            str(tmp_path / "s.skops"),
        ],
    )
    assert bad.exit_code == 2 and "frac data has no stance labels" in bad.output
    suffix = CliRunner().invoke(
        app,
        ["train", "--task", "frame", "--data", f"frac:{frac_path}", "-o", str(tmp_path / "m.pkl")],
    )
    assert suffix.exit_code == 2 and "must end in .skops" in suffix.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


GOLD = """article_id,sent_id,coder,task,name,label,note
000,3,A,stance,us,1,
000,3,B,stance,us,1,
000,4,A,stance,us,-1,
000,4,B,stance,us,-1,
001,1,A,stance,us,-1,
001,1,B,stance,us,0,
001,1,A,stance,russia,1,
001,1,B,stance,russia,1,
002,2,A,stance,russia,0,
002,2,B,stance,russia,0,
003,5,A,stance,russia,1,
003,5,B,stance,russia,1,
004,7,A,stance,us,1,
004,7,B,stance,us,1,
004,1,A,stance,india,na,
004,1,B,stance,india,na,
004,9,A,stance,india,0,
004,9,B,stance,india,0,
003,5,A,frame,geo_economic,1,
003,5,A,frame,security,0,
003,5,A,frame,partisan,0,
001,7,A,frame,geo_economic,0,
001,7,A,frame,security,1,
001,7,A,frame,partisan,1,
"""


def test_gold_codings_join_the_corpus_mentions(seed_corpus_dir, seed_tables, tmp_path):
    """Codings by two coders on seed sentences (read and labelled by hand for this test)."""
    gold = tmp_path / "gold.csv"
    gold.write_text(GOLD)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        table = stance_training_table([f"gold:{gold}"], corpus=seed_corpus_dir)
    # The tie (001/1 us: -1 vs 0) and the "na" coding are no training labels; 004/9 has no
    # mention of India, so it is skipped with a warning.
    keys = set(zip(table["group"], table["record_id"], strict=True))
    assert ("001", "001/1/us") not in keys and ("004", "004/1/india") not in keys
    assert len(table) == 6
    assert any("no mention of the target" in str(w.message) for w in caught)
    assert set(table["label"]) == {"favor", "against", "neutral"}
    assert (table["group"] == table["record_id"].str.split("/").str[0]).all()
    sentences = seed_tables.sentences.assign(article_id=lambda s: s["article_id"].astype(str))
    for row in table.itertuples():
        article, sent, _ = row.record_id.split("/")
        text = sentences[
            (sentences["article_id"] == article) & (sentences["sent_id"].astype(str) == sent)
        ]["text"].iloc[0]
        assert row.text == text
        assert all(row.text[s:e].strip() for s, e in row.spans)

    frames = frame_training_table([f"gold:{gold}"], corpus=seed_corpus_dir)
    # 001/7: "Critics argue the Biden administration is failing to counter this shift,
    # risking long-term strategic losses"; 003/5: a visit "to discuss deepening economic ties".
    assert frames["record_id"].tolist() == ["001/7", "003/5"]
    assert frames[FRAMES].to_numpy().tolist() == [[0, 1, 1], [1, 0, 0]]
    with pytest.raises(InputError, match="need the corpus"):
        stance_training_table([f"gold:{gold}"])


def test_train_scorer_combines_sources(seed_corpus_dir, shared_data_dir, tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text(GOLD)
    dev = shared_data_dir / "newsmtsc" / "mt_dev.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        result = train_scorer(
            "stance", [f"newsmtsc:{dev}", f"gold:{gold}"], corpus=seed_corpus_dir, n_splits=3
        )
    table = result.table
    assert set(table["source"]) == {f"newsmtsc:{dev}", f"gold:{gold}"}
    assert result.scorer.n_train_ == len(table)
    folds = result.scorer.fold_ids_
    for _, index in table.groupby("group").groups.items():
        assert len(set(folds[index])) == 1
    assert result.training_hash == training_data_hash(table)
