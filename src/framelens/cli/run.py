"""``framelens run``: a whole study from its experiment config."""

from __future__ import annotations

from pathlib import Path

import typer

from framelens.cli._app import app, console, out, reports_errors
from framelens.experiment import run_experiment
from framelens.experiment_config import load_experiment


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
    out.print(article_table(result.tables["article_scores"]))
    out.print(f"results: {experiment.results}")
    out.print(f"figures: {experiment.figures_out} ({len(result.figures)} files)")
    out.print(f"manifest: {experiment.results / 'manifest.json'}")


def article_table(article_scores):
    """The article-level scores as a rich table (one row per article, scorer and name)."""
    from rich.table import Table

    table = Table(title="article scores")
    for column in ("article", "kind", "name", "scorer", "value", "n"):
        table.add_column(column, justify="right" if column in ("value", "n") else "left")
    ordered = article_scores.sort_values(["article_id", "kind", "name", "scorer"])
    for row in ordered.itertuples():
        table.add_row(
            str(row.article_id),
            row.kind,
            row.name,
            row.scorer,
            f"{row.value:+.2f}" if row.kind == "stance" else f"{row.value:.2f}",
            str(row.n_evidence),
        )
    return table
