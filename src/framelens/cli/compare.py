"""``framelens compare`` and ``framelens figures``: outlet comparisons from scored tables.

A part the data cannot support (keyness or tests with one group, trends without dates, a
figure with nothing to show) is skipped with a note, printed and written to ``notes.md`` in
the output folder; the rest is written. When nothing at all could be computed the command
exits with code 2, after writing the notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from framelens.cli._app import app, console, fail, out, reports_errors
from framelens.cli.summaries import means_table, print_notes
from framelens.errors import InputError
from framelens.runs.outputs import check_output_folder

if TYPE_CHECKING:  # pandas is imported where it is used: `--help` does not need it
    import pandas as pd

PERIODS = ("month", "quarter", "year", "none")


def _read(tables: Path, name: str) -> pd.DataFrame:
    path = tables / f"{name}.parquet"
    if not path.is_file():
        raise InputError(
            f"no {name}.parquet",
            source=tables,
            hint="run `framelens score CORPUS -o DIR` (or `framelens run`) first",
        )
    import pandas as pd

    return pd.read_parquet(path)


def _scored(tables: Path, group: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles, scores = _read(tables, "articles"), _read(tables, "article_scores")
    if group not in articles.columns:
        raise InputError(
            f"no column {group!r} in articles",
            source=tables / "articles.parquet",
            hint=f"columns: {', '.join(c for c in articles.columns if c != 'text')}",
        )
    return articles, scores


def _period(over_time: str) -> str | None:
    if over_time.lower() not in PERIODS:
        raise InputError(f"unknown period {over_time!r}", hint=f"use {', '.join(PERIODS)}")
    return None if over_time.lower() == "none" else over_time.lower()


@app.command("compare")
@reports_errors
def compare_command(
    tables: Path = typer.Argument(..., help="Folder written by `framelens score`."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the comparison tables."),
    group: str = typer.Option("outlet_type", "--group", "-g", help="Articles column to compare."),
    n_boot: int = typer.Option(2000, "--n-boot", help="Bootstrap resamples."),
    min_n: int = typer.Option(2, "--min-n", help="Smallest group given an interval or test."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap and permutations."),
    over_time: str = typer.Option(
        "year", "--over-time", help="Period of the trends: month, quarter, year or none."
    ),
) -> None:
    """Group means with bootstrap intervals, omnibus and pairwise tests, keyness and trends."""
    from framelens.analysis.compare import compare_groups, computed
    from framelens.runs.stages import write_notes, write_reports
    from framelens.text.ingest import write_tables

    check_output_folder(output, inputs=[tables])
    if min_n < 2:
        raise InputError(f"--min-n {min_n} is too small", hint="a group needs at least 2")
    period = _period(over_time)
    articles, scores = _scored(tables, group)
    combined, notes = compare_groups(
        scores, articles, group_by=[group], n_boot=n_boot, min_n=min_n, seed=seed, over_time=period
    )
    written = write_tables(combined, output, csv=True) + write_reports(combined, output)
    written.append(write_notes(notes, output, title=f"Notes on `framelens compare {tables}`"))
    print_notes(console, notes)
    if not computed(combined):
        fail(f"no comparison could be computed (the notes say why; see {output / 'notes.md'})")
    if len(combined["group_means"]):
        out.print(means_table(combined["group_means"]))
    out.print(f"wrote {len(written)} files to {output}")


@app.command("figures")
@reports_errors
def figures_command(
    tables: Path = typer.Argument(..., help="Folder written by `framelens score`."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the figures."),
    group: str = typer.Option("outlet_type", "--group", "-g", help="Articles column to compare."),
    scorer: str = typer.Option(None, "--scorer", help="Stance scorer (if several were run)."),
    frame_scorer: str = typer.Option(None, "--frame-scorer", help="Frame scorer."),
    formats: str = typer.Option("pdf,svg,png", "--formats", help="Comma-separated formats."),
    make: str = typer.Option(
        None,
        "--make",
        help="Comma-separated figures to draw (default all): stance_heatmap, "
        "frame_composition, stance_distribution, keyness, stance_over_time, frames_over_time, "
        "evidence_panel (one per article: slow on a large corpus).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap intervals."),
    over_time: str = typer.Option(
        "year", "--over-time", help="Period of the trend figures: month, quarter, year or none."
    ),
    codebook: Path = typer.Option(
        None, "--codebook", "-c", help="Codebook whose labels name targets and frames."
    ),
) -> None:
    """Draw the stance heatmap, frame composition, stance distribution, keyness, trends and
    evidence panels (the figures of `framelens run`; `--make` picks some)."""
    import matplotlib

    matplotlib.use("Agg")
    from framelens.codebook import load_codebook
    from framelens.plots.study import FIGURE_NAMES, study_figures
    from framelens.plots.style import check_formats
    from framelens.runs.stages import save_figures, write_notes

    check_output_folder(output, inputs=[tables, codebook])
    period = _period(over_time)
    formats_list = tuple(f.strip() for f in formats.split(",") if f.strip())
    check_formats(formats_list)
    articles, scores = _scored(tables, group)
    book = load_codebook(codebook)
    labels = book.labels
    optional = {
        name: _read(tables, name)
        for name in ("stance", "sentences")
        if (tables / f"{name}.parquet").is_file()
    }
    jobs = study_figures(
        {"article_scores": scores, "articles": articles, **optional},
        group_by=[group],
        stance_scorer=scorer,
        frame_scorer=frame_scorer,
        names=FIGURE_NAMES if make is None else [n.strip() for n in make.split(",") if n.strip()],
        labels=labels,
        seed=seed,
        over_time=period,
    )
    notes: list[str] = []
    written = save_figures(jobs, output, formats=formats_list, notes=notes)
    written.append(write_notes(notes, output, title=f"Notes on `framelens figures {tables}`"))
    print_notes(console, notes)
    if len(written) == 1:
        fail(f"no figure could be drawn (the notes say why; see {output / 'notes.md'})")
    out.print(f"wrote {len(written)} files to {output}")


__all__ = ["compare_command", "figures_command"]
