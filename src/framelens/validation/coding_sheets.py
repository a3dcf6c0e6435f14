"""Coding sheets: draw sentences for human coding, and read the coded sheets back as gold.

The round trip is::

    sample_for_coding -> coding_sheet -> write_sheet      (framelens annotate sample)
        coders fill in the label columns of copies of the sheet (CSV or XLSX)
    merge_sheets -> write_gold                            (framelens annotate merge)

A coding sheet has one row per *unit*: a sentence and one target it mentions (mentions inside
a name, ``in_name``, are not stance evidence and are not sampled). Its columns are:

================  =============================================================================
column            content
================  =============================================================================
article_id        the article (do not edit)
sent_id           the sentence inside the article (do not edit)
outlet            the outlet (plus any other stratification column)
target            the target to judge the stance toward (do not edit)
mentions          the words that mention the target in the sentence
context_before    the previous sentence of the article
sentence          the sentence to code
context_after     the next sentence of the article
stance            to fill: -1 against, 0 neutral, 1 favor, na not about the target
frame_<name>      to fill, one column per codebook frame: 1 present, 0 absent
coder             the coder's name (empty: the file name is used)
note              free text
================  =============================================================================

Frames describe a sentence, not a (sentence, target) pair: when a sentence appears on several
rows, its frames may be coded on any of them (empty cells on the others are fine; different
values are an error). The gold format produced by :func:`merge_sheets` is documented in
:mod:`framelens.datasets.gold`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.datasets.gold import (
    GOLD_COLUMNS,
    GOLD_KEY,
    check_gold,
    parse_label,
    read_gold,
    row_number,
)
from framelens.errors import InputError, InputWarning
from framelens.tables import check_columns

UNIT_KEY = ["article_id", "sent_id", "target"]
UNIT_COLUMNS = [
    "article_id",
    "sent_id",
    "outlet",
    "target",
    "mentions",
    "context_before",
    "sentence",
    "context_after",
]
FRAME_PREFIX = "frame_"
TRAILING_COLUMNS = ["coder", "note"]
INSTRUCTIONS_COLUMNS = ["section", "name", "label", "text"]
SHEET_NAME = "coding"
INSTRUCTIONS_SHEET = "instructions"


# --------------------------------------------------------------------------------------------
# sampling


def coding_units(
    sentences: pd.DataFrame, mentions: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    """Every (sentence, target) pair that can be coded for stance, with its context.

    Parameters
    ----------
    sentences, mentions, articles : DataFrame
        The sentences, mentions and articles tables. Mentions flagged ``in_name`` are skipped.

    Returns
    -------
    DataFrame
        One row per unit with the :data:`UNIT_COLUMNS` plus the articles' metadata columns
        (``outlet_type``, ``date``, ...) for stratification.

    Raises
    ------
    InputError
        If a table lacks a contract column or a mention points to a sentence or article that
        is not in the other tables.
    """
    check_columns(sentences, "sentences")
    check_columns(mentions, "mentions")
    check_columns(articles, "articles")
    if "in_name" in mentions:
        mentions = mentions[~mentions["in_name"].fillna(False).astype(bool)]
    if mentions.empty:
        raise InputError(
            "no target mentions to sample from",
            hint="check that the codebook's targets occur in the corpus",
        )
    units = (
        mentions.groupby(UNIT_KEY, sort=True)["alias"]
        .agg(lambda s: "; ".join(sorted({str(a) for a in s})))
        .rename("mentions")
        .reset_index()
    )
    ordered = sentences.sort_values(["article_id", "start"], kind="stable")
    context = ordered[["article_id", "sent_id", "text"]].rename(columns={"text": "sentence"})
    by_article = context.groupby("article_id", sort=False)["sentence"]
    context["context_before"] = by_article.shift(1).fillna("")
    context["context_after"] = by_article.shift(-1).fillna("")
    units = units.merge(context, on=["article_id", "sent_id"], how="left", indicator=True)
    orphan = units["_merge"] == "left_only"
    if orphan.any():
        first = units[orphan].iloc[0]
        raise InputError(
            "a mention points to a sentence that is not in the sentences table",
            record=f"article {first['article_id']}, sentence {first['sent_id']}",
            hint="build mentions from the same sentences table",
        )
    # Metadata columns (outlet, outlet_type, date, ...) can stratify; text columns cannot.
    texts = [c for c in articles.columns if c == "text" or c.endswith("_text")]
    meta = articles.drop(columns=texts).drop_duplicates("article_id")
    units = units.drop(columns="_merge").merge(meta, on="article_id", how="left", indicator=True)
    orphan = units["_merge"] == "left_only"
    if orphan.any():
        raise InputError(
            "a sentence belongs to an article that is not in the articles table",
            record=f"article {units[orphan].iloc[0]['article_id']}",
        )
    extra = [c for c in meta.columns if c not in UNIT_COLUMNS]
    return units[UNIT_COLUMNS + extra].reset_index(drop=True)


def allocate(sizes: Sequence[int], n: int, rng: np.random.Generator) -> np.ndarray:
    """Split a sample of ``n`` over strata: proportional, at least one each where possible.

    Parameters
    ----------
    sizes : sequence of int
        Number of units in each stratum (all positive).
    n : int
        Sample size.
    rng : numpy.random.Generator
        Used only when ``n`` is smaller than the number of strata, to pick which strata get
        their one unit (with probability proportional to size).

    Returns
    -------
    ndarray of int
        Units to draw from each stratum; sums to ``min(n, sum(sizes))`` and never exceeds a
        stratum's size.

    Notes
    -----
    Every stratum first gets one unit; the rest go one at a time to the stratum furthest below
    its proportional share ``n * size / total`` (a largest-remainder rule), skipping full ones.
    """
    sizes = np.asarray(sizes, dtype=int)
    total = int(sizes.sum())
    if n >= total:
        return sizes.copy()
    if n < len(sizes):
        chosen = rng.choice(len(sizes), size=n, replace=False, p=sizes / total)
        counts = np.zeros(len(sizes), dtype=int)
        counts[chosen] = 1
        return counts
    share = n * sizes / total
    counts = np.ones(len(sizes), dtype=int)
    for _ in range(n - len(sizes)):
        gap = np.where(counts < sizes, share - counts, -np.inf)
        counts[int(np.argmax(gap))] += 1
    return counts


def sample_for_coding(
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    n: int,
    stratify: Sequence[str] = ("outlet", "target"),
    seed: int = 0,
) -> pd.DataFrame:
    """Draw a stratified random sample of (sentence, target) units for human coding.

    Parameters
    ----------
    sentences, mentions, articles : DataFrame
        The corpus tables (see :func:`coding_units`).
    n : int
        Number of units to draw (all units when the corpus has fewer).
    stratify : sequence of str, default ("outlet", "target")
        Columns whose combinations form the strata: any unit column or article metadata
        column. Empty for a simple random sample.
    seed : int, default 0
        Seed of the draw: the same tables and seed give the same sample.

    Returns
    -------
    DataFrame
        The sampled units: the :data:`UNIT_COLUMNS` plus any other stratification column,
        sorted by article and sentence so that a coder reads each article in order.

    Raises
    ------
    InputError
        If ``n`` is not positive or a stratification column does not exist.
    """
    if n < 1:
        raise InputError(f"the sample size must be at least 1, not {n}")
    units = coding_units(sentences, mentions, articles)
    stratify = list(stratify)
    unknown = [c for c in stratify if c not in units.columns]
    if unknown:
        texts = {"mentions", "context_before", "sentence", "context_after"}
        usable = [c for c in units.columns if c not in texts]
        raise InputError(
            f"cannot stratify by {', '.join(unknown)}: no such column",
            hint=f"choose among {', '.join(usable)}",
        )
    rng = np.random.default_rng(seed)
    if not stratify:
        picked = rng.choice(len(units), size=min(n, len(units)), replace=False)
    else:
        keys = units[stratify].astype(str).agg("\x1f".join, axis=1)
        strata = sorted(keys.unique())
        members = [np.flatnonzero(keys.to_numpy() == s) for s in strata]
        counts = allocate([len(m) for m in members], n, rng)
        picked = np.concatenate(
            [rng.choice(m, size=c, replace=False) for m, c in zip(members, counts, strict=True)]
        )
    columns = UNIT_COLUMNS + [c for c in stratify if c not in UNIT_COLUMNS]
    sample = units.iloc[np.sort(picked)][columns]
    return sample.sort_values(["article_id", "sent_id", "target"], kind="stable").reset_index(
        drop=True
    )


# --------------------------------------------------------------------------------------------
# sheets


def coding_sheet(units: pd.DataFrame, codebook) -> pd.DataFrame:
    """Add the empty label columns to sampled units: the sheet a coder fills in.

    Parameters
    ----------
    units : DataFrame
        Output of :func:`sample_for_coding`.
    codebook : Codebook
        Its frames give one ``frame_<name>`` column each.

    Returns
    -------
    DataFrame
        The unit columns, then ``stance``, the frame columns, ``coder`` and ``note`` (empty).
    """
    sheet = units.copy()
    label_columns = ["stance"] + [FRAME_PREFIX + name for name in codebook.frames]
    for column in label_columns + TRAILING_COLUMNS:
        sheet[column] = ""
    return sheet


def instructions(codebook) -> pd.DataFrame:
    """The coding instructions, generated from the codebook's targets and frame definitions.

    Parameters
    ----------
    codebook : Codebook
        The codebook the sheet is coded with.

    Returns
    -------
    DataFrame
        Columns ``section``, ``name``, ``label``, ``text``: general rules, the stance scale,
        one row per target (label, description, aliases) and one per frame column (label,
        definition, typical words, examples), and the codebook's name, version and hash.
    """
    rows = [
        (
            "how to code",
            "",
            "",
            "Each row is one sentence and one target. Read the sentence "
            "with its context (the sentences before and after) and fill in the label columns.",
        ),
        (
            "how to code",
            "stance",
            "",
            "How the sentence presents the target (in the outlet's "
            "voice or through the sources it quotes): see the stance scale below.",
        ),
        (
            "how to code",
            FRAME_PREFIX + "<name>",
            "",
            "1 if the sentence uses the frame (see "
            "the definitions below), 0 if not. A sentence can have several frames or none. When a "
            "sentence appears on several rows (one per target), its frames may be coded on one "
            "of them; the other rows may stay empty.",
        ),
        ("how to code", "coder", "", "Your name or initials (empty: the file name is used)."),
        ("how to code", "note", "", "Anything unclear or worth discussing."),
        (
            "how to code",
            "",
            "",
            "Do not rename, add or delete columns, and do not edit the "
            "ids (article_id, sent_id, target): the sheet is read back by machine.",
        ),
        (
            "stance scale",
            "1",
            "favor",
            "The target is presented favourably: praised, shown "
            "as a reliable partner, its actions justified.",
        ),
        (
            "stance scale",
            "0",
            "neutral",
            "The target is mentioned without evaluation, or praise and criticism balance.",
        ),
        (
            "stance scale",
            "-1",
            "against",
            "The target is presented unfavourably: criticised, "
            "blamed, shown as a threat or an unreliable partner.",
        ),
        (
            "stance scale",
            "na",
            "not about the target",
            "The words do not refer to the target "
            "(e.g. 'us' the pronoun, a country inside a pipeline's name).",
        ),
    ]
    for name, target in codebook.targets.items():
        text = _one_line(target.description)
        if target.aliases:
            text += f" Also written as: {', '.join(target.aliases)}."
        rows.append(("target", name, target.label, text.strip()))
    for name, frame in codebook.frames.items():
        text = _one_line(frame.definition)
        if frame.seed_terms:
            text += f" Typical words: {', '.join(frame.seed_terms)}."
        if frame.exemplars:
            text += " Examples: " + " | ".join(_one_line(e) for e in frame.exemplars)
        rows.append(("frame", FRAME_PREFIX + name, frame.label, text.strip()))
    rows.append(("codebook", codebook.name, str(codebook.version), f"sha256 {codebook.hash}"))
    return pd.DataFrame(rows, columns=INSTRUCTIONS_COLUMNS)


def _one_line(text: str | None) -> str:
    """Codebook text as one line: TOML multi-line strings keep their line breaks."""
    return " ".join((text or "").split())


def sheet_paths(path) -> list[Path]:
    """The files :func:`write_sheet` writes for ``path``: CSV sheet, XLSX, instructions CSV."""
    path = Path(path)
    stem = path.with_suffix("") if path.suffix.lower() in {".csv", ".xlsx"} else path
    return [stem.with_name(stem.name + end) for end in (".csv", ".xlsx", "_instructions.csv")]


def write_sheet(sheet: pd.DataFrame, instructions_table: pd.DataFrame, path) -> list[Path]:
    """Write a coding sheet as ``<stem>.csv`` and ``<stem>.xlsx`` (with an instructions sheet).

    Parameters
    ----------
    sheet : DataFrame
        Output of :func:`coding_sheet`.
    instructions_table : DataFrame
        Output of :func:`instructions`.
    path : str or Path
        Where to write; a ``.csv`` or ``.xlsx`` suffix is replaced, so both files share the
        stem. The instructions also go to ``<stem>_instructions.csv`` for CSV coders.

    Returns
    -------
    list of Path
        The files written: CSV sheet, XLSX workbook, instructions CSV.
    """
    csv_path, xlsx_path, notes_path = sheet_paths(path)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(csv_path, index=False)
    instructions_table.to_csv(notes_path, index=False)
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name=SHEET_NAME, index=False)
        instructions_table.to_excel(writer, sheet_name=INSTRUCTIONS_SHEET, index=False)
        _format_workbook(writer.book, sheet, instructions_table)
    return [csv_path, xlsx_path, notes_path]


def _format_workbook(book, sheet: pd.DataFrame, instructions_table: pd.DataFrame) -> None:
    """Readable columns, a frozen header and drop-down lists of the allowed labels."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    widths = {
        "sentence": 80,
        "context_before": 45,
        "context_after": 45,
        "mentions": 18,
        "note": 30,
        "text": 100,
    }
    coding = book[SHEET_NAME]
    coding.freeze_panes = "A2"
    last = max(len(sheet) + 1, 2)
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        coding.column_dimensions[letter].width = widths.get(column, 12)
        if column in {"sentence", "context_before", "context_after"}:
            for (cell,) in coding[f"{letter}2:{letter}{last}"]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        allowed = None
        if column == "stance":
            allowed = '"-1,0,1,na"'
        elif column.startswith(FRAME_PREFIX):
            allowed = '"0,1"'
        if allowed:
            check = DataValidation(type="list", formula1=allowed, allow_blank=True)
            check.add(f"{letter}2:{letter}{last}")
            coding.add_data_validation(check)
    notes = book[INSTRUCTIONS_SHEET]
    for i, column in enumerate(instructions_table.columns, start=1):
        notes.column_dimensions[get_column_letter(i)].width = widths.get(column, 18)


