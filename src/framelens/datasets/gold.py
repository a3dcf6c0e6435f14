"""The gold coding format: human labels for stance and frames, one row per judgement.

A gold table is long and tidy: one row per (article_id, sent_id, coder, task, name).

=============  ==============================================================================
column         meaning
=============  ==============================================================================
article_id     the article, as in the articles table (read as text)
sent_id        the sentence inside the article, as in the sentences table (an integer when
               every id is one)
coder          who gave the label (a name or initials)
task           ``stance`` or ``frame``
name           the codebook name of the target (stance) or of the frame (frame)
label          stance: ``-1`` (against), ``0`` (neutral), ``1`` (favor) or ``na`` (the sentence
               is not about the target, e.g. "us" the pronoun); frame: ``0`` or ``1``
note           free text from the coder (may be empty)
=============  ==============================================================================

Labels are kept as these canonical strings, so ``na`` survives a round trip through CSV and
spreadsheets. On reading, ``+1``/``1.0``-style numbers, the words against/neutral/favor and,
for frames, true/false are accepted and rewritten to the canonical form; anything else is an
:class:`~framelens.errors.InputError` naming the file and row. Gold files are written by
``framelens annotate merge`` and read by :func:`read_gold`.

Several coders may label the same unit; :func:`consensus` reduces them to one label per unit
(majority vote) for validating scorers, while :mod:`framelens.validation.reliability` measures how much
they agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.errors import InputError

GOLD_COLUMNS = ["article_id", "sent_id", "coder", "task", "name", "label", "note"]
#: Columns that identify one judgement; duplicates of these are an error.
GOLD_KEY = ["article_id", "sent_id", "coder", "task", "name"]
TASKS = ("stance", "frame")
STANCE_GOLD_LABELS = ("-1", "0", "1", "na")
FRAME_GOLD_LABELS = ("0", "1")
LABELS = {"stance": STANCE_GOLD_LABELS, "frame": FRAME_GOLD_LABELS}
#: Gold stance codes and the stance table's labels (see :data:`framelens.tables.STANCE_LABELS`).
STANCE_CODE_TO_LABEL = {"-1": "against", "0": "neutral", "1": "favor"}

_SYNONYMS = {
    "stance": {
        "+1": "1",
        "against": "-1",
        "neutral": "0",
        "favor": "1",
        "favour": "1",
        "n/a": "na",
        "not about": "na",
    },
    "frame": {"true": "1", "false": "0", "yes": "1", "no": "0"},
}
_HINTS = {
    "stance": "use -1 (against), 0 (neutral), 1 (favor) or na (not about the target)",
    "frame": "use 1 (the frame is present) or 0 (absent)",
}


def row_number(index: int) -> str:
    """The spreadsheet row of the ``index``-th data row (row 1 is the header)."""
    return f"row {index + 2}"


def parse_label(value, task: str, *, source=None, record=None) -> str:
    """Rewrite one label to its canonical gold form.

    Parameters
    ----------
    value : object
        The cell as read (string, number, bool or missing).
    task : {"stance", "frame"}
        The scheme the label belongs to.
    source, record : optional
        File and row, named in the error.

    Returns
    -------
    str
        The canonical label (see :data:`LABELS`), or ``""`` for an empty cell (not coded).

    Raises
    ------
    InputError
        If the label is outside the task's scheme.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip().lower()
    if text == "":
        return ""
    text = _SYNONYMS[task].get(text, text)
    try:  # spreadsheets turn "-1" into -1.0; accept any whole number written as a float
        number = float(text)
    except ValueError:
        number = None
    if number is not None and number.is_integer():
        text = str(int(number))
    if text not in LABELS[task]:
        raise InputError(
            f"{task} label {str(value)!r} is outside the coding scheme",
            source=source,
            record=record,
            hint=_HINTS[task],
        )
    return text


