"""Process a corpus of any size: stream it in partitions, compute them anywhere, resume.

:func:`framelens.text.ingest.ingest` and :func:`framelens.runs.scoring.score_corpus` hold the whole
corpus in memory. :func:`process_corpus` runs the same flow (clean, segment, find mentions,
score, aggregate) on partitions of the input instead:

* the driver reads the input a partition at a time (:mod:`framelens.text.stream`; it must see
  every id to catch duplicates) and leaves the costly rest, HTML extraction included, to the
  workers of an engine (:mod:`framelens.runs.engines`: local processes or a Dask cluster);
* a first pass counts, per outlet, the short lines and sentences of every article (hashes
  only, computed in the workers: :mod:`framelens.text.furniture`), so furniture that recurs
  across an outlet's articles is found over the whole corpus, exactly as in the in-memory
  path; the result is saved with the run and shipped to every task. The pass reads the input
  (and extracts HTML) once more, except in this process (``jobs=1``) for a corpus within
  :data:`KEEP_FIRST_READ_BYTES`, whose partitions it keeps for the flow;
  ``disable = ["outlet_furniture"]`` skips it;
* Punkt is trained once, on the leading partitions, saved with the run and shipped to every
  task, so sentences depend neither on the partition size nor on an interruption;
* a task returns its tables as bytes (Arrow IPC); the driver writes them per partition,
  atomically, with a ``done`` marker (:mod:`framelens.runs.partitions`), so memory is bounded by
  the partition size times the tasks in flight (twice the workers), and workers need no
  shared disk;
* a run that stops (killed, a worker lost twice, the disk full) keeps its finished
  partitions; the same command resumes from them and ends with the same bytes as an
  uninterrupted run;
* at the end the parts are assembled, in partition order, into ``OUT/<table>.parquet`` and
  ``OUT/manifest.json`` records the input hashes, the settings, the engine and which worker
  computed each partition (``OUT/checksums.sha256`` lists the hash of every table).

The rows depend neither on the engine nor on the partition size (the files' row order does on
the latter: each partition is sorted by article id; :func:`read_dataset` sorts). For a corpus
whose cleaned text fits in :data:`framelens.text.segment.MAX_TRAINING_CHARS`, they are the
rows of the in-memory path; above that, Punkt learns from the first articles of the input (up to that many
characters) rather than from a sample spread over the whole corpus, so sentence boundaries
can differ from the in-memory path's in rare cases.
"""

from __future__ import annotations

import json
import platform
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path

import pandas as pd

from framelens.analysis.aggregate import article_scores
from framelens.codebook import Codebook, load_codebook, parse_codebook
from framelens.errors import InputError, InputWarning, RunError
from framelens.hashing import input_hashes, sha256_bytes, sha256_file
from framelens.runs.collection import fewer_collections
from framelens.runs.engines import make_engine, worker_name
from framelens.runs.outputs import check_output_folder
from framelens.runs.partitions import PartitionStore, table_to_bytes, write_atomic
from framelens.scorers.build import build_scorer
from framelens.tables import FRAMES, STANCE
from framelens.text.clean import (
    CleanConfig,
    CleanResult,
    clean_articles,
    count_furniture,
    drop_html_columns,
    find_furniture,
)
from framelens.text.corpus import DEFAULT_MAX_FILE_MB, Problem, ReadResult
from framelens.text.dates import DateSettings
from framelens.text.furniture import Furniture
from framelens.text.mentions import find_mentions
from framelens.text.segment import (
    MAX_TRAINING_CHARS,
    punkt_from_dict,
    punkt_to_dict,
    segment_articles,
    train_punkt,
)
from framelens.text.stream import BatchReader

#: The tables :func:`process_corpus` writes, one ``OUT/<table>.parquet`` each.
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
#: Bytes (pandas' deep memory usage) of raw records and finished articles that the first pass
#: may keep for the second when both run in this process (``jobs`` 1): a corpus within it is
#: read and finished once. Past it nothing is kept and the input is read again, so memory
#: stays flat in the corpus size.
KEEP_FIRST_READ_BYTES = 256 * 2**20


