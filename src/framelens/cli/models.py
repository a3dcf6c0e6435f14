"""``framelens models``: the pretrained encoders and shipped models, where found, verified or not."""

from __future__ import annotations

import typer
from rich.table import Table

from framelens.cli._app import app, out, reports_errors


@app.command("models")
@reports_errors
def models_command(
    hub: bool = typer.Option(
        False, "--hub", help="Also look on the Hugging Face hub (or its local cache)."
    ),
) -> None:
    """List the registered encoders and shipped models: where each was found, whether it verified."""
    from framelens.models.encoders import encoder_table
    from framelens.models.huggingface import shipped_model_table

    table = encoder_table(hub=hub)
    view = Table(title="pretrained encoders")
    for column in ("name", "hub id", "package", "license", "found in", "verified", "path"):
        view.add_column(column)
    for row in table.itertuples(index=False):
        verified = {True: "yes", False: "NO"}.get(row.verified, "not found")
        view.add_row(
            row.name,
            row.hub_id,
            row.distribution,
            row.license,
            row.source or "-",
            verified,
            row.path or row.problem,
        )
    out.print(view)
    shipped = Table(title="models shipped in the package")
    for column in ("name", "base", "size MB", "dev macro-F1", "verified", "path"):
        shipped.add_column(column)
    for row in shipped_model_table().itertuples(index=False):
        verified = {True: "yes", False: "NO"}.get(row.verified, "not found")
        shipped.add_row(
            row.name,
            row.base or "-",
            "-" if row.size_mb is None else f"{row.size_mb:.2f}",
            "-" if row.dev_macro_f1 is None else f"{row.dev_macro_f1:.3f}",
            verified,
            row.problem or row.path,
        )
    out.print(shipped)
