"""Stance toward explicitly marked spans: researchers' own mention lists and public benchmarks.

Corpus scoring finds mentions with the codebook; here the spans are given. Two input formats
are read (:func:`read_span_records`):

* **NewsMTSC** JSONL (Hamborg & Donnay 2021), detected by its fields: ``primary_gid``,
  ``sentence_normalized`` and ``targets[]`` (``from``, ``to``, ``mention``, ``polarity``,
  optional ``further_mentions``);
* **generic** JSONL, CSV or Parquet with columns ``id``, ``text``, ``start``, ``end``: one row
  per target; optional ``target`` (the target's name) and ``label``, ``gold`` or ``expected``
  (a gold stance label, against/neutral/favor; the columns given must agree). Rows sharing an ``id``
  are targets of the same record, numbered in file order, and must repeat its text (two texts
  under one id are an error). A CSV is read as the corpus readers read one: its encoding by
  :mod:`framelens.text.encoding`, its delimiter (``,``, ``;``, tab or ``|``) off its header
  line.

:func:`score_span_records` scores them with any stance scorer, one output row per input target.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from framelens.datasets.newsmtsc import (
    NEWSMTSC_COLUMNS,
    POLARITY_LABELS,
    SPAN_RECORD_COLUMNS,
    check_span,
    is_newsmtsc_record,
    iter_jsonl,
    newsmtsc_rows,
)
from framelens.errors import InputError, InputWarning
from framelens.scorers.base import SPAN_ITEM_COLUMNS, StanceScorer
from framelens.tables import STANCE_LABELS
from framelens.text.delimited import describe_read, read_delimited
from framelens.text.encoding import decode_text

#: Columns a generic span file must have.
GENERIC_COLUMNS = ["id", "text", "start", "end"]
#: The names of the gold stance label (``expected``: as the shared case files name it).
GOLD_LABEL_COLUMNS = ("label", "gold", "expected")
#: Columns it may have.
OPTIONAL_COLUMNS = ["target", *GOLD_LABEL_COLUMNS]
TABLE_SUFFIXES = {".csv", ".parquet"}


def read_span_records(path) -> pd.DataFrame:
    """Read marked spans from a NewsMTSC or generic JSONL/CSV/Parquet file.

    Parameters
    ----------
    path : str or Path
        The input file; the format follows the extension (``.jsonl``/``.json``, ``.csv``,
        ``.parquet``) and, for JSONL, the fields of the first record.

    Returns
    -------
    DataFrame
        One row per target with :data:`SPAN_RECORD_COLUMNS`: ``id`` (for NewsMTSC the
        ``primary_gid``), ``target_index`` (position of the target in its record), ``text``,
        ``start``/``end`` (the marked span), ``mention``, ``spans`` (all mentions of the target
        to score: for NewsMTSC the span plus its ``further_mentions``) and ``gold`` (the gold
        label, or None).

    Raises
    ------
    InputError
        Unknown extension, malformed JSONL line, missing field, offsets outside the text or an
        unknown gold label; the message names the file and line (or row).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", source=path)
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".json", ".ndjson"}:
        return _read_jsonl(path)
    if suffix == ".csv":
        frame = _read_csv(path)
        return _generic_rows(
            frame.to_dict("records"), path, first_line=2, unit="line", read=describe_read(frame)
        )
    if suffix == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as err:  # pyarrow raises several types for a broken file
            raise InputError(f"cannot read the Parquet file: {err}", source=path) from None
        return _generic_rows(frame.to_dict("records"), path, first_line=1, unit="row")
    raise InputError(
        f"unknown span file type {suffix or '(none)'!r}",
        source=path,
        hint="use .jsonl (NewsMTSC or generic), .csv or .parquet",
    )


def _read_csv(path: Path) -> pd.DataFrame:
    """A span CSV as a spreadsheet saves it, read as the corpus readers read one: the encoding
    rule of :mod:`framelens.text.encoding` and the delimiter sniffed from the header line
    (``;`` in most of Europe). Empty cells are ``""``, every value a string."""
    decoded = decode_text(path.read_bytes(), source=path)
    if decoded.note:
        warnings.warn(str(InputError(decoded.note, source=path)), InputWarning, stacklevel=3)
    return read_delimited(decoded.text, source=path, expected=GENERIC_COLUMNS + OPTIONAL_COLUMNS)


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows: list[dict] = []
    generic: list[tuple[int, dict]] = []
    newsmtsc = None
    for line_no, record in iter_jsonl(path):
        if newsmtsc is None:
            newsmtsc = is_newsmtsc_record(record)
        if newsmtsc:
            rows.extend(newsmtsc_rows(record, source=path, line=line_no))
        else:
            generic.append((line_no, record))
    if newsmtsc:
        return pd.DataFrame(rows, columns=NEWSMTSC_COLUMNS)
    return _generic_rows([r for _, r in generic], path, lines=[n for n, _ in generic])


