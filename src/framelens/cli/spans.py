"""``framelens stance-spans``: stance toward marked spans (NewsMTSC or id/text/start/end files)."""

from __future__ import annotations

from pathlib import Path

import typer

from framelens.cli._app import app, out, reports_errors
from framelens.runs.outputs import check_output_file


@app.command("stance-spans")
@reports_errors
def stance_spans_command(
    input_file: Path = typer.Argument(
        ...,
        metavar="INPUT",
        help="NewsMTSC .jsonl, or .jsonl/.csv/.parquet with id,text,start,end (optional: "
        "target, and a gold stance label in label, gold or expected).",
    ),
    scorer: str = typer.Option("lexicon", "--scorer", "-s", help="Stance scorer name."),
    output: Path = typer.Option(..., "-o", "--output", help="Output file, .csv or .parquet."),
    model: str = typer.Option(
        None,
        "--model",
        "-m",
        help="Trained model: a .skops file (supervised) or a model folder/hub id (transformer).",
    ),
) -> None:
    """Score stance toward each marked span of INPUT; one output row per target."""
    from framelens.scorers.build import build_scorer
    from framelens.scorers.spans import read_span_records, score_span_records, write_table

    check_output_file(output, inputs=[input_file], suffixes=(".csv", ".parquet"))
    stance_scorer = build_scorer("stance", scorer, model=model)
    records = read_span_records(input_file)
    scored = score_span_records(records, stance_scorer)
    write_table(scored, output)
    counts = scored["label"].value_counts().reindex(["against", "neutral", "favor"], fill_value=0)
    summary = ", ".join(f"{label} {n}" for label, n in counts.items())
    out.print(
        f"scored {len(scored)} targets with {scorer} ({summary}); wrote {output}", soft_wrap=True
    )
    if "gold" in scored and scored["gold"].notna().any():
        from framelens.validation.metrics import span_metrics

        measured = span_metrics(scored)
        out.print(
            f"against the gold labels of {measured['n']} targets: accuracy "
            f"{measured['accuracy']:.3f}, macro-F1 {measured['macro_f1']:.3f} (over "
            f"{', '.join(measured['macro_labels'])})",
            soft_wrap=True,
        )
