"""``framelens score``: mentions, sentence stance and frames, and article scores of a corpus."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from framelens.cli._app import app, out, reports_errors
from framelens.codebook import load_codebook
from framelens.runs.outputs import check_output_folder


@app.command("score")
@reports_errors
def score_command(
    corpus: Path = typer.Argument(
        ..., help="Corpus directory, or a .jsonl/.csv/.tsv/.parquet file."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the tables."),
    codebook: Path = typer.Option(
        None, "--codebook", "-c", help="Codebook TOML (default: shipped)."
    ),
    scorer: str = typer.Option("lexicon", "--scorer", "-s", help="Stance scorer name."),
    frame_scorer: str = typer.Option(
        "dictionary", "--frame-scorer", "-f", help="Frame scorer name ('none' to skip frames)."
    ),
    target: list[str] = typer.Option(
        None, "--target", "-t", help="Score stance toward this target only (repeatable)."
    ),
    threshold: float = typer.Option(0.5, "--frame-threshold", help="Frame presence threshold."),
    model: str = typer.Option(
        None,
        "--model",
        "-m",
        help="Trained model of the stance scorer: "
        "a .skops file (supervised) or a model folder/hub id (transformer).",
    ),
    frame_model: str = typer.Option(
        None,
        "--frame-model",
        help="Trained model of the frame scorer (default: --model when both scorers take one).",
    ),
    device: str = typer.Option(
        None, "--device", help="transformer and encoder scorers: auto, cpu, cuda or mps."
    ),
    cache_dir: Path = typer.Option(
        None,
        "--cache-dir",
        help="transformer and encoder scorers: score/embedding cache folder (reruns cost nothing).",
    ),
    csv: bool = typer.Option(False, "--csv", help="Also write CSV copies of the tables."),
) -> None:
    """Score CORPUS; write mentions, stance, frames and article_scores (Parquet, optional CSV)."""
    check_output_folder(output, inputs=[corpus])
    # Imported here: the scorers pull in scikit-learn and NLTK, which `--help` does not need.
    from framelens.runs.scoring import score_corpus
    from framelens.scorers.build import build_scorer
    from framelens.text.ingest import ingest, write_tables

    book = load_codebook(codebook)
    for name in target or ():
        book.target(name)  # fail fast, listing the codebook's targets
    trained = {"supervised", "transformer"}
    extra = {k: v for k, v in {"device": device, "cache_dir": cache_dir}.items() if v is not None}
    stance_scorer = build_scorer(
        "stance", scorer, book, model=model, **(extra if scorer == "transformer" else {})
    )
    frames = None
    if frame_scorer.lower() != "none":
        takes_model = frame_scorer in trained and scorer in trained
        frames = build_scorer(
            "frame",
            frame_scorer,
            book,
            model=frame_model or (model if takes_model else None),
            **(extra if frame_scorer in {"transformer", "encoder", "encoder-supervised"} else {}),
        )
    ingested = ingest(corpus, codebook=book)
    sentences = ingested.sentences
    tables = score_corpus(
        sentences,
        book,
        stance_scorer=stance_scorer,
        frame_scorer=frames,
        targets=target,
        frame_threshold=threshold,
    )
    # The ingest tables travel with the scores, so `framelens compare OUT` has all it needs.
    written = ingested.save(output, csv=csv) + write_tables(tables, output, csv=csv)
    out.print(article_table(tables["article_scores"]))
    out.print(f"wrote {len(written)} files to {output}")


def article_table(scores) -> Table:
    """The article scores as a rich table: one row per article, one column per target/frame."""
    from framelens.analysis.aggregate import wide_article_scores

    wide = wide_article_scores(scores)
    table = Table("article", title="article scores (stance: mean score; frame: share of sentences)")
    for column in wide.columns:
        kind, name = column.split(":", 1)
        table.add_column(f"{kind}\n{name}", justify="right", overflow="fold")
    for article_id, row in wide.iterrows():
        cells = [
            "–"
            if value != value
            else f"{value:+.2f}"
            if column.startswith("stance:")
            else f"{value:.2f}"
            for column, value in row.items()
        ]
        table.add_row(str(article_id), *cells)
    return table
