"""Read raw articles into the articles table, never dropping one silently.

Supported inputs
----------------
* a **corpus directory**: raw ``.txt``/``.html`` files plus ``metadata.csv`` (columns
  ``article_id, file, outlet, outlet_type`` required; ``date, url, title`` optional) and an
  optional ``outlets.csv`` (``outlet, outlet_type, country, description``);
* a **JSONL** file: one JSON object a line with ``article_id`` and ``text`` (or ``html``),
  and optionally ``outlet, outlet_type, date, url, title``;
* a **CSV** or **Parquet** file: one row per article with the same columns.

The columns of a file may go by the names other tools give them (``stories_id``,
``publish_date``, ``media_name``...): :mod:`framelens.text.columns` maps them, and the reading
is listed as an ``info`` problem.

Every article gets the columns of :data:`framelens.tables.ARTICLES` plus ``date_raw`` (the
date as written), ``source`` (file and record it came from), ``format`` (txt/html),
``encoding`` (the codec used to decode it) and ``raw_chars``. HTML goes through trafilatura;
the page text it leaves out is accounted for block by block (:mod:`framelens.text.html_blocks`):
reader comments land in ``html_comments``, everything else in ``html_removed`` (both JSON
lists, turned into rows of the comments and removed tables by
:func:`framelens.text.clean.clean_articles`).

Reading follows what real files look like: the encoding rule of
:mod:`framelens.text.encoding` (a byte-order mark, else UTF-8, else UTF-8 with a few stray
Windows-1252 bytes read as such, else a recorded guess that prefers Windows-1252), the
delimiter of a CSV sniffed from its header line (:mod:`framelens.text.delimited`), and dates read by :mod:`framelens.text.dates`: ``date``
holds the ISO calendar date as the publisher wrote it, with one day/month order per column,
declared under ``[dates]`` in ``corpus.toml`` or fixed once from the whole column before any
article is read (so a partition never decides it alone).

Problems are of two kinds. Structural ones (a missing column, a duplicate id, a malformed JSONL
line, a metadata row whose file is missing, undecodable bytes, a file over the size limit, a
date column in two day/month orders) raise :class:`~framelens.errors.InputError` naming the
file and record. Per-article ones (an empty article, a raw file with no metadata row, a guessed
or repaired encoding, an unreadable date, ambiguous day/month dates) are collected as :class:`Problem`
rows and issued as :class:`~framelens.errors.InputWarning`; with ``strict=True`` they raise
instead. Skipped articles are always listed, never lost.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framelens.errors import InputError, InputWarning
from framelens.text.columns import KNOWN_NAMES, date_column, resolve_columns
from framelens.text.dates import (
    DateOrder,
    DateSettings,
    date_texts,
    declare_where,
    read_date,
    resolve_date_order,
)
from framelens.text.delimited import describe_read, iter_delimited_file, read_delimited
from framelens.text.encoding import decode_text
from framelens.text.settings import load_date_settings

METADATA_REQUIRED = ["article_id", "file", "outlet", "outlet_type"]
METADATA_OPTIONAL = ["date", "url", "title"]
OUTLETS_COLUMNS = ["outlet", "outlet_type", "country", "description"]
#: Outlet types of the shipped study; any other non-empty string is accepted too.
KNOWN_OUTLET_TYPES = ("blog", "us_opinion", "pk_policy_magazine")
RAW_SUFFIXES = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html"}
DEFAULT_MAX_FILE_MB = 20.0
#: Column names an article CSV may have (with their aliases, :mod:`framelens.text.columns`):
#: the delimiter is the one that finds them.
ARTICLE_COLUMNS = KNOWN_NAMES


@dataclass
class Problem:
    """One per-article problem found while reading (kept in the ``problems`` table)."""

    level: str  # "warning" or "error"
    source: str
    record: str
    message: str
    article_id: str | None = None


@dataclass
class ReadResult:
    """What :func:`read_corpus` returns: the articles and the problems met on the way."""

    articles: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def problems_table(self) -> pd.DataFrame:
        """The problems as a DataFrame (columns level, source, record, article_id, message)."""
        columns = ["level", "source", "record", "article_id", "message"]
        return pd.DataFrame(
            [{c: getattr(p, c) for c in columns} for p in self.problems], columns=columns
        )


class _Collector:
    """Collects per-article problems; raises them at once when ``strict``.

    A ``quiet`` collector only lists them (in a worker process a warning would be lost; the
    caller issues them where the user sees them).
    """

    def __init__(self, strict: bool, quiet: bool = False):
        self.strict = strict
        self.quiet = quiet
        self.problems: list[Problem] = []
        self._once: set[tuple[str, str]] = set()

    def info(self, message: str, *, source, record="") -> None:
        """List how the input was read (level ``info``): never a warning, never strict."""
        self.problems.append(Problem("info", str(source), _record_text(record), message))

    def once(self, key: tuple[str, str]) -> bool:
        """True the first time ``key`` is met: a note about a whole file, read in batches,
        is listed with the first batch only."""
        if key in self._once:
            return False
        self._once.add(key)
        return True

    def warn(self, message: str, *, source, record="", article_id=None, hint=None) -> None:
        if self.strict:
            raise InputError(
                message,
                source=source,
                record=record or None,
                hint=hint or "run without --strict to skip it with a warning",
            )
        self.problems.append(
            Problem("warning", str(source), _record_text(record), message, article_id)
        )
        if not self.quiet:
            warnings.warn(
                str(InputError(message, source=source, record=record or None)),
                InputWarning,
                stacklevel=3,
            )


def _record_text(record) -> str:
    """The record as listed in ``problems``: empty when there is none (a file of a corpus
    folder is one article: its name says all), never the text "None"."""
    return "" if record is None else str(record)


# --------------------------------------------------------------------------- HTML
def looks_like_html(text: str) -> bool:
    """True if ``text`` starts like an HTML document (doctype, ``<html>`` or ``<body>``)."""
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def extract_html(html: str, *, source, record=None) -> dict:
    """Extract the main text, title and reader comments of an HTML page with trafilatura.

    Reader-comment sections are found in the page's markup and cut out *before* trafilatura
    runs (:mod:`framelens.text.html_page`): on a short article trafilatura would otherwise
    take a comment for the story. Page blocks that trafilatura glued into one line get their
    line breaks back, and the page's visible headline is put first in the text when
    trafilatura left it out, so headlines count the same whatever the site's template.
    Scripts, styles, navigation and footers are dropped by trafilatura; every visible block
    of page text that does not reach the main text is listed, as a reader comment or as
    removed text (:func:`framelens.text.html_blocks.html_leftovers`), so none vanishes. The
    publication date trafilatura guesses is *not* used: it often comes from a copyright line,
    and the researcher's metadata is the source of truth for dates.

    Returns
    -------
    dict
        ``text``, ``title`` and ``url`` (strings; empty when absent), ``comments`` (a list
        of ``{"text"}``, one per comment) and ``removed`` (a list of ``{"reason", "text"}``).
    """
    import trafilatura

    from framelens.text.html_blocks import html_leftovers, restore_block_breaks
    from framelens.text.html_page import (
        comment_sections,
        page_headline,
        parse,
        with_headline,
        without_sections,
    )

    def extract(page: str):
        return trafilatura.bare_extraction(
            page, include_comments=True, with_metadata=True, include_tables=True
        )

    root = parse(html)
    sections = found = comment_sections(root)
    doc = extract(without_sections(root, sections)) if sections else None
    if doc is None or not (doc.text or "").strip():
        # No comment section, or nothing left without them: the page as it is.
        doc, sections = extract(html), []
    if doc is None or not (doc.text or "").strip():
        raise InputError(
            "trafilatura found no article text in this HTML",
            source=source,
            record=record,
            hint="check the page is an article (not a listing or a login wall), "
            "or pass the text as .txt",
        )
    text = doc.text or ""
    if root is not None:
        text = restore_block_breaks(root, text, found)
    text = with_headline(text, page_headline(root, sections))
    removed, comments = html_leftovers(
        root if root is not None else html, text, doc.comments or "", found
    )
    return {
        "text": text,
        "title": doc.title or "",
        "url": doc.url or "",
        "comments": comments,
        "removed": removed,
    }


# --------------------------------------------------------------------------- readers
def read_corpus(
    path,
    *,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    outlets=None,
    dates: DateSettings | None = None,
) -> ReadResult:
    """Read a corpus directory, JSONL, CSV or Parquet file into the articles table.

    Parameters
    ----------
    path : str or Path
        A corpus directory (with ``metadata.csv``) or a ``.jsonl``/``.csv``/``.parquet`` file.
    strict : bool, default False
        Raise on per-article problems (empty article, file without metadata, guessed
        encoding, unreadable or ambiguous date) instead of warning and listing them.
    max_file_mb : float, default 20
        Raw files (or text fields) larger than this are refused: one article is never that
        large, so the file is probably a dump or a mistake.
    outlets : str or Path, optional
        An ``outlets.csv``; by default the one beside the input, if any.
    dates : DateSettings, optional
        How dates are read (day/month order, format); by default the ``[dates]`` table of
        ``corpus.toml`` in a corpus directory, else inferred from the date column.

    Returns
    -------
    ReadResult
        ``articles`` (one row per article, sorted by ``article_id``) and ``problems``.
    """
    path = check_input_path(path)
    collector = _Collector(strict)
    order = input_date_order(path, dates, collector)
    if path.is_dir():
        articles = _read_directory(path, collector, max_file_mb, order)
        outlets_path = Path(outlets) if outlets else path / "outlets.csv"
    else:
        readers = {".jsonl": _read_jsonl, ".parquet": _read_table}
        readers.update(dict.fromkeys(DELIMITED_SUFFIXES, _read_table))
        articles = readers[path.suffix.lower()](path, collector, max_file_mb, order)
        outlets_path = Path(outlets) if outlets else path.parent / "outlets.csv"
    articles = _finish_articles(articles, path, collector)
    if outlets_path.is_file():
        articles = attach_outlets(articles, read_outlets(outlets_path))
    elif "country" not in articles.columns:
        articles["country"] = ""
    return ReadResult(articles.reset_index(drop=True), collector.problems)


#: Delimited text files, read alike: the delimiter is read off the header line (a .tsv is
#: tab-separated; a .csv may use any of the delimiters spreadsheets save).
DELIMITED_SUFFIXES = (".csv", ".tsv")
FILE_SUFFIXES = (".jsonl", *DELIMITED_SUFFIXES, ".parquet")


def check_input_path(path) -> Path:
    """The input as a Path, if it is a corpus directory or a .jsonl/.csv/.tsv/.parquet file.

    Raises
    ------
    InputError
        If it does not exist or is a file of another type.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            "no such file or directory",
            source=path,
            hint="give a corpus directory or a .jsonl/.csv/.tsv/.parquet file",
        )
    if not path.is_dir() and path.suffix.lower() not in FILE_SUFFIXES:
        raise InputError(
            f"unsupported input type {path.suffix!r}",
            source=path,
            hint="use a corpus directory, .jsonl, .csv, .tsv (tab-separated) or .parquet",
        )
    return path


