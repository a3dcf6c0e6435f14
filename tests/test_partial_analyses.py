"""A part of compare, figures or run that the data cannot support is skipped with a note.

Issue 14, kind 8: `framelens compare` on a study of one outlet type stopped with "keyness
against the rest needs two ... values" and wrote nothing, though the group means, the tests'
rows and the trends could be computed. The corpora here are the shipped seed corpus with its
metadata changed as a researcher's would be: every article of one outlet type, or no dates.
"""

from __future__ import annotations

import csv
import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.cli import _register_commands, app
from framelens.runs.config import load_experiment
from framelens.runs.experiment import run_experiment

_register_commands()
runner = CliRunner()


def _unwrapped(output: str) -> str:
    """The output with each note on one line again (notes wrap at the terminal's width, their
    later lines indented)."""
    lines: list[str] = []
    for line in output.splitlines():
        if line.startswith("      ") and lines and lines[-1].startswith("note:"):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


def _seed_copy(tmp_path, seed_corpus_dir, name, **columns):
    """The seed corpus with the given metadata columns set to one value for every article."""
    corpus = tmp_path / name
    shutil.copytree(seed_corpus_dir, corpus, ignore=shutil.ignore_patterns("annotations"))
    path = corpus / "metadata.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.update(columns)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return corpus


@pytest.fixture(scope="module")
def one_outlet(tmp_path_factory, seed_corpus_dir):
    """Scored tables of the seeds, every article of outlet type pk_policy_magazine."""
    tmp = tmp_path_factory.mktemp("one_outlet")
    corpus = _seed_copy(tmp, seed_corpus_dir, "corpus", outlet_type="pk_policy_magazine")
    result = runner.invoke(app, ["score", str(corpus), "-o", str(tmp / "scored")])
    assert result.exit_code == 0, result.output
    return tmp / "scored"


@pytest.fixture(scope="module")
def undated(tmp_path_factory, seed_corpus_dir):
    """Scored tables of the seeds with every date removed."""
    tmp = tmp_path_factory.mktemp("undated")
    corpus = _seed_copy(tmp, seed_corpus_dir, "corpus", date="")
    result = runner.invoke(app, ["score", str(corpus), "-o", str(tmp / "scored")])
    assert result.exit_code == 0, result.output
    return tmp / "scored"


def test_compare_on_one_outlet_type_writes_means_tests_and_trends(tmp_path, one_outlet):
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(one_outlet), "-o", str(out), "--n-boot", "200"])
    assert result.exit_code == 0, result.output
    assert "note: keyness by outlet_type skipped" in _unwrapped(result.output)
    assert "found one (pk_policy_magazine)" in _unwrapped(result.output)

    # The group means are the plain means over the five articles of the one group.
    means = pd.read_parquet(out / "group_means.parquet")
    scores = pd.read_parquet(one_outlet / "article_scores.parquet")
    russia = scores[(scores["name"] == "russia") & (scores["scorer"] == "lexicon")]
    row = means[(means["name"] == "russia") & (means["scorer"] == "lexicon")]
    assert list(row["group"]) == ["pk_policy_magazine"]
    assert row["mean"].iloc[0] == pytest.approx(russia["value"].mean())
    assert row["n_articles"].iloc[0] == russia["value"].notna().sum() == 5
    assert row["ci_low"].iloc[0] <= row["mean"].iloc[0] <= row["ci_high"].iloc[0]

    # Tests have their rows, each saying why there is no p-value; no pair exists.
    omnibus = pd.read_parquet(out / "omnibus.parquet")
    assert len(omnibus) and omnibus["p_value"].isna().all()
    assert omnibus["note"].str.contains("fewer than 2 groups").all()
    assert pd.read_parquet(out / "pairwise.parquet").empty
    # Keyness is an empty table with its columns, so no older keyness file can linger.
    keyness = pd.read_parquet(out / "keyness.parquet")
    assert keyness.empty and {"group_a", "term", "z"} <= set(keyness.columns)
    # Four of the five seed articles are dated (2011, 2018, 2021, 2024): yearly trends.
    trends = pd.read_parquet(out / "over_time.parquet")
    assert set(trends["period_label"]) == {"2011", "2018", "2021", "2024"}

    notes = (out / "notes.md").read_text()
    assert "keyness by outlet_type skipped" in notes
    assert "pairwise tests by outlet_type: none could run (one outlet_type group" in notes


