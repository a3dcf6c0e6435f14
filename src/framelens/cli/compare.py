"""``framelens compare`` and ``framelens figures``: outlet comparisons from scored tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from framelens.cli._app import app, out, reports_errors
from framelens.errors import InputError

FIGURES = ("stance_heatmap", "frame_composition", "stance_distribution", "keyness")


def _read(tables: Path, name: str) -> pd.DataFrame:
    path = tables / f"{name}.parquet"
    if not path.is_file():
        raise InputError(
            f"no {name}.parquet",
            source=tables,
            hint="run `framelens score CORPUS -o DIR` (or `framelens run`) first",
        )
    return pd.read_parquet(path)


@app.command("compare")
@reports_errors
def compare_command(
    tables: Path = typer.Argument(..., help="Folder written by `framelens score`."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the comparison tables."),
    group: str = typer.Option("outlet_type", "--group", "-g", help="Articles column to compare."),
    n_boot: int = typer.Option(2000, "--n-boot", help="Bootstrap resamples."),
    min_n: int = typer.Option(2, "--min-n", help="Smallest group given an interval or test."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap and permutations."),
) -> None:
    """Group means with bootstrap intervals, omnibus and pairwise tests, and keyness."""
    from framelens.analysis import compare
    from framelens.analysis.keyness import keyness
    from framelens.runs.stages import write_reports
    from framelens.text.ingest import write_tables

    articles, scores = _read(tables, "articles"), _read(tables, "article_scores")
    if group not in articles.columns:
        raise InputError(
            f"no column {group!r} in articles",
            source=tables / "articles.parquet",
            hint=f"columns: {', '.join(c for c in articles.columns if c != 'text')}",
        )
    results = {"group_means": [], "omnibus": [], "pairwise": []}
    for kind in ("stance", "frame"):
        for scorer in sorted(scores.loc[scores["kind"] == kind, "scorer"].unique()):
            options = dict(kind=kind, group=group, scorer=scorer, min_n=min_n, seed=seed)
            results["group_means"].append(
                compare.group_means(scores, articles, n_boot=n_boot, **options)
            )
            results["omnibus"].append(compare.omnibus_tests(scores, articles, **options))
            results["pairwise"].append(compare.pairwise_tests(scores, articles, **options))
    combined = {
        name: pd.concat(parts, ignore_index=True) for name, parts in results.items() if parts
    }
    combined["keyness"] = keyness(articles, group=group, min_n=min_n)
    written = write_tables(combined, output, csv=True) + write_reports(combined, output)
    if "group_means" in combined:
        out.print(_means_table(combined["group_means"]))
    out.print(f"wrote {len(written)} files to {output}")


@app.command("figures")
@reports_errors
def figures_command(
    tables: Path = typer.Argument(..., help="Folder written by `framelens score`."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the figures."),
    group: str = typer.Option("outlet_type", "--group", "-g", help="Articles column to compare."),
    scorer: str = typer.Option(None, "--scorer", help="Stance scorer (if several were run)."),
    frame_scorer: str = typer.Option(None, "--frame-scorer", help="Frame scorer."),
    formats: str = typer.Option("pdf,svg,png", "--formats", help="Comma-separated formats."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap intervals."),
) -> None:
    """Draw the stance heatmap, frame composition, stance distribution and keyness figures."""
    import matplotlib

    matplotlib.use("Agg")
    from framelens import plots as figures
    from framelens.analysis.keyness import keyness
    from framelens.plots.style import save_figure

    articles, scores = _read(tables, "articles"), _read(tables, "article_scores")
    stance = _read(tables, "stance")
    drawings = {
        "stance_heatmap": lambda: figures.stance_heatmap(
            scores, articles, group=group, scorer=scorer, seed=seed
        ),
        "frame_composition": lambda: figures.frame_composition(
            scores, articles, group=group, scorer=frame_scorer, seed=seed
        ),
        "stance_distribution": lambda: figures.stance_distribution(
            stance, articles, level="sentence", group=group, scorer=scorer, seed=seed
        ),
        "keyness": lambda: figures.keyness_plot(keyness(articles, group=group), top_k=10),
    }
    written = []
    for name in FIGURES:
        figure = drawings[name]()
        written += save_figure(
            figure, output / f"{name}_{group}", formats=tuple(formats.split(","))
        )
    out.print(f"wrote {len(written)} files to {output}")


def _means_table(means: pd.DataFrame):
    from rich.table import Table

    table = Table(title="group means (95% bootstrap interval)")
    for column in ("scorer", "name", "group", "mean", "interval", "n", "note"):
        table.add_column(column, justify="right" if column in ("mean", "n") else "left")
    for row in means.itertuples():
        interval = "" if pd.isna(row.ci_low) else f"[{row.ci_low:+.2f}, {row.ci_high:+.2f}]"
        mean = "" if pd.isna(row.mean) else f"{row.mean:+.2f}"
        table.add_row(
            row.scorer,
            row.name,
            str(row.group),
            mean,
            interval,
            str(row.n_articles),
            str(row.note or ""),
        )
    return table