def read_outlets(path) -> pd.DataFrame:
    """Read an ``outlets.csv`` (outlet, outlet_type, country, description)."""
    path = Path(path)
    table = _read_csv(path, OUTLETS_COLUMNS)
    missing = [c for c in ("outlet", "outlet_type") if c not in table.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}",
            source=path,
            hint=f"outlets.csv needs columns {', '.join(OUTLETS_COLUMNS)}; {describe_read(table)}",
        )
    duplicated = table["outlet"][table["outlet"].duplicated()]
    if len(duplicated):
        raise InputError(
            f"outlet {duplicated.iloc[0]!r} is listed twice",
            source=path,
            record=f"line {duplicated.index[0] + 2}",
        )
    for column in OUTLETS_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    return table[OUTLETS_COLUMNS]


def attach_outlets(articles: pd.DataFrame, outlets: pd.DataFrame) -> pd.DataFrame:
    """Fill each article's ``outlet_type`` (if empty) and ``country`` from the outlet registry."""
    registry = outlets.set_index("outlet")
    out = articles.copy()
    known = out["outlet"].isin(registry.index) & (out["outlet"] != "")
    empty_type = out["outlet_type"] == ""
    fill = known & empty_type
    out.loc[fill, "outlet_type"] = out.loc[fill, "outlet"].map(registry["outlet_type"])
    out["country"] = out["outlet"].map(registry["country"]).where(known, "").fillna("")
    return out


