"""NewsMTSC: target-dependent sentiment in political news (Hamborg & Donnay, EACL 2021).

Each JSONL record is one sentence (``sentence_normalized``, id ``primary_gid``) with one or more
marked targets (``targets[]``: ``from``, ``to``, ``mention``, ``polarity`` and optional
``further_mentions`` of the same person). Polarity is coded 2.0 negative, 4.0 neutral and 6.0
positive toward the target; framelens reads those as the stance labels against, neutral, favor.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framelens.errors import InputError
from framelens.text.corpus import parse_json_object

#: NewsMTSC polarity codes as framelens stance labels.
POLARITY_LABELS = {2.0: "against", 4.0: "neutral", 6.0: "favor"}

#: Columns of the span-records table (one row per marked target).
SPAN_RECORD_COLUMNS = ["id", "target_index", "text", "start", "end", "mention", "spans", "gold"]
#: NewsMTSC keeps two more: the target's own id (``Input.gid``) and the raw polarity code.
NEWSMTSC_COLUMNS = SPAN_RECORD_COLUMNS + ["target_id", "polarity"]


def is_newsmtsc_record(record: dict) -> bool:
    """Whether a parsed JSON object looks like a NewsMTSC record."""
    return isinstance(record, dict) and "sentence_normalized" in record and "targets" in record


def check_span(text: str, start, end, *, source, record, what: str = "target") -> tuple[int, int]:
    """Validate character offsets ``start``..``end`` against ``text``; return them as ints.

    Raises
    ------
    InputError
        If the offsets are not integers or fall outside ``text`` (naming ``source`` and
        ``record``).
    """
    try:
        if (
            isinstance(start, bool)
            or isinstance(end, bool)
            or float(start) != int(start)
            or float(end) != int(end)
        ):
            raise ValueError
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise InputError(
            f"{what} offsets must be integers, got start={start!r} end={end!r}",
            source=source,
            record=record,
        ) from None
    if not 0 <= start < end <= len(text):
        raise InputError(
            f"{what} offsets {start}..{end} fall outside the text ({len(text)} characters)",
            source=source,
            record=record,
            hint="offsets are 0-based character positions with start < end <= len(text)",
        )
    return start, end


def newsmtsc_rows(record: dict, *, source, line: int) -> list[dict]:
    """Turn one NewsMTSC record into span-record rows (one per target).

    Parameters
    ----------
    record : dict
        A parsed JSONL line.
    source : str or Path
        The file, for error messages.
    line : int
        The 1-based line number, for error messages.

    Returns
    -------
    list of dict
        Rows with the :data:`NEWSMTSC_COLUMNS`.
    """
    where = f"line {line}"
    for field in ("primary_gid", "sentence_normalized", "targets"):
        if field not in record:
            raise InputError(
                f"missing field {field!r}",
                source=source,
                record=where,
                hint="a NewsMTSC record needs primary_gid, sentence_normalized, targets",
            )
    text = record["sentence_normalized"]
    if not isinstance(text, str) or not isinstance(record["targets"], list):
        raise InputError(
            "sentence_normalized must be a string and targets a list", source=source, record=where
        )
    rows = []
    for index, target in enumerate(record["targets"]):
        here = f"{where}, target {index}"
        if not isinstance(target, dict):
            raise InputError("a target must be a JSON object", source=source, record=here)
        for field in ("from", "to"):
            if field not in target:
                raise InputError(
                    f"missing field {field!r}",
                    source=source,
                    record=here,
                    hint="each target needs from, to (and mention, polarity)",
                )
        start, end = check_span(text, target["from"], target["to"], source=source, record=here)
        spans = [(start, end)]
        for extra in target.get("further_mentions") or []:
            spans.append(
                check_span(
                    text,
                    extra.get("from"),
                    extra.get("to"),
                    source=source,
                    record=here,
                    what="further mention",
                )
            )
        polarity = target.get("polarity")
        if polarity is not None and polarity not in POLARITY_LABELS:
            raise InputError(
                f"unknown polarity {polarity!r}",
                source=source,
                record=here,
                hint="NewsMTSC polarity is 2.0, 4.0 or 6.0",
            )
        rows.append(
            {
                "id": record["primary_gid"],
                "target_index": index,
                "target_id": target.get("Input.gid"),
                "text": text,
                "start": start,
                "end": end,
                "mention": target.get("mention", text[start:end]),
                "spans": sorted(spans),
                "polarity": polarity,
                "gold": POLARITY_LABELS.get(polarity),
            }
        )
    return rows


def read_newsmtsc(path) -> pd.DataFrame:
    """Read a NewsMTSC JSONL file into the span-records table.

    Parameters
    ----------
    path : str or Path
        A NewsMTSC ``.jsonl`` file (e.g. ``rw_dev.jsonl``).

    Returns
    -------
    DataFrame
        One row per marked target (:data:`NEWSMTSC_COLUMNS`): ``id`` (the record's
        ``primary_gid``), ``target_index`` (position in ``targets``), ``text``, ``start``,
        ``end``, ``mention``, ``spans`` (the target's mention plus its ``further_mentions``),
        ``gold`` (the polarity as against/neutral/favor), ``target_id`` (``Input.gid``) and
        ``polarity``.

    Raises
    ------
    InputError
        On an unreadable file, a malformed line, a missing field or offsets outside the
        sentence, naming the file and line.
    """
    path = Path(path)
    rows: list[dict] = []
    for line_no, record in iter_jsonl(path):
        rows.extend(newsmtsc_rows(record, source=path, line=line_no))
    return pd.DataFrame(rows, columns=NEWSMTSC_COLUMNS)


def iter_jsonl(path: Path):
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file.

    Raises
    ------
    InputError
        If the file cannot be read or a line is not a JSON object.
    """
    try:
        handle = path.open(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror}", source=path) from None
    with handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            yield line_no, parse_json_object(line, source=path, number=line_no)
