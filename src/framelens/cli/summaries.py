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
        spans = tables.removed["end"] - tables.removed["start"]
        # Page text left out of HTML extraction has no offsets: count its own length.
        chars = spans.where(tables.removed["start"] >= 0, tables.removed["text"].str.len())
        removed = tables.removed.assign(chars=chars)
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