def _read_csv(path: Path, expected, collector: _Collector | None = None) -> pd.DataFrame:
    """A whole CSV file as strings: encoding and delimiter found as in the module docstring.

    ``attrs`` of the table hold ``delimiter`` and ``encoding``; a guessed encoding is listed
    with ``collector`` when one is given.
    """
    decoded = decode_text(path.read_bytes(), source=path)
    if decoded.note and collector is not None:
        _warn_decoding(collector, decoded.note, source=path)
    table = read_delimited(decoded.text, source=path, expected=expected)
    table.attrs["encoding"] = decoded.encoding
    return table


def _warn_decoding(collector: _Collector, note: str, *, source, record="", article_id=None):
    """List how bytes that were not plain UTF-8 were read (``note``: :attr:`Decoded.note`)."""
    collector.warn(
        note,
        source=source,
        record=record,
        article_id=article_id,
        hint="check the text (the encoding column says how it was read), or re-save the file "
        "as UTF-8",
    )


def _read_directory(
    directory: Path, collector: _Collector, max_file_mb: float, order: DateOrder
) -> pd.DataFrame:
    metadata_path, metadata = _read_metadata(directory, collector)
    articles = _read_listed_files(directory, metadata, metadata_path, collector, max_file_mb, order)
    _warn_unlisted_files(directory, metadata, collector)
    return articles


