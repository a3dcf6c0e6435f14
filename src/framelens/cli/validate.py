"""``framelens validate``: scorer output tables against a gold file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from framelens.cli._app import app, out, reports_errors
from framelens.runs.outputs import check_output_folder

if TYPE_CHECKING:  # pandas is imported where it is used: `--help` does not need it
    import pandas as pd


@app.command("validate")
@reports_errors
def validate_command(
    scores: list[Path] = typer.Argument(
        None,
        help="Stance, frames or article_scores tables (.csv or .parquet). Without them, "
        "every scorer is run and measured (the validation report).",
    ),
    gold: Path = typer.Option(
        None,
        "--gold",
        "-g",
        # Words short enough for typer's ~20-character help column at 80 columns.
        help="Gold CSV (default: gold.csv in the corpus's annotations folder).",
    ),
    corpus: Path = typer.Option(
        Path("corpora/pakistan_russia"),
        "--corpus",
        help="Corpus the gold codings refer to (report mode; default: the shipped corpus, "
        "pakistan_russia in corpora).",
        show_default=False,
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
        "NewsMTSC train, and the encoder frame heads (with the seed gold, one article held out at a time) "
        "on FrAC and Narrative Frames.",
    ),
    model: str = typer.Option(
        None, "--model", help="Add the transformer scorers with this model (folder or hub id)."
    ),
    shipped_stance: bool = typer.Option(
        True,
        "--shipped-stance/--no-shipped-stance",
        # "[pretrained]" escaped (rich would read it as markup), and short enough for typer's
        # narrow help column at 80 columns.
        help="Measure the shipped fine-tuned stance model (needs the \\[pretrained] extra).",
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
    print_report(table, f"validation against {gold}")
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        table.to_csv(output / "validation.csv", index=False)
        (output / "validation.md").write_text(to_markdown(table))
        (output / "validation.tex").write_text(to_latex(table))
        out.print(f"wrote validation.csv, validation.md and validation.tex to {output}")


def print_report(table: pd.DataFrame, title: str) -> None:
    """Print a validation table legibly at the terminal's width.

    When the whole table fits, it is printed as it is. Otherwise (an 80-column terminal) it is
    split into one table per dataset and task, columns empty there are left out, long
    evaluation texts are replaced by keys (E1, E2, ...) spelled out below, and only the notes
    wrap; the ``-o`` files always hold the full table.
    """
    import pandas as pd

    full = _rich_table(table, title)
    if _width(full) <= out.width:
        out.print(full)
        return
    evaluations = _keys(table["evaluation"], "E", short=9) if "evaluation" in table else {}
    shown = table.copy()
    if evaluations:
        shown["evaluation"] = shown["evaluation"].map(evaluations)
    shown = shown.rename(columns=COMPACT_HEADERS)
    by = [c for c in ("dataset", "task") if c in shown.columns]
    out.print(title, highlight=False, soft_wrap=True)
    groups = shown.groupby(by, sort=False) if by else [((), shown)]
    # Each part's title is printed as a line of its own: a table title wraps at its width.
    for key, part in groups:
        title = [str(k) for k in (key if isinstance(key, tuple) else (key,))]
        part = part.drop(columns=by)
        # A row that measures nothing (a shipped model left out, with the reason) is a line
        # below the table, not a row of blanks with a long note.
        unmeasured = part["n"].isna() if "n" in part else pd.Series(False, index=part.index)
        left_out, part = part[unmeasured], part[~unmeasured]
        empty = [c for c in part.columns if not any(_cell(v) for v in part[c])]
        part = part.drop(columns=empty)
        # A text column with one value in the whole part (e.g. "all frames") joins the title.
        for column in ("name",):
            if column in part and len(part) > 1 and part[column].nunique() == 1:
                title.append(_cell(part[column].iloc[0]))
                part = part.drop(columns=column)
        part, shared = _factor_notes(part)
        if shared:
            title.append(f"notes: {shared}")
        out.print("")
        out.print(" · ".join(title), highlight=False, soft_wrap=True, style="bold")
        if len(part):
            out.print(_rich_table(part, None))
        for row in left_out.to_dict("records"):
            what = f"{row.get('scorer', '')} ({row.get('eval', '')}, {row.get('name', '')})"
            out.print(f"{what}: {row.get('note', '')}", highlight=False, soft_wrap=True)
    legend = [f"{short} = {long}" for long, short in COMPACT_HEADERS.items() if short in shown]
    out.print("")
    out.print("columns: " + "; ".join(legend), highlight=False, soft_wrap=True)
    for text, key in evaluations.items():
        if key != text:
            out.print(f"{key}: {text}", highlight=False, soft_wrap=True)


#: Shorter column headers of the narrow view (spelled out below it).
COMPACT_HEADERS = {"evaluation": "eval", "accuracy": "acc", "macro_f1": "F1m"}


def _rich_table(table: pd.DataFrame, title: str | None) -> Table:
    import pandas as pd

    view = Table(
        title=title,
        box=None,
        title_justify="left",
        header_style="bold",
        pad_edge=False,
        padding=(0, 1),
    )
    for column in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[column])
        # Only notes wrap: a scorer name cut to "enco…" or a number split over lines misreads.
        view.add_column(
            str(column),
            justify="right" if numeric else "left",
            no_wrap=column != "note",
            overflow="fold",
        )
    for row in table.itertuples(index=False):
        view.add_row(*[_cell(v) for v in row])
    return view


def _width(view: Table) -> int:
    """The width ``view`` needs to print every cell whole on one line."""
    from rich.measure import Measurement

    return Measurement.get(out, out.options.update(width=10_000), view).maximum


def _factor_notes(part: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Move what every note of ``part`` says to its title: the shorter notes then fit a line.

    A note shared by all rows leaves the table; otherwise a shared head ending in ";" or ":"
    (``F1 of 'present';``) and a shared tail in parentheses (``(article x frame shares)``) are
    cut from each note. Returns the table and the shared text ("" when nothing is shared).
    """
    if "note" not in part.columns or part.empty:
        return part, ""
    notes = [_cell(v).split() for v in part["note"]]
    if all(n == notes[0] for n in notes):
        return part.drop(columns="note"), " ".join(notes[0])
    head = 0
    for k in range(min(map(len, notes))):
        if any(n[k] != notes[0][k] for n in notes):
            break
        if notes[0][k].endswith((";", ":")):
            head = k + 1
    tail = 0
    for k in range(1, min(map(len, notes)) - head + 1):
        if any(n[-k] != notes[0][-k] for n in notes):
            break
        if notes[0][-k].startswith("("):
            tail = k
    if not head and not tail:
        return part, ""
    shared = " ".join(notes[0][:head] + (["…"] if head else []) + notes[0][len(notes[0]) - tail :])
    cut = [" ".join(n[head : len(n) - tail]) for n in notes]
    return part.assign(note=cut), shared


def _keys(values: pd.Series, prefix: str, *, short: int) -> dict:
    """Each distinct text -> itself when at most ``short`` characters, else a key (E1, E2, ...)."""
    keys = {}
    for value in values:
        text = _cell(value)
        if text in keys:
            continue
        long = len(text) > short
        keys[text] = f"{prefix}{sum(k != t for t, k in keys.items()) + 1}" if long else text
    return {value: keys[_cell(value)] for value in values.drop_duplicates()}


def _cell(value) -> str:
    import pandas as pd

    if value is pd.NA or value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else f"{value:.3f}"
    return str(value)
