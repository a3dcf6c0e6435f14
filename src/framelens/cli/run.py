"""``framelens run``: a whole study from its experiment config."""

from __future__ import annotations

from pathlib import Path

import typer

from framelens.cli._app import app, console, out, reports_errors
from framelens.cli.score import article_table
from framelens.cli.summaries import print_notes, wide_means_table
from framelens.runs.config import load_experiment
from framelens.runs.experiment import run_experiment

#: The most article rows printed at the end of a run; past that (or past the terminal's
#: height) the group means are printed instead, with where the full tables are.
MAX_ARTICLE_ROWS = 20
#: Terminal lines the article table needs besides its rows (title, header, rule, border).
_TABLE_LINES = 8


@app.command("run")
@reports_errors
def run_command(
    config: Path = typer.Argument(
        ..., help="Experiment config (TOML), e.g. experiments/pakistan_russia.toml."
    ),
    force: bool = typer.Option(False, "--force", help="Recompute cached scores."),
) -> None:
    """Run a study: ingest, score, aggregate, compare, draw figures, write a manifest."""
    experiment = load_experiment(config)  # validated before any long work starts
    result = run_experiment(
        experiment, force=force, log=lambda line: console.print(f"[dim]{line}[/]")
    )
    print_notes(console, result.warnings)
    scores = result.tables["article_scores"]
    primary = {
        experiment.primary_stance or experiment.stance_scorers[0],
        experiment.primary_frames or experiment.frame_scorers[0],
    }
    tables = experiment.results / "tables"
    n_articles = scores.loc[scores["scorer"].isin(primary), "article_id"].nunique()
    limit = min(MAX_ARTICLE_ROWS, out.size.height - _TABLE_LINES)
    if n_articles <= limit:
        out.print(
            f"article scores of the primary scorers ({', '.join(sorted(primary))}); "
            f"all scorers: {tables / 'article_scores.csv'}"
        )
        out.print(article_table(scores[scores["scorer"].isin(primary)]))
    else:
        means = result.tables["group_means"]
        out.print(
            f"{n_articles} articles: group means of the primary scorers "
            f"({', '.join(sorted(primary))}) below; every article's scores: "
            f"{tables / 'article_scores.csv'}; intervals and notes: "
            f"{tables / 'group_means.csv'}; tests: {tables / 'omnibus.csv'}, "
            f"{tables / 'pairwise.csv'}",
            soft_wrap=True,
        )
        if len(means):
            out.print(wide_means_table(means, primary))
    out.print(f"results: {experiment.results}")
    out.print(f"figures: {experiment.figures_out} ({len(result.figures)} files)")
    out.print(f"manifest: {experiment.results / 'manifest.json'}")
