"""Delimited text files (metadata.csv, outlets.csv, article CSVs) as spreadsheets save them.

A spreadsheet saves "CSV" with the list separator of its locale: ``,`` in English, ``;``
where the comma is the decimal mark (most of Europe), a tab for "text" exports, and some
tools use ``|``. The delimiter is read off the header line: of :data:`DELIMITERS`, the one
that splits it into the most column names the reader expects (then into the most fields;
a tie goes to the comma). The header is the only line all rows share and the one whose
fields are known, so long quoted article texts full of commas cannot sway the choice, as they
do a guess from character counts over a sample. Excel's ``sep=;`` first line is obeyed.
When expected columns are still missing, :func:`describe_read` gives the delimiter used and
the columns seen, for the error message.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from framelens.errors import InputError

#: The delimiters tried, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")
_NAMES = {",": "',' (comma)", ";": "';' (semicolon)", "\t": "tab", "|": "'|' (pipe)"}
_SEP_LINE = re.compile(r"sep=(.)\r?\n", re.I)


def sniff_delimiter(header: str, expected: Iterable[str] = ()) -> str:
    """The delimiter of a CSV file, read off its header line.

    Parameters
    ----------
    header : str
        The first line of the file.
    expected : iterable of str
        Column names the reader knows (e.g. ``article_id``, ``file``).

    Returns
    -------
    str
        One of :data:`DELIMITERS`.
    """
    expected = set(expected)
    best, best_key = ",", (-1, -1)
    for delimiter in DELIMITERS:
        fields = next(csv.reader([header], delimiter=delimiter), [])
        names = [field.strip().lstrip("\ufeff") for field in fields]
        key = (sum(name in expected for name in names), len(names))
        if key > best_key:
            best, best_key = delimiter, key
    return best


def delimiter_name(delimiter: str) -> str:
    """How a delimiter is named in messages: ``"';' (semicolon)"``, ``"tab"``."""
    return _NAMES.get(delimiter, repr(delimiter))


def split_sep_line(text: str) -> tuple[str | None, str]:
    """Excel's optional first line ``sep=X``: the delimiter it names and the text after it."""
    match = _SEP_LINE.match(text)
    if match:
        return match.group(1), text[match.end() :]
    return None, text


def first_line(text: str) -> str:
    """The first line of ``text``, without its line break."""
    return text.split("\n", 1)[0].rstrip("\r")


def read_delimited(text: str, *, source, expected: Iterable[str] = ()) -> pd.DataFrame:
    """Read decoded CSV text into strings (empty cells as ``""``), sniffing the delimiter.

    Parameters
    ----------
    text : str
        The decoded file content.
    source : str or Path
        The file, for messages.
    expected : iterable of str
        Column names the reader knows, for :func:`sniff_delimiter`.

    Returns
    -------
    DataFrame
        Column names stripped of surrounding spaces; ``attrs["delimiter"]`` holds the
        delimiter used.

    Raises
    ------
    InputError
        If pandas cannot parse the text, naming the file and the delimiter used.
    """
    declared, text = split_sep_line(text)
    delimiter = declared or sniff_delimiter(first_line(text), expected)
    try:
        table = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(
            f"not a readable CSV (read with delimiter {delimiter_name(delimiter)}): {err}",
            source=source,
        ) from err
    table.columns = [str(c).strip().lstrip("\ufeff") for c in table.columns]
    table.attrs["delimiter"] = delimiter
    return table


def describe_read(table: pd.DataFrame) -> str:
    """``"read with delimiter ';' (semicolon); columns seen: a, b"``, for error hints."""
    delimiter = table.attrs.get("delimiter", ",")
    columns = ", ".join(str(c) for c in table.columns if not str(c).startswith("_")) or "none"
    return f"read with delimiter {delimiter_name(delimiter)}; columns seen: {columns}"


def sniff_file_delimiter(path: Path, expected: Iterable[str] = ()) -> tuple[str, int]:
    """The delimiter of a UTF-8 CSV file from its first line (for reading it in chunks).

    Returns
    -------
    delimiter : str
    skip : int
        Lines to skip before the header (1 after Excel's ``sep=X`` line, else 0).
    """
    with Path(path).open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
        line = handle.readline(1_000_000)
        declared, rest = split_sep_line(line)
        if declared is not None:
            return declared, 1
        return sniff_delimiter(first_line(rest), expected), 0