def _read_metadata(
    directory: Path, collector: _Collector | None = None
) -> tuple[Path, pd.DataFrame]:
    """The checked ``metadata.csv`` of a corpus directory (columns present, ids unique)."""
    metadata_path = directory / "metadata.csv"
    if not metadata_path.is_file():
        raise InputError(
            "no metadata.csv in the corpus directory",
            source=directory,
            hint=f"add metadata.csv with columns {', '.join(METADATA_REQUIRED)}",
        )
    metadata = _read_csv(metadata_path, METADATA_REQUIRED + METADATA_OPTIONAL, collector)
    missing = [c for c in METADATA_REQUIRED if c not in metadata.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}",
            source=metadata_path,
            hint=f"metadata.csv needs {', '.join(METADATA_REQUIRED)} "
            f"(optional: {', '.join(METADATA_OPTIONAL)}); {describe_read(metadata)}",
        )
    _check_unique_ids(metadata["article_id"], metadata_path, line_offset=2)
    return metadata_path, metadata


def _read_listed_files(
    directory: Path,
    metadata: pd.DataFrame,
    metadata_path: Path,
    collector: _Collector,
    max_file_mb: float,
    order: DateOrder,
) -> pd.DataFrame:
    """Read the raw files of some metadata rows (the index gives the row's line number)."""
    rows = []
    for index, meta in metadata.iterrows():
        line = f"line {index + 2}"
        if not meta["file"]:
            raise InputError(
                f"article {meta['article_id']!r} has no file name",
                source=metadata_path,
                record=line,
            )
        file_path = (directory / meta["file"]).resolve()
        if not file_path.is_file():
            raise InputError(
                f"file {meta['file']!r} of article {meta['article_id']!r} does not exist",
                source=metadata_path,
                record=line,
                hint="fix the file name or remove the row",
            )
        _check_size(file_path.stat().st_size, max_file_mb, source=file_path)
        decoded = decode_text(file_path.read_bytes(), source=file_path)
        row = {c: meta.get(c, "") for c in METADATA_REQUIRED + METADATA_OPTIONAL}
        row["date"], row["date_raw"] = _read_one_date(
            row["date"],
            order,
            collector,
            source=metadata_path,
            record=line,
            article_id=row["article_id"],
        )
        row.update(
            text=decoded.text,
            encoding=decoded.encoding,
            source=str(meta["file"]),
            format=RAW_SUFFIXES.get(file_path.suffix.lower(), "txt"),
        )
        rows.append(row)
        if decoded.note:
            _warn_decoding(collector, decoded.note, source=file_path, article_id=row["article_id"])
    return pd.DataFrame(rows)


