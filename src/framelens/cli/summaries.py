"""Rich tables that summarise framelens tables for the terminal."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table


def ingest_summary(tables) -> Group:
    """Articles per outlet, characters kept and removed, removal reasons and problems.

    Parameters
    ----------
    tables : Ingested
        The result of :func:`framelens.text.ingest.ingest`.
    """
    articles = tables.articles.copy()
    articles["outlet"] = articles["outlet"].where(articles["outlet"] != "", "(unnamed)")
    per_outlet = Table(title="articles per outlet")
    for column in (
        "outlet type",
        "outlet",
        "articles",
        "sentences",
        "chars kept",
        "chars removed",
        "removed %",
    ):
        per_outlet.add_column(column, justify="right" if column[0] in "acsr" else "left")
    n_sentences = tables.sentences.groupby("article_id").size()
    articles["sentences"] = articles["article_id"].map(n_sentences).fillna(0).astype(int)
    grouped = articles.groupby(["outlet_type", "outlet"], sort=True)
    for (outlet_type, outlet), group in grouped:
        kept, removed = group["kept_chars"].sum(), group["removed_chars"].sum()
        share = 100 * removed / max(kept + removed, 1)
        per_outlet.add_row(
            outlet_type or "(none)",
            outlet,
            str(len(group)),
            str(group["sentences"].sum()),
            f"{kept:,}",
            f"{removed:,}",
            f"{share:.1f}",
        )
    reasons = Table(title="removed spans by reason")
    reasons.add_column("reason")
    reasons.add_column("spans", justify="right")
    reasons.add_column("chars", justify="right")
    if not tables.removed.empty:
        removed = tables.removed.assign(chars=tables.removed["end"] - tables.removed["start"])
        for reason, group in removed.groupby("reason"):
            reasons.add_row(reason, str(len(group)), f"{group['chars'].sum():,}")
    parts = [per_outlet, reasons]
    if len(tables.comments):
        parts.append(f"reader comments kept aside: {len(tables.comments)}")
    if tables.problems is not None and len(tables.problems):
        problems = Table(title="warnings (articles skipped or read with care)")
        for column in ("level", "source", "message"):
            problems.add_column(column)
        for row in tables.problems.itertuples():
            problems.add_row(row.level, f"{row.source} {row.record}".strip(), row.message)
        parts.append(problems)
    return Group(*parts)


def means_table(means) -> Table:
    """Group means with their bootstrap intervals, one row per (scorer, name, group).

    Parameters
    ----------
    means : DataFrame
        The group_means table (:func:`framelens.analysis.compare.group_means`).
    """
    import pandas as pd

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


def wide_means_table(means, scorers) -> Table:
    """Group means of some scorers as one row per group and one column per target or frame.

    The compact view of a large study at the end of ``framelens run``: as many rows as there
    are groups, however many articles. Intervals and notes are in the group_means table.

    Parameters
    ----------
    means : DataFrame
        The group_means table of a run (with its ``group_by`` column).
    scorers : collection of str
        The scorers to show (e.g. the primary stance and frame scorers).
    """
    import pandas as pd

    shown = means[means["scorer"].isin(scorers)]
    wide = shown.pivot_table(
        index=["group_by", "group"], columns=["kind", "name"], values="mean", dropna=False
    )
    sizes = shown.groupby(["group_by", "group"])["n_group"].max()
    table = Table(
        "by",
        "group",
        "articles",
        title="group means (stance: mean score; frame: mean share of sentences)",
    )
    for kind, name in wide.columns:
        table.add_column(f"{kind}\n{name}", justify="right", overflow="fold")
    for (by, group), row in wide.iterrows():
        cells = [
            "–" if pd.isna(value) else f"{value:+.2f}" if kind == "stance" else f"{value:.2f}"
            for (kind, _), value in row.items()
        ]
        table.add_row(str(by), str(group), str(int(sizes[(by, group)])), *cells)
    return table


def print_notes(console, notes) -> None:
    """Print each note of a command (a part skipped, a group too small) as one yellow line."""
    from rich.markup import escape

    for note in notes:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False, soft_wrap=True)