# ----------------------------------------------------------------------------- one partition
@dataclass(frozen=True)
class _Job:
    """What every task needs besides its records: small, and picklable."""

    reader: BatchReader
    codebook: tuple | None  # (TOML text, source) of a codebook file; None: the shipped one
    stance_scorers: tuple
    frame_scorers: tuple
    clean: CleanConfig | None
    frame_threshold: float
    top_k: int
    punkt: str | None = None  # the tokenizer's parameters, as JSON
    furniture: frozenset = frozenset()  # hashes of the outlets' recurring lines (first pass)


@fewer_collections()
def _furniture_task(raw: pd.DataFrame, job: _Job):
    """First pass: finish a partition's records and count their lines and sentences."""
    return count_furniture(job.reader.finish(raw, quiet=True).articles, job.clean)


@fewer_collections()
def _prepare_partition(
    raw: pd.DataFrame, job: _Job, read: ReadResult | None = None
) -> tuple[CleanResult, list]:
    """Finish a partition's raw records into articles and clean them; also return problems.

    ``read`` is the partition as the first pass already finished it (in this process), if
    kept: then ``raw`` is not finished again.
    """
    if read is None:
        read = job.reader.finish(raw, quiet=True)
    cleaned = clean_articles(
        read.articles, job.clean, furniture=job.furniture, codebook=_codebook(job.codebook)
    )
    return cleaned, read.problems


@fewer_collections()
def _partition_task(
    raw: pd.DataFrame | None, cleaned, problems, job: _Job, read: ReadResult | None = None
) -> dict:
    """The flow on one partition: from its raw records (or their ``read``, finished by the
    first pass), or from its cleaned articles (and the problems met finishing them) when the
    driver already had them prepared."""
    start = time.perf_counter()
    if cleaned is None:
        cleaned, problems = _prepare_partition(raw, job, read)
    return _score_partition(cleaned, problems, job, start)


def _score_partition(cleaned: CleanResult, problems: list, job: _Job, start=None) -> dict:
    """Segment, find mentions, score and aggregate one cleaned partition.

    Returns
    -------
    dict
        ``tables`` (name -> Arrow IPC bytes, every table, empty ones included), ``rows`` (row
        counts), ``articles``, ``problems`` (met while finishing the records), ``where`` (the
        worker) and ``seconds``.
    """
    start = time.perf_counter() if start is None else start
    codebook = _codebook(job.codebook)
    sentences = segment_articles(cleaned.articles, _tokenizer(job.punkt))
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
        "articles": drop_html_columns(cleaned.articles),
        "sentences": sentences,
        "removed": cleaned.removed,
        "comments": cleaned.comments,
        "mentions": mentions,
        "stance": stance,
        "frames": frames,
        "article_scores": scores,
    }
    return {
        "tables": {name: table_to_bytes(table) for name, table in tables.items()},
        "rows": {name: len(table) for name, table in tables.items()},
        "articles": len(cleaned.articles),
        "problems": problems,
        "where": worker_name(),
        "seconds": round(time.perf_counter() - start, 3),
    }


def _concat(tables: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    tables = [t for t in tables if len(t)]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=columns)


# Once per worker process: parsing a codebook or building a tokenizer is not free.
@lru_cache(maxsize=4)
def _codebook(spec: tuple | None) -> Codebook:
    return load_codebook(None) if spec is None else parse_codebook(spec[0], source=spec[1])


@lru_cache(maxsize=2)
def _tokenizer(punkt: str | None):
    return None if punkt is None else punkt_from_dict(json.loads(punkt))


_SCORERS: dict = {}


def _scorer(kind: str, name: str, params: dict, codebook: tuple | None):
    """The scorer built from ``(kind, name, params)``, once per worker process.

    Scorers never change when they score, so one instance serves every partition; models they
    load (WordLlama through :func:`framelens.models.wordllama.load_wordllama`) are cached per process.
    """
    key = (kind, name, codebook, json.dumps(params, sort_keys=True, default=repr))
    if key not in _SCORERS:
        _SCORERS[key] = build_scorer(kind, name, _codebook(codebook), **params)
    return _SCORERS[key]