def _warn_unlisted_files(directory: Path, metadata: pd.DataFrame, collector: _Collector) -> None:
    listed = {(directory / name).resolve() for name in metadata["file"] if name}
    for file_path in sorted(directory.rglob("*")):
        if file_path.suffix.lower() in RAW_SUFFIXES and file_path.resolve() not in listed:
            collector.warn(
                "raw file has no row in metadata.csv and is not read",
                source=file_path.relative_to(directory),
                hint="add a metadata.csv row for it",
            )


def _read_jsonl(
    path: Path, collector: _Collector, max_file_mb: float, order: DateOrder
) -> pd.DataFrame:
    rows = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            record = _jsonl_record(raw, number, path)
            if record is not None:
                rows.append(record)
    if not rows:
        raise InputError("the file holds no records", source=path)
    return _records_to_articles(pd.DataFrame(rows), path, max_file_mb, order, collector)


def parse_json_object(line: str, *, source, number: int) -> dict:
    """Parse one JSONL line that must hold a JSON object.

    Raises
    ------
    InputError
        Naming ``source`` and the line ``number`` if the line is not valid JSON or not an
        object.
    """
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(
            # Some of json's messages end in "at" ("Invalid control character at").
            f"malformed JSON ({err.msg.removesuffix(' at')} at column {err.colno})",
            source=source,
            record=f"line {number}",
            hint="each line must be one JSON object",
        ) from None
    if not isinstance(record, dict):
        raise InputError(
            "the line is JSON but not an object", source=source, record=f"line {number}"
        )
    return record


def _jsonl_record(raw: bytes, number: int, path: Path) -> dict | None:
    """Parse line ``number`` of a JSONL file into a record (``None`` for a blank line)."""
    if not raw.strip():
        return None
    decoded = decode_text(raw, source=path, record=f"line {number}")
    record = parse_json_object(decoded.text, source=path, number=number)
    record = {k: ("" if v is None else v) for k, v in record.items()}
    record["_source"] = f"{path.name}:{number}"  # the input's own "source" may be its outlet
    record["_line"] = f"line {number}"
    record["_encoding"] = decoded.encoding
    record["_decoding"] = decoded.note or ""
    return record


def _read_table(
    path: Path, collector: _Collector, max_file_mb: float, order: DateOrder
) -> pd.DataFrame:
    if path.suffix.lower() in DELIMITED_SUFFIXES:
        table = _read_csv(path, ARTICLE_COLUMNS, collector)
        encoding = table.attrs["encoding"]
    else:
        try:
            table = pd.read_parquet(path)
        except Exception as err:  # pyarrow raises several types for a broken file
            raise InputError(f"not a readable Parquet file: {err}", source=path) from err
        encoding = "utf-8"  # Arrow strings are UTF-8
    table = _label_rows(table, path)
    table["_encoding"] = encoding
    return _records_to_articles(table, path, max_file_mb, order, collector)


def _label_rows(table: pd.DataFrame, path: Path, first: int = 0) -> pd.DataFrame:
    """Add ``_line`` (CSV line / Parquet row, counted from ``first``) and ``_source``."""
    numbers = range(first, first + len(table))
    if path.suffix.lower() in DELIMITED_SUFFIXES:
        table["_line"] = [f"line {i + 2}" for i in numbers]
    else:
        table["_line"] = [f"row {i}" for i in numbers]
    table["_source"] = [f"{path.name}:{line.split()[1]}" for line in table["_line"]]
    return table


