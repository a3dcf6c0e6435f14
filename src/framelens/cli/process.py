"""``framelens process``: the whole flow on a corpus of any size, partition by partition."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from framelens.cli._app import app, console, out, reports_errors
from framelens.runs.outputs import check_output_folder


@app.command("process")
@reports_errors
def process_command(
    corpus: Path = typer.Argument(
        ..., help="Corpus directory, or a .jsonl/.csv/.tsv/.parquet file."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the tables."),
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
    partition_size: int = typer.Option(500, "--partition-size", help="Articles per partition."),
    jobs: int = typer.Option(
        None, "--jobs", "-j", help="Worker processes (default: every core; 1: this process)."
    ),
    engine: str = typer.Option("local", "--engine", help="local (processes) or dask."),
    address: str = typer.Option(
        None, "--address", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."
    ),
    restart: bool = typer.Option(
        False,
        "--restart",
        help="Compute everything anew (discard an interrupted or finished run in OUTPUT).",
    ),
    config: Path = typer.Option(
        None,
        "--config",
        help="TOML file with \\[cleaning] and \\[dates] tables (default: CORPUS/corpus.toml).",
    ),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    threshold: float = typer.Option(0.5, "--frame-threshold", help="Frame presence threshold."),
) -> None:
    """Clean, segment and score CORPUS in partitions, in parallel; resume if interrupted.

    Writes OUTPUT/<table>.parquet, OUTPUT/manifest.json and OUTPUT/checksums.sha256.
    """
    if engine == "local" and jobs != 1:
        start_flow_workers([*(scorer or ["lexicon"]), *(frame_scorer or ["dictionary"])])
    from framelens.runs.process import process_corpus
    from framelens.text.settings import load_cleaning_config, load_date_settings

    check_output_folder(output, inputs=[corpus])  # before the progress bar starts
    frames = (
        []
        if [f.lower() for f in frame_scorer or ()] == ["none"]
        else (frame_scorer or ["dictionary"])
    )
    with (
        _resumable(output),
        Progress(
            TextColumn("articles done: {task.completed}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("process", total=None)
        summary = process_corpus(
            corpus,
            output,
            codebook=codebook,
            stance_scorers=scorer or ["lexicon"],
            frame_scorers=frames,
            clean=load_cleaning_config(config, corpus),
            dates=load_date_settings(config, corpus),
            partition_size=partition_size,
            engine=engine,
            jobs=jobs,
            address=address,
            resume=not restart,
            reuse=not restart,
            strict=strict,
            frame_threshold=threshold,
            progress=lambda done: bar.update(task, completed=done),
        )
    resumed = f", {summary['resumed']} kept from an interrupted run" if summary["resumed"] else ""
    if summary["up_to_date"]:
        resumed = ", up to date: nothing computed (--restart recomputes)"
    table = Table(
        "table",
        "rows",
        "file",
        title=(
            f"{summary['articles']} articles in {summary['partitions']} partitions{resumed}, "
            f"{summary['seconds']:.1f} s"
        ),
    )
    for name, path in summary["files"].items():
        table.add_row(name, f"{summary['rows'][name]:,}", path)
    out.print(table)
    out.print(f"manifest: {summary['manifest']}")


def start_flow_workers(scorers: list[str]) -> None:
    """Start the local workers' server before this process imports the flow: the two imports
    (a second or more each) then overlap (:func:`framelens.runs.engines.start_worker_server`).

    ``scorers`` are the scorers' names: the built-in scorers' modules are imported there too
    (a name with no module of that name, e.g. a plug-in's, is skipped).
    """
    from framelens.runs.engines import start_worker_server

    names = dict.fromkeys(scorers)
    modules = [f"framelens.scorers.{name}" for name in names if name.isidentifier()]
    start_worker_server(["framelens.runs.process", "framelens.text.punkt", *modules])


@contextmanager
def _resumable(output: Path):
    """On Ctrl-C, say that the finished partitions are kept and how to resume; exit 130."""
    try:
        yield
    except KeyboardInterrupt:
        console.print(
            f"[yellow]interrupted:[/] the partitions finished so far are kept in {output}; "
            "run the same command again to resume",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(130) from None