# ----------------------------------------------------------------------------- the run
@fewer_collections()  # so are the tasks, wherever they run
def process_corpus(
    path,
    out_dir,
    *,
    codebook=None,
    stance_scorers=("lexicon",),
    frame_scorers=("dictionary",),
    clean: CleanConfig | None = None,
    partition_size: int = 500,
    engine: str = "local",
    jobs: int | None = None,
    address: str | None = None,
    client=None,
    resume: bool = True,
    reuse: bool = True,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    frame_threshold: float = 0.5,
    top_k: int = 3,
    progress: Callable[[int], None] | None = None,
    dates: DateSettings | None = None,
) -> dict:
    """Clean, segment, find mentions, score and aggregate a corpus partition by partition.

    Parameters
    ----------
    path : str or Path
        A corpus directory or a JSONL/CSV/Parquet file (see
        :func:`framelens.text.stream.iter_article_batches`).
    out_dir : str or Path
        Output folder: ``OUT/<table>.parquet`` for each of :data:`TABLES`,
        ``OUT/manifest.json`` and ``OUT/checksums.sha256``. While the run is under way,
        ``OUT/.partitions/`` holds the finished partitions.
    codebook : str, Path, Codebook or None
        ``None`` is the shipped codebook. A :class:`~framelens.codebook.Codebook` must have
        been read from a file (its text is shipped to the workers).
    stance_scorers, frame_scorers : sequence of str or (str, dict)
        Registered scorer names, each optionally with its settings, e.g.
        ``[("embedding", {"window": 3.0})]``. Scorers are built inside the workers, so they
        must need no fitting in the driver (a trained model is loaded from its file:
        ``("supervised", {"model": "stance.skops"})``). An empty sequence skips that kind.
    clean : CleanConfig, optional
        Cleaning settings.
    partition_size : int, default 500
        Input records per partition. Memory grows with this times the tasks in flight.
    engine : {"local", "dask"}, default "local"
        Local worker processes, or a Dask cluster (see :mod:`framelens.runs.engines`).
    jobs : int, optional
        Local worker processes (default: every core; 1 computes in this process); for the
        Dask engine without ``address``, the workers of a local cluster started for the run.
    address : str, optional
        The Dask scheduler's address (``tcp://host:8786``).
    client : distributed.Client, optional
        An open Dask client (implies the Dask engine; left open).
    resume : bool, default True
        Keep the finished partitions of an interrupted run into ``out_dir`` with the same
        input and settings. ``False`` starts over.
    reuse : bool, default True
        When ``out_dir`` holds a finished run with the same input and settings whose tables
        still have the hashes in its manifest, compute nothing and return its summary.
    strict, max_file_mb
        As in :func:`framelens.text.corpus.read_corpus`.
    frame_threshold, top_k
        As in :func:`framelens.analysis.aggregate.article_scores`.
    progress : callable, optional
        Called with the number of articles finished after each partition.
    dates : DateSettings, optional
        How dates are read (see :func:`framelens.text.corpus.read_corpus`); the day/month
        order is fixed from the whole input before the first partition.

    Returns
    -------
    dict
        ``articles``, ``sentences``, ``partitions``, ``resumed`` (partitions kept from an
        interrupted run) and ``problems`` (counts), ``inputs`` (sha256 of every input file),
        ``up_to_date`` (nothing was computed:
        see ``reuse``), ``seconds``, ``rows`` (per table), ``files`` (the path of each table)
        and ``manifest`` (its path).

    Raises
    ------
    InputError
        On bad input (naming the file and line), an unknown scorer or engine, an unreachable
        scheduler, or when no article could be read.
    RunError
        When the run cannot finish (workers kept dying, the disk filled up); finished
        partitions are kept and the same call resumes.

    Notes
    -----
    Local workers are forked from a worker server, a fresh Python process that imports the
    flow once (``forkserver``; ``spawn`` where the platform has none, as on Windows): a script
    that calls this function needs the usual ``if __name__ == "__main__":`` guard. The
    command line starts that server before its own imports
    (:func:`framelens.cli.process.start_flow_workers`), so the two overlap; a script can call
    it first too.

    Examples
    --------
    >>> summary = process_corpus("corpus.jsonl", "out", jobs=4)  # doctest: +SKIP
    >>> stance = read_dataset("out", "stance")                   # doctest: +SKIP
    """
    start = time.perf_counter()
    out_dir = check_output_folder(out_dir, inputs=[path])
    job = _Job(
        BatchReader(path, partition_size, strict, max_file_mb, dates=dates),
        _codebook_spec(codebook),
        _scorer_specs(stance_scorers),
        _scorer_specs(frame_scorers),
        clean,
        float(frame_threshold),
        int(top_k),
    )
    runner = make_engine(
        engine, jobs=jobs, address=address, client=client, preload=_worker_modules(job)
    )
    inputs = input_hashes(job.reader.path)
    fingerprint = _fingerprint(job, inputs)
    if reuse and (finished := _finished_run(out_dir, fingerprint)) is not None:
        return finished
    runner.warm()  # local workers start loading their modules while this process prepares
    try:
        for kind, specs in (("stance", job.stance_scorers), ("frame", job.frame_scorers)):
            for name, params in specs:
                build_scorer(kind, name, _codebook(job.codebook), **params)  # fail before work
        store = PartitionStore(out_dir, fingerprint, resume=resume)
    except BaseException:
        runner.__exit__(None, None, None)
        raise
    kept = store.finished()
    run = _Run(store, kept, progress)

    with runner:
        furniture = store.load_json("furniture")
        first_reads = None  # what the first pass read, when kept for the second
        if furniture is None:
            furniture, first_reads = _count_furniture(job, runner)
            store.save_json("furniture", furniture)
        having = [o for o, row in furniture["outlets"].items() if row["furniture_segments"]]
        job = replace(job, furniture=Furniture(furniture["hashes"], having))
        run.furniture = furniture["outlets"]
        batches = run.numbered(_second_pass(job, first_reads))
        punkt = store.load_json("punkt")
        leading: list = []
        if punkt is None:
            leading, punkt = _train_on_leading(batches, job, runner, path)
            store.save_json("punkt", punkt)
        job = replace(job, punkt=json.dumps(punkt, sort_keys=True))
        prepared = ((n, (None, c, p, job)) for n, c, p in leading if n not in kept)
        rest = ((n, (raw, None, None, job, read)) for n, raw, read in batches if n not in kept)
        for number, result in runner.run(_partition_task, chain(prepared, rest)):
            run.save(number, result)
        engine_info = runner.describe()
    return run.finish(inputs, job, engine_info, start)