def _records_to_articles(
    table: pd.DataFrame,
    path: Path,
    max_file_mb: float,
    order: DateOrder,
    collector: _Collector,
) -> pd.DataFrame:
    """Shared by JSONL/CSV/Parquet: read the columns under their aliases, pick the text or
    html column, check ids and sizes, read the dates in the column's ``order``."""
    # The file's own columns, before aliasing renames them and adds ``source``.
    seen = describe_read(table)
    table = _read_aliases(table, path, collector)
    if "text" not in table.columns and "html" not in table.columns:
        raise InputError(
            "no 'text' (or 'html') column",
            source=path,
            hint=f"{_ALIASES_HINT}; {seen}",
        )
    if "article_id" not in table.columns:
        raise InputError(
            "no 'article_id' column",
            source=path,
            hint=f"give every article a unique id ({_ALIASES_HINT}); {seen}",
        )
    # Columns as lists: iterating pandas' Arrow-backed string columns costs a call per cell.
    lines = table["_line"].tolist()
    # A record without the key (JSONL) or a null cell (Parquet) is empty, not the text "nan".
    ids = [
        _cell_text(v, "article_id", path, line)
        for v, line in zip(table["article_id"].tolist(), lines, strict=True)
    ]
    table["article_id"] = ids
    _check_unique_ids(table["article_id"], path, lines=table["_line"])
    texts, formats = [], []
    absent = [""] * len(table)
    for html, text, line in zip(
        table["html"].tolist() if "html" in table.columns else absent,
        table["text"].tolist() if "text" in table.columns else absent,
        lines,
        strict=True,
    ):
        html = _cell_text(html, "html", path, line)
        text = _cell_text(text, "text", path, line)
        body = html if (html and not text) else text
        _check_size(len(body.encode("utf-8")), max_file_mb, source=path, record=line)
        is_html = bool(html and not text) or looks_like_html(text)
        texts.append(body)
        formats.append("html" if is_html else "txt")
    table["text"] = texts
    table["format"] = formats
    table["encoding"] = table["_encoding"] if "_encoding" in table.columns else "utf-8"
    if "_decoding" in table.columns:  # JSONL lines are decoded one by one
        for _, record in table[table["_decoding"] != ""].iterrows():
            _warn_decoding(
                collector,
                record["_decoding"],
                source=path,
                record=record["_line"],
                article_id=record["article_id"],
            )
    raw_dates = date_texts(table["date"].tolist()) if "date" in table.columns else [""] * len(table)
    dates = [
        _read_one_date(value, order, collector, source=path, record=line, article_id=article_id)
        for value, line, article_id in zip(raw_dates, lines, ids, strict=True)
    ]
    table["date"] = [iso for iso, _ in dates]
    table["date_raw"] = [raw for _, raw in dates]
    for column in ["outlet", "outlet_type"] + METADATA_OPTIONAL:
        if column not in table.columns:
            table[column] = ""
        table[column] = table[column].fillna("").astype(str)
    helpers = [c for c in ("html", "_encoding", "_decoding") if c in table.columns]
    return table.drop(columns=helpers)


_ALIASES_HINT = (
    "other names are read too: id/stories_id for article_id, body/content for text "
    "(see framelens.text.columns.ALIASES)"
)


def _cell_text(value, column: str, path: Path, line) -> str:
    """One cell of a text column as a string: "" when missing (absent key, null, NaN).

    Parameters
    ----------
    value : object
        The cell as the reader gave it.
    column : str
        The column's name, for the error.
    path : Path
        The input file, for the error.
    line : str
        Where the record is in the file (e.g. ``line 3``), for the error.

    Returns
    -------
    str

    Raises
    ------
    InputError
        When the cell holds a list or an object: its printout is not the article's text.
    """
    if isinstance(value, str):
        return value
    # A list cell (JSONL array, Parquet list column) would be stored as its printout.
    if isinstance(value, (list, tuple, dict)) or getattr(value, "ndim", 0) > 0:
        raise InputError(
            f"{column!r} holds a {type(value).__name__}, not a string",
            source=path,
            record=line,
            hint=f"give {column} as one string"
            + (" (join paragraphs with blank lines)" if column in ("text", "html") else ""),
        )
    if value is None or pd.isna(value):
        return ""
    return str(value)


def _read_aliases(table: pd.DataFrame, path: Path, collector: _Collector) -> pd.DataFrame:
    """The records' columns under framelens's names (:mod:`framelens.text.columns`), saying
    once per file which column was read as which, and warning about a column left unused."""
    mapping = resolve_columns(table.columns)
    table = table.copy()
    kept_as = {column: column for column in mapping.unused}
    if "source" in kept_as:
        # "source" is where an article came from (file:line); an input's own column of that
        # name is its outlet (an alias) or, beside another outlet column, kept under a new name.
        table = table.rename(columns={"source": "input_source"})
        kept_as["source"] = "input_source"
    table = table.rename(columns=mapping.renames)
    table["source"] = table.pop("_source")
    if mapping.renames and collector.once(("columns", str(path))):
        collector.info(f"columns read as: {mapping.read_as()}", source=path, record="header")
    for column, name in mapping.unused.items():
        if collector.once(("unused", f"{path}:{column}")):
            read = next((c for c, n in mapping.renames.items() if n == name), name)
            collector.warn(
                f"column {column!r} looks like {name}, but {read!r} is read as {name}; "
                f"{column!r} is not used (the articles keep it as {kept_as[column]!r})",
                source=path,
                record="header",
                hint=f"rename or drop one of the two columns so the right one is read as {name}",
            )
    return table


