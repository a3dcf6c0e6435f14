"""``framelens run``: a whole study from its experiment config."""

from __future__ import annotations

from pathlib import Path

import typer

from framelens.cli._app import app, console, out, reports_errors
from framelens.cli.summaries import print_notes, run_summary, wrap_lines


@app.command("run")
@reports_errors
def run_command(
    config: Path = typer.Argument(
        ..., help="Experiment config (TOML), e.g. experiments/pakistan_russia.toml."
    ),
    force: bool = typer.Option(False, "--force", help="Recompute cached scores."),
) -> None:
    """Run a study: ingest, score, aggregate, compare, draw figures, write a manifest."""
    from framelens.runs.config import load_experiment
    from framelens.runs.experiment import run_experiment

    experiment = load_experiment(config)  # validated before any long work starts
    result = run_experiment(
        # A stage line is text (it may name a [bracketed] path), never markup.
        experiment,
        force=force,
        log=lambda line: console.print(line, style="dim", markup=False, highlight=False),
    )
    print_notes(console, result.warnings)
    for part in run_summary(experiment, result, height=out.size.height):
        if isinstance(part, str):
            # Wrapped between words at the terminal's width; a path is never cut.
            out.print(wrap_lines(part, out.width, hanging=""), soft_wrap=True)
        else:
            out.print(part)
    out.print(f"results: {experiment.results}")
    out.print(f"figures: {experiment.figures_out} ({len(result.figures)} files)")
    out.print(f"manifest: {experiment.results / 'manifest.json'}")
