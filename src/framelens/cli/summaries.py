"""Rich tables that summarise framelens tables for the terminal."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

#: The most article rows printed at the end of a run; past that (or past the terminal's
#: height) the group means are printed instead, with where the full tables are.
MAX_ARTICLE_ROWS = 20
#: Terminal lines the article table needs besides its rows (title, header, rule, border).
_TABLE_LINES = 8


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
            # Text, never markup, whatever console prints it: a message or file name with
            # [brackets] is printed as it is (escape() would show its backslash on a console
            # that reads no markup).
            where = Text(f"{row.source} {row.record}".strip())
            problems.add_row(row.level, where, Text(str(row.message)))
        parts.append(problems)
    return Group(*parts)


def means_table(means) -> Table:
    """Group means with their bootstrap intervals, one row per (scorer, name, group).

    Parameters
    ----------
    means : DataFrame
        The group_means table (:func:`framelens.analysis.groups.group_means`).
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


def wide_means_table(means, scorers: dict[str, str]) -> Table:
    """Group means as one row per group and one column per target or frame.

    The compact view of a large study at the end of ``framelens run``: as many rows as there
    are groups, however many articles. Intervals and notes are in the group_means table.

    Parameters
    ----------
    means : DataFrame
        The group_means table of a run (with its ``group_by`` column).
    scorers : dict
        The scorer shown for each kind, e.g. ``{"stance": "lexicon", "frame": "dictionary"}``.
    """
    import pandas as pd

    shown = pd.concat(
        [
            means[(means["kind"] == kind) & (means["scorer"] == name)]
            for kind, name in scorers.items()
        ]
    )
    shown = shown.assign(column=shown["kind"] + "\n" + shown["name"])
    order = list(
        dict.fromkeys(shown.sort_values(["kind", "name"], ascending=[False, True])["column"])
    )
    wide = shown.pivot(index=["group_by", "group"], columns="column", values="mean")[order]
    sizes = shown.groupby(["group_by", "group"])["n_group"].max()
    several = shown["group_by"].nunique() > 1
    title = "group means (stance: mean score; frame: mean share of sentences)"
    if not several:
        title += f" by {shown['group_by'].iloc[0]}" if len(shown) else ""
    table = Table(title=title)
    if several:
        table.add_column("by", no_wrap=True)
    table.add_column("group", overflow="fold")
    table.add_column("n", justify="right")
    for column in order:
        # Values never wrap (a mean split over two lines misreads); headers fold instead.
        table.add_column(column, justify="right", overflow="fold", min_width=5)
    for (by, group), row in wide.iterrows():
        cells = [
            "–"
            if pd.isna(value)
            else f"{value:+.2f}"
            if column.startswith("stance")
            else f"{value:.2f}"
            for column, value in row.items()
        ]
        first = [str(by)] if several else []
        table.add_row(*first, str(group), str(int(sizes[(by, group)])), *cells)
    return table


def wrap_lines(text: str, width: int, *, indent: str = "", hanging: str = "  ") -> str:
    """``text`` wrapped at ``width`` columns between words, later lines indented by ``hanging``.

    A word longer than a line (a path, a URL) is never cut: it gets a line of its own, so it
    can still be copied whole.

    Parameters
    ----------
    text : str
        One paragraph.
    width : int
        The terminal's width (at least 40 is used).
    indent, hanging : str
        Put before the first line and before every following line.

    Returns
    -------
    str
        The lines, joined by newlines.
    """
    import textwrap

    return textwrap.fill(
        text,
        width=max(width, 40),
        initial_indent=indent,
        subsequent_indent=indent + hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )


def print_notes(console, notes) -> None:
    """Print each note of a command (a part skipped, a group too small) in yellow, wrapped at
    the terminal's width with its later lines indented under the text."""
    from rich.markup import escape

    for note in notes:
        text = wrap_lines(f"note: {note}", console.width, hanging=" " * len("note: "))
        # rich must not wrap again (it would cut a path): the lines are already made.
        console.print(
            f"[yellow]note:[/]{escape(text[len('note:') :])}", highlight=False, soft_wrap=True
        )


def run_summary(experiment, result, *, height: int = 25) -> list:
    """What ``framelens run`` shows at its end: article scores, or group means past a screen.

    Parameters
    ----------
    experiment : ExperimentConfig
        The study's config (its primary scorers and results folder).
    result : RunResult
        What :func:`framelens.runs.experiment.run_experiment` returned.
    height : int
        Lines of the terminal: an article table taller than this (or than
        :data:`MAX_ARTICLE_ROWS` rows) is replaced by the group means and the tables' paths.

    Returns
    -------
    list
        Lines (str, printed unwrapped so paths can be copied) and rich tables, in order.
    """
    import pandas as pd

    from framelens.cli.score import article_table

    scores = result.tables["article_scores"]
    # The scorer shown for each kind: the primary one, else the first (none: kind not run).
    shown = {
        kind: name
        for kind, name in (
            ("stance", experiment.primary_stance or next(iter(experiment.stance_scorers), None)),
            ("frame", experiment.primary_frames or next(iter(experiment.frame_scorers), None)),
        )
        if name
    }
    names = ", ".join(sorted(set(shown.values())))
    mask = pd.Series(False, index=scores.index)
    for kind, name in shown.items():
        mask |= (scores["kind"] == kind) & (scores["scorer"] == name)
    scores = scores[mask]
    tables = experiment.results / "tables"
    n_articles = scores["article_id"].nunique()
    if not n_articles:
        return [
            f"no article has a score from the primary scorers ({names}); "
            "the notes above say what was skipped"
        ]
    if n_articles <= min(MAX_ARTICLE_ROWS, height - _TABLE_LINES):
        return [
            f"article scores of the primary scorers ({names}); "
            f"all scorers: {tables / 'article_scores.csv'}",
            article_table(scores),
        ]
    parts = [
        f"{n_articles} articles: group means of the primary scorers ({names}) below; "
        f"every article's scores: {tables / 'article_scores.csv'}; intervals and notes: "
        f"{tables / 'group_means.csv'}; tests: {tables / 'omnibus.csv'}, "
        f"{tables / 'pairwise.csv'}"
    ]
    means = result.tables["group_means"]
    if len(means):
        parts.append(wide_means_table(means, shown))
    return parts