# --------------------------------------------------------------------------- dates
def input_date_order(path: Path, settings: DateSettings | None, collector: _Collector) -> DateOrder:
    """Fix the day/month order of the input's date column once, before any article is read.

    Every date value of the input is scanned (``metadata.csv`` of a directory, or the ``date``
    field of every record of a file), so the order is the same for every partition; the
    warnings about the column (ambiguous values) are listed with ``collector``.

    Parameters
    ----------
    path : Path
        The checked input (see :func:`check_input_path`).
    settings : DateSettings, optional
        What the researcher declared; ``None`` reads ``[dates]`` of ``corpus.toml`` in a corpus
        directory.
    collector : _Collector
        Lists the warnings about the column.

    Raises
    ------
    InputError
        If the column mixes day-first and month-first dates, or contradicts the declared order.
    """
    if settings is None:
        settings = load_date_settings(None, path)
    source = path / "metadata.csv" if path.is_dir() else path
    values = () if settings.date_format else date_values(path)
    order, notes = resolve_date_order(values, settings, source=source)
    for note in notes:
        collector.warn(note, source=source, record="date column")
    return order


def date_values(path: Path):
    """Every ``(record, date as written)`` of an input, in input order, read leniently.

    Records that cannot be read (a malformed JSONL line, say) are passed over: the reading
    proper reports them, naming their line.
    """
    if path.is_dir():
        _, metadata = _read_metadata(path)
        if "date" in metadata.columns:
            lines = (f"line {i + 2}" for i in metadata.index)
            yield from zip(lines, metadata["date"], strict=True)
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl_dates(path)
    elif suffix in DELIMITED_SUFFIXES:
        yield from _csv_dates(path)
    else:
        yield from _parquet_dates(path)


def _jsonl_dates(path: Path):
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            low = raw.lower()
            if b"date" not in low and b"publ" not in low:  # no name of a date column
                continue
            try:
                record = json.loads(decode_text(raw, source=path).text)
            except (InputError, ValueError):
                continue
            column = date_column(record) if isinstance(record, dict) else None
            if column is not None:
                yield f"line {number}", date_texts([record[column]])[0]


def _csv_dates(path: Path):
    values = []
    try:
        for chunk in iter_delimited_file(path, expected=ARTICLE_COLUMNS, chunksize=2_000):
            column = date_column(chunk.columns)
            if column is not None:
                values.extend(chunk[column])
    except UnicodeDecodeError:  # not UTF-8: the whole file is decoded by the encoding rule
        table = _read_csv(path, ARTICLE_COLUMNS)
        column = date_column(table.columns)
        values = list(table[column]) if column is not None else []
    except InputError:
        return  # reported, with its line, by the reading proper
    yield from ((f"line {i + 2}", value) for i, value in enumerate(values))


def _parquet_dates(path: Path):
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except Exception:  # a broken file is reported by the reading proper
        return
    with file:
        column = date_column(file.schema_arrow.names)
        if column is None:
            return
        first = 0
        for batch in file.iter_batches(batch_size=50_000, columns=[column]):
            values = date_texts(batch.column(0).to_pandas())
            rows = [f"row {i}" for i in range(first, first + len(values))]
            yield from zip(rows, values, strict=True)
            first += len(values)


def _read_one_date(value, order: DateOrder, collector: _Collector, *, source, record, article_id):
    """``(ISO date, date as written)`` of one record; an unreadable date is listed, left empty."""
    raw = date_texts([value])[0]
    iso, problem = read_date(raw, order)
    if problem:
        collector.warn(
            f"{problem}; the article is kept without a date",
            source=source,
            record=record,
            article_id=article_id,
            hint="fix the value (ISO 8601, e.g. 2023-11-02), or declare date_format "
            f"{declare_where(source)}",
        )
    return iso, raw