# --------------------------------------------------------------------------------------------
# reading coded sheets back


def read_sheet(path) -> pd.DataFrame:
    """Read a coding sheet (CSV, or the ``coding`` sheet of an XLSX workbook) as text.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file, or an ``.xlsx``/``.xlsm`` workbook.

    Returns
    -------
    DataFrame
        Every cell as a string (empty cells as ``""``), so ids and ``na`` labels survive.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("coding sheet not found", source=path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif suffix in {".xlsx", ".xlsm"}:
            with pd.ExcelFile(path, engine="openpyxl") as book:
                frame = pd.read_excel(
                    book,
                    sheet_name=SHEET_NAME if SHEET_NAME in book.sheet_names else 0,
                    dtype=str,
                    keep_default_na=False,
                )
        else:
            raise InputError(
                f"unsupported sheet format {suffix or '(none)'}",
                source=path,
                hint="give the .csv or .xlsx file written by `framelens annotate sample`",
            )
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        UnicodeDecodeError,
        ValueError,
        OSError,
    ) as err:
        if isinstance(err, InputError):
            raise
        raise InputError(f"cannot read the coding sheet: {err}", source=path) from err
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("").astype(str)


def _check_shape(sheet: pd.DataFrame, path: Path, expected: list[str] | None, codebook) -> None:
    """Raise if the sheet's columns were renamed or deleted (warn if columns were added)."""
    columns = list(sheet.columns)
    has_reference = expected is not None
    if not has_reference:
        expected = UNIT_KEY + ["stance"]
        if codebook is not None:
            expected += [FRAME_PREFIX + name for name in codebook.frames]
        else:
            expected += [c for c in columns if c.startswith(FRAME_PREFIX)]
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in expected and c not in UNIT_COLUMNS + TRAILING_COLUMNS]
    if missing:
        raise InputError(
            f"the sheet's columns have changed: missing {', '.join(missing)}"
            + (f"; unexpected {', '.join(extra)}" if extra else ""),
            source=path,
            record="row 1 (header)",
            hint="restore the column names written by `framelens annotate sample`; put "
            "remarks in the note column",
        )
    if extra and codebook is not None:
        unknown = [c for c in extra if c.startswith(FRAME_PREFIX)]
        if unknown:
            raise InputError(
                f"unknown frame column(s) {', '.join(unknown)}",
                source=path,
                record="row 1 (header)",
                hint=f"the codebook's frames: {', '.join(codebook.frames)}",
            )
    if extra and has_reference:  # without the blank sheet, extra columns may be strata
        warnings.warn(
            f"{path}: column(s) {', '.join(extra)} are not part of the sheet and are ignored",
            InputWarning,
            stacklevel=3,
        )


