"""Read, clean and segment a corpus in one call, and save or load the resulting tables.

:func:`ingest` composes :func:`framelens.text.corpus.read_corpus`,
:func:`framelens.text.clean.clean_articles` and :func:`framelens.text.segment.segment_articles`.
Large corpora are cleaned and segmented in parallel worker processes (``n_jobs``); the result
does not depend on the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from framelens.errors import InputError
from framelens.text.clean import (
    CleanConfig,
    CleanResult,
    clean_articles,
    count_furniture,
    drop_html_columns,
    find_furniture,
)
from framelens.text.corpus import DEFAULT_MAX_FILE_MB, read_corpus
from framelens.text.dates import DateSettings
from framelens.text.segment import segment_articles, train_punkt

#: The tables :func:`ingest` produces, in the order they are written.
INGEST_TABLES = ("articles", "sentences", "removed", "comments", "problems")
# Below this many articles, starting worker processes costs more than it saves.
PARALLEL_MIN_ARTICLES = 400
CHUNK_SIZE = 200


@dataclass
class Ingested:
    """The tables of an ingested corpus."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    comments: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)

    def save(self, out_dir, *, csv: bool = False) -> list[Path]:
        """Write every table as Parquet (and CSV when ``csv``) into ``out_dir``.

        Returns
        -------
        list of Path
            The files written.
        """
        return write_tables({name: getattr(self, name) for name in INGEST_TABLES}, out_dir, csv=csv)

    @classmethod
    def load(cls, out_dir) -> Ingested:
        """Read the tables written by :meth:`save`."""
        out_dir = Path(out_dir)
        tables = {}
        for name in INGEST_TABLES:
            path = out_dir / f"{name}.parquet"
            if not path.is_file():
                raise InputError(
                    f"no {name}.parquet here",
                    source=out_dir,
                    hint="run `framelens ingest CORPUS -o DIR` first",
                )
            tables[name] = pd.read_parquet(path)
        return cls(**tables)


def write_tables(tables: dict[str, pd.DataFrame], out_dir, *, csv: bool = False) -> list[Path]:
    """Write named tables as ``NAME.parquet`` (and ``NAME.csv``) into ``out_dir``.

    Parquet files are written without pandas' index and with a fixed row order, so the same
    tables give the same bytes.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = out_dir / f"{name}.parquet"
        table.reset_index(drop=True).to_parquet(path, index=False)
        written.append(path)
        if csv:
            path = out_dir / f"{name}.csv"
            table.to_csv(path, index=False, lineterminator="\n")
            written.append(path)
    return written


def ingest(
    path,
    *,
    clean: CleanConfig | None = None,
    strict: bool = False,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    n_jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    dates: DateSettings | None = None,
    codebook=None,
) -> Ingested:
    """Read, clean and segment a corpus.

    Parameters
    ----------
    path : str or Path
        A corpus directory or a JSONL/CSV/Parquet file (see :mod:`framelens.text.corpus`).
    clean : CleanConfig, optional
        Cleaning settings.
    strict : bool, default False
        Turn per-article warnings into errors.
    max_file_mb : float
        Size limit for one article.
    n_jobs : int, optional
        Worker processes for cleaning and segmentation; ``None`` uses every core for corpora
        of at least 400 articles and one process below that.
    progress : callable, optional
        Called with the number of articles finished after each chunk (for progress bars).
    dates : DateSettings, optional
        How dates are read; by default ``[dates]`` of ``CORPUS/corpus.toml``, else inferred
        (see :func:`framelens.text.corpus.read_corpus`).
    codebook : Codebook, str, Path or None
        The study's targets (``None``: the shipped codebook). Cleaning keeps a recurring
        sentence that names one (:func:`framelens.text.clean.clean_article`).

    Returns
    -------
    Ingested
    """
    read = read_corpus(path, strict=strict, max_file_mb=max_file_mb, dates=dates)
    articles = read.articles
    if articles.empty:
        raise InputError(
            "no article could be read",
            source=path,
            hint="see the warnings above for each skipped file",
        )
    chunks = [articles.iloc[i : i + CHUNK_SIZE] for i in range(0, len(articles), CHUNK_SIZE)]
    parallel = _parallel(len(articles), n_jobs)
    # Furniture recurs across an outlet's articles: counted on the whole corpus, not a chunk.
    furniture = frozenset()
    if "outlet_furniture" not in (clean or CleanConfig()).disabled:
        furniture = find_furniture(count_furniture(articles, clean), clean)
    tasks = [(chunk, clean, furniture, codebook) for chunk in chunks]
    cleaned = _map(parallel, _clean_chunk, tasks, progress)
    result = CleanResult(
        pd.concat([c.articles for c in cleaned], ignore_index=True),
        pd.concat([c.removed for c in cleaned], ignore_index=True),
        pd.concat([c.comments for c in cleaned], ignore_index=True),
    )
    tokenizer = train_punkt(result.articles["text"])
    clean_chunks = [
        result.articles.iloc[i : i + CHUNK_SIZE] for i in range(0, len(result.articles), CHUNK_SIZE)
    ]
    sentences = pd.concat(
        _map(parallel, _segment_chunk, [(chunk, tokenizer) for chunk in clean_chunks], None),
        ignore_index=True,
    )
    articles = drop_html_columns(result.articles)
    return Ingested(articles, sentences, result.removed, result.comments, read.problems_table())


def _clean_chunk(args) -> CleanResult:
    chunk, config, furniture, codebook = args
    return clean_articles(chunk, config, furniture=furniture, codebook=codebook)


def _segment_chunk(args) -> pd.DataFrame:
    chunk, tokenizer = args
    return segment_articles(chunk, tokenizer)


def _parallel(n_articles: int, n_jobs: int | None):
    if n_jobs is None:
        n_jobs = -1 if n_articles >= PARALLEL_MIN_ARTICLES else 1
    if n_jobs == 1:
        return None
    from joblib import Parallel

    return Parallel(n_jobs=n_jobs, return_as="generator")


def _map(parallel, func, items, progress):
    """Apply ``func`` to ``items`` in order, in worker processes when ``parallel`` is set."""
    from joblib import delayed

    results = parallel(delayed(func)(item) for item in items) if parallel else map(func, items)
    out, done = [], 0
    for item, result in zip(items, results, strict=True):
        out.append(result)
        done += len(item[0])
        if progress is not None:
            progress(done)
    return out
