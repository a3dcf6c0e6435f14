"""``framelens codebook``: check a codebook file, print the one shipped with framelens, or show
how it reads a piece of text (every match, and the rule that excludes it)."""

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
    help="Check a codebook (targets, aliases, frames), print the default one, or test it on text.",
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
        if t.exclusion_contexts:
            groups += f"; {len(t.exclusion_contexts)} exclusion contexts"
        table.add_row("target", t.name, t.label, groups)
    for f in codebook.frames.values():
        table.add_row(
            "frame",
            f.name,
            f.label,
            f"{len(f.seed_terms)} seed terms, {len(f.exemplars)} exemplars",
        )
    out.print(table)


@codebook_app.command("match")
@reports_errors
def match_command(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="A sentence or any text.")],
    codebook_file: Annotated[
        Path | None,
        typer.Option("--codebook", "-c", help="A TOML codebook (default: the shipped one)."),
    ] = None,
) -> None:
    """Show how the codebook reads TEXT: each mention, and each match it excludes and why."""
    from framelens.text.mentions import mention_spans

    spans = mention_spans(text, load_codebook(codebook_file), excluded=True)
    if not spans:
        out.print("no alias of any target in the text", highlight=False)
        return
    for m in spans:
        where = f"{m.start}-{m.end}"
        if m.excluded:
            line = f"excluded  {where}  {m.matched!r} ({m.target}): {m.excluded}"
        else:
            detail = ", ".join(
                x
                for x in (
                    m.group,
                    f"role {m.role}" if m.role else "",
                    "in a name" if m.in_name else "",
                )
                if x
            )
            line = f"mention   {where}  {m.matched!r} ({m.target}: {detail})"
        out.print(line, markup=False, highlight=False, soft_wrap=True)
