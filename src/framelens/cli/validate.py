"""``framelens validate``: scorer output tables against a gold file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from framelens.cli._app import app, out, reports_errors


@app.command("validate")
@reports_errors
def validate_command(
    scores: list[Path] = typer.Argument(
        ..., help="Stance, frames or article_scores tables (.csv or .parquet)."
    ),
    gold: Path = typer.Option(..., "--gold", "-g", help="Gold CSV from `annotate merge`."),
    output: Path = typer.Option(
        None, "-o", "--output", help="Folder for validation.csv, .md and .tex."
    ),
    threshold: float = typer.Option(0.5, "--threshold", help="Frame score threshold."),
    coder: str = typer.Option(None, "--coder", help="Use this coder instead of the majority."),
) -> None:
    """Accuracy, macro-F1, MAE, Spearman and alpha of every scorer against human coding."""
    from framelens.gold import read_gold
    from framelens.validate import read_scores, to_latex, to_markdown, validation_table

    table = validation_table(
        [read_scores(path) for path in scores],
        read_gold(gold),
        threshold=threshold,
        coder=coder,
    )
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
