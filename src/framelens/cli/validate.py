"""``framelens validate``: scorer output tables against a gold file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from framelens.cli._app import app, out, reports_errors
from framelens.runs.outputs import check_output_folder


@app.command("validate")
@reports_errors
def validate_command(
    scores: list[Path] = typer.Argument(
        None,
        help="Stance, frames or article_scores tables (.csv or .parquet). Without them, "
        "every scorer is run and measured (the validation report).",
    ),
    gold: Path = typer.Option(
        None, "--gold", "-g", help="Gold CSV (default: CORPUS/annotations/gold.csv)."
    ),
    corpus: Path = typer.Option(
        Path("corpora/pakistan_russia"),
        "--corpus",
        help="Corpus the gold codings refer to (report mode).",
    ),
    data: Path = typer.Option(
        None,
        "--data",
        help="Folder with the NewsMTSC dev files (report mode; e.g. ../shared/data).",
    ),
    train_supervised: bool = typer.Option(
        False,
        "--train-supervised",
        help="Train the supervised scorers on the public data in --data: the stance scorer on "
        "NewsMTSC train, and the encoder frame heads (with the seed gold, leave-one-article-out) "
        "on FrAC and Narrative Frames.",
    ),
    model: str = typer.Option(
        None, "--model", help="Add the transformer scorers with this model (folder or hub id)."
    ),
    shipped_stance: bool = typer.Option(
        True,
        "--shipped-stance/--no-shipped-stance",
        help="Measure the shipped fine-tuned stance model (needs framelens[pretrained]).",
    ),
    readme: Path = typer.Option(
        None,
        "--readme",
        help="Write the report table into this README between its validation markers.",
    ),
    output: Path = typer.Option(
        None, "-o", "--output", help="Folder for validation.csv, .md and .tex."
    ),
    threshold: float = typer.Option(0.5, "--threshold", help="Frame score threshold."),
    cache_dir: Path = typer.Option(
        None,
        "--cache-dir",
        help="Embedding cache of the encoder scorers (report mode; reruns embed nothing twice).",
    ),
    coder: str = typer.Option(None, "--coder", help="Use this coder instead of the majority."),
) -> None:
    """Measure scorers against human coding: given tables, or (without) every scorer."""
    import pandas as pd

    from framelens.datasets.gold import read_gold
    from framelens.validation.metrics import read_scores, to_latex, to_markdown, validation_table

    if output is not None:
        # The corpus is read in report mode only; given tables, it only locates the gold file.
        default_gold = corpus / "annotations" / "gold.csv"
        inputs = [*(scores or []), gold or default_gold, None if scores else corpus]
        check_output_folder(output, inputs=inputs)
    gold = gold or corpus / "annotations" / "gold.csv"
    if scores:
        table = validation_table(
            [read_scores(path) for path in scores],
            read_gold(gold),
            threshold=threshold,
            coder=coder,
        )
    else:
        from framelens.validation.report import update_readme, validation_report

        table = validation_report(
            corpus,
            gold,
            data,
            train_supervised=train_supervised,
            transformer_model=model,
            shipped_stance=shipped_stance,
            cache_dir=cache_dir,
        )
        if readme is not None:
            update_readme(readme, table)
            out.print(f"updated the validation table in {readme}")
    view = Table(title=f"validation against {gold}")
    for column in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[column])
        view.add_column(column, justify="right" if numeric else "left")
    for row in table.itertuples(index=False):
        view.add_row(*[_cell(v) for v in row])
    out.print(view)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        table.to_csv(output / "validation.csv", index=False)
        (output / "validation.md").write_text(to_markdown(table))
        (output / "validation.tex").write_text(to_latex(table))
        out.print(f"wrote validation.csv, validation.md and validation.tex to {output}")


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.3f}"
    return str(value)