def _sheet_rows(sheet, path, reference_keys, codebook) -> pd.DataFrame:
    """Check every row of one sheet; return it with ``_source``/``_row`` and canonical labels.

    Fully empty rows (e.g. inserted by a coder) are skipped; ``_row`` keeps each row's
    position in the file so that errors name the row the coder sees.
    """
    rows = sheet[~(sheet == "").all(axis=1)].copy()
    rows["_source"] = str(path)
    rows["_row"] = rows.index.to_numpy()
    records = [row_number(int(i)) for i in rows["_row"]]
    for column in UNIT_KEY:
        rows[column] = rows[column].str.strip()
        blank = np.flatnonzero((rows[column] == "").to_numpy())
        if blank.size:
            raise InputError(
                f"empty {column}",
                source=path,
                record=records[blank[0]],
                hint="do not edit or delete the ids",
            )
    if "coder" not in rows:
        rows["coder"] = ""
    rows["coder"] = rows["coder"].str.strip().replace("", path.stem)
    if "note" not in rows:
        rows["note"] = ""
    keys = zip(*(rows[c] for c in UNIT_KEY), strict=True)
    for record, key in zip(records, keys, strict=True):
        if reference_keys is not None and key not in reference_keys:
            raise InputError(
                f"unknown unit: article {key[0]!r}, sentence {key[1]!r}, target {key[2]!r} is "
                "not in the sampled sheet",
                source=path,
                record=record,
                hint="do not edit the ids or add rows (spreadsheet programs turn ids like "
                "007 into 7: open the .xlsx, or import the CSV with text columns)",
            )
        if codebook is not None and key[2] not in codebook.targets:
            raise InputError(
                f"unknown target {key[2]!r}",
                source=path,
                record=record,
                hint=f"the codebook's targets: {', '.join(codebook.targets)}",
            )
    label_columns = [("stance", "stance")] + [
        (c, "frame") for c in rows.columns if c.startswith(FRAME_PREFIX)
    ]
    for column, task in label_columns:
        rows[column] = [
            parse_label(v, task, source=path, record=record)
            for v, record in zip(rows[column], records, strict=True)
        ]
    return rows