def _worker_modules(job: _Job) -> tuple[str, ...]:
    """What a worker imports for its tasks: this module, Punkt, the built-in scorers named."""
    from framelens.scorers.base import BUILTIN_SCORER_MODULES

    names = [name for name, _ in job.stance_scorers + job.frame_scorers]
    scorers = [
        f"framelens.scorers.{n}" for n in dict.fromkeys(names) if n in BUILTIN_SCORER_MODULES
    ]
    return (__name__, "framelens.text.punkt", *scorers)


def _count_furniture(job: _Job, runner) -> tuple[dict, deque | None]:
    """The first pass: count every partition's lines and sentences (in the workers), decide
    which recur across an outlet's articles.

    Returns
    -------
    dict
        ``hashes`` (sorted segment hashes, see :mod:`framelens.text.furniture`) and
        ``outlets`` (per outlet: articles, distinct furniture segments).
    deque or None
        When the tasks run in this process and the corpus fit in
        :data:`KEEP_FIRST_READ_BYTES`: every partition as read, ``(raw, problems, read)``,
        for :func:`_second_pass`; else ``None``.
    """
    clean = job.clean or CleanConfig()
    if "outlet_furniture" in clean.disabled:
        return {"hashes": [], "outlets": {}}, None
    reads = _FirstReads(KEEP_FIRST_READ_BYTES) if runner.in_process else None
    total = None
    for counter in _first_pass(job, runner, reads):
        if total is None:
            total = counter
        else:
            total.merge(counter)
    kept = None if reads is None else reads.kept
    if total is None:
        return {"hashes": [], "outlets": {}}, kept
    hashes = find_furniture(total, clean)
    return {"hashes": sorted(hashes), "outlets": total.summary(hashes)}, kept