def _check_unique_ids(ids: pd.Series, source: Path, *, line_offset: int = 0, lines=None) -> None:
    empty = ids[ids.astype(str).str.strip() == ""]
    if len(empty):
        where = (
            lines.loc[empty.index[0]]
            if lines is not None
            else f"line {empty.index[0] + line_offset}"
        )
        raise InputError("empty article_id", source=source, record=where)
    duplicated = ids[ids.duplicated(keep="first")]
    if len(duplicated):
        first = duplicated.index[0]
        where = lines.loc[first] if lines is not None else f"line {first + line_offset}"
        raise InputError(
            f"duplicate article_id {duplicated.iloc[0]!r}",
            source=source,
            record=where,
            hint="article ids must be unique",
        )


def _check_size(n_bytes: int, max_file_mb: float, *, source, record=None) -> None:
    if n_bytes > max_file_mb * 1_000_000:
        raise InputError(
            f"{_size(n_bytes)} is above the {_size(max_file_mb * 1_000_000, 'g')} limit for one "
            "article",
            source=source,
            record=record,
            hint="if it is one article raise --max-file-mb; if it holds many, "
            "give each its own record (JSONL: one article per line)",
        )


def _size(n_bytes: float, style: str = ".1f") -> str:
    """A size as people read it: ``"2.5 MB"``, ``"12.3 KB"``, ``"731 bytes"`` (decimal units,
    as ``--max-file-mb`` counts them), never a "0.0 MB" for a small limit. ``style`` formats
    MB and KB (``"g"`` for a limit the user typed: ``"20 MB"``)."""
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1e6:{style}} MB"
    if n_bytes >= 1_000:
        return f"{n_bytes / 1e3:{style}} KB"
    return f"{n_bytes:.0f} bytes"


def _finish_articles(articles: pd.DataFrame, path: Path, collector: _Collector) -> pd.DataFrame:
    """Extract HTML, drop (and list) empty articles, order the columns."""
    rows = []
    in_directory = path.is_dir()
    # Plain dicts, one per record, from each column as a list: iterrows() builds a Series per
    # row and to_dict() iterates the Arrow-backed columns cell by cell, both costing more than
    # the rest of finishing a plain-text record. (The readers give object columns plain
    # Python values, so the lists hold what to_dict("records") would.)
    names = list(articles.columns)
    columns = [articles[name].tolist() for name in names]
    for values in zip(*columns, strict=True):
        row = dict(zip(names, values, strict=True))
        record = row.pop("_line", None)
        source = path / row["source"] if in_directory else path
        row["raw_chars"] = len(row["text"])
        row["html_comments"] = row["html_removed"] = ""
        if row.get("format") == "html" or looks_like_html(row["text"]):
            extracted = extract_html(row["text"], source=source, record=record)
            row["format"] = "html"
            row["text"] = extracted["text"]
            # JSON text, not lists: the column must survive Parquet and any engine's pickling.
            row["html_comments"] = json.dumps(extracted["comments"], ensure_ascii=False)
            row["html_removed"] = json.dumps(extracted["removed"], ensure_ascii=False)
            row["title"] = row.get("title") or extracted["title"]
            row["url"] = row.get("url") or extracted["url"]
        if not row["text"].strip():
            collector.warn(
                "the article is empty (or only whitespace) and is skipped",
                source=source,
                record=record,
                article_id=row["article_id"],
            )
            continue
        rows.append(row)
    columns = [
        "article_id",
        "outlet",
        "outlet_type",
        "date",
        "title",
        "url",
        "text",
        "source",
        "format",
        "encoding",
        "raw_chars",
        "html_comments",
        "html_removed",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    extra = [c for c in articles.columns if c not in columns and c != "_line"]
    for column in extra:
        frame[column] = [r.get(column) for r in rows]
    for column in ["outlet", "outlet_type", "date", "title", "url"]:
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    frame["article_id"] = frame["article_id"].astype(str)
    return frame.sort_values("article_id", kind="stable")