def normalise_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with ``article_id`` as text and ``sent_id`` as integers where possible.

    Gold files are read as text while scorer tables carry integer sentence ids; both sides of
    every join go through this function so that ``"3"`` and ``3`` name the same sentence.
    """
    out = frame.copy()
    if "article_id" in out:
        out["article_id"] = out["article_id"].astype(str).str.strip()
    if "sent_id" in out:
        out["sent_id"] = _as_int_if_possible(out["sent_id"])
    return out


def _as_int_if_possible(values: pd.Series) -> pd.Series:
    if pd.api.types.is_integer_dtype(values):
        return values.astype("int64")
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all() and (numbers % 1 == 0).all():
        return numbers.astype("int64")
    return values.astype(str).str.strip()


def check_gold(gold: pd.DataFrame, *, source=None) -> pd.DataFrame:
    """Validate a gold table and return it in canonical form.

    Parameters
    ----------
    gold : DataFrame
        A table in the gold format (``note`` may be absent).
    source : str, optional
        Where the table came from, named in errors.

    Returns
    -------
    DataFrame
        A new table with the :data:`GOLD_COLUMNS`, canonical labels and normalised keys.

    Raises
    ------
    InputError
        On a missing column, an unknown task, a label outside the scheme, an empty id or
        coder, or two rows for the same (article_id, sent_id, coder, task, name).
    """
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns and c != "note"]
    if missing:
        raise InputError(
            f"the gold table lacks column(s) {', '.join(missing)}",
            source=source,
            hint=f"a gold table has columns {', '.join(GOLD_COLUMNS)}",
        )
    out = gold.reset_index(drop=True).copy()
    if "note" not in out:
        out["note"] = ""
    out["note"] = out["note"].fillna("").astype(str)
    for column in ("article_id", "sent_id", "coder", "task", "name"):
        text = out[column].astype(str).str.strip()
        blank = out[column].isna() | (text == "") | (text.str.lower() == "nan")
        if blank.any():
            raise InputError(
                f"empty {column}", source=source, record=row_number(int(np.flatnonzero(blank)[0]))
            )
        out[column] = text
    out["task"] = out["task"].str.lower()
    labels = []
    for i, (task, label) in enumerate(zip(out["task"], out["label"], strict=True)):
        if task not in TASKS:
            raise InputError(
                f"unknown task {task!r}",
                source=source,
                record=row_number(i),
                hint="task is 'stance' or 'frame'",
            )
        parsed = parse_label(label, task, source=source, record=row_number(i))
        if parsed == "":
            raise InputError("empty label", source=source, record=row_number(i), hint=_HINTS[task])
        labels.append(parsed)
    out["label"] = labels
    out = normalise_keys(out)
    duplicated = out.duplicated(GOLD_KEY, keep=False)
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        raise InputError(
            "duplicate judgement (same article_id, sent_id, coder, task, name) in rows "
            + ", ".join(str(r + 2) for r in rows[:5]),
            source=source,
            record=row_number(int(rows[1])),
            hint="keep one row per coder and unit",
        )
    return out[GOLD_COLUMNS]


def read_gold(path) -> pd.DataFrame:
    """Read and validate a gold CSV file (as written by ``framelens annotate merge``).

    Parameters
    ----------
    path : str or Path
        The CSV file.

    Returns
    -------
    DataFrame
        The gold table (see :func:`check_gold`).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("gold file not found", source=path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        raise InputError(f"cannot read the gold file: {err}", source=path) from err
    return check_gold(frame, source=path)


def write_gold(gold: pd.DataFrame, path) -> Path:
    """Write a gold table to CSV (sorted, so the same labels give the same bytes)."""
    path = Path(path)
    ordered = gold[GOLD_COLUMNS].sort_values(GOLD_KEY, kind="stable")
    ordered.to_csv(path, index=False)
    return path


def coders(gold: pd.DataFrame) -> list[str]:
    """The coders of a gold table, sorted."""
    return sorted(gold["coder"].unique())


def consensus(gold: pd.DataFrame, task: str, *, coder: str | None = None) -> pd.DataFrame:
    """One label per unit: the majority of the coders (or one named coder).

    Parameters
    ----------
    gold : DataFrame
        A checked gold table.
    task : {"stance", "frame"}
        Which judgements to reduce.
    coder : str, optional
        Use only this coder's labels instead of a majority vote.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``sent_id``, ``name``, ``label`` (canonical string),
        ``n_coders``. Units whose coders tie (e.g. one says 1, one says 0) have no majority and
        are left out: a tie is not a gold label.

    Notes
    -----
    With two coders every disagreement is a tie, so only the units they agree on remain,
    which flatters any scorer. Resolve disagreements first (a third coder, or a reconciled
    sheet merged under its own coder name and chosen with ``coder``).
    """
    rows = gold[gold["task"] == task]
    if coder is not None:
        if coder not in set(gold["coder"]):
            raise InputError(
                f"no coder {coder!r} in the gold table",
                hint=f"coders: {', '.join(coders(gold))}",
            )
        rows = rows[rows["coder"] == coder]
    keys = ["article_id", "sent_id", "name"]
    counts = rows.groupby(keys + ["label"], sort=True).size().rename("votes").reset_index()
    n_coders = counts.groupby(keys)["votes"].transform("sum")
    top = counts.groupby(keys)["votes"].transform("max")
    winners = counts[counts["votes"] == top].assign(n_coders=n_coders)
    unique = ~winners.duplicated(keys, keep=False)
    return winners[unique][keys + ["label", "n_coders"]].reset_index(drop=True)


def stance_code_values(labels: Iterable[str]) -> np.ndarray:
    """Gold stance codes as floats in {-1, 0, 1}; ``na`` and empty become NaN."""
    return np.array(
        [float(v) if v not in ("na", "", None) else np.nan for v in labels], dtype=float
    )