def _generic_rows(
    records, path, *, first_line: int = 1, unit: str = "line", lines=None, read: str = ""
) -> pd.DataFrame:
    """One row per span; ``read`` says how a CSV was read (delimiter, columns seen)."""
    rows = []
    position: dict = {}
    first_text: dict[str, tuple[str, str]] = {}  # id -> (its text, where first seen)
    for k, record in enumerate(records):
        where = f"{unit} {lines[k] if lines else first_line + k}"
        missing = [c for c in GENERIC_COLUMNS if c not in record or _blank(record[c])]
        if missing:
            raise InputError(
                f"missing field(s) {', '.join(missing)}",
                source=path,
                record=where,
                hint=f"each span needs {', '.join(GENERIC_COLUMNS)}, or the fields of a "
                "NewsMTSC record" + (f"; {read}" if read else ""),
            )
        text = record["text"]
        if not isinstance(text, str):
            raise InputError("text must be a string", source=path, record=where)
        record_id = str(record["id"])
        seen = first_text.setdefault(record_id, (text, where))
        if seen[0] != text:
            # Rows sharing an id are targets of one record: two texts are two records.
            raise InputError(
                f"id {record_id!r} has two different texts ({seen[1]} and {where})",
                source=path,
                record=where,
                hint="rows that share an id mark targets in one text and repeat it; give "
                "another text its own id",
            )
        start, end = check_span(text, record["start"], record["end"], source=path, record=where)
        given = {
            column: str(record[column]).strip().lower()
            for column in GOLD_LABEL_COLUMNS
            if not _blank(record.get(column))
        }
        if len(set(given.values())) > 1:
            values = ", ".join(f"{column} {value!r}" for column, value in given.items())
            raise InputError(
                f"the gold label columns disagree ({values})",
                source=path,
                record=where,
                hint="give the gold stance label in one column",
            )
        gold = next(iter(given.values()), None)
        if gold is not None and _allowed_labels(gold):
            # A case file's answer may allow two labels ("favor_or_neutral"): no single gold
            # label to measure against, so the span is scored and said not to be measured.
            warnings.warn(
                str(
                    InputError(
                        f"gold label {gold!r} allows {' or '.join(_allowed_labels(gold))}: the "
                        "span is scored but left out of the measurement",
                        source=path,
                        record=where,
                    )
                ),
                InputWarning,
                stacklevel=2,
            )
            gold = None
        if gold is not None and gold not in STANCE_LABELS:
            raise InputError(
                f"unknown label {gold!r}",
                source=path,
                record=where,
                hint=f"labels are {', '.join(STANCE_LABELS)}",
            )
        index = position.get(record_id, 0)
        position[record_id] = index + 1
        target = record.get("target")
        rows.append(
            {
                "id": record_id,
                "target_index": index,
                "text": text,
                "start": start,
                "end": end,
                "mention": text[start:end],
                "spans": [(start, end)],
                "gold": gold,
                "target": "" if _blank(target) else str(target),
            }
        )
    return pd.DataFrame(rows, columns=SPAN_RECORD_COLUMNS + ["target"])


def _allowed_labels(value: str) -> list[str]:
    """The labels of an answer that allows several (``"favor_or_neutral"``), else ``[]``."""
    parts = value.split("_or_")
    return parts if len(parts) > 1 and all(part in STANCE_LABELS for part in parts) else []


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def score_span_records(records: pd.DataFrame, scorer: StanceScorer) -> pd.DataFrame:
    """Score stance toward each marked span.

    Parameters
    ----------
    records : DataFrame
        Span records as returned by :func:`read_span_records` (at least ``id``,
        ``target_index``, ``text``, ``start``, ``end``; ``spans`` defaults to
        ``[(start, end)]``).
    scorer : StanceScorer
        Any stance scorer (e.g. ``get_scorer("stance", "lexicon")``).

    Returns
    -------
    DataFrame
        One row per input target, in input order: ``id``, ``target_index`` (plus
        ``target_id`` where the input has it), ``start``, ``end``, ``mention``, ``scorer``,
        ``score``, ``label``, ``confidence`` and ``gold`` (the gold label, when the input has
        one).
    """
    if not isinstance(scorer, StanceScorer):
        raise InputError(
            f"{type(scorer).__name__} is not a stance scorer",
            hint="build one with framelens.scorers.get_scorer('stance', NAME)",
        )
    missing = [
        c for c in ["id", "target_index", "text", "start", "end"] if c not in records.columns
    ]
    if missing:
        raise InputError(
            f"span records lack column(s) {', '.join(missing)}",
            hint="read them with framelens.scorers.spans.read_span_records",
        )
    items = pd.DataFrame(index=records.index)
    items["text"] = records["text"].astype(str)
    if "spans" in records.columns:
        items["spans"] = records["spans"].map(lambda spans: [tuple(map(int, s)) for s in spans])
    else:
        items["spans"] = [
            [(int(s), int(e))] for s, e in zip(records["start"], records["end"], strict=True)
        ]
    items["target"] = records["target"] if "target" in records.columns else ""
    scored = scorer.score_spans(items[SPAN_ITEM_COLUMNS])
    keep = [
        c for c in ["id", "target_index", "target_id", "start", "end", "mention"] if c in records
    ]
    out = records[keep].copy()
    if "mention" not in out:
        out["mention"] = [
            t[s:e] for t, s, e in zip(items["text"], records["start"], records["end"], strict=True)
        ]
    out["scorer"] = scorer.name
    out["score"] = scored["score"].to_numpy(dtype=float)
    out["label"] = scored["label"].to_numpy()
    out["confidence"] = scored["confidence"].to_numpy(dtype=float)
    if "gold" in records.columns and records["gold"].notna().any():
        out["gold"] = records["gold"].to_numpy()
    elif "polarity" in records.columns:
        out["gold"] = records["polarity"].map(POLARITY_LABELS).to_numpy()
    return out.reset_index(drop=True)


def write_table(table: pd.DataFrame, path) -> Path:
    """Write ``table`` as CSV or Parquet, chosen by the extension of ``path``.

    Raises
    ------
    InputError
        If the extension is neither ``.csv`` nor ``.parquet``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(
            f"unknown output type {suffix or '(none)'!r}",
            source=path,
            hint="name the output file .csv or .parquet",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        table.to_csv(path, index=False, lineterminator="\n")
    else:
        table.to_parquet(path, index=False)
    return path