def test_figures_on_one_outlet_type_skip_only_keyness(tmp_path, one_outlet):
    out = tmp_path / "fig"
    command = ["figures", str(one_outlet), "-o", str(out), "--formats", "png"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "note: figure keyness_outlet_type skipped" in _unwrapped(result.output)
    drawn = sorted(p.stem for p in out.glob("*.png") if not p.stem.startswith("evidence_"))
    assert any(out.glob("evidence_*.png"))  # the evidence panels of the one stance scorer
    assert drawn == [
        "frame_composition_outlet_type",
        "frames_over_time",
        "stance_distribution_outlet_type",
        "stance_heatmap_outlet_type",
        "stance_over_time",
    ]
    assert "figure keyness_outlet_type skipped" in (out / "notes.md").read_text()


def test_compare_and_figures_without_dates_skip_only_the_trends(tmp_path, undated):
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(undated), "-o", str(out), "--n-boot", "200"])
    assert result.exit_code == 0, result.output
    assert "trends over time skipped: no article has a date" in _unwrapped(result.output)
    assert pd.read_parquet(out / "over_time.parquet").empty
    keyness = pd.read_parquet(out / "keyness.parquet")
    assert set(keyness["group_a"]) == {"blog", "pk_policy_magazine", "us_opinion"}

    figures = tmp_path / "fig"
    command = ["figures", str(undated), "-o", str(figures), "--formats", "png"]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert "figure stance_over_time skipped: no article has a date" in _unwrapped(result.output)
    assert not (figures / "stance_over_time.png").exists()
    assert (figures / "keyness_outlet_type.png").is_file()


def test_a_skipped_figure_leaves_no_older_file_of_its_name(tmp_path, seed_corpus_dir, undated):
    scored = tmp_path / "scored"
    assert runner.invoke(app, ["score", str(seed_corpus_dir), "-o", str(scored)]).exit_code == 0
    figures = tmp_path / "fig"
    command = ["--formats", "png", "-o", str(figures)]
    assert runner.invoke(app, ["figures", str(scored), *command]).exit_code == 0
    assert (figures / "stance_over_time.png").is_file()
    # The same folder, now from tables without dates: the old trend must not pass for new.
    assert runner.invoke(app, ["figures", str(undated), *command]).exit_code == 0
    assert not (figures / "stance_over_time.png").exists()


