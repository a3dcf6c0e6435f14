"""``framelens annotate``: coding sheets for human coders, and agreement between them."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.table import Table

from framelens.cli._app import app, out, reports_errors
from framelens.runs.outputs import check_output_file

annotate_app = typer.Typer(
    help="Sample sentences for human coding, merge the coded sheets, measure agreement.",
    no_args_is_help=True,
)
app.add_typer(annotate_app, name="annotate")


def _codebook(path: Path | None):
    from framelens.codebook import load_codebook

    return load_codebook(path)


def _corpus_tables(corpus: Path, codebook=None):
    """Tables of CORPUS: a folder written by `framelens ingest`, or a raw corpus to ingest
    (cleaned with ``codebook``'s targets)."""
    from framelens.text.ingest import Ingested, ingest

    if (corpus / "sentences.parquet").is_file():
        return Ingested.load(corpus)
    return ingest(corpus, codebook=codebook)


@annotate_app.command("sample")
@reports_errors
def sample_command(
    corpus: Path = typer.Argument(..., help="Corpus directory (or a folder from `ingest`)."),
    n: int = typer.Option(..., "-n", help="Number of (sentence, target) units to draw."),
    output: Path = typer.Option(..., "-o", "--output", help="Sheet path (writes .csv and .xlsx)."),
    stratify: str = typer.Option(
        "outlet,target", "--stratify", help="Comma-separated strata columns ('' for none)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the draw."),
    codebook: Path = typer.Option(None, "--codebook", help="Codebook TOML (default: shipped)."),
) -> None:
    """Draw a stratified sample of sentences and write a coding sheet with instructions."""
    from framelens.text.mentions import find_mentions
    from framelens.validation.coding_sheets import (
        coding_sheet,
        instructions,
        sample_for_coding,
        sheet_paths,
        write_sheet,
    )

    check_output_file(output, inputs=[corpus])
    for path in sheet_paths(output):  # "-o corpus.xlsx" writes corpus.csv too
        check_output_file(path, inputs=[corpus])

    book = _codebook(codebook)
    tables = _corpus_tables(corpus, book)
    mentions = find_mentions(tables.sentences, book)
    strata = [c.strip() for c in stratify.split(",") if c.strip()]
    units = sample_for_coding(tables.sentences, mentions, tables.articles, n, strata, seed)
    written = write_sheet(coding_sheet(units, book), instructions(book), output)
    out.print(f"sampled {len(units)} units from {units['article_id'].nunique()} articles")
    for path in written:
        out.print(f"wrote {path}")


@annotate_app.command("merge")
@reports_errors
def merge_command(
    sheets: list[Path] = typer.Argument(..., help="Coded sheets (.csv or .xlsx)."),
    output: Path = typer.Option(..., "-o", "--output", help="Gold CSV file to write."),
    sample: Path = typer.Option(
        None, "--sample", help="The blank sheet from `annotate sample`: checks ids and columns."
    ),
    codebook: Path = typer.Option(None, "--codebook", help="Codebook TOML (default: shipped)."),
) -> None:
    """Check coded sheets and merge them into one gold file."""
    check_output_file(output, inputs=[*sheets, sample])
    from framelens.datasets.gold import write_gold
    from framelens.validation.coding_sheets import merge_sheets

    gold = merge_sheets(sheets, sample=sample, codebook=_codebook(codebook))
    output.parent.mkdir(parents=True, exist_ok=True)
    write_gold(gold, output)
    out.print(f"wrote {len(gold)} judgements by {gold['coder'].nunique()} coder(s) to {output}")


@annotate_app.command("agreement")
@reports_errors
def agreement_command(
    files: list[Path] = typer.Argument(..., help="Gold files and/or coded sheets."),
    sample: Path = typer.Option(None, "--sample", help="The blank sheet, to check coded sheets."),
    codebook: Path = typer.Option(None, "--codebook", help="Codebook TOML (default: shipped)."),
    n_boot: int = typer.Option(1000, "--n-boot", help="Bootstrap replicates for the intervals."),
    ci: float = typer.Option(0.95, "--ci", help="Coverage of the intervals."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    output: Path = typer.Option(None, "-o", "--output", help="Also write the table as CSV."),
) -> None:
    """Krippendorff's alpha and Cohen's kappa per target and frame, with bootstrap intervals."""
    if output is not None:
        check_output_file(output, inputs=[*files, sample])
    from framelens.validation.coding_sheets import read_codings
    from framelens.validation.reliability import agreement

    gold = read_codings(files, sample=sample, codebook=_codebook(codebook))
    table = agreement(
        gold, n_boot=n_boot, ci=ci, seed=seed, source=", ".join(str(f) for f in files)
    )
    view = Table(
        title=f"agreement of {gold['coder'].nunique()} coders ({ci:.0%} intervals)",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    for column in ("task", "name", "metric", "value", "low", "high", "units"):
        numeric = column not in ("task", "name", "metric")
        view.add_column(column, justify="right" if numeric else "left", no_wrap=True)
    for row in table.itertuples(index=False):
        view.add_row(
            row.task,
            row.name,
            row.metric,
            _number(row.value),
            _number(row.ci_low),
            _number(row.ci_high),
            str(row.n_units),
        )
    out.print(view)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(output, index=False)
        out.print(f"wrote {output}")


def _number(value: float) -> str:
    return "" if value != value else f"{value:.3f}"


@annotate_app.command("guide")
@reports_errors
def guide_command(
    output: Path = typer.Option(None, "-o", "--output", help="Markdown file (default: print)."),
    codebook: Path = typer.Option(None, "--codebook", help="Codebook TOML (default: shipped)."),
) -> None:
    """Write the coding guide for human coders, generated from the codebook."""
    if output is not None:
        check_output_file(output, inputs=[codebook])
    from framelens.codebook.guide import coding_guide

    text = coding_guide(_codebook(codebook))
    if output is None:
        out.print(text, markup=False, highlight=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    out.print(f"wrote {output}")
