"""``framelens run``: a whole study from its experiment config."""

from __future__ import annotations

from pathlib import Path

import typer

from framelens.cli._app import app, console, out, reports_errors
from framelens.cli.score import article_table
from framelens.runs.config import load_experiment
from framelens.runs.experiment import run_experiment


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
    for note in result.warnings:
        console.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)
    scores = result.tables["article_scores"]
    primary = {
        experiment.primary_stance or experiment.stance_scorers[0],
        experiment.primary_frames or experiment.frame_scorers[0],
    }
    out.print(
        f"article scores of the primary scorers ({', '.join(sorted(primary))}); "
        f"all scorers: {experiment.results / 'tables' / 'article_scores.csv'}"
    )
    out.print(article_table(scores[scores["scorer"].isin(primary)]))
    out.print(f"results: {experiment.results}")
    out.print(f"figures: {experiment.figures_out} ({len(result.figures)} files)")
    out.print(f"manifest: {experiment.results / 'manifest.json'}")