def test_nothing_to_compare_exits_2_after_writing_the_notes(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    texts = ["The harvest was good this year.", "Rain fell on the hills all week."]
    corpus.write_text(
        "".join(
            json.dumps({"article_id": f"a{i}", "outlet_type": "blog", "text": text}) + "\n"
            for i, text in enumerate(texts)
        )
    )
    scored = tmp_path / "scored"
    command = ["score", str(corpus), "-o", str(scored), "--frame-scorer", "none"]
    assert runner.invoke(app, command).exit_code == 0
    result = runner.invoke(app, ["compare", str(scored), "-o", str(tmp_path / "cmp")])
    assert result.exit_code == 2, result.output
    assert "no comparison could be computed" in result.output
    notes = (tmp_path / "cmp" / "notes.md").read_text()
    assert "the article_scores table has no rows" in notes
    assert "keyness by outlet_type skipped" in notes
    assert "trends over time skipped" in notes


def _study(tmp_path, corpus, frames='["dictionary"]') -> str:
    config = tmp_path / "study.toml"
    config.write_text(
        f"""name = "study"
seed = 3
corpus = "{corpus}"
[output]
results = "{tmp_path / "results"}"
figures = "{tmp_path / "figures"}"
[scoring]
stance = ["lexicon"]
frames = {frames}
[compare]
group_by = ["outlet_type"]
n_boot = 100
over_time = "year"
[figures]
make = ["stance_heatmap", "frame_composition", "keyness", "stance_over_time"]
formats = ["png"]
dpi = 50
"""
    )
    return config


def test_a_study_of_one_outlet_type_runs_to_the_end(tmp_path, seed_corpus_dir):
    corpus = _seed_copy(tmp_path, seed_corpus_dir, "corpus", outlet_type="pk_policy_magazine")
    config = load_experiment(_study(tmp_path, corpus))
    result = run_experiment(config)
    tables = config.results / "tables"
    assert pd.read_parquet(tables / "keyness.parquet").empty
    assert len(pd.read_parquet(tables / "group_means.parquet"))
    assert len(pd.read_parquet(tables / "over_time.parquet"))
    assert sorted(p.name for p in config.figures_out.iterdir()) == [
        "frame_composition_outlet_type.png",
        "stance_heatmap_outlet_type.png",
        "stance_over_time.png",
    ]
    manifest = json.loads((config.results / "manifest.json").read_text())
    assert manifest["warnings"] == result.warnings
    assert any(w.startswith("keyness by outlet_type skipped") for w in manifest["warnings"])
    assert any(w.startswith("figure keyness_outlet_type skipped") for w in manifest["warnings"])


def test_a_study_without_dates_notes_its_missing_trends(tmp_path, seed_corpus_dir):
    corpus = _seed_copy(tmp_path, seed_corpus_dir, "corpus", date="")
    config = _study(tmp_path, corpus)
    result = runner.invoke(app, ["run", str(config)])
    assert result.exit_code == 0, result.output
    assert "note: trends over time skipped: no article has a date" in _unwrapped(result.output)
    assert "note: figure stance_over_time skipped: no article has a date" in _unwrapped(
        result.output
    )
    study = load_experiment(config)
    trends = pd.read_parquet(study.results / "tables" / "over_time.parquet")
    assert trends.empty and "period_label" in trends.columns
    assert not (study.figures_out / "stance_over_time.png").exists()
    assert (study.figures_out / "keyness_outlet_type.png").is_file()


def test_a_study_without_frame_scorers_runs_to_the_end(tmp_path, seed_corpus_dir):
    """`frames = []` ended in an AttributeError traceback when the tables were written."""
    config = _study(tmp_path, seed_corpus_dir, frames="[]")
    result = runner.invoke(app, ["run", str(config)])
    assert result.exit_code == 0, result.output
    assert "note: figure frame_composition_outlet_type skipped: article_scores: no frame rows" in (
        _unwrapped(result.output)
    )
    study = load_experiment(config)
    frames = pd.read_parquet(study.results / "tables" / "frames.parquet")
    assert frames.empty and list(frames.columns) == [
        "article_id",
        "sent_id",
        "frame",
        "scorer",
        "score",
    ]
    assert (study.figures_out / "stance_heatmap_outlet_type.png").is_file()
    assert "article scores of the primary scorers (lexicon)" in result.output


def test_tables_of_two_corpora_are_an_error_not_a_note(tmp_path, one_outlet):
    """Only what the data cannot support is skipped; scores of another corpus stop compare."""
    mixed = tmp_path / "mixed"
    shutil.copytree(one_outlet, mixed)
    scores = pd.read_parquet(mixed / "article_scores.parquet")
    scores.loc[0, "article_id"] = "999"
    scores.to_parquet(mixed / "article_scores.parquet", index=False)
    result = runner.invoke(app, ["compare", str(mixed), "-o", str(tmp_path / "cmp")])
    assert result.exit_code == 2
    assert "article_scores, 999: article_scores names an article the articles table lacks" in (
        result.output
    )


# ------------------------------------------------ no article (or not every one) has the group
@pytest.fixture(scope="module")
def untyped(tmp_path_factory, seed_corpus_dir):
    """Scored tables of the seeds with no outlet type and no date (a bare Media Cloud export)."""
    tmp = tmp_path_factory.mktemp("untyped")
    corpus = _seed_copy(tmp, seed_corpus_dir, "corpus", outlet_type="", date="")
    (corpus / "outlets.csv").unlink()  # else the registry fills outlet_type from the outlet
    result = runner.invoke(app, ["score", str(corpus), "-o", str(tmp / "scored")])
    assert result.exit_code == 0, result.output
    return tmp / "scored"


def test_compare_with_no_outlet_type_names_that_cause_once_and_exits_2(tmp_path, untyped):
    # Before: exit 0 with an empty group_means; notes blamed "one outlet_type group: no pair"
    # and "no words left ... stop words"; the missing-group warning was printed 7 times.
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(untyped), "-o", str(out), "--n-boot", "200"])
    assert result.exit_code == 2, result.output
    lines = _unwrapped(result.output).splitlines()
    cause = [line for line in lines if "has an outlet_type" in line]
    assert len(cause) == 1 and cause[0].startswith("note: group means, tests and keyness by")
    assert "none of the 5 article(s)" in cause[0]
    assert "no pair" not in result.output and "stop words" not in result.output
    assert sum("outlet_type" in line for line in lines if line.startswith("warning:")) <= 1
    assert "no comparison could be computed" in lines[-1]
    assert "has an outlet_type" in (out / "notes.md").read_text()
    assert pd.read_parquet(out / "group_means.parquet").empty


