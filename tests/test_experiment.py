"""Experiment runs: validated configs, identical bytes on a rerun, a manifest, clear errors."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.errors import InputError
from framelens.runs.config import load_experiment
from framelens.runs.experiment import run_experiment

_register_commands()


def _config(tmp_path, seed_corpus_dir, extra: str = "", **replace) -> str:
    text = f"""
name = "{replace.get("name", "study")}"
seed = 7
corpus = "{replace.get("corpus", seed_corpus_dir)}"
codebook = "default"

[output]
results = "{tmp_path / "results"}"
figures = "{tmp_path / "figures"}"

[scoring]
stance = {replace.get("stance", '["lexicon"]')}
frames = ["dictionary"]

[compare]
group_by = {replace.get("group_by", '["outlet_type"]')}
n_boot = {replace.get("n_boot", 200)}

[figures]
make = ["stance_heatmap", "frame_composition", "keyness", "evidence_panel"]
formats = ["pdf", "svg", "png"]
dpi = 100
{extra}
"""
    path = tmp_path / "study.toml"
    path.write_text(text)
    return path


@pytest.mark.slow
def test_a_rerun_writes_identical_files_and_uses_the_cache(tmp_path, seed_corpus_dir):
    config = load_experiment(_config(tmp_path, seed_corpus_dir))
    first = run_experiment(config)
    checksums = (config.results / "checksums.sha256").read_text()
    second = run_experiment(config)
    assert (config.results / "checksums.sha256").read_text() == checksums
    assert second.manifest["cache_hits"] >= 2 and first.manifest["cache_hits"] == 0
    # Every output is listed: tables in two formats, figures in three.
    outputs = first.manifest["outputs"]
    assert any(name.endswith("stance_heatmap_outlet_type.pdf") for name in outputs)
    assert any(name.endswith("article_scores.parquet") for name in outputs)
    manifest = json.loads((config.results / "manifest.json").read_text())
    assert manifest["config_hash"] == config.hash and manifest["seed"] == 7
    assert set(manifest["inputs"]) >= {"metadata.csv", "raw/004_31b85ba7ae2eb3d6.txt"}
    assert set(manifest["timings_s"]) >= {"ingest", "score", "compare", "figures"}
    # Groups of one article are reported as such.
    assert any("n=1" in note for note in manifest["warnings"])
    _check_sums_from_their_folder(config.results)


def _check_sums_from_their_folder(folder):
    """Every path of checksums.sha256 is relative to its folder (`sha256sum -c` works there)."""
    import hashlib
    import shutil
    import subprocess

    lines = (folder / "checksums.sha256").read_text().splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert "tables/article_scores.parquet" in names
    assert "../../figures/study/stance_heatmap_outlet_type.pdf" in names
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "--check", "--quiet", "checksums.sha256"],
            cwd=folder,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr


def test_unknown_key_names_line_and_suggestion(tmp_path, seed_corpus_dir):
    path = _config(tmp_path, seed_corpus_dir, extra="[compare2]\nn_boot = 3\n")
    with pytest.raises(InputError, match=r"study.toml, line \d+: unknown key 'compare2'.*compare"):
        load_experiment(path)


@pytest.mark.parametrize(
    "replace, message",
    [
        ({"corpus": "/no/such/corpus"}, "corpus '/no/such/corpus' does not exist"),
        ({"stance": '["lexicn"]'}, "unknown stance scorer 'lexicn'.*lexicon"),
    ],
)
def test_bad_configs_fail_before_work(tmp_path, seed_corpus_dir, replace, message):
    with pytest.raises(InputError, match=message):
        load_experiment(_config(tmp_path, seed_corpus_dir, **replace))


def test_absent_outlet_column_fails_before_scoring(tmp_path, seed_corpus_dir):
    path = _config(tmp_path, seed_corpus_dir, group_by='["newsroom"]')
    result = CliRunner().invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert "comparison column 'newsroom' is not in the articles table" in result.output
    assert not (tmp_path / "results" / "study" / "manifest.json").exists()


@pytest.mark.slow
def test_the_partitioned_engine_gives_the_in_memory_results(tmp_path, seed_corpus_dir):
    (tmp_path / "memory").mkdir()
    (tmp_path / "local").mkdir()
    memory = run_experiment(load_experiment(_config(tmp_path / "memory", seed_corpus_dir)))
    engine = '[engine]\nkind = "local"\njobs = 2\npartition_size = 2\n'
    config = load_experiment(_config(tmp_path / "local", seed_corpus_dir, extra=engine))
    first = run_experiment(config)
    keys = ["article_id", "kind", "name", "scorer"]
    for name in ("article_scores", "group_means"):
        ours, theirs = first.tables[name], memory.tables[name]
        columns = [c for c in theirs.columns if c in keys or theirs[c].dtype.kind == "f"]
        order = [c for c in keys if c in columns] or columns[:3]
        pd.testing.assert_frame_equal(
            ours[columns].sort_values(order).reset_index(drop=True),
            theirs[columns].sort_values(order).reset_index(drop=True),
            check_dtype=False,
        )
    assert first.manifest["engine"]["partitions"] == 3
    assert first.manifest["engine"]["up_to_date"] is False
    checksums = (config.results / "checksums.sha256").read_text()
    second = run_experiment(config)
    assert second.manifest["engine"]["up_to_date"] is True
    assert (config.results / "checksums.sha256").read_text() == checksums


@pytest.mark.parametrize(
    "engine, message",
    [
        ('kind = "cloud"', "unknown engine kind 'cloud'"),
        ('kind = "local"\naddress = "tcp://x:1"', 'engine.address needs kind = "dask"'),
        ('kind = "local"\njobs = 0', r"engine.jobs = 0 must be at least 1"),
        ('kind = "local"\npartition_size = -3', r"engine.partition_size = -3 must be at least 1"),
    ],
)
def test_bad_engine_settings_name_the_line(tmp_path, seed_corpus_dir, engine, message):
    path = _config(tmp_path, seed_corpus_dir, extra=f"[engine]\n{engine}\n")
    with pytest.raises(InputError, match=rf"study.toml, line \d+: {message}"):
        load_experiment(path)


@pytest.mark.parametrize(
    "replace, extra, message",
    [
        ({"n_boot": -5}, "", "compare.n_boot = -5 must be at least 1"),
        ({"n_boot": 0}, "", "compare.n_boot = 0 must be at least 1"),
        ({}, "[engine]\njobs = 0\n", "engine.jobs = 0 must be at least 1"),
    ],
)
def test_bad_numbers_stop_the_run_before_any_work(
    tmp_path, seed_corpus_dir, replace, extra, message
):
    path = _config(tmp_path, seed_corpus_dir, extra=extra, **replace)
    key = message.split(" =")[0].split(".")[-1]
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t.startswith(key))
    result = CliRunner().invoke(app, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert f"study.toml, line {line}: {message}" in " ".join(result.output.split())
    # Nothing was ingested or scored: the results folder was never made.
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    "line_before, setting, message",
    [
        ("n_boot = 200", "alpha = 1.0", "compare.alpha = 1.0 must be between 0 and 1, exclusive"),
        ("n_boot = 200", "min_group_size = 1", "compare.min_group_size = 1 must be at least 2"),
        ("n_boot = 200", "keyness_top = 0", "compare.keyness_top = 0 must be at least 1"),
        ("n_boot = 200", 'over_time = "week"', "compare.over_time = 'week' is not a period"),
        ("[scoring]", "frame_threshold = 1.5", "scoring.frame_threshold = 1.5 must be between"),
        ("dpi = 100", "dpi = 0", "figures.dpi = 0 must be at least 1"),
    ],
)
def test_every_numeric_setting_is_range_checked(
    tmp_path, seed_corpus_dir, line_before, setting, message
):
    text = _config(tmp_path, seed_corpus_dir).read_text()
    # A setting goes after line_before (or replaces it, for the same key).
    same_key = line_before.split(" =")[0] == setting.split(" =")[0]
    text = text.replace(line_before, setting if same_key else f"{line_before}\n{setting}", 1)
    path = tmp_path / "study.toml"
    path.write_text(text)
    line = text.splitlines().index(setting) + 1
    with pytest.raises(InputError, match=rf"study.toml, line {line}: {re.escape(message)}"):
        load_experiment(path)
