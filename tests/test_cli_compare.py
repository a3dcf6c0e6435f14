"""score -> compare -> figures through the CLI, on the seed corpus."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.errors import InputError

_register_commands()
runner = CliRunner()


def test_score_compare_figures(tmp_path, seed_corpus_dir):
    scored = tmp_path / "scored"
    result = runner.invoke(app, ["score", str(seed_corpus_dir), "-o", str(scored)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["compare", str(scored), "-o", str(tmp_path / "cmp"), "--n-boot", "200"]
    )
    assert result.exit_code == 0, result.output
    means = pd.read_parquet(tmp_path / "cmp" / "group_means.parquet")
    magazines = means[(means["group"] == "pk_policy_magazine") & (means["name"] == "russia")]
    assert (magazines["ci_low"] <= magazines["mean"]).all()
    assert (magazines["mean"] <= magazines["ci_high"]).all()
    blog = means[means["group"] == "blog"]
    assert blog["ci_low"].isna().all() and blog["note"].str.contains("n=1").all()
    assert (tmp_path / "cmp" / "pairwise.tex").is_file()
    result = runner.invoke(
        app, ["figures", str(scored), "-o", str(tmp_path / "fig"), "--formats", "png"]
    )
    assert result.exit_code == 0, result.output
    # Four figures by outlet type and two trends (four of the five seeds are dated), and the
    # evidence panel of each article with a stance score (one stance scorer: no --scorer).
    figures = [p.stem for p in (tmp_path / "fig").glob("*.png")]
    assert len([f for f in figures if not f.startswith("evidence_")]) == 6
    scores = pd.read_parquet(scored / "article_scores.parquet")
    with_stance = scores.loc[scores["kind"] == "stance", "article_id"].nunique()
    assert len([f for f in figures if f.startswith("evidence_")]) == with_stance > 0
    # --make draws only the figures named (no per-article panels on a large corpus).
    result = runner.invoke(
        app,
        [
            "figures",
            str(scored),
            "-o",
            str(tmp_path / "some"),
            "--formats",
            "png",
            "--make",
            "stance_heatmap,keyness",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in (tmp_path / "some").glob("*.png")) == [
        "keyness_outlet_type",
        "stance_heatmap_outlet_type",
    ]
    result = runner.invoke(
        app, ["figures", str(scored), "-o", str(tmp_path / "bad"), "--make", "heatmap"]
    )
    assert result.exit_code == 2 and "unknown figure" in result.output


def test_compare_without_scores_says_what_to_run(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["compare", str(empty), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "framelens score" in result.output


def test_compare_refuses_a_bootstrap_of_no_resamples(tmp_path, seed_corpus_dir):
    """Review 15: --n-boot -5 (or n_boot = 0 in a config) ended in scipy's ValueError."""
    from framelens.analysis.groups import bootstrap_ci

    scored = tmp_path / "scored"
    assert runner.invoke(app, ["score", str(seed_corpus_dir), "-o", str(scored)]).exit_code == 0
    for n_boot in ("0", "-5"):
        result = runner.invoke(
            app, ["compare", str(scored), "-o", str(tmp_path / "cmp"), "--n-boot", n_boot]
        )
        assert result.exit_code == 2, result.output
        assert f"n_boot={n_boot}: the intervals need at least one bootstrap resample" in (
            result.output
        )
        assert not (tmp_path / "cmp" / "group_means.parquet").exists()
    with pytest.raises(InputError, match="n_boot=0"):
        bootstrap_ci([0.2, 0.5, 0.9], n_boot=0)