def _first_pass(job: _Job, runner, reads: _FirstReads | None) -> Iterator:
    """Yield each partition's furniture counts (``FurnitureCounter``), in input order.

    Parameters
    ----------
    job : _Job
        The run's reader and cleaning settings.
    runner : engine
        Computes the counts in its workers when ``reads`` is ``None``.
    reads : _FirstReads or None
        Given when the tasks run in this process: each partition is finished and counted here
        and what was read goes to ``reads`` (which keeps it while within its budget).
    """
    batches = job.reader.raw_batches(quiet=True)  # quiet: the second pass warns the problems
    if reads is None:
        tasks = ((n, (raw, job)) for n, (raw, _) in enumerate(batches))
        for _, counter in runner.run(_furniture_task, tasks):
            yield counter
        return
    for raw, problems in batches:
        read = job.reader.finish(raw, quiet=True)
        reads.add(raw, problems, read)
        yield count_furniture(read.articles, job.clean)


class _FirstReads:
    """The partitions the first pass read, kept for the second while they fit in ``budget``.

    Parameters
    ----------
    budget : int
        Bytes (pandas' deep memory usage of the raw records and the finished articles). Past
        it, what was kept is dropped and nothing more is kept (``kept`` becomes ``None``): the
        second pass then reads the input again, as a run in workers does.
    """

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self.kept: deque | None = deque()

    def add(self, raw: pd.DataFrame, problems: list, read: ReadResult) -> None:
        """Keep one partition: its raw records, the problems met reading them, its articles."""
        if self.kept is None:
            return
        self.used += int(raw.memory_usage(deep=True).sum())
        self.used += int(read.articles.memory_usage(deep=True).sum())
        if self.used > self.budget:
            self.kept = None
        else:
            self.kept.append((raw, problems, read))


def _second_pass(job: _Job, first_reads: deque | None) -> Iterator[tuple]:
    """Yield each partition as ``(raw, problems, read)`` for the flow, in input order.

    From the first pass's ``first_reads`` when it kept them (each forgotten once handed on;
    its reading problems, read quietly then, are warned now, as a second read would), else
    read again (``read`` is then ``None``: the task finishes ``raw``).
    """
    if first_reads is None:
        for raw, problems in job.reader.raw_batches():
            yield raw, problems, None
        return
    while first_reads:
        raw, problems, read = first_reads.popleft()
        for problem in problems:
            if problem.level == "warning":  # as the reader warns; "info" lines are only listed
                _warn_problem(problem, stacklevel=2)
        yield raw, problems, read


def _train_on_leading(batches, job: _Job, runner, path) -> tuple[list, dict]:
    """Clean the leading partitions (in parallel) until Punkt has its training text; train it.

    The training text is that of the first articles of the input, in input order, up to
    :data:`~framelens.text.segment.MAX_TRAINING_CHARS` (all of a smaller corpus): the same
    articles whatever the partition size or the number of workers.

    Returns the prepared partitions ``(number, cleaned, problems)``, so they are not cleaned
    twice, and the tokenizer's parameters (:func:`framelens.text.segment.punkt_to_dict`).
    """
    leading, texts, n_chars = [], {}, 0
    while n_chars < MAX_TRAINING_CHARS:
        wave = list(islice(batches, runner.window))
        if not wave:
            break
        tasks = ((n, (raw, job, read)) for n, raw, read in wave)
        done = dict(runner.run(_prepare_partition, tasks))
        for number, raw, _ in wave:
            cleaned, problems = done[number]
            leading.append((number, cleaned, problems))
            text_of = dict(
                zip(cleaned.articles["article_id"], cleaned.articles["text"], strict=True)
            )
            for article_id in raw["article_id"]:  # input order (the cleaned table is sorted)
                if n_chars < MAX_TRAINING_CHARS and article_id in text_of:
                    texts[article_id] = text_of[article_id]
                    n_chars += len(text_of[article_id])
    if n_chars == 0:
        raise InputError(
            "no article could be read",
            source=path,
            hint="see the warnings above for each skipped article",
        )
    # In article_id order, as ingest() trains on read_corpus' sorted table: the same model
    # whenever the corpus is smaller than the training budget.
    tokenizer = train_punkt(texts[article_id] for article_id in sorted(texts))
    return leading, punkt_to_dict(tokenizer)


