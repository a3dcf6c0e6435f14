"""Process corpora larger than memory: stream the input in batches, score them in parallel.

:func:`framelens.ingest.ingest` and :func:`framelens.scoring.score_corpus` hold the whole corpus
in memory. :func:`process_corpus` runs the same flow (clean, segment, find mentions, score,
aggregate) on batches of articles instead:

* :func:`iter_article_batches` reads the input a batch at a time (JSONL line by line, CSV in
  chunks, Parquet by record batches, a corpus directory by rows of ``metadata.csv``), with the
  checks and messages of :func:`framelens.corpus.read_corpus`. :func:`process_corpus` reads
  and checks the records in the driver (which must see every id) and leaves the costly rest,
  HTML extraction included, to the tasks;
* Punkt is trained once, on the leading batches, and shipped to every task, so sentences do not
  depend on the batch size;
* each batch is one :func:`dask.delayed` task that writes its tables as
  ``OUT/<table>/part-<batch>.parquet`` (one Parquet dataset per table) and returns only counts,
  so memory stays bounded by the batch size times the number of batches in flight (twice the
  number of workers);
* tasks run on dask's local ``processes`` scheduler by default (every core of one machine), on
  ``threads`` or ``synchronous``, or on a ``dask.distributed`` cluster (a ``Client`` or a
  scheduler address). Read a table back with :func:`read_dataset`.

The rows do not depend on the scheduler or the batch size. For a corpus whose cleaned text fits
in :data:`framelens.segment.MAX_TRAINING_CHARS`, they are the rows of the in-memory path; above
that, Punkt learns from the first that many characters of the input rather than of the corpus
sorted by id.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

import pandas as pd

from framelens.aggregate import article_scores
from framelens.clean import CleanConfig, CleanResult, clean_articles
from framelens.codebook import Codebook, load_codebook
from framelens.corpus import (
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
    read_outlets,
)
from framelens.errors import FramelensError, InputError, InputWarning
from framelens.mentions import find_mentions
from framelens.scoring import build_scorer
from framelens.segment import MAX_TRAINING_CHARS, segment_articles, train_punkt
from framelens.tables import FRAMES, STANCE

#: The tables :func:`process_corpus` writes, one Parquet dataset (folder) each.
TABLES = (
    "articles",
    "sentences",
    "removed",
    "comments",
    "mentions",
    "stance",
    "frames",
    "article_scores",
    "problems",
)
#: The columns :func:`read_dataset` sorts each table by (the table's key).
SORT_KEYS = {
    "articles": ["article_id"],
    "sentences": ["article_id", "sent_id"],
    "removed": ["article_id", "start"],
    "comments": ["article_id", "comment_id"],
    "mentions": ["article_id", "sent_id", "start"],
    "stance": ["article_id", "sent_id", "target", "scorer"],
    "frames": ["article_id", "sent_id", "frame", "scorer"],
    "article_scores": ["article_id", "kind", "name", "scorer"],
}
LOCAL_SCHEDULERS = ("processes", "threads", "synchronous")


# ----------------------------------------------------------------------------- streaming
def iter_article_batches(
    path,
    batch_size: int = 500,
    *,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    outlets=None,
) -> Iterator[ReadResult]:
    """Read a corpus a batch of articles at a time, never the whole input at once.

    The checks of :func:`framelens.corpus.read_corpus` apply to every batch, and an article id
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

    Returns
    -------
    iterator of ReadResult
        Per batch, its articles (columns as from ``read_corpus``, sorted by ``article_id``
        within the batch) and the problems met reading them.

    Raises
    ------
    InputError
        At once for a missing path or an unknown file type; for a structural problem in the
        data (malformed line, duplicate id, missing column ...) when the batch holding it is
        reached, naming the file and line.
    """
    reader = _Reader(path, batch_size, strict, max_file_mb, outlets)

    def batches():
        for raw, problems in reader.raw_batches():
            read = reader.finish(raw)
            yield ReadResult(read.articles, problems + read.problems)

    return batches()


class _Reader:
    """Reads an input in batches of checked raw records, and finishes a batch into articles.

    Two steps so that :func:`process_corpus` reads in the driver, which must see every id, and
    finishes (HTML extraction, the costly part) in the workers; hence picklable.
    """

    def __init__(self, path, batch_size: int, strict: bool, max_file_mb: float, outlets=None):
        path = check_input_path(path)
        if int(batch_size) < 1:
            raise InputError(f"the batch size must be at least 1, not {batch_size}")
        self.path, self.batch_size = path, int(batch_size)
        self.strict, self.max_file_mb = strict, max_file_mb
        beside = path if path.is_dir() else path.parent
        outlets = Path(outlets) if outlets else beside / "outlets.csv"
        self.registry = read_outlets(outlets) if outlets.is_file() else None

    def raw_batches(self) -> Iterator[tuple[pd.DataFrame, list]]:
        """Yield each batch of checked records with the problems met reading it (warned)."""
        collector = _Collector(self.strict)
        if self.path.is_dir():
            batches = _directory_batches(self.path, self.batch_size, collector, self.max_file_mb)
        else:
            reader = _FILE_READERS[self.path.suffix.lower()]
            batches = reader(self.path, self.batch_size, self.max_file_mb)
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
    repeated = batch["article_id"].isin(seen)
    if repeated.any():
        first = repeated.idxmax()
        raise InputError(
            f"duplicate article_id {batch.at[first, 'article_id']!r}",
            source=path,
            record=batch.at[first, "_line"],
            hint="article ids must be unique",
        )
    seen.update(batch["article_id"])


def _jsonl_batches(path: Path, batch_size: int, max_file_mb: float) -> Iterator[pd.DataFrame]:
    rows, any_rows = [], False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            record = _jsonl_record(raw, number, path)
            if record is not None:
                rows.append(record)
            if len(rows) == batch_size:
                yield _records_to_articles(pd.DataFrame(rows), path, max_file_mb)
                rows, any_rows = [], True
    if rows:
        yield _records_to_articles(pd.DataFrame(rows), path, max_file_mb)
    elif not any_rows:
        raise InputError("the file holds no records", source=path)


def _csv_batches(path: Path, batch_size: int, max_file_mb: float) -> Iterator[pd.DataFrame]:
    # Unlike read_corpus, which detects the encoding of the whole file, a stream must be UTF-8.
    first = 0
    try:
        with pd.read_csv(
            path, dtype=str, keep_default_na=False, chunksize=batch_size, encoding="utf-8-sig"
        ) as chunks:
            for chunk in chunks:
                chunk.columns = [str(c).strip() for c in chunk.columns]
                yield _records_to_articles(_label_rows(chunk, path, first), path, max_file_mb)
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


def _parquet_batches(path: Path, batch_size: int, max_file_mb: float) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises several types for a broken file
        raise InputError(f"not a readable Parquet file: {err}", source=path) from err
    first = 0
    with file:
        for batch in file.iter_batches(batch_size=batch_size):
            table = batch.to_pandas()
            yield _records_to_articles(_label_rows(table, path, first), path, max_file_mb)
            first += len(table)


def _directory_batches(
    directory: Path, batch_size: int, collector: _Collector, max_file_mb: float
) -> Iterator[pd.DataFrame]:
    # metadata.csv holds one short row per article: it is read whole, the raw files are not.
    metadata_path, metadata = _read_metadata(directory)
    _warn_unlisted_files(directory, metadata, collector)
    for begin in range(0, len(metadata), batch_size):
        rows = metadata.iloc[begin : begin + batch_size]
        yield _read_listed_files(directory, rows, metadata_path, collector, max_file_mb)


_FILE_READERS = {".jsonl": _jsonl_batches, ".csv": _csv_batches, ".parquet": _parquet_batches}


# ----------------------------------------------------------------------------- one batch
@dataclass(frozen=True)
class _Job:
    """What every batch task needs besides its records: small, and picklable."""

    out_dir: str
    reader: _Reader
    codebook: str | None
    stance_scorers: tuple
    frame_scorers: tuple
    clean: CleanConfig | None
    frame_threshold: float
    top_k: int
    tokenizer: object = None


def _prepare_batch(raw: pd.DataFrame, job: _Job) -> tuple[CleanResult, list]:
    """Finish a batch of raw records into articles and clean them; also return the problems."""
    read = job.reader.finish(raw, quiet=True)
    return clean_articles(read.articles, job.clean), read.problems


def _process_batch(number: int, raw: pd.DataFrame, job: _Job) -> dict:
    """:func:`_prepare_batch`, then :func:`_score_batch`."""
    cleaned, problems = _prepare_batch(raw, job)
    return {**_score_batch(number, cleaned, job), "problems": problems}


def _score_batch(number: int, cleaned: CleanResult, job: _Job) -> dict:
    """Segment, find mentions, score and aggregate one cleaned batch; write its tables.

    Returns the row count of every table, and an empty copy of each table that had no rows (so
    the driver can record the columns of a table that stays empty everywhere).
    """
    codebook = _codebook(job.codebook)
    sentences = segment_articles(cleaned.articles, job.tokenizer)
    mentions = find_mentions(sentences, codebook)
    stance = [
        _scorer("stance", name, params, job.codebook).score_stance(sentences, mentions)
        for name, params in job.stance_scorers
    ]
    frames = [
        _scorer("frame", name, params, job.codebook).score_frames(sentences)
        for name, params in job.frame_scorers
    ]
    stance = _concat(stance, STANCE + ["n_mentions"])
    frames = _concat(frames, FRAMES)
    scores = article_scores(
        stance, frames, sentences, mentions, frame_threshold=job.frame_threshold, top_k=job.top_k
    )
    tables = {
        "articles": cleaned.articles.drop(columns=["html_comments"]),
        "sentences": sentences,
        "removed": cleaned.removed,
        "comments": cleaned.comments,
        "mentions": mentions,
        "stance": stance,
        "frames": frames,
        "article_scores": scores,
    }
    for name, table in tables.items():
        if len(table):
            table.reset_index(drop=True).to_parquet(_part(job.out_dir, name, number), index=False)
    return {
        "batch": number,
        "articles": len(cleaned.articles),
        "problems": [],
        "rows": {name: len(table) for name, table in tables.items()},
        "empty": {name: table.iloc[:0] for name, table in tables.items() if not len(table)},
    }


def _concat(tables: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    tables = [t for t in tables if len(t)]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=columns)


def _part(out_dir, table: str, number: int) -> Path:
    return Path(out_dir) / table / f"part-{number:05d}.parquet"


@lru_cache(maxsize=4)
def _codebook(source: str | None) -> Codebook:
    # Once per worker process: parsing a codebook and compiling its matcher is not free.
    return load_codebook(source)


_SCORERS: dict = {}


def _scorer(kind: str, name: str, params: dict, codebook: str | None):
    """The scorer built from ``(kind, name, params)``, once per worker process.

    Scorers never change when they score, so one instance serves every batch; models they load
    (WordLlama through :func:`framelens.embeddings.load_wordllama`) are cached per process too.
    """
    key = (kind, name, codebook, json.dumps(params, sort_keys=True, default=repr))
    if key not in _SCORERS:
        _SCORERS[key] = build_scorer(kind, name, _codebook(codebook), **params)
    return _SCORERS[key]


# ----------------------------------------------------------------------------- schedulers
class _Runner:
    """Runs dask.delayed tasks locally or on a cluster, a bounded number at a time."""

    def __init__(self, scheduler: str = "processes", client=None, n_workers: int | None = None):
        if client is None and scheduler not in LOCAL_SCHEDULERS and ":" not in str(scheduler):
            raise InputError(
                f"unknown scheduler {scheduler!r}",
                hint=f"use {', '.join(LOCAL_SCHEDULERS)} or the address of a dask scheduler, "
                "e.g. tcp://10.0.0.5:8786",
            )
        try:
            import dask  # noqa: F401
        except ImportError as err:
            raise FramelensError(
                "batch-wise processing needs dask: pip install 'framelens[distributed]'"
            ) from err
        self.scheduler = scheduler
        self.client = client
        self.n_workers = n_workers
        self._own_client = None
        self._options: dict = {}

    def __enter__(self) -> _Runner:
        if self.client is None and self.scheduler not in LOCAL_SCHEDULERS:
            from distributed import Client

            self.client = self._own_client = Client(self.scheduler)
        if self.client is not None:
            self.n_workers = self.n_workers or max(1, sum(self.client.nthreads().values()))
        elif self.scheduler == "synchronous":
            self.n_workers = 1
        else:
            self.n_workers = self.n_workers or os.cpu_count() or 1
            self._options = {"num_workers": self.n_workers}
            if self.scheduler == "processes":
                # One pool for the whole run, so each worker imports framelens and loads its
                # models once; chunksize=1 spreads a small wave over every worker.
                from concurrent.futures import ProcessPoolExecutor

                from dask.multiprocessing import get_context

                pool = ProcessPoolExecutor(self.n_workers, mp_context=get_context())
                self._options = {"pool": pool, "chunksize": 1}
        return self

    def __exit__(self, *exc) -> None:
        if "pool" in self._options:
            self._options["pool"].shutdown(cancel_futures=True)
        if self._own_client is not None:
            self._own_client.close()

    @property
    def window(self) -> int:
        """Tasks in flight at once: enough to keep every worker busy, few enough for memory."""
        return 2 * self.n_workers

    def compute(self, tasks: list) -> list:
        """Run ``tasks`` and return their results in order."""
        import dask

        if self.client is not None:
            return self.client.gather(self.client.compute(tasks))
        return list(dask.compute(*tasks, scheduler=self.scheduler, **self._options))

    def stream(self, tasks: Iterable) -> Iterator:
        """Run ``tasks`` (consumed lazily), yielding results as they (or their wave) finish."""
        tasks = iter(tasks)
        if self.client is None:
            while wave := list(islice(tasks, self.window)):
                yield from self.compute(wave)
            return
        from distributed import as_completed

        running = as_completed()
        for task in tasks:
            running.add(self.client.compute(task))
            if running.count() >= self.window:
                yield next(running).result()
        for future in running:
            yield future.result()


# ----------------------------------------------------------------------------- the run
def process_corpus(
    path,
    out_dir,
    *,
    codebook=None,
    stance_scorers=("lexicon",),
    frame_scorers=("dictionary",),
    clean: CleanConfig | None = None,
    batch_size: int = 500,
    scheduler: str = "processes",
    client=None,
    n_workers: int | None = None,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    frame_threshold: float = 0.5,
    top_k: int = 3,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Clean, segment, find mentions, score and aggregate a corpus batch by batch, in parallel.

    Parameters
    ----------
    path : str or Path
        A corpus directory or a JSONL/CSV/Parquet file (see :func:`iter_article_batches`).
    out_dir : str or Path
        Output folder; each table becomes ``out_dir/<table>/part-NNNNN.parquet`` (parts left by
        an earlier run are removed first). On a cluster it must be on storage every worker can
        write to, as must a codebook file.
    codebook : str, Path, Codebook or None
        ``None`` is the shipped codebook. A :class:`~framelens.codebook.Codebook` must have
        been read from a file: workers reload it from there.
    stance_scorers, frame_scorers : sequence of str or (str, dict)
        Registered scorer names, each optionally with its settings, e.g.
        ``[("embedding", {"window": 3.0})]``. Scorers are built inside the workers, so they
        must need no fitting in the driver. An empty sequence skips that kind.
    clean : CleanConfig, optional
        Cleaning settings.
    batch_size : int, default 500
        Articles per task. Memory grows with ``batch_size`` times the number of workers.
    scheduler : {"processes", "threads", "synchronous"} or str, default "processes"
        Dask's local scheduler, or the address of a ``dask.distributed`` scheduler.
    client : distributed.Client, optional
        Run on this cluster (overrides ``scheduler``); it is left open.
    n_workers : int, optional
        Local worker processes or threads; ``None`` uses every core (on a cluster, its threads).
    strict, max_file_mb
        As in :func:`framelens.corpus.read_corpus`.
    frame_threshold, top_k
        As in :func:`framelens.aggregate.article_scores`.
    progress : callable, optional
        Called with the number of articles finished after each batch.

    Returns
    -------
    dict
        ``articles``, ``sentences``, ``batches`` and ``problems`` (counts), ``seconds`` (wall
        time), ``rows`` (rows per table) and ``tables`` (the folder of each table).

    Raises
    ------
    InputError
        On bad input (naming the file and line), an unknown scorer or scheduler, or when no
        article could be read.

    Notes
    -----
    The ``processes`` scheduler starts fresh Python processes (``spawn``): a script that calls
    this function needs the usual ``if __name__ == "__main__":`` guard. If a task fails, the
    parts already written stay until the next run into ``out_dir`` removes them.

    Examples
    --------
    >>> summary = process_corpus("corpus.jsonl", "out", batch_size=1000)  # doctest: +SKIP
    >>> stance = read_dataset("out", "stance")                            # doctest: +SKIP
    """
    start = time.perf_counter()
    job = _Job(
        str(Path(out_dir).resolve()),
        _Reader(path, batch_size, strict, max_file_mb),
        _codebook_source(codebook),
        _scorer_specs(stance_scorers),
        _scorer_specs(frame_scorers),
        clean,
        float(frame_threshold),
        int(top_k),
    )
    for kind, specs in (("stance", job.stance_scorers), ("frame", job.frame_scorers)):
        for name, params in specs:
            build_scorer(kind, name, _codebook(job.codebook), **params)  # fail before any work
    folders = _prepare(Path(out_dir))
    found: dict[int, list] = {}  # problems by batch, so their order does not depend on timing

    def numbered_batches():
        for number, (raw, problems) in enumerate(job.reader.raw_batches()):
            found[number] = problems  # met (and warned) in this process
            yield number, raw

    def collect(number, problems):  # met in a worker: list them, and warn here
        found[number] += problems
        for problem in problems:
            message = InputError(
                problem.message, source=problem.source, record=problem.record or None
            )
            warnings.warn(str(message), InputWarning, stacklevel=3)

    batches = numbered_batches()
    done, counts, empty = 0, [], {}
    with _Runner(scheduler, client, n_workers) as runner:
        import dask

        # Punkt learns from the leading batches, cleaned in parallel, then is shipped to all.
        leading, n_chars = [], 0
        while n_chars < MAX_TRAINING_CHARS:
            wave = list(islice(batches, runner.window))
            if not wave:
                break
            prepared = runner.compute([dask.delayed(_prepare_batch)(raw, job) for _, raw in wave])
            for (number, _), (cleaned, problems) in zip(wave, prepared, strict=True):
                collect(number, problems)
                leading.append((number, cleaned))
                n_chars += int(cleaned.articles["text"].str.len().sum())
        if n_chars == 0:
            raise InputError(
                "no article could be read",
                source=path,
                hint="see the warnings above for each skipped article",
            )
        job = replace(job, tokenizer=_train_tokenizer([c for _, c in leading]))
        score, process = dask.delayed(_score_batch), dask.delayed(_process_batch)
        tasks = chain(
            (score(number, cleaned, job) for number, cleaned in leading),
            (process(number, raw, job) for number, raw in batches),
        )
        for result in runner.stream(tasks):
            collect(result["batch"], result["problems"])
            counts.append(result["rows"])
            for name, table in result["empty"].items():
                empty.setdefault(name, table)
            done += result["articles"]
            if progress is not None:
                progress(done)
    rows = {name: sum(c[name] for c in counts) for name in counts[0]}
    for name, table in empty.items():
        if rows[name] == 0:  # record the columns of a table that is empty everywhere
            table.to_parquet(_part(out_dir, name, 0), index=False)
    problems = [problem for number in sorted(found) for problem in found[number]]
    ReadResult(pd.DataFrame(), problems).problems_table().to_parquet(
        _part(out_dir, "problems", 0), index=False
    )
    rows["problems"] = len(problems)
    return {
        "articles": rows["articles"],
        "sentences": rows["sentences"],
        "batches": len(counts),
        "problems": len(problems),
        "seconds": round(time.perf_counter() - start, 3),
        "rows": rows,
        "tables": folders,
    }


