"""Read a corpus a batch of articles at a time, with memory that does not grow with its size.

JSONL is read line by line, CSV in chunks, Parquet by record batches and a corpus directory by
rows of its ``metadata.csv``; every batch gets the checks and messages of
:func:`framelens.text.corpus.read_corpus`, and an id seen in an earlier batch is a duplicate too.
Batches are cut in input order, so the same input and batch size always give the same batches
(which is what lets an interrupted run resume). The day/month order of the date column is
fixed once, from every value of the input, before the first batch
(:func:`framelens.text.corpus.input_date_order`): rows never depend on the batch size.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from framelens.errors import InputError
from framelens.text.corpus import (
    ARTICLE_COLUMNS,
    DEFAULT_MAX_FILE_MB,
    ReadResult,
    _Collector,
    _finish_articles,
    _jsonl_record,
    _label_rows,
    _read_listed_files,
    _read_metadata,
    _records_to_articles,
    _warn_unlisted_files,
    attach_outlets,
    check_input_path,
    input_date_order,
    read_outlets,
)
from framelens.text.dates import DateSettings
from framelens.text.delimited import iter_delimited_file
from framelens.text.settings import load_date_settings


def iter_article_batches(
    path,
    batch_size: int = 500,
    *,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    outlets=None,
    dates: DateSettings | None = None,
) -> Iterator[ReadResult]:
    """Read a corpus a batch of articles at a time, never the whole input at once.

    The checks of :func:`framelens.text.corpus.read_corpus` apply to every batch, and an article id
    seen in an earlier batch is a duplicate too.

    Parameters
    ----------
    path : str or Path
        A corpus directory (with ``metadata.csv``) or a ``.jsonl``/``.csv``/``.parquet`` file.
    batch_size : int, default 500
        Input records per batch (the last batch may be smaller; empty articles are dropped
        with a warning, as in ``read_corpus``).
    strict : bool, default False
        Raise on per-article problems instead of warning.
    max_file_mb : float, default 20
        Size limit for one article.
    outlets : str or Path, optional
        An ``outlets.csv``; by default the one beside the input, if any.
    dates : DateSettings, optional
        As in :func:`framelens.text.corpus.read_corpus`.

    Returns
    -------
    iterator of ReadResult
        Per batch, its articles (columns as from ``read_corpus``, sorted by ``article_id``
        within the batch) and the problems met reading them.

    Raises
    ------
    InputError
        At once for a missing path, an unknown file type or a date column in two day/month
        orders; for a structural problem in the data (malformed line, duplicate id, missing
        column ...) when the batch holding it is reached, naming the file and line.
    """
    reader = BatchReader(path, batch_size, strict, max_file_mb, outlets, dates)

    def batches():
        for raw, problems in reader.raw_batches():
            read = reader.finish(raw)
            yield ReadResult(read.articles, problems + read.problems)

    return batches()


class BatchReader:
    """Reads an input in batches of checked raw records, and finishes a batch into articles.

    Two steps so that :func:`framelens.runs.process.process_corpus` reads in the driver, which must
    see every id, and finishes (HTML extraction, the costly part) in the workers; hence
    picklable. The date column's order is fixed here, from the whole input
    (``date_order``; its warnings go with the first batch).
    """

    def __init__(
        self,
        path,
        batch_size: int,
        strict: bool,
        max_file_mb: float,
        outlets=None,
        dates: DateSettings | None = None,
    ):
        path = check_input_path(path)
        if int(batch_size) < 1:
            raise InputError(
                f"the partition size (articles per batch) must be at least 1, not {batch_size}",
                hint="give --partition-size (partition_size in [engine]) of 1 or more",
            )
        self.path, self.batch_size = path, int(batch_size)
        self.strict, self.max_file_mb = strict, max_file_mb
        beside = path if path.is_dir() else path.parent
        outlets = Path(outlets) if outlets else beside / "outlets.csv"
        self.registry = read_outlets(outlets) if outlets.is_file() else None
        self.dates = dates if dates is not None else load_date_settings(None, path)
        # Warnings about the date column are met here, listed with the first batch.
        notes = _Collector(strict, quiet=True)
        self.date_order = input_date_order(path, self.dates, notes)
        self._date_notes = notes.problems

    def raw_batches(self, *, quiet: bool = False) -> Iterator[tuple[pd.DataFrame, list]]:
        """Yield each batch of checked records with the problems met reading it (warned,
        unless ``quiet``: for a pass over the input that is read again afterwards)."""
        collector = _Collector(self.strict, quiet=quiet)
        for problem in self._date_notes:
            collector.warn(problem.message, source=problem.source, record=problem.record)
        order = self.date_order
        if self.path.is_dir():
            batches = _directory_batches(
                self.path, self.batch_size, collector, self.max_file_mb, order
            )
        else:
            reader = _FILE_READERS[self.path.suffix.lower()]
            batches = reader(self.path, self.batch_size, self.max_file_mb, order, collector)
        seen: set[str] = set()
        reported = 0
        for raw in batches:
            if "_line" in raw.columns:  # a directory's ids were all checked in metadata.csv
                _check_new_ids(raw, seen, self.path)
            yield raw, collector.problems[reported:]
            reported = len(collector.problems)

    def finish(self, raw: pd.DataFrame, *, quiet: bool = False) -> ReadResult:
        """Extract HTML, drop (and list) empty articles, attach the outlet registry."""
        collector = _Collector(self.strict, quiet=quiet)
        articles = _finish_articles(raw, self.path, collector)
        if self.registry is not None:
            articles = attach_outlets(articles, self.registry)
        elif "country" not in articles.columns:
            articles["country"] = ""
        return ReadResult(articles.reset_index(drop=True), collector.problems)


def _check_new_ids(batch: pd.DataFrame, seen: set, path: Path) -> None:
    """Refuse an id that an earlier batch had; add this batch's ids to ``seen``.

    Set look-ups, one per id of the batch: ``Series.isin(seen)`` converts every id seen so far
    for each batch (pandas' Arrow strings), which made reading cost time quadratic in the
    number of articles.
    """
    ids = batch["article_id"].tolist()
    position = next((i for i, article_id in enumerate(ids) if article_id in seen), None)
    if position is not None:
        first = batch.index[position]
        raise InputError(
            f"duplicate article_id {batch.at[first, 'article_id']!r}",
            source=path,
            record=batch.at[first, "_line"],
            hint="article ids must be unique",
        )
    seen.update(ids)


def _jsonl_batches(
    path: Path, batch_size: int, max_file_mb: float, order, collector: _Collector
) -> Iterator[pd.DataFrame]:
    rows, any_rows = [], False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            record = _jsonl_record(raw, number, path)
            if record is not None:
                rows.append(record)
            if len(rows) == batch_size:
                yield _records_to_articles(pd.DataFrame(rows), path, max_file_mb, order, collector)
                rows, any_rows = [], True
    if rows:
        yield _records_to_articles(pd.DataFrame(rows), path, max_file_mb, order, collector)
    elif not any_rows:
        raise InputError("the file holds no records", source=path)


def _csv_batches(
    path: Path, batch_size: int, max_file_mb: float, order, collector: _Collector
) -> Iterator[pd.DataFrame]:
    # Unlike read_corpus, which detects the encoding of the whole file, a stream must be UTF-8.
    # The delimiter is read off the header line, as read_corpus does.
    first = 0
    try:
        chunks = iter_delimited_file(path, expected=ARTICLE_COLUMNS, chunksize=batch_size)
        for chunk in chunks:
            labelled = _label_rows(chunk, path, first)
            yield _records_to_articles(labelled, path, max_file_mb, order, collector)
            first += len(chunk)
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 ({err.reason} at byte {err.start} of a chunk)",
            source=path,
            record=f"after line {first + 1}",
            hint="re-save the file as UTF-8 to stream it",
        ) from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(f"not a readable CSV: {err}", source=path) from err


def _parquet_batches(
    path: Path, batch_size: int, max_file_mb: float, order, collector: _Collector
) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types for a broken file
        raise InputError(f"not a readable Parquet file: {err}", source=path) from err
    first = 0
    with file:
        for batch in file.iter_batches(batch_size=batch_size):
            table = batch.to_pandas()
            labelled = _label_rows(table, path, first)
            yield _records_to_articles(labelled, path, max_file_mb, order, collector)
            first += len(table)


def _directory_batches(
    directory: Path, batch_size: int, collector: _Collector, max_file_mb: float, order
) -> Iterator[pd.DataFrame]:
    # metadata.csv holds one short row per article: it is read whole, the raw files are not.
    metadata_path, metadata = _read_metadata(directory, collector)
    _warn_unlisted_files(directory, metadata, collector)
    for begin in range(0, len(metadata), batch_size):
        rows = metadata.iloc[begin : begin + batch_size]
        yield _read_listed_files(directory, rows, metadata_path, collector, max_file_mb, order)


_FILE_READERS = {
    ".jsonl": _jsonl_batches,
    ".csv": _csv_batches,
    ".tsv": _csv_batches,
    ".parquet": _parquet_batches,
}
