"""``framelens codebook``: check a codebook file, or print the one shipped with framelens."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from framelens.cli._app import app, console, fail, out, reports_errors
from framelens.codebook import CodebookError, default_codebook_text, load_codebook

codebook_app = typer.Typer(
    name="codebook",
    help="Check a codebook (targets, aliases, frames) or print the default one.",
    no_args_is_help=True,
)
app.add_typer(codebook_app, name="codebook")


@codebook_app.command("check")
@reports_errors
def check_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A TOML codebook.")],
) -> None:
    """Validate FILE; every problem is reported with its line number."""
    try:
        codebook = load_codebook(file)
    except CodebookError as err:
        for line in err.describe():
            console.print(f"[red]problem:[/] {escape(line)}", highlight=False, soft_wrap=True)
        fail(f"{file}: {len(err.problems)} problem(s)")
    n_aliases = sum(len(t.aliases) + len(t.patterns) for t in codebook.targets.values())
    out.print(
        f"ok: {file}: {len(codebook.targets)} targets ({n_aliases} aliases and patterns), "
        f"{len(codebook.frames)} frames, {len(codebook.stance_templates)} stance templates; "
        f"sha256 {codebook.hash[:12]}",
        highlight=False,
        soft_wrap=True,
    )


@codebook_app.command("show")
@reports_errors
def show_command(
    file: Annotated[
        Path | None,
        typer.Argument(metavar="[FILE]", help="A TOML codebook (default: the shipped one)."),
    ] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="A table of targets and frames instead of the TOML.")
    ] = False,
) -> None:
    """Print the default codebook (or FILE) as TOML, or a summary table with --summary."""
    codebook = load_codebook(file)  # validates FILE first
    if not summary:
        text = default_codebook_text() if file is None else file.read_text(encoding="utf-8")
        out.print(text, markup=False, highlight=False, soft_wrap=True, end="")
        return
    table = Table(title=f"{codebook.name} {codebook.version} (sha256 {codebook.hash[:12]})")
    for column in ("kind", "name", "label", "contents"):
        table.add_column(column)
    for t in codebook.targets.values():
        groups = "; ".join(f"{g}: {', '.join(a)}" for g, a in t.groups.items())
        table.add_row("target", t.name, t.label, groups)
    for f in codebook.frames.values():
        table.add_row(
            "frame",
            f.name,
            f.label,
            f"{len(f.seed_terms)} seed terms, {len(f.exemplars)} exemplars",
        )
    out.print(table)