def merge_sheets(paths: Iterable, *, sample=None, codebook=None) -> pd.DataFrame:
    """Read coded sheets, check them, and combine them into one gold table.

    Parameters
    ----------
    paths : iterable of str or Path
        Coded sheets (CSV or XLSX), one or more per coder.
    sample : str or Path, optional
        The blank sheet written by :func:`write_sheet` (CSV or XLSX). When given, every coded
        sheet must keep its columns and every row must be one of its units; without it the
        ids are only checked for being present.
    codebook : Codebook, optional
        When given, targets and frame columns must be the codebook's.

    Returns
    -------
    DataFrame
        The gold table (:data:`framelens.datasets.gold.GOLD_COLUMNS`), one row per coded judgement,
        sorted. Empty cells are not judgements and give no row.

    Raises
    ------
    InputError
        Naming the file and row of: a missing or renamed column, an unknown unit or target,
        a label outside the scheme, a unit coded twice by the same coder, or a sentence whose
        frames the same coder coded differently on two rows.

    Warns
    -----
    InputWarning
        For rows with no label at all (not coded yet) and for columns added to a sheet.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no coding sheets given")
    expected, reference_keys = None, None
    if sample is not None:
        reference = read_sheet(sample)
        expected = list(reference.columns)
        _check_shape(reference, Path(sample), None, codebook)
        reference_keys = set(zip(*(reference[c].str.strip() for c in UNIT_KEY), strict=True))
    checked = []
    for path in paths:
        sheet = read_sheet(path)
        if (sheet == "").all(axis=1).all():
            raise InputError("the coding sheet has no rows", source=path)
        _check_shape(sheet, path, expected, codebook)
        checked.append(_sheet_rows(sheet, path, reference_keys, codebook))
    rows = pd.concat(checked, ignore_index=True)
    _no_duplicate_units(rows)
    frame_columns = [c for c in rows.columns if c.startswith(FRAME_PREFIX)]
    # Without the blank sheet, sheets may differ in frames: a missing column is not coded.
    rows[frame_columns] = rows[frame_columns].fillna("")
    uncoded = (rows[["stance"] + frame_columns] == "").all(axis=1)
    for source, count in rows[uncoded].groupby("_source", sort=False).size().items():
        warnings.warn(
            f"{source}: {count} of {int((rows['_source'] == source).sum())} rows have no "
            "label yet and are skipped",
            InputWarning,
            stacklevel=2,
        )
    gold = _to_gold(rows, frame_columns).drop(columns=["_source", "_row"])
    gold = check_gold(gold, source=", ".join(map(str, paths)))
    return gold.sort_values(GOLD_KEY, kind="stable").reset_index(drop=True)


def _no_duplicate_units(rows: pd.DataFrame) -> None:
    """A coder may code each (sentence, target) unit once, across all their sheets."""
    key = UNIT_KEY + ["coder"]
    repeats = rows[rows.duplicated(key)]
    if not repeats.empty:
        second = repeats.iloc[0]
        first = rows[(rows[key] == second[key]).all(axis=1)].iloc[0]
        first_key = tuple(second[key])
        raise InputError(
            f"duplicate row: coder {first_key[3]!r} coded article {first_key[0]!r}, sentence "
            f"{first_key[1]!r}, target {first_key[2]!r} twice (first in {first['_source']}, "
            f"{row_number(int(first['_row']))})",
            source=second["_source"],
            record=row_number(int(second["_row"])),
            hint="delete one of the rows, or give each coder's sheets a distinct coder name",
        )


def _to_gold(rows: pd.DataFrame, frame_columns: list[str]) -> pd.DataFrame:
    """Turn wide sheet rows into long gold rows (stance per unit, frames per sentence)."""
    base = ["article_id", "sent_id", "coder", "note", "_source", "_row"]
    stance = rows[rows["stance"] != ""][base + ["target", "stance"]].rename(
        columns={"target": "name", "stance": "label"}
    )
    stance.insert(3, "task", "stance")
    parts = [stance]
    for column in frame_columns:
        coded = rows[rows[column] != ""][base + [column]].rename(columns={column: "label"})
        coded.insert(3, "task", "frame")
        coded.insert(4, "name", column[len(FRAME_PREFIX) :])
        parts.append(coded)
    gold = pd.concat(parts, ignore_index=True)
    frames = gold[gold["task"] == "frame"]
    key = ["article_id", "sent_id", "coder", "name"]
    clashes = frames[frames["label"] != frames.groupby(key)["label"].transform("first")]
    if not clashes.empty:
        other = clashes.iloc[0]
        first = frames[(frames[key] == other[key]).all(axis=1)].iloc[0]
        raise InputError(
            f"coder {first['coder']!r} gave sentence {first['sent_id']!r} of article "
            f"{first['article_id']!r} frame {first['name']!r} = {first['label']} in "
            f"{first['_source']}, {row_number(int(first['_row']))} but {other['label']} here",
            source=other["_source"],
            record=row_number(int(other["_row"])),
            hint="a sentence's frames are the same on all its rows: make them agree",
        )
    # A frame judgement repeated on a sentence's other rows is one judgement (stance units
    # are unique already: see _no_duplicate_units).
    gold = gold.drop_duplicates(GOLD_KEY)
    return gold[GOLD_COLUMNS + ["_source", "_row"]].reset_index(drop=True)


def read_codings(paths: Iterable, *, sample=None, codebook=None) -> pd.DataFrame:
    """Read gold files and/or coded sheets into one gold table.

    Parameters
    ----------
    paths : iterable of str or Path
        Gold CSV files (written by ``framelens annotate merge``) or coded sheets (CSV/XLSX);
        a CSV whose header is the gold format's is read as gold, anything else as a sheet.
    sample, codebook : optional
        Passed to :func:`merge_sheets` for the sheets.

    Returns
    -------
    DataFrame
        The combined gold table, checked (a judgement given twice is an error).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("no coding files given")
    gold_files, sheets = [], []
    for path in paths:
        is_gold = False
        if path.suffix.lower() == ".csv" and path.is_file():
            header = pd.read_csv(path, nrows=0, dtype=str).columns
            is_gold = set(GOLD_COLUMNS) - {"note"} <= set(header)
        (gold_files if is_gold else sheets).append(path)
    # Remember where each judgement came from, to name the file when one is given twice.
    parts = [read_gold(p).assign(_source=str(p), _row=lambda g: g.index) for p in gold_files]
    if sheets:
        merged = merge_sheets(sheets, sample=sample, codebook=codebook)
        parts.append(merged.assign(_source=", ".join(map(str, sheets)), _row=-1))
    combined = pd.concat(parts, ignore_index=True)
    repeats = combined[combined.duplicated(GOLD_KEY)]
    if not repeats.empty:
        second = repeats.iloc[0]
        first = combined[(combined[GOLD_KEY] == second[GOLD_KEY]).all(axis=1)].iloc[0]
        raise InputError(
            f"coder {second['coder']!r} labelled {second['task']} {second['name']!r} of article "
            f"{second['article_id']!r}, sentence {second['sent_id']!r} again (also in "
            f"{first['_source']})",
            source=second["_source"],
            record=row_number(int(second["_row"])) if second["_row"] >= 0 else None,
            hint="give each coder's judgements once: merge sheets into one gold file",
        )
    return combined[GOLD_COLUMNS]
