"""``framelens ingest`` and ``framelens show``: read a corpus and audit its cleaning."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from framelens.cli._app import app, console, out, reports_errors
from framelens.cli.summaries import ingest_summary
from framelens.codebook import load_codebook
from framelens.errors import InputError
from framelens.runs.outputs import check_output_folder

# The library (pandas, the cleaner) is imported inside the commands: `framelens --help` and the
# other commands do not pay for it.


@app.command("ingest")
@reports_errors
def ingest_command(
    corpus: Path = typer.Argument(
        ..., help="Corpus directory, or a .jsonl/.csv/.tsv/.parquet file."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the tables."),
    csv: bool = typer.Option(False, "--csv", help="Also write CSV copies of the tables."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    config: Path = typer.Option(
        None,
        "--config",
        help="TOML file with \\[cleaning] and \\[dates] tables (default: CORPUS/corpus.toml).",
    ),
    max_file_mb: float = typer.Option(20.0, "--max-file-mb", help="Size limit for one article."),
    jobs: int = typer.Option(None, "--jobs", "-j", help="Worker processes (default: auto)."),
    codebook: Path = typer.Option(
        None,
        "--codebook",
        help="Codebook TOML (default: shipped); cleaning keeps recurring sentences naming "
        "its targets.",
    ),
) -> None:
    """Read, clean and segment CORPUS; write articles, sentences, removed, comments, problems."""
    from framelens.text.ingest import ingest
    from framelens.text.settings import load_cleaning_config, load_date_settings

    check_output_folder(output, inputs=[corpus])
    # Loaded now, so a broken codebook is reported before any work, naming its file and line.
    book = load_codebook(codebook) if codebook is not None else None
    cleaning = load_cleaning_config(config, corpus)
    dates = load_date_settings(config, corpus)
    with _progress() as progress:
        task = progress.add_task("cleaning", total=None)
        tables = ingest(
            corpus,
            clean=cleaning,
            strict=strict,
            max_file_mb=max_file_mb,
            n_jobs=jobs,
            progress=lambda done: progress.update(task, completed=done),
            dates=dates,
            codebook=book,
        )
    written = tables.save(output, csv=csv)
    out.print(ingest_summary(tables))
    out.print(f"wrote {len(written)} files to {output}")


@app.command("show")
@reports_errors
def show_command(
    article_id: str = typer.Argument(..., help="The article to show."),
    tables: Path = typer.Option(
        Path("out"), "--tables", "-t", help="Folder written by `framelens ingest`."
    ),
    removed_only: bool = typer.Option(False, "--removed-only", help="List removed spans only."),
) -> None:
    """Print an article's text with every removed span marked and its reason."""
    from framelens.text.ingest import Ingested

    data = Ingested.load(tables)
    articles = data.articles.set_index("article_id")
    if article_id not in articles.index:
        known = ", ".join(articles.index[:20])
        raise InputError(f"no article {article_id!r}", source=tables, hint=f"known: {known}")
    raw = articles.loc[article_id, "raw_text"]
    removed = data.removed[data.removed["article_id"] == article_id].sort_values("start")
    if removed_only:
        table = Table("start", "end", "reason", "text", title=f"removed from {article_id}")
        for row in removed.itertuples():
            table.add_row(str(row.start), str(row.end), row.reason, row.text[:100])
        out.print(table)
        return
    out.print(mark_removed(raw, removed))


def mark_removed(raw: str, removed) -> Text:
    """The text before cleaning, removed spans struck through and labelled with their reason;
    then the page text HTML extraction left out (rows without offsets)."""
    text, position = Text(), 0
    for row in removed.itertuples():
        if row.start < 0:
            continue
        text.append(raw[position : row.start])
        text.append(raw[row.start : row.end], style="strike red")
        text.append(f" [{row.reason}]", style="bold yellow")
        position = row.end
    text.append(raw[position:])
    for row in removed[removed["start"] < 0].itertuples():
        text.append("\n")
        text.append(row.text, style="strike red")
        text.append(f" [{row.reason}]", style="bold yellow")
    return text


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


__all__ = ["ingest_command", "show_command"]