class _Run:
    """The driver's bookkeeping: problems per partition, saved partitions, the manifest."""

    def __init__(self, store: PartitionStore, kept: dict, progress):
        self.store, self.kept, self.progress = store, kept, progress
        self.found: dict[int, list] = {}  # problems met reading, by partition
        self.saved: dict[int, dict] = {}
        self.done = sum(info["articles"] for info in kept.values())
        self.count = 0
        self.furniture: dict = {}  # per outlet: articles, furniture segments found

    def numbered(self, partitions):
        """Number the input's partitions ``(raw, problems, read)`` (see :func:`_second_pass`),
        keep the problems met reading each; yield ``(number, raw, read)``."""
        for number, (raw, problems, read) in enumerate(partitions):
            self.found[number] = problems  # warned where they were met, in this process
            self.count = number + 1
            yield number, raw, read

    def save(self, number: int, result: dict) -> None:
        """Write a finished partition (its problems with its tables), warn its problems."""
        problems = self.found.get(number, []) + list(result["problems"])
        for problem in result["problems"]:  # met in a worker: warn here, where it is seen
            _warn_problem(problem, stacklevel=4)
        tables = dict(result["tables"])
        tables["problems"] = table_to_bytes(_problems_table(problems))
        info = {
            "articles": result["articles"],
            "rows": {**result["rows"], "problems": len(problems)},
            "where": result["where"],
            "seconds": result["seconds"],
        }
        self.saved[number] = self.store.save(number, tables, info)
        self.done += result["articles"]
        if self.progress is not None:
            self.progress(self.done)

    def finish(self, inputs: dict, job: _Job, engine: dict, start: float) -> dict:
        """Assemble the tables, write the manifest and checksums, remove the partitions."""
        numbers = list(range(self.count))
        missing = [n for n in numbers if n not in self.saved and n not in self.kept]
        if missing:  # cannot happen unless a task went missing: never assemble a partial result
            raise RunError(f"partitions {missing} were not computed", hint="run again to resume")
        checksums = self.store.assemble(TABLES, numbers)
        markers = {**self.kept, **self.saved}
        rows = {t: sum(markers[n]["rows"][t] for n in numbers) for t in TABLES}
        out_dir = self.store.out_dir
        manifest = {
            "framelens_run": "process",
            "settings": self.store.fingerprint,
            "punkt_sha256": sha256_bytes(job.punkt.encode()),
            "inputs": inputs,
            "engine": engine,
            "python": platform.python_version(),
            "partitions": [
                {
                    "partition": n,
                    "articles": markers[n]["articles"],
                    "where": markers[n]["where"],
                    "seconds": markers[n]["seconds"],
                    "computed": "earlier run" if n in self.kept else "this run",
                }
                for n in numbers
            ],
            "rows": rows,
            "furniture": self.furniture,
            "outputs": checksums,
            "seconds": round(time.perf_counter() - start, 3),
        }
        write_atomic(
            out_dir / "checksums.sha256",
            "".join(f"{digest}  {name}\n" for name, digest in sorted(checksums.items())).encode(),
        )
        write_atomic(
            out_dir / "manifest.json",
            (json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n").encode(),
        )
        self.store.remove()
        return _summary(out_dir, manifest, up_to_date=False)


def _warn_problem(problem: Problem, stacklevel: int) -> None:
    """Warn a problem listed quietly (in a worker, or by the first pass) as the reader would.

    ``stacklevel`` counts from the caller, as in :func:`warnings.warn`.
    """
    message = InputError(problem.message, source=problem.source, record=problem.record or None)
    warnings.warn(str(message), InputWarning, stacklevel=stacklevel + 1)


def _summary(out_dir: Path, manifest: dict, *, up_to_date: bool) -> dict:
    rows = manifest["rows"]
    return {
        "articles": rows["articles"],
        "sentences": rows["sentences"],
        "partitions": len(manifest["partitions"]),
        "resumed": sum(p["computed"] == "earlier run" for p in manifest["partitions"]),
        "problems": rows["problems"],
        "inputs": manifest["inputs"],
        "up_to_date": up_to_date,
        "seconds": manifest["seconds"],
        "rows": rows,
        "files": {t: str(out_dir / f"{t}.parquet") for t in TABLES},
        "manifest": str(out_dir / "manifest.json"),
    }


def _finished_run(out_dir: Path, fingerprint: dict) -> dict | None:
    """The summary of the finished run in ``out_dir``, if it had these settings and its tables
    still have their recorded hashes; else ``None``."""
    path = out_dir / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("settings") != json.loads(json.dumps(fingerprint, default=str)):
        return None
    outputs = manifest.get("outputs", {})
    if set(outputs) != {f"{t}.parquet" for t in TABLES}:
        return None
    for name, digest in outputs.items():
        if not (out_dir / name).is_file() or sha256_file(out_dir / name) != digest:
            return None
    return _summary(out_dir, manifest, up_to_date=True)


def _problems_table(problems: list[Problem]) -> pd.DataFrame:
    return ReadResult(pd.DataFrame(), problems).problems_table().astype(object)


def _fingerprint(job: _Job, inputs: dict) -> dict:
    """Everything that shapes the rows: a resumed run must agree on all of it."""
    from framelens import __version__

    clean = job.clean or CleanConfig()
    return {
        "framelens": __version__,
        "input": str(job.reader.path.resolve()),
        "input_sha256": inputs,
        "partition_size": job.reader.batch_size,
        "strict": job.reader.strict,
        "max_file_mb": job.reader.max_file_mb,
        "dates": job.reader.dates.describe(),
        "codebook": _codebook(job.codebook).hash,
        "stance_scorers": [
            _scorer_identity(name, params, "stance") for name, params in job.stance_scorers
        ],
        "frame_scorers": [_scorer_identity(name, params) for name, params in job.frame_scorers],
        "cleaning": clean.as_dict(),
        "frame_threshold": job.frame_threshold,
        "top_k": job.top_k,
    }


def _scorer_identity(name: str, params: dict, kind: str = "frame") -> list:
    """A scorer's name and settings, with the content hash of every file or folder a setting
    names (a retrained model at the same path is another scorer)."""
    files = {}
    for key, value in params.items():
        if isinstance(value, str | Path) and Path(value).exists():
            files[key] = input_hashes(value)
    # A default or short-named model (the shipped stance model) has no path among the
    # settings: its own weights' hash identifies it.
    if kind == "stance" and name == "transformer" and "model" not in params:
        scorer = build_scorer("stance", name)
        files["model"] = scorer.model_fingerprint()
    return [name, params, files]


def _scorer_specs(scorers) -> tuple:
    specs = []
    for spec in scorers or ():
        name, params = (spec, {}) if isinstance(spec, str) else spec
        specs.append((str(name), dict(params or {})))
    return tuple(specs)


def _codebook_spec(codebook) -> tuple | None:
    """What tells a worker which codebook to use: ``None`` (the shipped one) or the TOML text
    and source of a codebook file (workers parse the text: they need no access to the file)."""
    if codebook in (None, "default"):
        return None
    if not isinstance(codebook, Codebook):
        source = str(Path(codebook).resolve())
        load_codebook(codebook)  # fail here, naming the file and line, not in every worker
        return (Path(source).read_text(encoding="utf-8"), source)
    if codebook.hash == load_codebook(None).hash:
        return None
    source = codebook.source
    if source and Path(source).is_file() and load_codebook(source).hash == codebook.hash:
        return (Path(source).read_text(encoding="utf-8"), source)
    raise InputError(
        "this codebook has no file with the same content for the workers to load",
        source=source,
        hint="save it as TOML and pass the path",
    )


# ----------------------------------------------------------------------------- reading back
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
        The table, sorted by its :data:`SORT_KEYS` (those read). (The file itself holds one
        row group per partition, the partitions in input order, each sorted by article id.)
    """
    if table not in TABLES:
        raise InputError(f"unknown table {table!r}", hint=f"tables: {', '.join(TABLES)}")
    path = Path(out_dir) / f"{table}.parquet"
    if not path.is_file():
        raise InputError(
            f"no {table} table here",
            source=out_dir,
            hint="run `framelens process CORPUS -o DIR` first (an unfinished run resumes)",
        )
    data = pd.read_parquet(path, columns=columns)
    keys = [key for key in SORT_KEYS.get(table, []) if key in data.columns]
    return data.sort_values(keys, kind="stable").reset_index(drop=True) if keys else data
