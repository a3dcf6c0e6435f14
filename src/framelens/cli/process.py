"""``framelens process``: the whole flow on a corpus too large for memory, batch by batch."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from framelens.cli._app import app, console, out, reports_errors
from framelens.config import load_cleaning_config
from framelens.distributed import process_corpus


@app.command("process")
@reports_errors
def process_command(
    corpus: Path = typer.Argument(..., help="Corpus directory, or a .jsonl/.csv/.parquet file."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the table datasets."),
    codebook: Path = typer.Option(
        None, "--codebook", "-c", help="Codebook TOML (default: shipped)."
    ),
    scorer: list[str] = typer.Option(
        None, "--scorer", "-s", help="Stance scorer name (repeatable; default: lexicon)."
    ),
    frame_scorer: list[str] = typer.Option(
        None,
        "--frame-scorer",
        "-f",
        help="Frame scorer name (repeatable; default: dictionary; 'none' to skip frames).",
    ),
    partition_size: int = typer.Option(500, "--partition-size", help="Articles per task."),
    scheduler: str = typer.Option(
        "processes",
        "--scheduler",
        help="processes, threads, synchronous, or a dask scheduler address (tcp://host:8786).",
    ),
    workers: int = typer.Option(
        None, "--workers", "-j", help="Local worker processes or threads (default: all cores)."
    ),
    config: Path = typer.Option(
        None, "--config", help="TOML file with a [cleaning] table (default: CORPUS/corpus.toml)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    threshold: float = typer.Option(0.5, "--frame-threshold", help="Frame presence threshold."),
) -> None:
    """Clean, segment and score CORPUS in parallel batches; write one Parquet dataset per table."""
    frames = (
        []
        if [f.lower() for f in frame_scorer or ()] == ["none"]
        else (frame_scorer or ["dictionary"])
    )
    with Progress(
        TextColumn("articles done: {task.completed}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("process", total=None)
        summary = process_corpus(
            corpus,
            output,
            codebook=codebook,
            stance_scorers=scorer or ["lexicon"],
            frame_scorers=frames,
            clean=load_cleaning_config(config, corpus),
            batch_size=partition_size,
            scheduler=scheduler,
            n_workers=workers,
            strict=strict,
            frame_threshold=threshold,
            progress=lambda done: bar.update(task, completed=done),
        )
    table = Table(
        "table",
        "rows",
        "folder",
        title=(
            f"{summary['articles']} articles in {summary['batches']} batches, "
            f"{summary['seconds']:.1f} s"
        ),
    )
    for name, folder in summary["tables"].items():
        table.add_row(name, f"{summary['rows'][name]:,}", folder)
    out.print(table)