def read_dataset(out_dir, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one table written by :func:`process_corpus`, sorted by its key.

    Parameters
    ----------
    out_dir : str or Path
        The output folder of :func:`process_corpus`.
    table : str
        One of :data:`TABLES`.
    columns : list of str, optional
        Read only these columns (e.g. leave out ``text`` of a large sentences table).

    Returns
    -------
    DataFrame
        All parts concatenated, sorted by the table's :data:`SORT_KEYS` (those read). A column
        only some batches have (a JSONL field some lines lack) is kept, missing elsewhere.
    """
    import pyarrow.parquet as pq

    if table not in TABLES:
        raise InputError(f"unknown table {table!r}", hint=f"tables: {', '.join(TABLES)}")
    parts = sorted((Path(out_dir) / table).glob("part-*.parquet"))
    if not parts:
        raise InputError(
            f"no {table} table here",
            source=out_dir,
            hint="run `framelens process CORPUS -o DIR` first",
        )
    frames = []
    for part in parts:
        names = pq.read_schema(part).names
        frames.append(
            pd.read_parquet(
                part, columns=None if columns is None else [c for c in columns if c in names]
            )
        )
    data = pd.concat(frames, ignore_index=True)
    keys = [key for key in SORT_KEYS.get(table, []) if key in data.columns]
    return data.sort_values(keys, kind="stable").reset_index(drop=True) if keys else data


def _prepare(out_dir: Path) -> dict[str, str]:
    folders = {}
    for name in TABLES:
        folder = out_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("part-*.parquet"):  # parts of an earlier run
            stale.unlink()
        folders[name] = str(folder)
    return folders


def _train_tokenizer(leading: list[CleanResult]):
    # Texts in article_id order, as ingest() trains on read_corpus' sorted table: the same
    # model whenever the leading batches hold the whole corpus.
    texts = pd.concat([c.articles[["article_id", "text"]] for c in leading])
    return train_punkt(texts.sort_values("article_id", kind="stable")["text"])


def _scorer_specs(scorers) -> tuple:
    specs = []
    for spec in scorers or ():
        name, params = (spec, {}) if isinstance(spec, str) else spec
        specs.append((str(name), dict(params or {})))
    return tuple(specs)


def _codebook_source(codebook) -> str | None:
    """What tells a worker which codebook to load: ``None`` (the shipped one) or a TOML path.

    A Codebook holds read-only mappings, which do not pickle, so workers reload it.
    """
    if not isinstance(codebook, Codebook):
        load_codebook(codebook)  # fail here rather than in every worker
        return None if codebook in (None, "default") else str(Path(codebook).resolve())
    if codebook.hash == load_codebook(None).hash:
        return None
    source = codebook.source
    if source and Path(source).is_file() and load_codebook(source).hash == codebook.hash:
        return str(Path(source).resolve())
    raise InputError(
        "this codebook has no file with the same content for the workers to load",
        source=source,
        hint="save it as TOML and pass the path",
    )
