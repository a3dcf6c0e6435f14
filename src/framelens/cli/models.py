"""``framelens models``: the pretrained encoders and shipped models, where found, verified or not.

Each list is a narrow table (name, what it is, whether it verified) that fits an 80-column
terminal, followed by one block per model with what does not fit a cell: hub id, package,
licence, training data, scores, the path and any error, wrapped at the terminal's width
between words; a path has a line of its own and is never cut, so it can be copied.
"""

from __future__ import annotations

import typer
from rich import box
from rich.table import Table

from framelens.cli._app import EXIT_BAD_INPUT, app, fail, out, reports_errors
from framelens.cli.summaries import wrap_lines


@app.command("models")
@reports_errors
def models_command(
    hub: bool = typer.Option(
        False, "--hub", help="Also look on the Hugging Face hub (or its local cache)."
    ),
    check: bool = typer.Option(
        False,
        "--check",
        help="Exit with code 2 when an encoder or shipped model is missing or fails "
        "verification (for scripts).",
    ),
) -> None:
    """List the registered encoders and shipped models: where each was found, whether it verified."""
    from framelens.models.encoders import encoder_table
    from framelens.models.huggingface import shipped_model_table

    encoders = encoder_table(hub=hub)
    view = _table("pretrained encoders", ("name", "licence", "found in", "verified"))
    for row in encoders.itertuples(index=False):
        view.add_row(row.name, row.license, row.source or "-", _verified(row.verified))
    out.print(view)
    for row in encoders.itertuples(index=False):
        _details(
            row.name,
            [
                f"{row.hub_id} (pip package {row.distribution})",
                f"path: {row.path}" if row.path else "",
                f"problem: {row.problem}" if row.problem else "",
            ],
        )
    shipped = shipped_model_table()
    view = _table("models shipped in the package", ("name", "task", "scorer", "size", "verified"))
    for row in shipped.itertuples(index=False):
        view.add_row(row.name, row.task, row.scorer, _size(row.size_mb), _verified(row.verified))
    out.print(view)
    for row in shipped.itertuples(index=False):
        _details(
            row.name,
            [
                row.kind + (f" on the encoder {row.base}" if row.base else ""),
                f"default model of the {row.scorer} scorer" if row.default else "",
                f"trained on: {row.trained_on}" if row.trained_on else "",
                row.quality,
                f"path: {row.path}" if row.path else "",
                f"problem: {row.problem}" if row.problem else "",
            ],
        )
    failed = [
        str(name)
        for name, verified in zip(
            [*encoders["name"], *shipped["name"]],
            [*encoders["verified"], *shipped["verified"]],
            strict=True,
        )
        if verified is not True
    ]
    if check and failed:
        fail(f"not verified: {', '.join(failed)} (see above)", EXIT_BAD_INPUT)


def _table(title: str, columns) -> Table:
    # No cell of these tables is longer than its column needs at 80 columns; the long texts
    # are in the blocks below, which the terminal may wrap but rich never cuts.
    view = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
    for column in columns:
        view.add_column(column, no_wrap=True)
    return view


def _details(name: str, lines) -> None:
    """One block per model, wrapped at the terminal's width; a path on a line of its own, whole
    (a path cut over two lines cannot be copied)."""
    lines = [line for line in lines if line]
    if not lines:
        return
    out.print(wrap_lines(f"{name}: {lines[0]}", out.width), soft_wrap=True, highlight=False)
    for line in lines[1:]:
        if line.startswith("path: "):
            out.print("  path:", highlight=False)
            out.print(f"    {line[len('path: ') :]}", soft_wrap=True, highlight=False)
            continue
        out.print(wrap_lines(line, out.width, indent="  "), soft_wrap=True, highlight=False)


def _verified(value) -> str:
    return {True: "yes", False: "NO"}.get(value, "not found")


def _size(size_mb) -> str:
    if size_mb is None or size_mb != size_mb:
        return "-"
    return f"{size_mb:.2f} MB" if size_mb >= 1 else f"{size_mb * 1024:.0f} KB"