def test_figures_with_no_outlet_type_say_so(tmp_path, untyped):
    out = tmp_path / "fig"
    result = runner.invoke(app, ["figures", str(untyped), "-o", str(out), "--formats", "png"])
    notes = (out / "notes.md").read_text()
    for name in ("stance_heatmap", "frame_composition", "stance_distribution", "keyness"):
        assert (
            f"figure {name}_outlet_type skipped: the outlet_type column is empty for every "
            "article" in notes
        )
    assert "no article mentions" not in notes and "no words left" not in notes
    # The evidence panels need no group: they are drawn.
    assert result.exit_code == 0, result.output
    assert any(out.glob("evidence_*.png"))


def test_articles_without_an_outlet_type_are_noted_once(tmp_path, seed_corpus_dir):
    corpus = _seed_copy(tmp_path, seed_corpus_dir, "corpus")
    path = corpus / "metadata.csv"
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    untyped_ids = [rows[0]["article_id"], rows[1]["article_id"]]
    (corpus / "outlets.csv").unlink()
    for row in rows[:2]:
        row["outlet_type"] = ""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert runner.invoke(app, ["score", str(corpus), "-o", str(tmp_path / "s")]).exit_code == 0
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(tmp_path / "s"), "-o", str(out), "--n-boot", "99"])
    assert result.exit_code == 0, result.output
    mentioned = [line for line in _unwrapped(result.output).splitlines() if untyped_ids[0] in line]
    assert len(mentioned) == 1 and "2 article(s) have no outlet_type" in mentioned[0]
    means = pd.read_parquet(out / "group_means.parquet")
    typed = {row["outlet_type"] for row in rows[2:]}
    assert set(means["group"]) == typed


def test_figures_without_scorer_draw_the_evidence_of_the_one_stance_scorer(tmp_path, one_outlet):
    # Before: the panels were filtered on scorer None, so none was drawn and notes.md said
    # "Nothing was skipped".
    out = tmp_path / "fig"
    result = runner.invoke(app, ["figures", str(one_outlet), "-o", str(out), "--formats", "png"])
    assert result.exit_code == 0, result.output
    scores = pd.read_parquet(one_outlet / "article_scores.parquet")
    stance = scores[scores["kind"] == "stance"]
    panels = sorted(p.stem for p in out.glob("evidence_*.png"))
    assert panels and len(panels) == stance["article_id"].nunique()


def test_evidence_panels_with_two_stance_scorers_and_no_choice_are_noted(tmp_path, one_outlet):
    two = tmp_path / "two"
    shutil.copytree(one_outlet, two)
    for name in ("article_scores", "stance"):
        table = pd.read_parquet(two / f"{name}.parquet")
        other = table[table.get("kind", pd.Series("stance", index=table.index)) == "stance"]
        table = pd.concat([table, other.assign(scorer="embedding")], ignore_index=True)
        table.to_parquet(two / f"{name}.parquet")
    out = tmp_path / "fig"
    runner.invoke(app, ["figures", str(two), "-o", str(out), "--formats", "png"])
    notes = (out / "notes.md").read_text()
    assert "figure evidence_panel skipped" in notes and "several scorers" in notes
    assert "Nothing was skipped" not in notes
    assert not any(out.glob("evidence_*.png"))
    result = runner.invoke(
        app, ["figures", str(two), "-o", str(out), "--formats", "png", "--scorer", "embedding"]
    )
    assert result.exit_code == 0, result.output
    assert any(out.glob("evidence_*.png"))


def test_rows_that_only_carry_a_note_are_not_a_result():
    from framelens.analysis.compare import COMPARISON_TABLES, computed

    empty = {name: pd.DataFrame(columns=["mean", "p_value", "term"]) for name in COMPARISON_TABLES}
    untested = pd.DataFrame({"p_value": [float("nan")], "note": ["fewer than 2 groups"]})
    assert not computed({**empty, "omnibus": untested})
    assert computed({**empty, "group_means": pd.DataFrame({"mean": [0.2], "note": [""]})})
