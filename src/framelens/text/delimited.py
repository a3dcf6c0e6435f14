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
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from framelens.errors import InputError
from framelens.text.columns import normalize

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
    expected = {normalize(name) for name in expected}
    best, best_key = ",", (-1, -1)
    for delimiter in DELIMITERS:
        fields = next(csv.reader([header], delimiter=delimiter), [])
        # Names compared as the readers compare them: "Article ID" is article_id.
        names = [normalize(field) for field in fields]
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


def header_names(header: str, delimiter: str, *, source) -> list[str]:
    """The column names of a header line (spaces and a byte-order mark stripped).

    Raises
    ------
    InputError
        If a name appears twice (which of the two would be read is anyone's guess).
    """
    fields = next(csv.reader([header], delimiter=delimiter), [])
    names = [field.strip().lstrip("\ufeff") for field in fields]
    seen = set()
    for name in names:
        if name and name in seen:
            raise InputError(
                f"column {name!r} appears twice in the header",
                source=source,
                record="line 1",
                hint=f"read with delimiter {delimiter_name(delimiter)}; rename or remove one",
            )
        seen.add(name)
    return [name or f"unnamed_{i}" for i, name in enumerate(names)]


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
        One row per record (index from 0: record ``i`` is on line ``i + 2``), columns named by
        the header; ``attrs["delimiter"]`` holds the delimiter used.

    Raises
    ------
    InputError
        If a row has more fields than the header, or pandas cannot parse the text, naming the
        file, the line and the delimiter used.
    """
    declared, text = split_sep_line(text)
    header = first_line(text)
    delimiter = declared or sniff_delimiter(header, expected)
    names = header_names(header, delimiter, source=source)
    body = text.split("\n", 1)[1] if "\n" in text else ""
    chunks = _parse(io.StringIO(body), delimiter, names, source=source, skip=0, chunksize=None)
    return next(chunks)


def iter_delimited_file(
    path: Path, *, expected: Iterable[str] = (), chunksize: int, source=None
) -> Iterator[pd.DataFrame]:
    """Read a UTF-8 CSV file in chunks of ``chunksize`` records, as :func:`read_delimited`.

    Each chunk's index counts records from 0 over the whole file.

    Raises
    ------
    InputError
        As :func:`read_delimited`; ``UnicodeDecodeError`` passes through.
    """
    path = Path(path)
    source = path if source is None else source
    delimiter, skip = sniff_file_delimiter(path, expected)
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        for _ in range(skip):
            handle.readline()
        header = first_line(handle.readline())
    names = header_names(header, delimiter, source=source)
    yield from _parse(
        path, delimiter, names, source=source, skip=skip + 1, chunksize=int(chunksize)
    )


def _parse(data, delimiter, names, *, source, skip, chunksize) -> Iterator[pd.DataFrame]:
    """Rows without the header (``header=None``: pandas then never takes a column for the
    index, which it does silently when every row has one field more than the header)."""
    options = dict(sep=delimiter, header=None, dtype=str, keep_default_na=False, skiprows=skip)
    if isinstance(data, Path):
        options["encoding"] = "utf-8-sig"
    first = 0
    try:
        if chunksize is None:
            yield _named(pd.read_csv(data, **options), names, delimiter, source, 0)
            return
        with pd.read_csv(data, chunksize=chunksize, **options) as reader:
            for chunk in reader:
                yield _named(chunk, names, delimiter, source, first)
                first += len(chunk)
    except pd.errors.EmptyDataError:  # the header and no row
        if first == 0:
            yield _named(pd.DataFrame(), names, delimiter, source, 0)
    except pd.errors.ParserError as err:
        raise InputError(
            f"not a readable CSV (read with delimiter {delimiter_name(delimiter)}): {err}",
            source=source,
            hint="a field that holds the delimiter, a quote or a line break must be in "
            "double quotes",
        ) from err


def _named(chunk: pd.DataFrame, names, delimiter, source, first: int) -> pd.DataFrame:
    """Give a chunk the header's names; refuse data in fields beyond the header."""
    chunk = chunk.reset_index(drop=True)
    chunk.index = range(first, first + len(chunk))
    extra = chunk.iloc[:, len(names) :]
    if extra.shape[1]:
        filled = (extra != "").any(axis=1)
        if filled.any():
            row = filled.idxmax()
            raise InputError(
                f"this row has {len(names) + extra.shape[1]} fields, the header "
                f"{len(names)} (read with delimiter {delimiter_name(delimiter)})",
                source=source,
                record=f"line {row + 2}",
                hint="a field that holds the delimiter must be in double quotes",
            )
        chunk = chunk.iloc[:, : len(names)]  # empty trailing fields: nothing is lost
    for position in range(chunk.shape[1], len(names)):  # short rows throughout
        chunk[position] = ""
    chunk.columns = names
    chunk.attrs["delimiter"] = delimiter
    return chunk


def describe_read(table: pd.DataFrame) -> str:
    """``"read with delimiter ';' (semicolon); columns seen: a, b"``, for error hints.

    The delimiter is named for a table read from CSV (``attrs["delimiter"]``) only.
    """
    columns = ", ".join(str(c) for c in table.columns if not str(c).startswith("_")) or "none"
    delimiter = table.attrs.get("delimiter")
    read = f"read with delimiter {delimiter_name(delimiter)}; " if delimiter else ""
    return f"{read}columns seen: {columns}"


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
